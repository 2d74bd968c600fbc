"""Whole-tree rules stay right after incremental builds and under ``-j N``.

``tests/roots/test-lint-tree`` has eight pages sharing one parameters file:
an entry no page uses (F011) and one operation documented on two pages
(O003).  Both findings need every page, so a rebuild that re-reads one
page, or a parallel read that splits the pages between processes, must
still report exactly what a fresh serial build and the CLI report.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from lint_support import ROOTS, cli_findings, relative, warnings_of
from sphinx.util.console import strip_colors

WHOLE_TREE = {("F011", "parameters.yaml", 21), ("O003", "gadgets7.rst", 7)}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-lint-tree", srcdir)
    return srcdir


def _touch(path: Path) -> None:
    later = time.time() + 10  # newer than the environment, whatever the clock's grain
    os.utime(path, (later, later))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _touch(path)


def test_fresh_build(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("dummy", srcdir=tree, freshenv=True)
    app.build()
    assert relative(warnings_of(app), tree) == WHOLE_TREE
    assert warnings_of(app) == cli_findings([tree])


def test_incremental_build_reading_one_page(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    first = make_app("dummy", srcdir=tree, freshenv=True)
    first.build()
    _touch(tree / "gadgets2.rst")
    again = make_app("dummy", srcdir=tree)
    again.build()
    assert "0 added, 1 changed, 0 removed" in again.status.getvalue()
    assert warnings_of(again) == warnings_of(first) == cli_findings([tree])


def test_incremental_build_after_an_edit(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """Using the unused entry on one page clears F011; O003 (two pages not
    re-read) is still reported."""
    make_app("dummy", srcdir=tree, freshenv=True).build()
    _edit(
        tree / "gadgets3.rst",
        "   - colour: colour\n",
        "   - colour: colour\n   - sort_key: sort_key\n",
    )
    again = make_app("dummy", srcdir=tree)
    again.build()
    assert "0 added, 1 changed, 0 removed" in again.status.getvalue()
    assert relative(warnings_of(again), tree) == {("O003", "gadgets7.rst", 7)}
    assert warnings_of(again) == cli_findings([tree])


def test_incremental_build_after_removing_a_page(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """Removing the page that used 'colour' makes that entry unused too."""
    make_app("dummy", srcdir=tree, freshenv=True).build()
    (tree / "gadgets3.rst").unlink()
    _edit(tree / "index.rst", "   gadgets3\n", "")
    again = make_app("dummy", srcdir=tree)
    again.build()
    assert relative(warnings_of(again), tree) == WHOLE_TREE | {("F011", "parameters.yaml", 11)}
    assert warnings_of(again) == cli_findings([tree])


def test_parallel_build(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("dummy", srcdir=tree, freshenv=True, parallel=2)
    assert app.parallel == 2 and app.is_parallel_allowed("read")
    app.build()
    # Pages are read in chunks by worker processes ("gadgets0 .. gadgets3").
    assert re.search(
        r"reading sources\.\.\. \S* *\[ *\d+%\] \S* *gadgets\d \.\. ",
        strip_colors(app.status.getvalue()),
    )
    assert relative(warnings_of(app), tree) == WHOLE_TREE
    assert warnings_of(app) == cli_findings([tree])


def test_parallel_incremental_build(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    make_app("dummy", srcdir=tree, freshenv=True, parallel=2).build()
    _edit(tree / "gadgets7.rst", "GET /v1/gadgets/{gadget_id}", "GET /v1/gadgets7/{gadget_id}")
    again = make_app("dummy", srcdir=tree, parallel=2)
    again.build()
    assert relative(warnings_of(again), tree) == {("F011", "parameters.yaml", 21)}
    assert warnings_of(again) == cli_findings([tree])
