"""An API page's doctree is taken apart once every ``html-page-context``
handler has seen it, before its template renders.

The page must be written exactly as it is when the tree stays whole;
handlers that run before see the whole tree; a page whose template
context can reach its tree, a page without API tables, and a project
that says no keep their trees.
"""

from __future__ import annotations

import functools
import shutil
import weakref
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from realistic_tree import ROOT
from sphinx.application import Sphinx

from os_api_ref_ext.release import RELEASE_PRIORITY, context_reaches_nodes


class _Seen:
    """What a handler at a given priority sees of each page's tree."""

    def __init__(self, app: Sphinx, priority: int, watch: _Seen | None = None) -> None:
        self.children: dict[str, int] = {}
        #: Paragraphs of each page, weakly held, and how many were still
        #: alive when the page reached the handler watching them.
        self.paragraphs: dict[str, list[weakref.ref[nodes.paragraph]]] = {}
        self.alive: dict[str, int] = {}
        self._watch = watch
        app.connect("html-page-context", self._note, priority=priority)

    def _note(self, _app: Sphinx, pagename: str, *_rest: Any) -> None:
        doctree: nodes.document | None = _rest[-1]
        if doctree is not None:
            self.children[pagename] = sum(1 for _node in doctree.findall())
            self.paragraphs[pagename] = [weakref.ref(p) for p in doctree.findall(nodes.paragraph)]
        watched = self._watch.paragraphs.get(pagename) if self._watch is not None else None
        if watched is not None:
            self.alive[pagename] = sum(ref() is not None for ref in watched)


def _pages(outdir: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
        if "_static" not in path.parts
    }


def _build(
    make_app, tmp_path: Path, name: str, release: bool, before: Any = None
) -> tuple[dict[str, bytes], _Seen, _Seen]:
    app = make_app(
        "html",
        srcdir=_copy_root(tmp_path / name),
        freshenv=True,
        confoverrides={"os_api_ref_release_written_pages": release},
    )
    early = _Seen(app, 400)
    if before is not None:
        app.connect("html-page-context", before, priority=450)
    late = _Seen(app, RELEASE_PRIORITY + 1, watch=early)
    app.build()
    return _pages(Path(app.outdir)), early, late


def _copy_root(dest: Path) -> Path:
    shutil.copytree(ROOT, dest)
    return dest


def test_api_pages_are_taken_apart_after_their_handlers_and_written_the_same(
    make_app, tmp_path: Path
) -> None:
    released, early, late = _build(make_app, tmp_path, "released", release=True)
    whole, early_whole, late_whole = _build(make_app, tmp_path, "whole", release=False)

    assert released == whole
    assert set(released) >= {"index.html", "v2/index.html", "genindex.html"}
    # Handlers before the release see every page whole.
    assert early.children == early_whole.children
    assert early.children["v2/index"] > 100
    # After it, the API page is an empty document; the page without API
    # tables is left as it was.
    assert late.children["v2/index"] == 1
    assert late.children["index"] == early.children["index"]
    assert late_whole.children == early_whole.children
    # Its nodes are freed there and then, not when the collector runs.
    assert len(early.paragraphs["v2/index"]) > 10
    assert late.alive["v2/index"] == 0
    assert late.alive["index"] == len(early.paragraphs["index"])
    assert late_whole.alive["v2/index"] == len(early_whole.paragraphs["v2/index"])


def test_a_page_whose_template_context_reaches_its_tree_is_left_whole(
    make_app, tmp_path: Path
) -> None:
    def give_template_the_tree(*args: Any) -> None:
        context: dict[str, Any] = args[3]
        doctree: nodes.document = args[4]
        # A theme's template function that reads the page while rendering.
        context["section_count"] = lambda: sum(1 for _s in doctree.findall(nodes.section))

    released, early, late = _build(
        make_app, tmp_path, "reached", release=True, before=give_template_the_tree
    )
    assert late.children["v2/index"] == early.children["v2/index"]
    whole, _early, _late = _build(make_app, tmp_path, "plain", release=False)
    assert released == whole


class _Holder:
    def __init__(self, held: Any) -> None:
        self.held = held

    def method(self) -> Any:
        return self.held


_KEPT: list[Any] = []


def _from_globals() -> int:
    return len(_KEPT)


@pytest.mark.parametrize(
    "make_value",
    [
        pytest.param(lambda node: node, id="the node itself"),
        pytest.param(lambda node: lambda: node, id="closure"),
        pytest.param(lambda node: lambda keep=node: keep, id="default argument"),
        pytest.param(lambda node: _Holder(node).method, id="bound method"),
        pytest.param(lambda node: functools.partial(print, node), id="partial"),
        pytest.param(lambda node: {"nested": [(node,)]}, id="containers"),
        pytest.param(lambda node: (_KEPT.append(node), _from_globals)[1], id="module global"),
    ],
)
def test_the_context_search_finds_a_node_however_it_is_held(make_value: Any) -> None:
    node = nodes.paragraph("", "text")
    try:
        assert context_reaches_nodes([make_value(node)])
    finally:
        _KEPT.clear()


def test_the_context_search_passes_plain_values_and_sphinx_objects(
    make_app, tmp_path: Path
) -> None:
    app = make_app("html", srcdir=_copy_root(tmp_path / "objects"))
    app.build()
    # Sphinx's own objects reach every tree Sphinx holds, but no written page.
    values = ["text", 3, ["list", ("tuple",)], {"key": None}, app, app.builder, app.env]
    assert not context_reaches_nodes(values)
    assert not context_reaches_nodes([lambda: app.builder.get_target_uri("index")])
