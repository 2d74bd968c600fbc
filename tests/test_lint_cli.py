"""``os-api-ref-lint``: paths, output formats, rule selection, exit status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from lint_support import LINT_FIXTURES, cli_json, run_cli

from os_api_ref_ext.lint.cli import format_findings
from os_api_ref_ext.lint.registry import all_rules
from os_api_ref_ext.model import Problem

F011_BAD = LINT_FIXTURES / "F011" / "bad"
F011_GOOD = LINT_FIXTURES / "F011" / "good"
S009_BAD = LINT_FIXTURES / "S009" / "bad"  # conf.py selects S009, in the set "all" only
UNUSED = "entry 'colour' is not used by any rest_parameters stanza"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of a fixture with an unused entry (F011) and an undefined key (S001)."""
    srcdir = tmp_path / "src"
    shutil.copytree(F011_BAD, srcdir)
    index = srcdir / "index.rst"
    index.write_text(
        index.read_text().replace("   - name: name\n", "   - name: name\n   - size: size\n"),
        encoding="utf-8",
    )
    return srcdir


# -- exit status ---------------------------------------------------------------


def test_exit_status_clean_findings_and_usage(tree: Path) -> None:
    assert run_cli(str(F011_GOOD))[0] == 0
    assert run_cli(str(F011_BAD))[0] == 1
    assert run_cli(str(tree), "--select", "S001,F011")[0] == 1
    assert run_cli(str(tree), "--ignore", "S001,F011")[0] == 0


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ([], "no PATH given"),
        (["no/such/dir"], "no such file or directory: no/such/dir"),
        (["--select", "F011,Z999", "."], "unknown rule selector(s): Z999"),
        (["--ignore", "not-a-rule", "."], "unknown rule selector(s): not-a-rule"),
        (["--unsafe-fixes", "."], "--unsafe-fixes needs --fix"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], error: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(F011_BAD)
    assert run_cli(*args) == (2, "")
    assert error in capsys.readouterr().err


def test_argparse_errors_also_exit_2() -> None:
    with pytest.raises(SystemExit) as raised:
        run_cli("--format", "xml", ".")
    assert raised.value.code == 2


# -- output ----------------------------------------------------------------------


def test_text_output(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    status, output = run_cli(".")
    assert status == 1
    assert output.splitlines() == [
        "index.rst:36: S001 key 'size' is not defined in parameters.yaml",
        f"parameters.yaml:11: F011 {UNUSED}",
    ]


def test_json_output(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.parent)
    assert cli_json("src") == [
        {
            "code": "S001",
            "name": "undefined-key",
            "message": "key 'size' is not defined in parameters.yaml",
            "path": "src/index.rst",
            "line": 36,
        },
        {
            "code": "F011",
            "name": "unused-entry",
            "message": UNUSED,
            "path": "src/parameters.yaml",
            "line": 11,
        },
    ]


def test_github_output(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    _status, output = run_cli("--format", "github", "--select", "F011", ".")
    assert output == f"::warning file=parameters.yaml,line=11,title=F011::{UNUSED}\n"


def test_github_output_escapes_workflow_command_characters() -> None:
    problem = Problem("F002", "100% bad\nYAML", "/elsewhere/a,b:c.yaml", 3)
    assert format_findings([problem], "github") == (
        "::warning file=/elsewhere/a%2Cb%3Ac.yaml,line=3,title=F002::100%25 bad%0AYAML\n"
    )


def test_no_findings_in_json_is_an_empty_list() -> None:
    assert cli_json(str(F011_GOOD)) == []


def test_paths_outside_the_working_directory_stay_absolute(
    tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    paths = {row["path"] for row in cli_json(str(tree))}
    assert paths == {str(tree / "index.rst"), str(tree / "parameters.yaml")}


def test_summary_on_stderr(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(str(tree))
    assert capsys.readouterr().err == "Found 2 findings.\n"


# -- paths -----------------------------------------------------------------------


def test_a_file_reports_its_own_findings_from_the_whole_tree(tree: Path) -> None:
    """Unused entries need every stanza of the tree, even when one file is linted."""
    assert [row["code"] for row in cli_json(str(tree / "parameters.yaml"))] == ["F011"]
    assert [row["code"] for row in cli_json(str(tree / "index.rst"))] == ["S001"]


def test_a_directory_inside_the_tree_finds_conf_py_above(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(S009_BAD, srcdir)
    (srcdir / "api").mkdir()
    shutil.move(srcdir / "index.rst", srcdir / "api" / "index.rst")
    (srcdir / "index.rst").write_text(".. include:: api/index.rst\n", encoding="utf-8")
    # conf.py (one level up) selects S009, which is in the set "all" only.
    assert [row["code"] for row in cli_json(str(srcdir / "api"))] == ["S009"]


def test_without_conf_py_the_directory_is_the_source_tree(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(F011_BAD, srcdir)
    (srcdir / "conf.py").unlink()
    assert [row["code"] for row in cli_json(str(srcdir))] == ["F011"]


def test_several_paths_and_trees(tree: Path) -> None:
    rows = cli_json(str(tree / "parameters.yaml"), str(S009_BAD))
    # Trees come in the order of their absolute paths, which depends on
    # where the checkout and the temporary directory are.
    assert sorted((row["code"], Path(row["path"]).name) for row in rows) == [
        ("F011", "parameters.yaml"),
        ("S009", "index.rst"),
    ]


# -- selection -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        ([], ["S001", "F011"]),
        (["--select", "F011"], ["F011"]),
        (["--select", "F"], ["F011"]),
        (["--select", "unused-entry,undefined-key"], ["S001", "F011"]),
        (["--ignore", "S"], ["F011"]),
        (["--select", "ALL", "--ignore", "F011"], ["S001"]),
        (["--ignore", "ALL"], []),
    ],
)
def test_select_and_ignore(tree: Path, args: list[str], codes: list[str]) -> None:
    assert [row["code"] for row in cli_json(*args, str(tree))] == codes


def test_command_line_selection_replaces_conf_py() -> None:
    """conf.py selects S009 only; --select replaces that, --ignore adds to it."""
    assert [row["code"] for row in cli_json(str(S009_BAD))] == ["S009"]
    assert cli_json("--select", "F", str(S009_BAD)) == []
    assert cli_json("--ignore", "S009", str(S009_BAD)) == []


def test_unknown_selector_in_conf_py_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(F011_BAD, srcdir)
    with open(srcdir / "conf.py", "a", encoding="utf-8") as conf:
        conf.write("os_api_ref_lint = {'ignore': ['F011', 'Q9']}\n")
    assert run_cli(str(srcdir))[0] == 0
    assert "os_api_ref_lint: 'Q9' matches no rule" in capsys.readouterr().err


# -- rules -----------------------------------------------------------------------


def test_list_rules() -> None:
    status, output = run_cli("--list-rules")
    assert status == 0
    lines = output.splitlines()
    assert [line.split()[0] for line in lines] == [rule.code for rule in all_rules()]
    by_code = {line.split()[0]: line.split() for line in lines}
    assert by_code["F011"][1:3] == ["recommended", "unused-entry"]
    assert by_code["S009"][1:3] == ["all", "stanza-order"]
    assert by_code["S001"][1:3] == ["compat", "undefined-key"]
    assert " ".join(by_code["F011"][3:]) == "an entry that no stanza in the tree uses"


def test_list_rules_as_json() -> None:
    _status, output = run_cli("--list-rules", "--format", "json")
    rows = json.loads(output)
    assert {row["code"] for row in rows} == {rule.code for rule in all_rules()}
    assert {"code": "C004", "name": "unordered-codes", "set": "all"} in [
        {key: row[key] for key in ("code", "name", "set")} for row in rows
    ]


# -- entry points ----------------------------------------------------------------


def test_console_script_is_declared() -> None:
    (script,) = entry_points(group="console_scripts", name="os-api-ref-lint")
    assert script.value == "os_api_ref_ext.lint.cli:main"


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "os_api_ref_ext.lint", "--format", "json", str(F011_BAD)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert result.returncode == 1
    assert [row["code"] for row in json.loads(result.stdout)] == ["F011"]


def test_the_linter_does_not_import_sphinx() -> None:
    code = (
        "import sys; from os_api_ref_ext.lint import cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# -- statistics ------------------------------------------------------------------


def _many_undefined_keys(tree: Path, count: int) -> None:
    index = tree / "index.rst"
    extra = "".join(f"   - extra{n}: extra{n}\n" for n in range(count))
    index.write_text(
        index.read_text().replace("   - size: size\n", "   - size: size\n" + extra),
        encoding="utf-8",
    )


def test_statistics_count_each_rule_most_first(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _many_undefined_keys(tree, 10)
    status, output = run_cli("--statistics", str(tree))
    assert status == 1
    assert output == "11\tS001\tundefined-key\n 1\tF011\tunused-entry\n"
    assert capsys.readouterr().err == "Found 12 findings.\n"


def test_statistics_ties_are_ordered_by_code(tree: Path) -> None:
    assert run_cli("--statistics", str(tree)) == (
        1,
        "1\tF011\tunused-entry\n1\tS001\tundefined-key\n",
    )


def test_statistics_as_json(tree: Path) -> None:
    _many_undefined_keys(tree, 2)
    assert cli_json("--statistics", str(tree)) == [
        {"code": "S001", "name": "undefined-key", "count": 3},
        {"code": "F011", "name": "unused-entry", "count": 1},
    ]


def test_statistics_follow_the_selection(tree: Path) -> None:
    assert run_cli("--statistics", "--select", "compat", str(tree)) == (
        1,
        "1\tS001\tundefined-key\n",
    )


def test_statistics_of_a_clean_tree_are_empty() -> None:
    assert run_cli("--statistics", str(F011_GOOD)) == (0, "")
    assert cli_json("--statistics", str(F011_GOOD)) == []
