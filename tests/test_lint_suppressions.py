"""Bulk suppressions: ``--suppress-all``, ``--prune-suppressions``, and
the suppressions file honoured by the command line and the build alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from catalogue import build
from lint_support import LINT_FIXTURES, run_cli, warnings_of
from sphinx_versions import finding_message, shown

from os_api_ref_ext.lint import suppressions
from os_api_ref_ext.model import Problem

FILE = "os-api-ref-lint-suppressions.json"
UNUSED_COLOUR = "entry 'colour' is not used by any rest_parameters stanza"
UNUSED_SHADE = "entry 'shade' is not used by any rest_parameters stanza"
SHADE = "shade:\n  description: The shade.\n  in: body\n  required: false\n  type: string\n"


def _add_entry(srcdir: Path, text: str = SHADE) -> None:
    """Add a parameters entry where it sorts: between 'name' and 'widget'."""
    _edit(srcdir / "parameters.yaml", "widget:\n", text + "widget:\n")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The F011 fixture (entry 'colour' unused) plus an undefined key (S001),
    with the two in the recommended set selected for the build too."""
    srcdir = tmp_path / "src"
    shutil.copytree(LINT_FIXTURES / "F011" / "bad", srcdir)
    index = srcdir / "index.rst"
    index.write_text(
        index.read_text().replace("   - name: name\n", "   - name: name\n   - size: size\n"),
        encoding="utf-8",
    )
    with open(srcdir / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('os_api_ref_lint = {"select": ["recommended"]}\n')
    return srcdir


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lint(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[tuple[str, str, int, str]], str]:
    """Exit status, (code, path, line, message) of each finding, and stderr."""
    capsys.readouterr()
    status, output = run_cli("--format", "json", *args)
    rows = json.loads(output)
    found = [(row["code"], row["path"], row["line"], row["message"]) for row in rows]
    return status, found, capsys.readouterr().err


RECORDED = (
    '{\n  "index.rst": {\n    "S001": 1\n  },\n  "parameters.yaml": {\n    "F011": 1\n  }\n}\n'
)


# -- recording -------------------------------------------------------------------


def test_suppress_all_records_counts_per_file_and_rule(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree.parent)
    status, found, err = _lint(capsys, "--suppress-all", "src")
    assert (status, found) == (0, [])
    assert err == "src/os-api-ref-lint-suppressions.json: 2 findings suppressed.\n"
    assert (tree / FILE).read_text(encoding="utf-8") == RECORDED
    # Later runs report nothing, and say how much they silenced.
    status, found, err = _lint(capsys, "src")
    assert (status, found) == (0, [])
    assert err == "2 findings suppressed by src/os-api-ref-lint-suppressions.json.\n"


def test_the_file_is_the_same_bytes_from_anywhere(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths are relative to the source directory, so neither the working
    directory nor the path given changes the file."""
    monkeypatch.chdir(tree)
    _lint(capsys, "--suppress-all", ".")
    first = (tree / FILE).read_bytes()
    (tree / FILE).unlink()
    monkeypatch.chdir("/")
    _lint(capsys, "--suppress-all", str(tree / "index.rst"), str(tree))
    assert (tree / FILE).read_bytes() == first == RECORDED.encode()


def test_subdirectories_use_slashes_and_sort(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(LINT_FIXTURES / "F011" / "bad", srcdir / "v2")
    shutil.move(srcdir / "v2" / "conf.py", srcdir / "conf.py")
    (srcdir / "index.rst").write_text(".. toctree::\n\n   v2/index\n", encoding="utf-8")
    _edit(srcdir / "v2" / "index.rst", "   - name: name\n", "   - name: name\n   - size: size\n")
    _lint(capsys, "--suppress-all", str(srcdir))
    assert json.loads((srcdir / FILE).read_text(encoding="utf-8")) == {
        "v2/index.rst": {"S001": 1},
        "v2/parameters.yaml": {"F011": 1},
    }


def test_suppress_all_keeps_what_it_did_not_lint(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Recording one rule leaves the other rules' entries alone."""
    (tree / FILE).write_text('{"index.rst": {"S001": 4}, "gone.rst": {"O001": 2}}', "utf-8")
    _lint(capsys, "--select", "F011", "--suppress-all", str(tree))
    assert json.loads((tree / FILE).read_text(encoding="utf-8")) == {
        "gone.rst": {"O001": 2},
        "index.rst": {"S001": 4},
        "parameters.yaml": {"F011": 1},
    }


# -- what later runs report ---------------------------------------------------------


def test_no_suppressions_shows_everything(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _lint(capsys, "--suppress-all", str(tree))
    status, found, err = _lint(capsys, "--no-suppressions", "--select", "F011", str(tree))
    assert (status, [row[0] for row in found], err) == (1, ["F011"], "")
    assert (tree / FILE).read_text(encoding="utf-8") == RECORDED


def test_edits_that_shift_lines_report_nothing_new(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _lint(capsys, "--suppress-all", str(tree))
    _edit(tree / "parameters.yaml", "# variables in path\n", "# variables in path\n#\n#\n#\n")
    _edit(tree / "index.rst", "Shows a widget.\n", "Shows a widget.\n\nIn detail.\n\nMore.\n")
    status, found, _err = _lint(capsys, str(tree))
    assert (status, found) == (0, [])


def test_a_new_finding_of_a_suppressed_rule_reports_the_file_s_findings(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    _lint(capsys, "--suppress-all", ".")
    _add_entry(tree)
    note = "(suppressed count exceeded: 2 F011 findings in this file, 1 suppressed)"
    status, found, err = _lint(capsys, ".")
    assert status == 1
    assert found == [
        ("F011", "parameters.yaml", 11, f"{UNUSED_COLOUR} {note}"),
        ("F011", "parameters.yaml", 21, f"{UNUSED_SHADE} {note}"),
    ]
    assert err == (
        "1 finding suppressed by os-api-ref-lint-suppressions.json.\n"
        "parameters.yaml: 2 F011 findings, more than the 1 suppressed: all reported.\n"
    )


def test_a_new_rule_in_a_suppressed_file_is_reported(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    _lint(capsys, "--suppress-all", ".")
    _add_entry(tree, "name:\n  description: Again.\n  in: body\n  required: true\n  type: string\n")
    status, found, _err = _lint(capsys, ".")
    assert status == 1
    assert [(code, path) for code, path, _line, _message in found] == [("F004", "parameters.yaml")]
    assert "exceeded" not in found[0][3]


def test_text_output_and_summary(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    _lint(capsys, "--suppress-all", ".")
    _add_entry(tree)
    status, output = run_cli(".")
    assert status == 1
    note = "(suppressed count exceeded: 2 F011 findings in this file, 1 suppressed)"
    assert output == (
        f"parameters.yaml:11: F011 {UNUSED_COLOUR} {note}\n"
        f"parameters.yaml:21: F011 {UNUSED_SHADE} {note}\n"
    )
    assert capsys.readouterr().err == (
        "Found 2 findings.\n"
        "1 finding suppressed by os-api-ref-lint-suppressions.json.\n"
        "parameters.yaml: 2 F011 findings, more than the 1 suppressed: all reported.\n"
    )


# -- pruning ---------------------------------------------------------------------


def test_a_fix_is_noticed_and_pruned(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_entry(tree)
    _lint(capsys, "--suppress-all", str(tree))
    assert json.loads((tree / FILE).read_text())["parameters.yaml"] == {"F011": 2}
    # Fix one unused entry: the count is lowered.
    _edit(tree / "parameters.yaml", SHADE, "")
    status, found, err = _lint(capsys, str(tree))
    assert (status, found) == (0, [])
    assert "1 suppressed finding no longer occurs: run with --prune-suppressions.\n" in err
    status, found, err = _lint(capsys, "--prune-suppressions", str(tree))
    assert (status, found) == (0, [])
    assert err.startswith(f"{tree / FILE}: 1 fixed finding pruned.\n")
    assert json.loads((tree / FILE).read_text())["parameters.yaml"] == {"F011": 1}
    # Fix the last one: the entry is dropped.
    _edit(tree / "index.rst", "   - name: name\n", "   - name: name\n   - colour: colour\n")
    _lint(capsys, "--prune-suppressions", str(tree))
    assert (tree / FILE).read_text(
        encoding="utf-8"
    ) == '{\n  "index.rst": {\n    "S001": 1\n  }\n}\n'


def test_prune_keeps_what_it_did_not_lint(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / FILE).write_text('{"index.rst": {"S001": 3}, "parameters.yaml": {"F011": 5}}', "utf-8")
    _lint(capsys, "--select", "F011", "--prune-suppressions", str(tree / "parameters.yaml"))
    assert json.loads((tree / FILE).read_text()) == {
        "index.rst": {"S001": 3},
        "parameters.yaml": {"F011": 1},
    }


# -- configuration and errors ---------------------------------------------------


def test_conf_py_and_the_option_name_other_files(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with open(tree / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(
            'os_api_ref_lint = {"select": ["recommended"], "suppressions": "lint/known.json"}\n'
        )
    (tree / "lint").mkdir()
    _lint(capsys, "--suppress-all", str(tree))
    assert (tree / "lint" / "known.json").read_text(encoding="utf-8") == RECORDED
    assert not (tree / FILE).exists()
    assert _lint(capsys, str(tree))[:2] == (0, [])
    # --suppressions replaces conf.py's.
    monkeypatch.chdir(tree)
    status, found, _err = _lint(capsys, "--suppressions", "other.json", "--suppress-all", ".")
    assert (status, found) == (0, [])
    assert (tree / "other.json").read_text(encoding="utf-8") == RECORDED


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (None, "not found"),  # named, so it must exist
        (
            "{",
            "is not valid JSON: Expecting property name enclosed in double quotes at line 1, "
            "column 2",
        ),
        ("[]", "must hold a JSON object of file paths"),
        ('{"a.rst": 3}', "the entry of 'a.rst' must be an object of rule codes"),
        ('{"a.rst": {"S001": 0}}', "the count of 'S001' in 'a.rst' must be a positive integer"),
        ('{"a.rst": {"S001": "2"}}', "the count of 'S001' in 'a.rst' must be a positive integer"),
        ('{"a.rst": {"S001": true}}', "the count of 'S001' in 'a.rst' must be a positive integer"),
    ],
)
def test_a_missing_or_malformed_file_is_a_usage_error(
    text: str | None,
    error: str,
    tree: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tree)
    if text is not None:
        (tree / "known.json").write_text(text, encoding="utf-8")
    assert run_cli("--suppressions", "known.json", ".") == (2, "")
    assert capsys.readouterr().err.endswith(
        f"os-api-ref-lint: error: suppressions file known.json {error}\n"
    )
    if text is not None:  # the default file is read the same way
        shutil.move(tree / "known.json", tree / FILE)
        assert run_cli(".") == (2, "")
        assert f"suppressions file {FILE} {error}\n" in capsys.readouterr().err


def test_a_malformed_file_is_not_overwritten(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / FILE).write_text("{", encoding="utf-8")
    assert run_cli("--suppress-all", str(tree))[0] == 2
    assert (tree / FILE).read_text(encoding="utf-8") == "{"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--suppress-all", "--prune-suppressions"], "exclude each other"),
        (["--no-suppressions", "--suppress-all"], "exclude each other"),
        (["--prune-suppressions", "--no-suppressions"], "exclude each other"),
        (
            ["--suppressions", "x.json", str(LINT_FIXTURES / "F011" / "bad")],
            "--suppressions names one file, but the paths lie in several trees",
        ),
        (["--suppressions", "missing.json"], "suppressions file missing.json not found"),
    ],
)
def test_other_usage_errors(
    args: list[str],
    error: str,
    tree: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tree)
    assert run_cli(*args, ".") == (2, "")
    assert error in capsys.readouterr().err


def test_a_bad_setting_in_conf_py_is_a_usage_error(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open(tree / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('os_api_ref_lint = {"suppressions": 3}\n')
    assert run_cli(str(tree)) == (2, "")
    assert "os_api_ref_lint: 'suppressions' must be the path of a file, not 3" in (
        capsys.readouterr().err
    )


# -- the build ---------------------------------------------------------------------


def test_the_build_honours_the_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = build(tree, buildername="dummy")
    assert {w.code for w in before.warnings} == {"S001", "F011"}
    _lint(capsys, "--suppress-all", str(tree))
    # Everything suppressed: even -W passes.
    strict = build(tree, warningiserror=True, buildername="dummy")
    assert (strict.statuscode, strict.warnings) == (0, [])
    assert "os-api-ref-ext: 2 findings suppressed by os-api-ref-lint-suppressions.json" in (
        strict.status
    )


def test_the_build_reports_what_the_cli_reports_past_the_count(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    _lint(capsys, "--suppress-all", ".")
    _add_entry(tree)
    result = build(tree, buildername="dummy")
    _status, found, _err = _lint(capsys, ".")
    assert [(w.code, w.path, w.line, w.message) for w in result.warnings] == [
        (code, path, line, finding_message(message, code)) for code, path, line, message in found
    ]
    assert len(found) == 2
    strict = build(tree, warningiserror=True, buildername="dummy")
    assert strict.statuscode == 1


@pytest.mark.parametrize(
    ("setting", "text", "warning"),
    [
        (
            '{"select": ["recommended"], "suppressions": "known.json"}',
            None,
            "os_api_ref_lint: suppressions file 'known.json' not found; nothing suppressed",
        ),
        (
            '{"select": ["recommended"]}',
            "{",
            f"os_api_ref_lint: suppressions file '{FILE}' is not valid JSON: Expecting "
            "property name enclosed in double quotes at line 1, column 2; nothing suppressed",
        ),
        (
            '{"select": ["recommended"], "suppressions": ""}',
            None,
            "os_api_ref_lint: 'suppressions' must be the path of a file, not ''; "
            "nothing suppressed",
        ),
    ],
)
def test_a_missing_or_malformed_file_is_a_warning_in_the_build(
    setting: str, text: str | None, warning: str, tree: Path
) -> None:
    with open(tree / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(f"os_api_ref_lint = {setting}\n")
    if text is not None:
        (tree / FILE).write_text(text, encoding="utf-8")
    result = build(tree, buildername="dummy")
    assert [w.message for w in result.foreign()] == [shown(warning, "os-api-ref.suppressions")]
    # Nothing is suppressed.
    assert {w.code for w in result.warnings if w.code} == {"S001", "F011"}


# -- the module ------------------------------------------------------------------


def test_apply_counts_per_file_and_rule(tmp_path: Path) -> None:
    src = str(tmp_path)
    findings = [
        Problem("F011", "unused a", f"{src}/p.yaml", 3),
        Problem("F011", "unused b", f"{src}/p.yaml", 9),
        Problem("F011", "unused c", f"{src}/q.yaml", 2),
        Problem("S001", "undefined", f"{src}/p.yaml", 1),
    ]
    counts = {"p.yaml": {"F011": 2, "S001": 3}, "q.yaml": {"F011": 1}, "r.yaml": {"J001": 1}}
    applied = suppressions.apply(findings, src, counts, lambda file, code: file != "r.yaml")
    assert (applied.findings, applied.suppressed, applied.exceeded) == ([], 4, [])
    assert applied.fixed == 2  # one S001 in p.yaml; r.yaml was not linted
    counts["p.yaml"]["F011"] = 1
    applied = suppressions.apply(findings, src, counts, lambda file, code: True)
    note = " (suppressed count exceeded: 2 F011 findings in this file, 1 suppressed)"
    assert applied.findings == [
        Problem("F011", "unused a" + note, f"{src}/p.yaml", 3),
        Problem("F011", "unused b" + note, f"{src}/p.yaml", 9),
    ]
    assert applied.exceeded == [suppressions.Exceeded("p.yaml", "F011", 2, 1)]
    assert applied.suppressed == 2


def test_incremental_builds_follow_the_file(
    tree: Path,
    make_app,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A build whose only change is the suppressions file checks again."""

    def codes(app) -> set[str]:  # type: ignore[no-untyped-def]
        return {finding.code for finding in warnings_of(app)}

    first = make_app("dummy", srcdir=tree, freshenv=True)
    first.build()
    assert codes(first) == {"S001", "F011"}
    _lint(capsys, "--suppress-all", str(tree))
    suppressed = make_app("dummy", srcdir=tree)
    suppressed.build()
    assert "0 added, 1 changed, 0 removed" in suppressed.status.getvalue()
    assert codes(suppressed) == set()
    (tree / FILE).unlink()
    restored = make_app("dummy", srcdir=tree)
    restored.build()
    assert "0 added, 1 changed, 0 removed" in restored.status.getvalue()
    assert codes(restored) == {"S001", "F011"}
    unchanged = make_app("dummy", srcdir=tree)
    unchanged.build()
    assert "0 added, 0 changed, 0 removed" in unchanged.status.getvalue()
