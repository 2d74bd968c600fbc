"""Bodies packed after reading are written exactly as their nodes were.

:class:`os_api_ref_ext.bodies.CompactBodiesTransform` packs the bodies of
a page, each pickled on its own, once the page is read, and
:class:`~os_api_ref_ext.bodies.UnpackBodiesTransform` makes them nodes
again when it is written, or, for HTML, leaves those nothing can change
packed until their row is written.  Each builder must write the same
output, search index included, with and without the packing; a body the
document refers to by name stays a node.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sphinx
from docutils import nodes
from realistic_tree import tree_with_parameters
from sphinx.search import SearchLanguage
from sphinx.search import languages as search_languages
from sphinx.transforms import SphinxSmartQuotes, SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from os_api_ref_ext import bodies as tables
from os_api_ref_ext.plain_bodies import LateBodiesTransform

EXTRA_PARAMETERS = """\
plain_only:
  description: Plain text with 'quotes' -- and a dash.
  in: query
  required: false
  type: string
with_literal:
  description: |
    Use ``GET`` or ``HEAD`` on
    two lines.
  in: query
  required: false
  type: string
  min_version: 2.3
  max_version: 2.9
empty_with_note:
  description: ''
  in: query
  required: false
  type: string
  min_version: 2.4
with_link:
  description: See `the guide <https://example.com/guide>`_.
  in: query
  required: false
  type: string
with_xref:
  description: Listed by :ref:`list-servers-operation`.
  in: query
  required: false
  type: string
with_anonymous_link:
  description: See `the page <https://example.com/page>`__.
  in: query
  required: false
  type: string
with_code:
  description: |
    Send this::

      {"server": {"name": "x"}}

    and >>> nothing else.
  in: query
  required: false
  type: string
with_admonition:
  description: |
    Two paragraphs, a list and an admonition.

    - first *item*
    - second ``item``

    .. admonition:: Careful here

       Words in a titled box.
  in: query
  required: false
  type: string
with_kbd:
  description: Press :kbd:`Control-x` to leave.
  in: query
  required: false
  type: string
not_searched:
  description: |
    .. rst-class:: no-search

    Hidden from search: zyxwvut.
  in: query
  required: false
  type: string
"""

#: The keys the extra stanza lists.
EXTRA_KEYS = (
    "plain_only",
    "with_literal",
    "empty_with_note",
    "with_link",
    "with_anonymous_link",
    "with_xref",
    "with_code",
    "with_admonition",
    "with_kbd",
    "not_searched",
)


def _tree(tmp_path: Path, name: str) -> Path:
    return tree_with_parameters(tmp_path, name, EXTRA_PARAMETERS, EXTRA_KEYS, "Extra")


def _build(
    make_app, src: Path, buildername: str, language: str = "en", extra_transform: Any = None
) -> dict[str, str]:
    app = make_app(buildername, srcdir=src, freshenv=True, confoverrides={"language": language})
    if extra_transform is not None:
        app.add_post_transform(extra_transform)
    app.build()
    out = Path(app.outdir)
    return {
        str(path.relative_to(out)): path.read_text(encoding="utf-8")
        for path in sorted(out.rglob("*"))
        if path.is_file()
        and path.suffix in {".html", ".xhtml", ".js", ".txt", ".tex", ".xml"}
        and not path.name.startswith("documentation_options")
    }


class ShoutTransform(SphinxPostTransform):
    """A post-transform of another extension that changes plain text."""

    default_priority = 500

    def run(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if "dash" in text:
                text.parent.replace(text, nodes.Text(text.replace("dash", "DASH")))


class WholeTextLanguage(SearchLanguage):
    """A search language whose words depend on where texts begin and end."""

    lang = "xx"

    def split(self, input: str) -> list[str]:
        return [input.strip()] if input.strip() else []


def _same_output(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str, **options: Any
) -> dict[str, str]:
    compact = _build(make_app, _tree(tmp_path, "compact"), buildername, **options)
    with monkeypatch.context() as patch:
        patch.setattr(tables.CompactBodiesTransform, "apply", lambda self, **kwargs: None)
        patch.setattr("os_api_ref_ext.tables.early_quotes", lambda directive: None)
        full = _build(make_app, _tree(tmp_path, "full"), buildername, **options)
    assert compact.keys() == full.keys()
    for name in compact:
        assert compact[name] == full[name], name
    return compact


@pytest.mark.parametrize("buildername", ["html", "dirhtml", "singlehtml", "epub", "text", "latex"])
def test_output_is_the_same_with_bodies_packed(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    output = _same_output(make_app, tmp_path, monkeypatch, buildername)
    if buildername == "html":
        index = output["searchindex.js"]
        # Words of a body left packed are found (a part marked no-search
        # is left out wherever Sphinx's index honours the class: the
        # comparison above holds that).
        assert '"dash"' in index


def test_html_leaves_bodies_packed_until_written(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unpacked: list[str] = []
    original = tables.packed_body

    def spy(document: nodes.document, key: str) -> Any:
        body = original(document, key)
        if body is not None:
            unpacked.append(body.astext())
        return body

    monkeypatch.setattr(tables, "packed_body", spy)
    monkeypatch.setattr("os_api_ref_ext.tables.packed_body", spy)
    _build(make_app, _tree(tmp_path, "src"), "html")
    assert any("Plain text" in text for text in unpacked)
    assert any("Use GET or HEAD" in text for text in unpacked)
    # Nothing a post-transform may change is left packed: code blocks
    # (highlighting), references to resolve, keys (HTML splits them), nor
    # titles or parts marked no-search (the search index reads them apart).
    for words in ("Send this", "Listed by", "Control-x", "Careful here", "zyxwvut"):
        assert not any(words in text for text in unpacked), words


class SpacedWordsLanguage(SearchLanguage):
    """A search language whose words may hold spaces."""

    lang = "yy"
    _word_re = re.compile(r"[\w ]+")


@pytest.mark.parametrize("language", ["ja", "xx", "yy"])
def test_search_index_is_the_same_in_languages_that_split_their_own_way(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setitem(search_languages, "xx", WholeTextLanguage)
    monkeypatch.setitem(search_languages, "yy", SpacedWordsLanguage)
    output = _same_output(make_app, tmp_path, monkeypatch, "html", language=language)
    if language == "xx":
        assert "plain text with" in output["searchindex.js"].lower()


def test_another_extensions_post_transform_sees_every_body(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _same_output(make_app, tmp_path, monkeypatch, "html", extra_transform=ShoutTransform)
    assert "a DASH." in output["v2/index.html"]


def test_bodies_are_packed_unless_the_document_refers_to_them(make_app, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_tree(tmp_path, "src"), freshenv=True)
    app.build()
    doctree = app.env.get_doctree("v2/index")  # as pickled, before writing
    stores = list(doctree.findall(tables.api_body_store))
    assert stores
    for store in stores:
        packs = store["packed"]
        changing = [data for _keys, data, texts in packs if texts is None]
        fixed = [data for _keys, data, texts in packs if texts is not None]
        words = [
            (key, body_texts)
            for keys, _data, texts in packs
            if texts is not None
            for key, body_texts in zip(keys, texts, strict=True)
        ]
        assert changing and fixed
        assert all(isinstance(data, bytes) for data in (*changing, *fixed))
        assert words and all(key.startswith("v2/index#") for key, _texts in words)
        assert all(isinstance(text, str) for _key, texts in words for text in texts)
        # Each pickle names the bodies it holds.
        assert all(keys and all(key.startswith("v2/index#") for key in keys) for keys, *_ in packs)
    kept = [body for store in stores for body in store.children]
    # A named link's target is known to the document: its body stays a
    # node; an anonymous link's is not.
    assert [body.astext() for body in kept] == ["See the guide."]
    bodies = tables.stored_bodies(doctree)
    assert len(bodies) > 10
    assert "packed" not in stores[0].attributes
    assert all(body.document is doctree for body in bodies.values())
    paragraph = next(iter(bodies.values()))[0]
    assert paragraph.document is doctree


@pytest.mark.parametrize("buildername", ["html", "text", "latex"])
def test_plain_bodies_joining_late_change_nothing(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    joined: list[str] = []
    original = LateBodiesTransform.apply

    def spy(self: LateBodiesTransform, **kwargs: Any) -> None:
        for store in self.document.findall(tables.api_body_store):
            joined.extend(body.astext() for body in store.__dict__.get("late_bodies", []))
        original(self, **kwargs)

    monkeypatch.setattr(LateBodiesTransform, "apply", spy)
    # The way plain bodies take when they cannot be packed as parsed.
    monkeypatch.setattr("os_api_ref_ext.tables.early_quotes", lambda directive: None)
    late = _build(make_app, _tree(tmp_path, "late"), buildername)
    assert any("Plain text" in text for text in joined)
    assert any("Use GET or HEAD" in text for text in joined)
    assert any(text.endswith("See the guide.") for text in joined)  # an anonymous link
    # A named link (its target), a reference to resolve, code and an
    # admonition join with the rest, before the transforms that handle them.
    assert "See the guide." not in joined
    for words in ("Listed by", "Send this", "Careful here"):
        assert not any(words in text for text in joined), words
    with monkeypatch.context() as patch:
        patch.setattr("os_api_ref_ext.tables.late_bodies_allowed", lambda document: False)
        early = _build(make_app, _tree(tmp_path, "early"), buildername)
    assert late == early


class MarkTextTransform(SphinxTransform):
    """A read transform of another extension, before smart quotes."""

    default_priority = 600

    def apply(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if "dash" in text:
                text.parent.replace(text, nodes.Text(text.replace("dash", "DASH")))


def test_another_extensions_read_transform_sees_every_body(make_app, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_tree(tmp_path, "src"), freshenv=True)
    app.add_transform(MarkTextTransform)
    app.build()
    assert "a DASH." in (Path(app.outdir) / "v2" / "index.html").read_text(encoding="utf-8")


#: Texts smart quotes change in every way they can, and texts they leave
#: alone (an inline literal's quotes are never changed).
QUOTED_PARAMETERS = """\
q_single:
  description: |
    The server's name.
  in: query
  required: false
  type: string
q_double:
  description: |
    Say "hello" once.
  in: query
  required: false
  type: string
q_dashes:
  description: |
    From 1--3, or --- nothing.
  in: query
  required: false
  type: string
q_ellipsis:
  description: |
    And so on... and . . . on.
  in: query
  required: false
  type: string
q_escaped:
  description: |
    An escaped \\\\"quote\\\\" stays straight.
  in: query
  required: false
  type: string
q_backticks:
  description: |
    Old ``style'' and `this' with backticks.
  in: query
  required: false
  type: string
q_literal_only:
  description: |
    Send ``"name": 'x'`` as it is.
  in: query
  required: false
  type: string
q_entity:
  description: |
    Written &quot;so&quot; for old tools.
  in: query
  required: false
  type: string
q_nothing:
  description: |
    Nothing here changes at all.
  in: query
  required: false
  type: string
"""


@pytest.mark.parametrize("way", ["early", "late"])
@pytest.mark.parametrize("action", ["qDe", "qBDe", "qDew"])
def test_plain_bodies_get_smart_quotes_as_the_page_does(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action: str, way: str
) -> None:
    """Packed as parsed or joining late, plain bodies are quoted on their own."""

    def tree(name: str) -> Path:
        keys = [line.rstrip(":") for line in QUOTED_PARAMETERS.splitlines() if line[:1] != " "]
        return tree_with_parameters(tmp_path, name, QUOTED_PARAMETERS, keys, "Quoted")

    def build(name: str) -> str:
        app = make_app(
            "html", srcdir=tree(name), freshenv=True, confoverrides={"smartquotes_action": action}
        )
        app.build()
        return (Path(app.outdir) / "v2" / "index.html").read_text(encoding="utf-8")

    quoted: list[str] = []
    original = SphinxSmartQuotes.apply

    def spy(self: SphinxSmartQuotes, **kwargs: Any) -> None:
        if all(isinstance(child, tables.api_body) for child in self.document.children):
            quoted.extend(body.astext() for body in self.document.children)
        original(self, **kwargs)

    monkeypatch.setattr(SphinxSmartQuotes, "apply", spy)
    with monkeypatch.context() as patch:
        if way == "late":
            patch.setattr("os_api_ref_ext.tables.early_quotes", lambda directive: None)
        alone = build("alone")
    with monkeypatch.context() as patch:
        patch.setattr("os_api_ref_ext.tables.early_quotes", lambda directive: None)
        patch.setattr("os_api_ref_ext.tables.late_bodies_allowed", lambda document: False)
        in_page = build("in_page")
    assert alone == in_page
    assert "The server\u2019s name." in alone
    assert "\u201chello\u201d" in alone
    # The bodies were quoted on their own: with the page's letters,
    # only those whose text could change.
    assert any("hello" in text for text in quoted)
    if action == "qDe":
        assert not any("Nothing here" in text for text in quoted)
        assert not any(text.startswith("Send") for text in quoted)


def _packed_early(make_app, src: Path, monkeypatch: pytest.MonkeyPatch, **extra: Any) -> list[Any]:
    from os_api_ref_ext import plain_bodies

    packed: list[Any] = []
    original = plain_bodies.pack_early

    def spy(*args: Any) -> Any:
        packed.append(original(*args))
        return packed[-1]

    monkeypatch.setattr("os_api_ref_ext.tables.pack_early", spy)
    app = make_app("html", srcdir=src, freshenv=True)
    if "transform" in extra:
        app.add_transform(extra["transform"])
    app.build()
    return packed


@pytest.mark.skipif(
    sphinx.version_info < (9,), reason="Sphinx reads a page's transforms after parsing it"
)
def test_plain_bodies_are_packed_as_parsed_where_every_transform_is_known(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed = _packed_early(make_app, _tree(tmp_path, "src"), monkeypatch)
    early = [body for body in packed if body is not None]
    # Plain bodies are; a named link, a reference to resolve, code and an
    # admonition are not.
    assert len(early) > 10
    assert len(packed) - len(early) >= 4
    # :kbd: is plain, but the index must read it from the page written.
    assert any(body.texts is None for body in early)
    with monkeypatch.context() as patch:
        assert not _packed_early(
            make_app, _tree(tmp_path, "foreign"), patch, transform=MarkTextTransform
        )


def test_words_of_bodies_left_packed_are_given_once() -> None:
    """The index keeps which words a page holds, so each is given once."""
    left = tables._LeftPacked(indexed=True, split=re.compile(r"\w+").findall)
    words = left.words([("Shelve a server.", "Shelve it"), ("a server, shelved",)])
    assert words.astext() == "Shelve a server it shelved"
    apart = tables._LeftPacked(indexed=True).words([("a b", "a"), ("b",)])
    assert [text.astext() for text in apart.children] == ["a b", "a", "b"]
