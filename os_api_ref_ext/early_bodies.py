"""Sphinx side: plain bodies packed as soon as they are parsed.

A plain body (paragraphs, lists and inline markup, links only to URIs; see
:func:`~os_api_ref_ext.bodies.is_plain`) is changed by nothing the read
phase does to a page but smart quotes.  When every read transform of the
page is known to look past such bodies, each is given smart quotes on its
own right after it is parsed and pickled at once, and its nodes are freed
while still young: the page being read never holds them, so the
transforms do not walk them and the garbage collector never has to keep
track of them through the rest of the read.  The store receives the
pickles with the others (:class:`~os_api_ref_ext.bodies.CompactBodiesTransform`);
writing is unchanged.

Where the page's transforms are not all known (another extension's, a
setting that makes docutils look at every node), or the transforms are not
known yet when the page is parsed (older Sphinx), bodies take the usual
way: plain ones join late (:class:`~os_api_ref_ext.bodies.LateBodiesTransform`),
the others at once.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from os_api_ref_ext.bodies import (
    _BLIND_TO_PLAIN_BODIES,
    _SMART_QUOTES,
    _attach,
    _detach,
    _survey,
    api_body,
    is_plain,
    quote_alone,
)
from os_api_ref_ext.unsafe_markup import unsafe_uri


@dataclass(frozen=True)
class EarlyBody:
    """A body packed as it was parsed: the pickle of ``[body]``, and the
    texts the search index reads from it (None when something may still
    change it when the page is written, see :func:`~os_api_ref_ext.bodies._survey`)."""

    data: bytes
    texts: tuple[str, ...] | None


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

#: Where bodies join the page, and the last priority before it is packed.
_JOINED_AT = 150
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
    if getattr(directive.config, "translation_progress_classes", False):
        return None  # bodies stay nodes (see CompactBodiesTransform)
    if getattr(directive.env, "versioning_condition", None):
        return None
    document = directive.state.document
    transforms = getattr(document.transformer, "transforms", [])
    names = []
    for priority, transform, _pending, _kwargs in transforms:
        # Bodies join the page at 150: what runs before never sees them.
        if _JOINED_AT <= int(str(priority).partition("-")[0]) <= _PACKED_AT:
            names.append((f"{transform.__module__}.{transform.__qualname__}", transform))
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
    if not is_plain(body) or any(
        unsafe_uri(reference.get("refuri", "")) for reference in body.findall(nodes.reference)
    ):
        _free(body)
        return None
    document = directive.state.document
    if quotes:
        quote_alone(document, [body], quotes, directive.config)
    found = _survey(body)
    if found is None:
        _free(body)
        return None
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


def early_bodies(store: Any) -> list[tuple[str, EarlyBody]]:
    """The early bodies :class:`~os_api_ref_ext.tables.StoreBodiesTransform`
    left on ``store``, taken off it."""
    found: list[tuple[str, EarlyBody]] = store.__dict__.pop("early_bodies", [])
    return found
