"""Messages name files relative to the source directory, never absolute.

The text of a finding is the same wherever the tree is checked out, in the
build and on the command line.  (Where a finding is located is another
matter: the build's location is Sphinx's, absolute like every Sphinx
warning's; the command line prints it relative to the working directory
when the file lies under it.)  The bad-input catalogue is checked the same
way in ``test_bad_input.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lint_support import LINT_FIXTURES, ROOTS, cli_findings, cli_json, warnings_of


def _copy(source: Path, tmp_path: Path) -> Path:
    srcdir = tmp_path / "checkout" / "src"
    shutil.copytree(source, srcdir)
    return srcdir


def _assert_no_absolute_path(messages: list[str], srcdir: Path) -> None:
    assert messages
    for message in messages:
        for root in {str(srcdir), os.path.realpath(srcdir), str(srcdir.parent)}:
            assert root not in message, message


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "O003",
            "GET /v1/widgets/{widget_id} is already documented at index.rst:7 "
            "for overlapping versions",
        ),
        ("J001", "sample widget-show-reponse.json: file not found"),
    ],
)
def test_messages_that_name_a_file(
    code: str,
    message: str,
    tmp_path: Path,
    make_app,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    srcdir = _copy(LINT_FIXTURES / code / "bad", tmp_path)
    app = make_app(
        "dummy",
        srcdir=srcdir,
        freshenv=True,
        confoverrides={"os_api_ref_lint": {"select": ["all"]}},
    )
    app.build()
    built = sorted(finding.message for finding in warnings_of(app))
    assert message in built
    assert sorted(finding.message for finding in cli_findings([srcdir], select=["all"])) == built
    _assert_no_absolute_path(built, srcdir)
    monkeypatch.chdir(tmp_path)
    rows = cli_json("--select", "all", str(srcdir))
    assert ("checkout/src/index.rst", message) in [(row["path"], row["message"]) for row in rows]
    assert {str(row["path"]).split("/")[:2] == ["checkout", "src"] for row in rows} == {True}


def test_a_tree_with_subdirectories(
    tmp_path: Path,
    make_app,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """test-lint-tree with its pages moved into v1/: the other place of a
    duplicate operation is named from the source directory."""
    srcdir = _copy(ROOTS / "test-lint-tree", tmp_path)
    (srcdir / "v1").mkdir()
    for page in srcdir.glob("gadgets*.rst"):
        text = page.read_text(encoding="utf-8").replace(
            ":: parameters.yaml", ":: ../parameters.yaml"
        )
        (srcdir / "v1" / page.name).write_text(text, encoding="utf-8")
        page.unlink()
    index = srcdir / "index.rst"
    index.write_text(index.read_text(encoding="utf-8").replace("   gadgets", "   v1/gadgets"))
    app = make_app("dummy", srcdir=srcdir, freshenv=True)
    app.build()
    built = sorted(finding.message for finding in warnings_of(app))
    assert built[0] == (
        "GET /v1/gadgets/{gadget_id} is already documented at v1/gadgets6.rst:7 "
        "for overlapping versions"
    )
    _assert_no_absolute_path(built, srcdir)
    monkeypatch.chdir("/")
    linted = sorted(str(row["message"]) for row in cli_json(str(srcdir)))
    assert linted == built
