"""False-positive shapes of the real trees that the fixtures cannot hold.

Each test builds a small tree shaped like a case found by hand in nova or
cinder (names and text are our own) and checks the exact findings, from
the command-line linter and, where the model is involved, from a build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lint_support import LINT_FIXTURES, Finding, build_findings, cli_findings
from sphinx.testing.util import SphinxTestApp

from os_api_ref_ext.directives import _base as directives_base
from os_api_ref_ext.directives import includes
from os_api_ref_ext.domain import get_domain
from os_api_ref_ext.lint.reader import scan_tree

CONF = "extensions = ['os_api_ref_ext']\nos_api_ref_lint = {'select': ['recommended']}\n"

PARAMETERS = """\
widget_id:
  description: The UUID of the widget.
  in: path
  required: true
  type: string
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def found(*paths: Path) -> list[tuple[str, str, int, str]]:
    """(code, file name, line, message) of the CLI's findings with the
    recommended rules, sorted."""
    return sorted(
        (f.code, os.path.basename(f.path), f.line, f.message)
        for f in cli_findings(paths, select=["recommended"])
    )


def test_s006_messages_name_the_stanza_checked() -> None:
    """The request stanza, or (os-api-ref's check) the first stanza after
    rest_method when it sits directly in the operation's section."""
    assert found(LINT_FIXTURES / "S006" / "bad") == [
        (
            "S006",
            "index.rst",
            25,
            "path parameter 'project_id' of GET /v1/{project_id}/widgets/{widget_id} "
            "is missing from the request stanza",
        ),
        (
            "S006",
            "index.rst",
            50,
            "path parameter 'part_id' of GET /v1/widgets/{widget_id}/parts/{part_id} "
            "is missing from the operation's first rest_parameters stanza",
        ),
    ]


def test_unloadable_parameters_file_is_the_only_finding(tmp_path: Path) -> None:
    """With parameters.yaml unparsable (F002), two actions on one endpoint
    are not duplicates (their bodies are unknown) and no path parameter is
    reported as missing or misplaced."""
    write(
        tmp_path,
        {
            "conf.py": CONF,
            "parameters.yaml": "widget_id:\n  in: [path\n",
            "index.rst": """\
Widgets
=======

Start widget
------------

.. rest_method:: POST /v1/{project_id}/widgets/{widget_id}/action

Request
~~~~~~~

.. rest_parameters:: parameters.yaml

   - widget_id: widget_id
   - start: start

Stop widget
-----------

.. rest_method:: POST /v1/{project_id}/widgets/{widget_id}/action

Request
~~~~~~~

.. rest_parameters:: parameters.yaml

   - widget_id: widget_id
   - stop: stop
""",
        },
    )
    assert [code for code, *_rest in found(tmp_path)] == ["F002"]


def _sample_tree(root: Path, sample_argument: str) -> Path:
    """A repository-like tree: doc/source includes a sample kept in
    samples/ at the top, as nova keeps doc/api_samples."""
    srcdir = root / "doc" / "source"
    write(
        root,
        {
            "doc/source/conf.py": CONF,
            "doc/source/parameters.yaml": PARAMETERS,
            "doc/source/index.rst": f"""\
Widgets
=======

Show widget
-----------

.. rest_method:: GET /v1/widgets/{{widget_id}}

Request
~~~~~~~

.. rest_parameters:: parameters.yaml

   - widget_id: widget_id

Response Example
~~~~~~~~~~~~~~~~

.. literalinclude:: {sample_argument}
   :language: javascript
""",
            "samples/widget-show-resp.json": "{}\n",
        },
    )
    return srcdir


def test_s010_sample_inside_the_repository(tmp_path: Path) -> None:
    srcdir = _sample_tree(tmp_path, "../../samples/widget-show-resp.json")
    (tmp_path / ".git").mkdir()
    assert found(srcdir) == []


def test_s010_no_repository_no_boundary(tmp_path: Path) -> None:
    srcdir = _sample_tree(tmp_path, "../../samples/widget-show-resp.json")
    assert not any((parent / ".git").exists() for parent in srcdir.parents)
    assert found(srcdir) == []


def test_s010_sample_outside_the_repository(tmp_path: Path) -> None:
    srcdir = _sample_tree(tmp_path, "../../samples/widget-show-resp.json")
    (tmp_path / "doc" / ".hg").mkdir()  # the repository is doc/ alone
    assert found(srcdir) == [
        ("S010", "index.rst", 19, "sample is outside the source tree and its repository")
    ]


def test_s010_missing_file_outside_the_source_tree(tmp_path: Path) -> None:
    srcdir = _sample_tree(tmp_path, "../../samples/widget-show-response.json")
    (tmp_path / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a worktree
    assert [(code, line, message) for code, _name, line, message in found(srcdir)] == [
        (
            "J001",
            19,
            "sample ../../samples/widget-show-response.json: file not found",
        ),
        ("S010", 19, "sample is outside the source tree and does not exist"),
    ]


@pytest.mark.parametrize("noted", [True, False])
def test_o003_file_included_twice_cites_both_include_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, noted: bool
) -> None:
    """index.rst includes parts.inc twice, and parts.inc includes the file
    holding the operation: the message names parts.inc and index.rst's two
    include lines.  The build and the CLI agree on it, whether the build
    noted each ``include`` as it ran (its own directive) or reads the input
    back (an inclusion it did not see open)."""
    scans: list[object] = []
    scanned = directives_base._scanned_include_chain
    monkeypatch.setattr(
        directives_base,
        "_scanned_include_chain",
        lambda directive: scans.append(directive) or scanned(directive),
    )
    if not noted:
        monkeypatch.setattr(includes, "note_include_site", lambda directive: None)
    srcdir = tmp_path / "source"
    write(
        srcdir,
        {
            "conf.py": CONF,
            "parameters.yaml": PARAMETERS,
            "index.rst": """\
Widgets
=======

.. include:: parts.inc

Spare parts
===========

.. include:: parts.inc
   :start-line: 0
""",
            "parts.inc": """\
Parts of a widget.

.. include:: list-parts.inc
""",
            "list-parts.inc": """\
List widget parts
-----------------

.. rest_method:: GET /v1/widgets/{widget_id}/parts

Request
~~~~~~~

.. rest_parameters:: parameters.yaml

   - widget_id: widget_id
""",
        },
    )
    listed = os.path.realpath(srcdir / "list-parts.inc")
    expected = {
        Finding(
            "O003",
            listed,
            4,
            "GET /v1/widgets/{widget_id}/parts is documented twice: parts.inc is included "
            "at index.rst:4 and at index.rst:9",
        )
    }
    assert cli_findings([srcdir]) == expected
    assert build_findings(srcdir, tmp_path / "build") == expected
    assert bool(scans) is not noted


def test_an_inclusion_docutils_leaves_open_is_not_in_the_chain(tmp_path: Path) -> None:
    """An included file ending in ``::`` inside ``only`` leaves its entry
    in docutils' include log open after the inclusion ends; the operation
    that follows is not in it, for the build as for the command line."""
    srcdir = tmp_path / "source"
    write(
        srcdir,
        {
            "conf.py": CONF,
            "index.rst": """\
Widgets
=======

.. only:: html

   .. include:: ending.inc

List widgets
------------

.. rest_method:: GET /v1/widgets
""",
            "ending.inc": "Text ending::\n",
        },
    )
    app = SphinxTestApp("dummy", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    try:
        app.build()
        built = get_domain(app.env).documents["index"]
    finally:
        app.cleanup()
    scanned = {doc.docname: doc for doc in scan_tree(str(srcdir))}["index"]
    assert [operation.includes for operation in built.operations] == [()]
    assert [operation.includes for operation in scanned.operations] == [()]


def test_f005_messages() -> None:
    assert found(LINT_FIXTURES / "F005" / "bad") == [
        ("F005", "parameters.yaml", 4, "entry 'widget_id' has no required"),
        (
            "F005",
            "parameters.yaml",
            13,
            "entry 'name': 'requried' is not a field; did you mean 'required'?",
        ),
        (
            "F005",
            "parameters.yaml",
            16,
            "entry 'widget': 'descripition' is not a field; did you mean 'description'?",
        ),
    ]
