"""Silencing findings: ``# noqa``, ``os_api_ref_lint`` and ``suppress_warnings``.

Each is checked in a Sphinx build and with the command-line linter, which
must agree.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lint_support import LINT_FIXTURES, cli_findings, warnings_of

from os_api_ref_ext import build_lint
from os_api_ref_ext.lint import project

UNUSED_LINE = "colour:\n"


#: What _tree's conf.py selects first: the set holding both S001 and F011.
RECOMMENDED = "os_api_ref_lint = {'select': ['recommended']}\n"


def _tree(
    tmp_path: Path,
    conf: str = "",
    yaml_edit: tuple[str, str] | None = None,
    base: str = RECOMMENDED,
) -> Path:
    """The F011 fixture (entry 'colour' unused, line 11) plus an undefined
    key (S001), with conf.py lines (``base``, then ``conf``, which may
    assign ``os_api_ref_lint`` again) and an edit to parameters.yaml."""
    srcdir = tmp_path / "src"
    shutil.copytree(LINT_FIXTURES / "F011" / "bad", srcdir)
    index = srcdir / "index.rst"
    index.write_text(
        index.read_text().replace("   - name: name\n", "   - name: name\n   - size: size\n")
    )
    with open(srcdir / "conf.py", "a", encoding="utf-8") as stream:
        stream.write(base + conf)
    if yaml_edit:
        parameters = srcdir / "parameters.yaml"
        old, new = yaml_edit
        text = parameters.read_text()
        assert old in text
        parameters.write_text(text.replace(old, new, 1))
    return srcdir


def _build_and_lint(srcdir: Path, make_app) -> set[str]:  # type: ignore[no-untyped-def]
    app = make_app("dummy", srcdir=srcdir, freshenv=True)
    app.build()
    warned = warnings_of(app)
    assert cli_findings([srcdir]) == warned
    return {finding.code for finding in warned}


def test_both_findings_in_the_recommended_set(tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    assert _build_and_lint(_tree(tmp_path), make_app) == {"F011", "S001"}


def test_without_configuration_the_build_runs_compat(tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """S001 is in ``compat``, F011 only in ``recommended``."""
    assert _build_and_lint(_tree(tmp_path, base=""), make_app) == {"S001"}


@pytest.mark.parametrize(
    ("setting", "codes"),
    [
        ("os_api_ref_lint = {'select': ['compat']}\n", {"S001"}),
        ("os_api_ref_lint = {'select': ['COMPAT', 'F011']}\n", {"F011", "S001"}),
        ("os_api_ref_lint = {'select': ['all'], 'ignore': ['compat']}\n", {"F011"}),
        ("os_api_ref_lint = {'select': ['ALL'], 'ignore': ['recommended']}\n", set()),
        ("os_api_ref_lint = {'ignore': ['compat']}\n", set()),
    ],
)
def test_rule_sets_as_selectors(
    setting: str,
    codes: set[str],
    tmp_path: Path,
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    assert _build_and_lint(_tree(tmp_path, conf=setting), make_app) == codes


@pytest.mark.parametrize(
    ("comment", "codes"),
    [
        ("colour:  # noqa: F011\n", {"S001"}),
        ("colour:  # noqa: F010, F011\n", {"S001"}),
        ("colour:  # NOQA\n", {"S001"}),
        ("colour:  # noqa: F010\n", {"F011", "S001"}),
    ],
)
def test_noqa_on_a_yaml_line(
    comment: str,
    codes: set[str],
    tmp_path: Path,
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    srcdir = _tree(tmp_path, yaml_edit=(UNUSED_LINE, comment))
    assert _build_and_lint(srcdir, make_app) == codes


def test_noqa_silences_only_its_own_line(tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    srcdir = _tree(
        tmp_path,
        yaml_edit=("  description: The colour of the widget.\n", "  description: x  # noqa\n"),
    )
    assert _build_and_lint(srcdir, make_app) == {"F011", "S001"}


@pytest.mark.parametrize(
    ("setting", "codes"),
    [
        ("os_api_ref_lint = {'ignore': ['F011']}\n", {"S001"}),
        ("os_api_ref_lint = {'ignore': ['unused-entry', 'S']}\n", set()),
        ("os_api_ref_lint = {'select': ['F']}\n", {"F011"}),
        ("os_api_ref_lint = {'select': ['ALL'], 'ignore': ['F011']}\n", {"S001"}),
        ("suppress_warnings = ['os-api-ref.F011']\n", {"S001"}),
        ("suppress_warnings = ['os-api-ref']\n", set()),
        ("suppress_warnings = ['os-api-ref.*', 'ref.ref']\n", set()),
        ("suppress_warnings = ['os-api-ref.config']\n", {"F011", "S001"}),
    ],
)
def test_conf_py_settings(
    setting: str,
    codes: set[str],
    tmp_path: Path,
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    assert _build_and_lint(_tree(tmp_path, conf=setting), make_app) == codes


def test_types_setting(tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """os_api_ref_lint['types'] replaces the list F007 accepts."""
    conf = "os_api_ref_lint = {'types': ['string', 'object'], 'select': ['F007']}\n"
    srcdir = _tree(
        tmp_path,
        conf=conf,
        yaml_edit=("  required: false\n  type: string", "  required: false\n  type: integer"),
    )
    assert _build_and_lint(srcdir, make_app) == {"F007"}


def test_warning_type_is_shared() -> None:
    assert project.WARNING_TYPE == build_lint.WARNING_TYPE
