"""When the root page is an API page, Sphinx is given its toctrees alone as
the root page's tree, and every page is written as with the whole tree.

The stand-in is given before the first page's template asks for the
sidebar (whatever the order pages are written in), holds every toctree of
the root page (hidden ones and those under ``only`` included), survives an
incremental build that does not read the root page again, and is dropped
when the build ends.  A root page without API tables, and a project that
says no, get Sphinx's own.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from docutils.utils import new_document
from realistic_tree import ROOT
from sphinx import addnodes
from sphinx.application import Sphinx

from os_api_ref_ext.root_toctrees import toctrees_document
from os_api_ref_ext.tables import api_table

API_ROOT = """\
===========
Compute API
===========

.. toctree::
   :caption: Guides

   about

.. toctree::
   :hidden:

   v2/index

.. only:: latex

   .. toctree::

      printed

List versions
=============

.. rest_method:: GET /

Lists the versions.

.. rest_parameters:: v2/parameters.yaml

   - limit: limit
"""


def _tree(dest: Path, api_root: bool = True) -> Path:
    shutil.copytree(ROOT, dest)
    if api_root:
        (dest / "index.rst").write_text(API_ROOT, encoding="utf-8")
        (dest / "about.rst").write_text("About\n=====\n\nRead this first.\n", encoding="utf-8")
        (dest / "printed.rst").write_text("Printed\n=======\n\nOn paper.\n", encoding="utf-8")
    return dest


class _RootTrees:
    """What Sphinx holds as the root page's tree when each page is written."""

    def __init__(self, app: Sphinx) -> None:
        self.seen: dict[str, nodes.document | None] = {}
        app.connect("html-page-context", self._note)

    def _note(self, app: Sphinx, pagename: str, *_rest: Any) -> None:
        self.seen[pagename] = vars(app.env).get("master_doctree")


def _pages(outdir: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
        if "_static" not in path.parts
    }


def _build(make_app, srcdir: Path, light: bool, **kwargs: Any) -> tuple[Sphinx, _RootTrees]:
    app = make_app(
        "html",
        srcdir=srcdir,
        confoverrides={"os_api_ref_light_root_doctree": light},
        **kwargs,
    )
    trees = _RootTrees(app)
    app.build()
    return app, trees


def _toctrees_only(tree: nodes.document | None) -> bool:
    return tree is not None and getattr(tree, "apiref_toctrees_only", False)


@pytest.mark.parametrize("parallel", [0, 2])
def test_pages_are_written_the_same_from_the_root_page_toctrees_alone(
    make_app, tmp_path: Path, parallel: int
) -> None:
    light, light_trees = _build(
        make_app, _tree(tmp_path / "light"), True, freshenv=True, parallel=parallel
    )
    whole, whole_trees = _build(
        make_app, _tree(tmp_path / "whole"), False, freshenv=True, parallel=parallel
    )
    light_pages = _pages(Path(light.outdir))
    assert light_pages == _pages(Path(whole.outdir))
    # The sidebar lists the root page's toctrees.
    assert b'href="../about.html"' in light_pages["v2/index.html"]
    # Sphinx was given the stand-in before the first page asked: "about"
    # is written before the root page.
    if not parallel:
        assert list(light_trees.seen)[0] == "about"
        assert all(_toctrees_only(tree) for tree in light_trees.seen.values())
        assert not any(_toctrees_only(tree) for tree in whole_trees.seen.values())
    assert "master_doctree" not in vars(light.env)


def test_the_stand_in_holds_every_toctree_of_the_root_page_and_nothing_else(
    make_app, tmp_path: Path
) -> None:
    app, trees = _build(make_app, _tree(tmp_path / "src"), True, freshenv=True)
    stand_in = trees.seen["index"]
    assert stand_in is not None
    whole = app.env.get_doctree("index")
    expected = [toctree.attributes for toctree in whole.findall(addnodes.toctree)]
    assert [child.attributes for child in stand_in.children] == expected
    assert len(expected) == 3  # the hidden one and the one under "only" included
    assert next(stand_in.findall(api_table), None) is None
    # Copies: what Sphinx does with them leaves the recorded ones as read.
    assert all(child.parent is stand_in for child in stand_in.children)


def test_an_incremental_build_uses_the_toctrees_recorded_with_the_environment(
    make_app, tmp_path: Path
) -> None:
    src = _tree(tmp_path / "src")
    _build(make_app, src, True, freshenv=True)
    about = src / "about.rst"
    about.write_text(about.read_text(encoding="utf-8") + "\nAnd then this.\n", encoding="utf-8")
    read: list[str] = []
    app = make_app("html", srcdir=src)
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    trees = _RootTrees(app)
    app.build()
    assert read == ["about"]  # the root page is not read again
    assert trees.seen and all(_toctrees_only(tree) for tree in trees.seen.values())
    fresh = tmp_path / "fresh"
    shutil.copytree(src, fresh, ignore=shutil.ignore_patterns("_build"))
    whole, _trees = _build(make_app, fresh, False, freshenv=True)
    again = _pages(Path(app.outdir))
    assert again == {
        name: page for name, page in _pages(Path(whole.outdir)).items() if name in again
    }


def test_a_root_page_without_api_tables_is_left_to_sphinx(make_app, tmp_path: Path) -> None:
    _app, trees = _build(make_app, _tree(tmp_path / "src", api_root=False), True, freshenv=True)
    assert trees.seen and not any(_toctrees_only(tree) for tree in trees.seen.values())


def test_the_copies_keep_what_sphinx_reads_of_a_toctree() -> None:
    """Attributes of their own, source and line, and the ``uid`` versioning
    gives (the sidebar takes it for the caption and deletes it)."""
    toctree = addnodes.toctree(entries=[(None, "about")], caption="Guides", rawcaption="Guides")
    toctree.source, toctree.line = "index.rst", 4
    toctree.uid = "abc"  # type: ignore[attr-defined]
    stand_in = toctrees_document([toctree], new_document("index.rst").settings)
    (copy,) = stand_in.children
    assert copy.attributes == toctree.attributes
    assert copy["entries"] is not toctree["entries"]
    assert (copy.source, copy.line, copy.uid) == ("index.rst", 4, "abc")  # type: ignore[attr-defined]
    del copy.uid  # type: ignore[attr-defined]
    assert toctree.uid == "abc"  # type: ignore[attr-defined]
