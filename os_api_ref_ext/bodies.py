"""Sphinx side: the row bodies of a page, stored once, packed after reading.

Each distinct body (a description, a status reason) of a page is kept once,
in an :class:`api_body` of the page's :class:`api_body_store`.  Plain bodies
are kept out of the page's read transforms when those would only walk past
them: packed as soon as they are parsed, or joining the store just after
smart quotes (:mod:`os_api_ref_ext.plain_bodies`).  Once the page is read,
:class:`CompactBodiesTransform` pickles the bodies made of inert markup, in
two pickles per store (those something may still change when the page is
written, and the others), so the doctree Sphinx pickles, loads again and
keeps in memory holds a few strings instead of thousands of nodes.

Writing makes them nodes again (:class:`UnpackBodiesTransform`) so that
every post-transform sees them, with one exception: for the plain HTML
builders, when nothing that runs after reading can change them, the bodies
with no reference to resolve, no code block and no title stay packed until
the first table row that needs one, and each is freed once written.  The
search index still reads their words, from the texts saved beside them.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from os_api_ref_ext.walk import every_node, nodes_of


class api_body_store(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """The distinct row bodies of a document, each in an :class:`api_body`."""


class api_body(nodes.Element):  # noqa: N801
    """One stored body, with its ``key``."""


class api_words(nodes.Element):  # noqa: N801
    """The texts of the bodies left packed in a store, for the search index
    (never written)."""


#: One pickle of a store's packed bodies: the keys of the bodies it holds,
#: in order, the pickle of their list, and the texts the search index reads
#: from each, or None when something may change them while the page is
#: written.  A store's ``packed`` is a tuple of these: after reading, one
#: for the bodies that may change and one for the others; each body packed
#: as it was parsed has one of its own.
Pack = tuple[tuple[str, ...], bytes, tuple[tuple[str, ...], ...] | None]


#: Admonitions and field lists: inert, but never in a plain body.
_ADMONITIONS = frozenset(
    {
        nodes.note,
        nodes.warning,
        nodes.important,
        nodes.tip,
        nodes.hint,
        nodes.caution,
        nodes.attention,
        nodes.danger,
        nodes.error,
        nodes.admonition,
    }
)
_FIELD_LISTS = frozenset({nodes.field_list, nodes.field, nodes.field_name, nodes.field_body})


#: What a packed body may hold: text and the block and inline markup of
#: descriptions, none of which the ``doctree-read`` collectors (images,
#: downloads, index entries, an extension's own nodes) or the last read
#: transforms look for.  A body holding anything else stays in the tree.
_INERT = frozenset(
    {
        api_body,
        nodes.paragraph,
        nodes.literal,
        nodes.emphasis,
        nodes.strong,
        nodes.title_reference,
        nodes.subscript,
        nodes.superscript,
        nodes.reference,
        nodes.literal_block,
        nodes.doctest_block,
        nodes.block_quote,
        nodes.bullet_list,
        nodes.enumerated_list,
        nodes.list_item,
        nodes.definition_list,
        nodes.definition_list_item,
        nodes.term,
        nodes.classifier,
        nodes.definition,
        nodes.line_block,
        nodes.line,
        nodes.title,
        nodes.rubric,
        nodes.inline,
        addnodes.pending_xref,
    }
    | _ADMONITIONS
    | _FIELD_LISTS
)


#: Inert markup that something after reading may still change: references
#: to resolve, code blocks (highlighting language, doctest flags), titles
#: (the search index reads them apart).  A body holding one is unpacked
#: for every builder.
_CHANGED_WHEN_WRITING = frozenset(
    {addnodes.pending_xref, nodes.literal_block, nodes.doctest_block, nodes.title, nodes.rubric}
)

#: Post-transforms known to leave a body of other inert markup alone (they
#: look for other nodes): Sphinx's own and this extension's.
_HARMLESS_POST_TRANSFORMS = frozenset(
    {
        "sphinx.transforms.post_transforms.ReferencesResolver",
        "sphinx.transforms.post_transforms.OnlyNodeTransform",
        "sphinx.transforms.post_transforms.SigElementFallbackTransform",
        "sphinx.transforms.post_transforms.PropagateDescDomain",
        "sphinx.transforms.post_transforms.code.HighlightLanguageTransform",
        "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform",
        "sphinx.transforms.post_transforms.images.ImageDownloader",
        "sphinx.transforms.post_transforms.images.DataURIExtractor",
        "sphinx.transforms.post_transforms.images.ImageConverter",
        "sphinx.domains.c.AliasTransform",
        "sphinx.domains.cpp.AliasTransform",
        "sphinx.builders.html.transforms.KeyboardTransform",  # ``kbd`` literals: see below
    }
)


def _survey(body: nodes.Node) -> tuple[list[nodes.Node], tuple[str, ...] | None] | None:
    """Every node of ``body`` when it holds only inert markup that the
    document knows by no name or id (None when it does not), with the
    texts the search index reads from it, in order; the texts are None
    when something after reading may change the body, or the index reads
    more than its texts (a title, a part marked ``no-search``)."""
    if type(body) is not api_body:
        return None
    every = every_node(body)
    texts: list[str] | None = []
    for node in every:
        if isinstance(node, nodes.Text):
            if texts is not None:
                texts.append(node.astext())
            continue
        if type(node) not in _INERT:
            return None
        attributes = node.attributes
        if attributes["ids"] or attributes["names"] or "refname" in attributes:
            return None
        if "translatable" in attributes:  # i18n's placeholder, removed at 999
            return None
        if texts is not None:
            classes = attributes["classes"]
            if (
                type(node) in _CHANGED_WHEN_WRITING
                or "no-search" in classes
                or (isinstance(node, nodes.literal) and "kbd" in classes)
            ):
                texts = None
    return every, None if texts is None else tuple(texts)


def _attach(body: nodes.Node, document: nodes.document) -> None:
    for node in every_node(body):
        node.document = document


def release(body: nodes.Node) -> None:
    """Cut the links from children to parents of a body no longer in the
    tree, so it is freed at once instead of waiting, with thousands of
    others, for the garbage collector to find the cycles."""
    for node in every_node(body):
        node.parent = None


def _detach(every: list[nodes.Node]) -> None:
    """Cut a body (``every`` node of it) loose from the document, so that
    it pickles alone."""
    every[0].parent = None
    for node in every:
        node.__dict__.pop("_document", None)  # docutils >= 0.22
        node.__dict__.pop("document", None)  # older docutils


class CompactBodiesTransform(SphinxTransform):
    """Read phase, just before ``doctree-read``: pack the document's bodies
    on their store (see :data:`Pack`), with those packed as they were parsed.

    Every transform that changes what a body says (substitutions,
    references, translations, smart quotes) has run by then; the
    collectors of ``doctree-read`` find nothing in the markup packed (see
    :data:`_INERT`).  A body holding anything else, or anything the
    document refers to by name or id, stays as it is; so do all of them
    when later transforms mark paragraphs (translation progress classes,
    versioning ids).
    """

    #: After Sphinx's domains have processed the page (850), before the
    #: ``doctree-read`` event (880).
    default_priority = 879

    def apply(self, **kwargs: Any) -> None:
        keep = bodies_stay_nodes(self.config, self.env)
        for store in nodes_of(self.document, api_body_store):
            # Packed as they were parsed (see os_api_ref_ext.plain_bodies).
            early = store.__dict__.pop("early_bodies", [])
            surveyed = [] if keep else [(body, _survey(body)) for body in store.children]
            bodies = [(body, found[0], found[1]) for body, found in surveyed if found is not None]
            for _body, every, _texts in bodies:
                _detach(every)
            changing = [body for body, _every, texts in bodies if texts is None]
            fixed = [(body, texts) for body, _every, texts in bodies if texts is not None]
            try:
                packs: list[Pack] = []
                if changing:
                    packs.append((_keys(changing), _pickled(changing), None))
                if fixed:
                    fixed_bodies = [body for body, _texts in fixed]
                    texts = tuple(texts for _body, texts in fixed)
                    packs.append((_keys(fixed_bodies), _pickled(fixed_bodies), texts))
            except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
                # Something an extension put in a body does not pickle
                # alone: leave the bodies in the tree, as they were.
                for body, _every, _texts in bodies:
                    body.parent = store
                    _attach(body, self.document)
                bodies, packs = [], []
            packs += [body.pack(key) for key, body in early]
            if not packs:
                continue
            store["packed"] = tuple(packs)
            packed_ids = {id(body) for body, _every, _texts in bodies}
            store.children = [body for body in store.children if id(body) not in packed_ids]
            for _body, every, _texts in bodies:
                for node in every:  # as release() does, without walking again
                    node.parent = None


def bodies_stay_nodes(config: Any, env: Any) -> bool:
    """Whether a later transform marks the paragraphs of every page, so no
    body may be packed: translation progress classes (950) or versioning
    ids (880)."""
    return bool(
        getattr(config, "translation_progress_classes", False)
        or getattr(env, "versioning_condition", None)
    )


def _keys(bodies: list[api_body]) -> tuple[str, ...]:
    return tuple(body["key"] for body in bodies)


def _pickled(bodies: list[api_body]) -> bytes:
    return pickle.dumps(bodies, pickle.HIGHEST_PROTOCOL)


def _reading_order(body: nodes.Node) -> int:
    number = str(body.get("key", "")).rpartition("#")[2] if isinstance(body, nodes.Element) else ""
    return int(number) if number.isdigit() else -1


@dataclass
class _LeftPacked:
    """The pickles of the bodies a page is written without unpacking."""

    #: Each pickle with the keys of the bodies it holds.
    pickles: list[tuple[tuple[str, ...], bytes]] = field(default_factory=list)
    #: Whether the search index reads the page.
    indexed: bool = False
    #: How the index splits text into words, when that is Sphinx's plain
    #: way (runs of word characters, so no word spans a space); else None.
    split: Callable[[str], list[str]] | None = None

    def words(self, bodies_texts: list[tuple[str, ...]]) -> api_words:
        """One node holding the words of all the bodies left packed in a
        store: the index keeps which words a page holds, not where or how
        often, so each word is given once (nova's bodies hold 18,000
        words, 1,600 of them distinct)."""
        texts = [text for body_texts in bodies_texts for text in body_texts]
        if self.split is None:
            return api_words("", *(nodes.Text(text) for text in texts))
        words = dict.fromkeys(self.split(" ".join(texts)))
        return api_words("", nodes.Text(" ".join(words)))


def _unpickled(data: bytes, document: nodes.document) -> list[api_body]:
    bodies: list[api_body] = pickle.loads(data)
    for body in bodies:
        _attach(body, document)
    return bodies


def unpack_bodies(
    document: nodes.document, stores: list[api_body_store], left: _LeftPacked | None = None
) -> None:
    """Put the bodies :class:`CompactBodiesTransform` packed back in their
    stores, as nodes of ``document``; with ``left``, keep those nothing
    can change packed instead, and put only their words in the store."""
    for store in stores:
        packed: tuple[Pack, ...] | None = store.attributes.pop("packed", None)
        if packed is None:
            continue
        restored: list[nodes.Element] = []
        words: list[tuple[str, ...]] = []
        for keys, data, texts in packed:
            if left is None or texts is None:
                restored += _unpickled(data, document)
            else:
                left.pickles.append((keys, data))
                words += texts
        if left is not None and left.indexed and words:
            restored.append(left.words(words))
        # Back in the order they were read, as walkers (the search index)
        # expect: body keys end in the body's number on its page.
        children = [*store.children, *restored]
        children.sort(key=_reading_order)
        store.children = []
        store.extend(children)


#: Builders known to write a page's doctree as the post-transforms leave it
#: (EPUB adds the targets of links to it first, single-page HTML rewrites
#: links).
_PLAIN_HTML_BUILDERS = frozenset(
    {
        "sphinx.builders.html.StandaloneHTMLBuilder",
        "sphinx.builders.dirhtml.DirectoryHTMLBuilder",
    }
)


def _may_leave_packed(app: Any) -> bool:
    """Whether the builder, every post-transform and every
    ``doctree-resolved`` handler that runs for it are known to leave such
    bodies alone."""
    builder = app.builder
    if f"{type(builder).__module__}.{type(builder).__qualname__}" not in _PLAIN_HTML_BUILDERS:
        return False
    for transform in app.registry.get_post_transforms():
        name = f"{transform.__module__}.{transform.__qualname__}"
        if name in _HARMLESS_POST_TRANSFORMS or transform.__module__.startswith("os_api_ref_ext."):
            continue
        builders = getattr(transform, "builders", ())
        formats = getattr(transform, "formats", ())
        if (builders and builder.name not in builders) or (
            formats and builder.format not in formats
        ):
            continue  # never runs here
        return False
    handlers = app.events.listeners.get("doctree-resolved", [])
    return all(listener.handler.__module__.startswith("os_api_ref_ext.") for listener in handlers)


class UnpackBodiesTransform(SphinxPostTransform):
    """Write phase, first of all: the packed bodies become nodes again, so
    that references in them are resolved like any other.  For HTML, those
    nothing can change stay packed until their row is written."""

    default_priority = 1

    def run(self, **kwargs: Any) -> None:
        from sphinx.search import SearchLanguage  # loaded by HTML builders anyway

        stores = nodes_of(self.document, api_body_store)
        left = None
        # Sphinx 8 deprecated the transforms' ``app``; 7.2 has no ``_app``.
        app = vars(self.env).get("_app") or self.env.app
        if _may_leave_packed(app):
            indexer = getattr(app.builder, "indexer", None)
            language = getattr(indexer, "lang", None)
            plain = (
                getattr(type(language), "split", None) is SearchLanguage.split
                and getattr(language, "_word_re", None) is SearchLanguage._word_re
            )
            left = _LeftPacked(
                indexed=indexer is not None,
                split=language.split if plain else None,
            )
            self.document.apiref_packed = left.pickles  # type: ignore[attr-defined]
        unpack_bodies(self.document, stores, left)


def packed_body(document: nodes.document, key: str) -> api_body | None:
    """A body left packed while its page is written, as nodes of
    ``document``, for writing it once: only the pickle that holds it is
    unpacked (a body packed early is alone in its own, so its nodes live
    just while it is written); :func:`release` it once written."""
    where: dict[str, bytes] | None = getattr(document, "apiref_pickle_of", None)
    if where is None:
        where = {
            body_key: data
            for keys, data in getattr(document, "apiref_packed", ())
            for body_key in keys
        }
        document.apiref_pickle_of = where  # type: ignore[attr-defined]
        document.apiref_unpacked = {}  # type: ignore[attr-defined]
    unpacked: dict[str, api_body] = document.apiref_unpacked  # type: ignore[attr-defined]
    if key not in unpacked:
        data = where.get(key)
        if data is None:
            return None
        for body in _unpickled(data, document):
            body_key = body["key"]
            if where.pop(body_key, None) is not None:
                unpacked.setdefault(body_key, body)
    return unpacked.pop(key, None)


def stored_bodies(
    document: nodes.document, stores: list[api_body_store] | None = None
) -> dict[str, api_body]:
    """Key -> stored body, over every store in a (possibly assembled) doctree."""
    if stores is None:
        stores = nodes_of(document, api_body_store)
    unpack_bodies(document, stores)
    found: dict[str, api_body] = {}
    for store in stores:
        for body in store.children:
            if isinstance(body, api_body):
                found.setdefault(body["key"], body)
    return found


def bodies_by_origin(document: nodes.document) -> dict[str, api_body]:
    """``repr`` of the key a directive registered a body under (such as
    ``("parameter", path, key, line)``) -> the stored body."""
    stores = nodes_of(document, api_body_store)
    bodies = stored_bodies(document, stores)
    found: dict[str, api_body] = {}
    for store in stores:
        for origin, key in store.get("origins", {}).items():
            if key in bodies:
                found.setdefault(origin, bodies[key])
    return found
