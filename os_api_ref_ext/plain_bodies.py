"""Sphinx side: plain bodies, kept out of the page's read transforms.

A plain body (paragraphs, lists and inline markup, links only to URIs; see
:func:`is_plain`) is changed by nothing the read phase does to a page but
smart quotes.  Where the page's read transforms are all known to look past
such bodies, they are kept out of the page and given smart quotes on their
own, only those whose text smart quotes could change:

* **Packed as parsed.**  When the page's transforms are known as the page
  is parsed (Sphinx 9 and later), each plain body gets smart quotes right
  after its parse and is pickled at once, its nodes freed while still
  young: the page being read never holds them, so the transforms do not
  walk them and the garbage collector does not keep track of them through
  the rest of the read.  The store receives the pickles with the others
  (:class:`~os_api_ref_ext.bodies.CompactBodiesTransform`); writing is
  unchanged.
* **Joining late.**  Otherwise (older Sphinx reads a page's transforms only
  after parsing it), plain bodies join their store just after smart quotes
  (:class:`LateBodiesTransform`), having got them on their own.

Where a transform is not known (another extension's, a setting that makes
docutils look at every node), every body joins the page right after
parsing, as any other content.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from os_api_ref_ext.bodies import (
    _ADMONITIONS,
    _FIELD_LISTS,
    _INERT,
    Pack,
    _attach,
    _detach,
    _reading_order,
    _survey,
    api_body,
    api_body_store,
    bodies_stay_nodes,
)
from os_api_ref_ext.unsafe_markup import unsafe_uri
from os_api_ref_ext.walk import every_node, nodes_of

#: What a body joined to the page late (see :class:`LateBodiesTransform`)
#: may hold: paragraphs, lists and inline markup, with links only to URIs.
_PLAIN = (
    _INERT
    - _ADMONITIONS
    - _FIELD_LISTS
    - {
        nodes.literal_block,
        nodes.doctest_block,
        nodes.classifier,
        nodes.title,
        nodes.rubric,
        addnodes.pending_xref,
    }
)

#: The read transforms that run between the bodies' parse (150) and smart
#: quotes (750) and only look at what a plain body never holds: targets,
#: substitutions, footnotes, citations, index entries, sections, figures,
#: doctests, glossaries, comments, the document's front matter.
_BLIND_TO_PLAIN_BODIES = frozenset(
    {
        "sphinx.transforms.MoveModuleTargets",
        "sphinx.transforms.AutoIndexUpgrader",
        "sphinx.transforms.DefaultSubstitutions",
        "sphinx.transforms.AutoNumbering",
        "sphinx.transforms.HandleCodeBlocks",
        "sphinx.transforms.ReorderConsecutiveTargetAndIndexNodes",
        "sphinx.transforms.SortIds",
        "sphinx.transforms.DoctestTransform",
        "sphinx.transforms.GlossarySorter",
        "sphinx.transforms.UnreferencedFootnotesDetector",
        "sphinx.domains.citation.CitationDefinitionTransform",
        "sphinx.domains.citation.CitationReferenceTransform",
        "sphinx.builders.latex.transforms.FootnoteDocnameUpdater",
        "docutils.transforms.references.Substitutions",
        "docutils.transforms.references.SectionIDs",  # docutils 0.23: sections only
        "docutils.transforms.references.PropagateTargets",
        "docutils.transforms.references.AnonymousHyperlinks",
        "docutils.transforms.references.IndirectHyperlinks",
        "docutils.transforms.references.Footnotes",
        "docutils.transforms.references.ExternalTargets",
        "docutils.transforms.references.InternalTargets",
        "docutils.transforms.frontmatter.DocTitle",
        "docutils.transforms.frontmatter.DocInfo",
        "docutils.transforms.frontmatter.SectionSubTitle",
        "docutils.transforms.universal.StripComments",
        # ``class`` directives: the class goes to the element after the
        # directive, in the same parent (a plain body holds none)
        "docutils.transforms.misc.ClassAttribute",
    }
)

#: Where bodies join the page (:class:`~os_api_ref_ext.tables.StoreBodiesTransform`).
_JOINED_AT = 150

#: Where late bodies join the page: just after smart quotes, which they
#: get on their own first (see :class:`LateBodiesTransform`).
LATE_PRIORITY = 751

#: The smart quotes transform late bodies get on their own.
_SMART_QUOTES = "sphinx.transforms.SphinxSmartQuotes"

#: What a text needs for smart quotes to change it (quotes, backticks,
#: backslash escapes, escaped characters, dashes, ellipses), under the
#: ``smartquotes_action`` letters :data:`_QUOTED_ACTIONS`.
_MAY_BE_QUOTED = re.compile(r"[\"'`\\\x00]|--|\.\.|\. \.")
_QUOTED_ACTIONS = frozenset("qbBdDie")


def is_plain(body: api_body) -> bool:
    """Whether ``body`` holds only :data:`_PLAIN` markup that the document
    knows by no name or id, links to URIs alone."""
    return _all_plain(every_node(body))


def _all_plain(elements: Iterable[nodes.Node]) -> bool:
    """:func:`is_plain` over a body's nodes (texts are skipped)."""
    for node in elements:
        if isinstance(node, nodes.Text):
            continue
        if type(node) not in _PLAIN:
            return False
        attributes = node.attributes
        if attributes["ids"] or attributes["names"] or attributes.get("backrefs"):
            return False
        if not _LINKLESS_KEYS.isdisjoint(attributes):
            return False
        if any(name.startswith("language-") for name in attributes["classes"]):
            return False  # smart quotes would read the language from it
    return True


#: Attributes that tie a node to something else in the page.
_LINKLESS_KEYS = frozenset({"refname", "refid", "anonymous", "translatable"})


def _transforms_seeing_bodies(document: nodes.document, until: int) -> list[tuple[str, type]]:
    """The page's read transforms, by name, that run from where bodies join
    the page (150; what runs before never sees them) up to ``until``."""
    found = []
    for priority, transform, _pending, _kwargs in getattr(document.transformer, "transforms", []):
        if _JOINED_AT <= int(str(priority).partition("-")[0]) <= until:
            found.append((f"{transform.__module__}.{transform.__qualname__}", transform))
    return found


def _early_transforms(document: nodes.document) -> list[tuple[str, type]]:
    """The read transforms still to run before late bodies join."""
    return _transforms_seeing_bodies(document, LATE_PRIORITY - 1)


def late_bodies_allowed(document: nodes.document) -> bool:
    """Whether every read transform still to run before late bodies join is
    known to look past plain bodies (see :data:`_BLIND_TO_PLAIN_BODIES`),
    or is Sphinx's smart quotes, which they get on their own."""
    return all(
        name in _BLIND_TO_PLAIN_BODIES or name == _SMART_QUOTES
        for name, _transform in _early_transforms(document)
    )


def late_quotes(document: nodes.document) -> list[type]:
    """The smart quotes transforms late bodies are to get on their own."""
    return [transform for name, transform in _early_transforms(document) if name == _SMART_QUOTES]


class LateBodiesTransform(SphinxTransform):
    """Read phase, just after smart quotes: the plain bodies get smart
    quotes on their own, then join their store, in the order they were
    read.

    Until then the transforms that look for targets, substitutions,
    footnotes and the like walk the page without them: on a page of a few
    hundred operations, half the nodes they would walk.  Smart quotes run
    on the bodies whose text they could change (most descriptions have no
    quote, dash or ellipsis outside their literals), by Sphinx's own
    transform on a document holding just those bodies.  Everything after
    treats them as any other content.  Only added to a page's transforms
    when every transform before it is known to look past such bodies.
    """

    default_priority = LATE_PRIORITY

    def apply(self, **kwargs: Any) -> None:
        for store in nodes_of(self.document, api_body_store):
            late: list[api_body] | None = store.__dict__.pop("late_bodies", None)
            quotes: list[type] = store.__dict__.pop("late_quotes", [])
            if late and quotes:
                quote_alone(self.document, late, quotes, self.config)
            if late:
                children = [*store.children, *late]
                children.sort(key=_reading_order)
                store.children = []
                store.extend(children)


def quote_alone(
    document: nodes.document, bodies: list[api_body], quotes: list[type], config: Any
) -> bool:
    """Smart quotes (the ``quotes`` transforms) for those of ``bodies``, not
    in the page, whose text they could change, as they would get them in
    ``document``: on a document of the same settings holding just them.
    Whether any was given them."""
    action = str(getattr(config, "smartquotes_action", ""))
    if set(action) <= _QUOTED_ACTIONS:
        bodies = [body for body in bodies if _may_be_quoted(body)]
    if not bodies:
        return False
    alone = nodes.document(document.settings, document.reporter)
    alone.extend(bodies)
    for transform in quotes:
        transform(alone, startnode=None).apply()
    alone.children = []  # the document is a cycle: it must not keep them
    for body in bodies:
        body.parent = None
    return True


def _may_be_quoted(body: api_body) -> bool:
    """Whether a text of ``body`` that smart quotes read has a character
    they change (the text of an inline literal is never changed)."""
    return any(
        _MAY_BE_QUOTED.search(text)
        for text in nodes_of(body, nodes.Text)
        if not isinstance(text.parent, nodes.literal)
    )


@dataclass(frozen=True)
class EarlyBody:
    """A body packed as it was parsed: the pickle of ``[body]``, and the
    texts the search index reads from it (None when something may still
    change it when the page is written, see :func:`~os_api_ref_ext.bodies._survey`)."""

    data: bytes
    texts: tuple[str, ...] | None

    def pack(self, key: str) -> Pack:
        """Its own pickle among its store's packs."""
        return ((key,), self.data, None if self.texts is None else (self.texts,))


#: Read transforms between smart quotes and the packing of bodies (879)
#: known to look past plain bodies: docutils' page decorations and
#: transitions, the dangling-reference check (named references only), and
#: the domains' processing of the page, which, as the ``doctree-read``
#: collectors after it, finds nothing in inert markup.
_BLIND_AFTER_QUOTES = frozenset(
    {
        "docutils.transforms.universal.Decorations",
        "docutils.transforms.misc.Transitions",
        "sphinx.transforms.references.SphinxDanglingReferences",
        "sphinx.transforms.references.SphinxDomains",
    }
)

#: docutils transforms that look at every node only when a setting asks.
_BLIND_UNLESS_SET = {
    "docutils.transforms.universal.Validate": "validate",
    "docutils.transforms.universal.ExposeInternals": "expose_internals",
}

#: This extension's read transforms, each of which looks past an early
#: body: the store's own two, and the one disarming unsafe links, which
#: an early body never holds (see :func:`pack_early`).
_OWN = frozenset(
    {
        "os_api_ref_ext.tables.StoreBodiesTransform",
        "os_api_ref_ext.bodies.CompactBodiesTransform",
        "os_api_ref_ext.disarm.UnsafeMarkupTransform",
    }
)

#: The last priority before the page is packed.
_PACKED_AT = 879

_DECISION = "apiref_early_bodies"


def early_quotes(directive: SphinxDirective) -> list[type] | None:
    """The smart quotes transforms an early body of this page gets, or
    None when the page's bodies cannot be packed early.  Decided once per
    page."""
    temp = directive.env.temp_data
    if _DECISION not in temp:
        temp[_DECISION] = _decide(directive)
    decision: list[type] | None = temp[_DECISION]
    return decision


def _decide(directive: SphinxDirective) -> list[type] | None:
    if bodies_stay_nodes(directive.config, directive.env):
        return None
    document = directive.state.document
    names = _transforms_seeing_bodies(document, _PACKED_AT)
    if "os_api_ref_ext.tables.StoreBodiesTransform" not in {name for name, _t in names}:
        return None  # the page's transforms are not known yet
    quotes = []
    for name, transform in names:
        if name == _SMART_QUOTES:
            quotes.append(transform)
        elif name in _BLIND_UNLESS_SET:
            if getattr(document.settings, _BLIND_UNLESS_SET[name], None):
                return None
        elif not (name in _BLIND_TO_PLAIN_BODIES or name in _BLIND_AFTER_QUOTES or name in _OWN):
            return None
    return quotes


def pack_early(
    directive: SphinxDirective, key: str, children: list[nodes.Node], quotes: list[type]
) -> EarlyBody | None:
    """``children`` as an early body under ``key``, or None when they are
    not a plain body (or hold a link :mod:`~os_api_ref_ext.disarm` would
    disarm): they then take the usual way, unchanged."""
    body = api_body("", *children, key=key)
    found = _survey(body)  # None unless inert, which plain markup is
    if (
        found is None
        or not _all_plain(found[0])
        or any(
            unsafe_uri(node.get("refuri", ""))
            for node in found[0]
            if isinstance(node, nodes.reference)
        )
    ):
        _free(body)
        return None
    document = directive.state.document
    if quotes and quote_alone(document, [body], quotes, directive.config):
        found = _survey(body) or found  # new texts; smart quotes change nothing else
    every, texts = found
    _detach(every)
    try:
        data = pickle.dumps([body], pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        _attach(body, document)
        _free(body)
        return None
    for node in every:  # freed now, with no cycle left for the collector
        node.parent = None
    return EarlyBody(data, texts)


def _free(body: api_body) -> None:
    """Take ``children`` back out of a body that is not packed early."""
    for child in body.children:
        child.parent = None
    body.children = []
