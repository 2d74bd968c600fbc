"""Parallel and repeated builds write the same bytes as one fresh build.

The ``test-parallel`` root (written by its ``generate.py``) has an index and
22 API pages that share one parameters file and one status file.  Each page
uses a parameter entry of its own, so if the documents read by ``-j N``
workers were not merged back the lint would call those entries unused.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sphinx
from sphinx.cmd.build import build_main
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx.util.parallel import parallel_available
from sphinx_versions import finding_message

from os_api_ref_ext.domain import get_domain

MakeApp = Callable[..., SphinxTestApp]

PAGES = [f"widgets{index:02d}" for index in range(22)]


def expected_warnings(srcdir: Path) -> list[str]:
    """The one finding of the root: an entry that no page uses."""
    return [
        finding_message(
            f"{srcdir / 'parameters.yaml'}:13: WARNING: entry 'retired_flag' is not used by "
            "any rest_parameters stanza",
            "F011",
        )
    ]


@pytest.fixture
def srcdir(rootdir: Path, tmp_path: Path) -> Path:
    tree = tmp_path / "src"
    shutil.copytree(rootdir / "test-parallel", tree)
    return tree


def build(
    make_app: MakeApp, buildername: str, srcdir: Path, builddir: Path, parallel: int = 0
) -> tuple[SphinxTestApp, list[str]]:
    """Build; also return the docnames merged back from parallel readers."""
    app = make_app(buildername, srcdir=srcdir, builddir=builddir, parallel=parallel)
    merged: list[str] = []
    app.connect("env-merge-info", lambda _app, _env, docnames, _other: merged.extend(docnames))
    app.build()
    # Unregister what setup() registered, as the fixture does at the end of
    # a test, so the next application in the same test starts clean.
    app.cleanup()
    return app, sorted(merged)


def output_files(outdir: Path) -> dict[str, object]:
    """Each output file's bytes; Sphinx before 9 lists the places of each
    title in a parallel build's search index ("alltitles") in the order its
    workers finished (measured on 7.2.5; 9.0.4 lists them in document
    order), so there the search index is compared as the data it holds, with
    those places sorted."""
    files: dict[str, object] = {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }
    index = files.get("searchindex.js")
    if sphinx.version_info < (9, 0) and isinstance(index, bytes):
        prefix, suffix = b"Search.setIndex(", b")"
        assert index.startswith(prefix) and index.endswith(suffix)
        data = json.loads(index[len(prefix) : -len(suffix)])
        data["alltitles"] = {title: sorted(places) for title, places in data["alltitles"].items()}
        files["searchindex.js"] = data
    return files


def warnings(app: SphinxTestApp) -> list[str]:
    return strip_colors(app.warning.getvalue()).splitlines()


def test_root_has_enough_documents(srcdir: Path) -> None:
    assert sorted(path.stem for path in srcdir.glob("*.rst")) == sorted(["index", *PAGES])


@pytest.mark.skipif(not parallel_available, reason="parallel builds need fork (POSIX)")
@pytest.mark.parametrize("buildername", ["html", "text"])
def test_parallel_build_is_byte_identical_to_serial(
    make_app: MakeApp, srcdir: Path, tmp_path: Path, buildername: str
) -> None:
    serial, serial_merged = build(make_app, buildername, srcdir, tmp_path / "j1")
    parallel, parallel_merged = build(make_app, buildername, srcdir, tmp_path / "j4", parallel=4)

    # The documents really were read by worker processes and merged back.
    assert serial_merged == []
    assert parallel_merged == sorted(["index", *PAGES])

    serial_files = output_files(serial.outdir)
    assert len([name for name in serial_files if name.startswith("widgets")]) == len(PAGES)
    assert output_files(parallel.outdir) == serial_files
    # Every worker's documents were merged: only the really unused entry
    # is reported, once, and the collected model is the serial one.
    assert warnings(serial) == warnings(parallel) == expected_warnings(srcdir)
    assert get_domain(parallel.env).documents == get_domain(serial.env).documents
    assert sorted(get_domain(parallel.env).documents) == sorted(["index", *PAGES])


def sphinx_build_args(srcdir: Path, outdir: Path) -> list[str]:
    return [
        "-q",
        "-b",
        "html",
        "-d",
        str(outdir / "doctrees"),
        "-w",
        str(outdir / "warnings.txt"),
        str(srcdir),
        str(outdir / "html"),
    ]


def build_result(outdir: Path) -> tuple[dict[str, object], list[str]]:
    warnings = strip_colors((outdir / "warnings.txt").read_text(encoding="utf-8"))
    return output_files(outdir / "html"), warnings.splitlines()


def fresh_process_build(srcdir: Path, outdir: Path) -> tuple[dict[str, object], list[str]]:
    """Build in a new interpreter, where no earlier build left anything behind."""
    command = [sys.executable, "-m", "sphinx", *sphinx_build_args(srcdir, outdir)]
    subprocess.run(command, check=True, env={**os.environ, "PYTHONHASHSEED": "random"})
    return build_result(outdir)


def in_process_build(srcdir: Path, outdir: Path) -> tuple[dict[str, object], list[str]]:
    """``sphinx-build`` run in this interpreter, as sphinx-autobuild runs it."""
    assert build_main(sphinx_build_args(srcdir, outdir)) == 0
    return build_result(outdir)


def test_builds_in_one_process_match_a_fresh_process(srcdir: Path, tmp_path: Path) -> None:
    """Build, edit a parameter, build again: all in one process, as autobuild does."""
    first = in_process_build(srcdir, tmp_path / "live")
    assert first[1] == expected_warnings(srcdir)
    assert first == fresh_process_build(srcdir, tmp_path / "fresh-1")

    parameters = srcdir / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(
        text.replace("The widget name.", "The display name of the widget."), encoding="utf-8"
    )

    rebuilt = in_process_build(srcdir, tmp_path / "live")
    fresh = fresh_process_build(srcdir, tmp_path / "fresh-2")
    page = fresh[0]["widgets07.html"]
    assert isinstance(page, bytes) and b"The display name of the widget." in page
    assert rebuilt == fresh

    # A further build from scratch in this same process writes the same too.
    assert in_process_build(srcdir, tmp_path / "again") == fresh


def module_containers() -> dict[str, object]:
    """A copy of every dict, list and set held at module level by the extension."""
    found: dict[str, object] = {}
    for name, module in sorted(sys.modules.items()):
        if module is None or not name.startswith("os_api_ref_ext"):
            continue
        for attribute, value in vars(module).items():
            if isinstance(value, (dict, list, set)) and not attribute.startswith("__"):
                found[f"{name}.{attribute}"] = copy.copy(value)
    return found


def test_a_build_leaves_no_state_in_the_extension_modules(
    make_app: MakeApp, srcdir: Path, tmp_path: Path
) -> None:
    # The first build imports every module the extension uses.
    build(make_app, "html", srcdir, tmp_path / "first")
    before = module_containers()
    assert before  # the rule registry at least
    # A cache keyed on file paths would grow with a tree at another path.
    other = shutil.copytree(srcdir, tmp_path / "other-src")
    build(make_app, "html", other, tmp_path / "second")
    assert module_containers() == before
