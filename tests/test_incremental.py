"""Incremental rebuilds: a page follows every file it reads.

The ``test-incremental`` root has three API pages:

* ``servers`` reads ``parameters.yaml``, ``status.yaml`` and a request sample;
* ``keypairs`` reads ``parameters.yaml`` and ``status.yaml``;
* ``flavors`` reads ``flavor-parameters.yaml`` and a response sample;

and an ``index`` that reads none of them.  Editing one of those files and
building again must re-read and rewrite exactly the pages that read it and
show the new text; the other pages are left alone.  After any change, what
the lint reports and what the extension collected equal a clean build's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx_versions import finding_message

from os_api_ref_ext.domain import get_domain

DOCS = ("index", "servers", "keypairs", "flavors")

MakeApp = Callable[..., SphinxTestApp]


@pytest.fixture
def srcdir(rootdir: Path, tmp_path: Path) -> Path:
    """A private copy of the root: these tests edit its files."""
    copy = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", copy)
    return copy


def build(make_app: MakeApp, srcdir: Path, builddir: Path, **kwargs: object) -> SphinxTestApp:
    """Build, recording the docnames Sphinx decided to read on ``app.read_docnames``."""
    app = make_app("html", srcdir=srcdir, builddir=builddir, **kwargs)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    app.build()
    app.read_docnames = sorted(read)  # type: ignore[attr-defined]
    # Unregister the nodes and directives, as the fixture would at the end
    # of the test, so the next application of the same test starts clean.
    app.cleanup()
    return app


def warnings(app: SphinxTestApp) -> list[str]:
    return strip_colors(app.warning.getvalue()).splitlines()


def page_stamps(outdir: Path) -> dict[str, int]:
    return {doc: (outdir / f"{doc}.html").stat().st_mtime_ns for doc in DOCS}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def page_text(outdir: Path, docname: str) -> str:
    soup = BeautifulSoup((outdir / f"{docname}.html").read_text(encoding="utf-8"), "lxml")
    return " ".join(soup.select_one("div.body, div[role=main], main").get_text(" ").split())


def test_pages_depend_on_every_file_they_read(make_app: MakeApp, srcdir: Path, tmp_path: Path):
    app = build(make_app, srcdir, tmp_path / "build")
    assert warnings(app) == []
    dependencies = {
        # Absolute paths; Sphinx 7.2 keeps them relative to the source directory.
        docname: sorted(Path(srcdir, path).relative_to(srcdir).as_posix() for path in paths)
        for docname, paths in app.env.dependencies.items()
        if paths
    }
    assert dependencies == {
        "servers": ["parameters.yaml", "samples/server-create-request.json", "status.yaml"],
        "keypairs": ["parameters.yaml", "status.yaml"],
        "flavors": ["flavor-parameters.yaml", "samples/flavor-show-response.json"],
    }


@pytest.mark.parametrize(
    ("filename", "old", "new", "pages", "shown_on"),
    [
        pytest.param(
            "parameters.yaml",
            "The server name.",
            "The display name of the server.",
            ["keypairs", "servers"],
            "servers",
            id="parameters-file",
        ),
        pytest.param(
            "flavor-parameters.yaml",
            "Memory in MiB.",
            "Memory in mebibytes.",
            ["flavors"],
            "flavors",
            id="second-parameters-file",
        ),
        pytest.param(
            "status.yaml",
            "Request accepted.",
            "The request is queued.",
            ["keypairs", "servers"],
            "keypairs",
            id="status-file",
        ),
        pytest.param(
            "samples/server-create-request.json",
            '"web-01"',
            '"db-02"',
            ["servers"],
            "servers",
            id="request-sample",
        ),
        pytest.param(
            "samples/flavor-show-response.json",
            "512",
            "2048",
            ["flavors"],
            "flavors",
            id="response-sample",
        ),
    ],
)
def test_editing_a_file_rebuilds_exactly_the_pages_that_read_it(
    make_app: MakeApp,
    srcdir: Path,
    tmp_path: Path,
    filename: str,
    old: str,
    new: str,
    pages: list[str],
    shown_on: str,
) -> None:
    builddir = tmp_path / "build"
    first = build(make_app, srcdir, builddir)
    assert first.read_docnames == sorted(DOCS)
    before = page_stamps(first.outdir)
    contents = {doc: (first.outdir / f"{doc}.html").read_bytes() for doc in DOCS}
    old_text = " ".join(old.strip('"').split())
    assert old_text in page_text(first.outdir, shown_on)

    edit(srcdir / filename, old, new)
    second = build(make_app, srcdir, builddir)

    assert second.read_docnames == pages
    after = page_stamps(second.outdir)
    # Sphinx itself also rewrites the toctree parent of every page it read
    # (its toctree shows their titles); nothing in it changes.
    assert sorted(doc for doc in DOCS if after[doc] != before[doc]) == sorted(["index", *pages])
    for doc in DOCS:
        if doc not in pages:
            assert (second.outdir / f"{doc}.html").read_bytes() == contents[doc]
    text = page_text(second.outdir, shown_on)
    assert new.strip('"') in text
    assert old_text not in text
    assert warnings(second) == []

    # Nothing changed since: nothing is read or written again.
    third = build(make_app, srcdir, builddir)
    assert third.read_docnames == []
    assert page_stamps(third.outdir) == after


def assert_same_as_clean_build(
    make_app: MakeApp, srcdir: Path, tmp_path: Path, incremental: SphinxTestApp
) -> list[str]:
    """The incremental build's lint and model equal a fresh build's; returns the lint."""
    clean = build(make_app, srcdir, tmp_path / "clean", freshenv=True)
    assert warnings(incremental) == warnings(clean)
    assert get_domain(incremental.env).documents == get_domain(clean.env).documents
    shutil.rmtree(tmp_path / "clean")
    return warnings(clean)


def test_lint_after_changed_and_removed_documents_equals_clean_build(
    make_app: MakeApp, srcdir: Path, tmp_path: Path
) -> None:
    builddir = tmp_path / "build"
    assert warnings(build(make_app, srcdir, builddir)) == []
    parameters = srcdir / "parameters.yaml"
    sample = srcdir / "samples" / "server-create-request.json"

    # A page stops using an entry, and its sample gains an undocumented key.
    edit(srcdir / "servers.rst", "   - name: server_name\n", "")
    edit(sample, '"server": {', '"extra": 1,\n    "server": {')
    app = build(make_app, srcdir, builddir)
    assert app.read_docnames == ["servers"]
    assert assert_same_as_clean_build(make_app, srcdir, tmp_path, app) == [
        finding_message(
            f"{parameters}:13: WARNING: entry 'server_name' is not used by any "
            "rest_parameters stanza",
            "F011",
        ),
        finding_message(
            f"{srcdir / 'servers.rst'}:33: WARNING: key 'extra' in request sample is not a "
            "documented body parameter",
            "J003",
        ),
    ]

    # A page is removed: the entries only it used are now unused.
    edit(srcdir / "index.rst", "   keypairs\n", "")
    (srcdir / "keypairs.rst").unlink()
    app = build(make_app, srcdir, builddir)
    assert app.read_docnames == ["index"]
    assert "keypairs" not in get_domain(app.env).documents
    assert assert_same_as_clean_build(make_app, srcdir, tmp_path, app) == [
        finding_message(
            f"{parameters}:1: WARNING: entry 'keypair_name' is not used by any "
            "rest_parameters stanza",
            "F011",
        ),
        finding_message(
            f"{parameters}:13: WARNING: entry 'server_name' is not used by any "
            "rest_parameters stanza",
            "F011",
        ),
        finding_message(
            f"{srcdir / 'servers.rst'}:33: WARNING: key 'extra' in request sample is not a "
            "documented body parameter",
            "J003",
        ),
    ]

    # Fixing the page clears its findings on the next incremental build.
    edit(
        srcdir / "servers.rst",
        "   - server: server\n",
        "   - server: server\n   - name: server_name\n",
    )
    edit(sample, '"extra": 1,\n    ', "")
    app = build(make_app, srcdir, builddir)
    assert app.read_docnames == ["servers"]
    assert assert_same_as_clean_build(make_app, srcdir, tmp_path, app) == [
        finding_message(
            f"{parameters}:1: WARNING: entry 'keypair_name' is not used by any "
            "rest_parameters stanza",
            "F011",
        ),
    ]
