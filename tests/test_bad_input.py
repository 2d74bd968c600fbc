"""Malformed and hostile input: every case of the catalogue, built and linted.

For each case in ``tests/fixtures/bad/cases.yaml`` the build must:

* give exactly the expected warnings (code, file, line), and no other
  warning of any kind;
* still render every operation and table of the base page unchanged, plus
  the operations the case adds, and show exactly the case's notes in place
  of files that were not read;
* raise nothing (an exception fails the test with its traceback);
* finish with status 0, and with status 1 under ``-W``;
* put no script, event handler or script URL on the page beyond what the
  theme and our own assets put there;
* finish in bounded time: each build runs in a forked child that is killed
  after :data:`BUILD_SECONDS` (:data:`SPECIAL_SECONDS` for the cases with a
  symlink to a device, a FIFO or a socket), so a regression that blocks
  fails its test instead of hanging the suite.

The command-line linter must report the same findings.  A handful of cases
are also built with ``python -m sphinx`` on the default theme, to check the
real exit status and the real page.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from contextlib import redirect_stdout
from functools import partial
from pathlib import Path

import pytest
from catalogue import (
    Case,
    Expected,
    active_content,
    billion_laughs,
    build,
    load_cases,
    materialize,
    operation_count,
    operation_shapes,
    parse_warnings,
    read_html,
    refused_notes,
    relative_path,
    run_bounded,
)

from os_api_ref_ext.reads import BytesRead, read_bytes
from os_api_ref_ext.sources import load_parameter_file

CASES = load_cases()
CASE_IDS = [case.id for case in CASES]
BY_ID = {case.id: case for case in CASES}

#: The slowest case (about 10 MB of YAML) builds in a few seconds; ten
#: times that means something went quadratic.
BUILD_SECONDS = 60
#: A case with a device, a FIFO or a socket is refused before anything is
#: read: it builds in the time of the base tree (about a second).
SPECIAL_SECONDS = 15


def seconds_for(case: Case) -> float:
    return SPECIAL_SECONDS if case.special else BUILD_SECONDS


@pytest.fixture(scope="module")
def base_page(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The base tree's own page: its operations and its active content."""
    srcdir = materialize(None, tmp_path_factory.mktemp("base"))
    result = build(srcdir)
    assert result.warnings == [], result.raw_warnings
    soup = read_html(result.outdir / "index.html")
    return operation_shapes(soup), active_content(soup)


def test_catalogue_is_big_enough() -> None:
    kinds = {
        "reST": [c for c in CASES if any(p.endswith((".inc", ".rst")) for p in c.files)],
        "parameters YAML": [c for c in CASES if "case.yaml" in c.files],
        "status YAML": [c for c in CASES if "case-status.yaml" in c.files],
        "JSON samples": [c for c in CASES if "samples/case.json" in c.files],
    }
    assert len(CASES) >= 50
    for kind, cases in kinds.items():
        assert len(cases) >= 10, kind


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_builds_with_exact_warnings(case_id: str, tmp_path: Path, base_page) -> None:  # type: ignore[no-untyped-def]
    case = BY_ID[case_id]
    srcdir = materialize(case, tmp_path)
    base_shapes, base_active = base_page

    result = run_bounded(build, srcdir, seconds=seconds_for(case))

    assert result.statuscode == 0
    assert result.foreign() == [], result.raw_warnings
    assert result.findings() == set(case.expect), result.raw_warnings
    for warning in result.warnings:
        # One line each, short enough to read, whatever the input held.
        assert len(warning.message) < 400, warning.message
        # Files are named relative to the source directory.
        assert str(tmp_path) not in warning.message, warning.message
        assert os.path.realpath(tmp_path) not in warning.message, warning.message

    soup = read_html(result.outdir / "index.html")
    shapes = operation_shapes(soup)
    assert shapes[: len(base_shapes)] == base_shapes
    assert operation_count(soup) == len(base_shapes) + case.operations
    assert refused_notes(soup) == case.notes
    assert active_content(soup) <= base_active

    # Under -W the same warnings fail the build (no need to write pages).
    strict = run_bounded(
        partial(build, warningiserror=True, buildername="dummy"),
        srcdir,
        seconds=seconds_for(case),
    )
    assert strict.statuscode == 1
    assert strict.findings() == set(case.expect)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (billion_laughs(), 10),
        (str(BY_ID["yaml-merge-bomb"].files["case.yaml"]), 9),
    ],
    ids=["aliases", "merge-keys"],
)
def test_alias_bomb_refused_in_bounded_time_and_memory(
    text: str, line: int, tmp_path: Path
) -> None:
    """Fully expanded, each bomb is 9**10 strings or pairs; refusing it costs almost nothing."""
    path = tmp_path / "laughs.yaml"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    started = time.monotonic()
    try:
        loaded = load_parameter_file(str(path))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 10_000_000
    assert loaded.yaml_error is not None and loaded.yaml_error.line == line
    assert not loaded.entries


def test_special_files_refused_before_reading(tmp_path: Path) -> None:
    """A FIFO, a socket, a device or a directory is refused on its ``stat``:
    nothing waits on it and nothing of it is read."""
    (tmp_path / "pipe").mkdir()
    fifo = tmp_path / "pipe" / "fifo"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    kinds = {fifo: "a named pipe (FIFO)", zero: "a character device", tmp_path: "a directory"}
    for path, kind in kinds.items():
        expected = BytesRead(None, f"is {kind}, not a regular file", missing=True)
        assert run_bounded(read_bytes, str(path), seconds=SPECIAL_SECONDS) == expected
    tracemalloc.start()
    try:
        read_bytes(str(zero))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000


def test_size_limit_holds_while_reading() -> None:
    """Files in /proc claim a size of 0: only the bytes read can show that
    one is over the limit, as for a file that grows while it is read."""
    path = "/proc/self/status"
    if not os.path.isfile(path) or os.stat(path).st_size:
        pytest.skip("needs a file whose stat size is 0 but whose content is not")
    assert read_bytes(path, 100) == BytesRead(
        None, "is larger than the limit of 100 bytes (os_api_ref_max_file_size); not read"
    )
    whole = read_bytes(path)
    assert whole.data is not None and len(whole.data) > 100


def test_cli_max_file_size_replaces_conf(tmp_path: Path) -> None:
    """``--max-file-size`` replaces ``os_api_ref_max_file_size``; nonsense is
    a usage error."""
    srcdir = materialize(BY_ID["sample-over-limit"], tmp_path)
    cli = pytest.importorskip("os_api_ref_ext.lint.cli")
    out = io.StringIO()
    assert cli.main([str(srcdir), "--format", "json", "--max-file-size", "1048576"], out=out) == 0
    assert json.loads(out.getvalue()) == []
    for value in ("0", "-5", "big"):
        with pytest.raises(SystemExit) as stopped:
            cli.main([str(srcdir), "--max-file-size", value], out=io.StringIO())
        assert stopped.value.code == 2


# --------------------------------------------------------------------------
# The command-line linter


def lint_json(srcdir: Path) -> tuple[int, list[dict[str, object]]]:
    """``os-api-ref-lint SRCDIR --format json``, in-process."""
    cli = pytest.importorskip(
        "os_api_ref_ext.lint.cli", reason="the command-line linter has not landed yet"
    )
    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(srcdir)
        with redirect_stdout(out):
            status = cli.main([".", "--format", "json"])
    finally:
        os.chdir(cwd)
    return status, json.loads(out.getvalue())


def cli_findings(srcdir: Path, findings: list[dict[str, object]]) -> set[Expected]:
    found = set()
    for finding in findings:
        path = str(finding["path"])
        if not os.path.isabs(path):
            path = str(srcdir / path)
        found.add(Expected(str(finding["code"]), relative_path(path, srcdir), int(finding["line"])))
    return found


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_linter_reports_the_same(case_id: str, tmp_path: Path) -> None:
    case = BY_ID[case_id]
    if not case.cli:
        pytest.skip("the linter cannot make this finding (see cases.yaml)")
    srcdir = materialize(case, tmp_path)
    status, findings = run_bounded(lint_json, srcdir, seconds=seconds_for(case))
    assert status != 0
    assert {"code", "name", "message", "path", "line"} <= set(findings[0])
    assert set(case.expect) <= cli_findings(srcdir, findings)
    for finding in findings:
        assert str(tmp_path) not in str(finding["message"]), finding
        assert os.path.realpath(tmp_path) not in str(finding["message"]), finding


# --------------------------------------------------------------------------
# The real command line, on the default theme

#: One case per kind of file, and the hostile ones.
SUBPROCESS_CASES = [
    "method-unknown",
    "yaml-billion-laughs",
    "status-yaml-key-text",
    "json-array",
    "hostile-title",
    "hostile-description-raw",
    "parameters-file-dev-zero",
    "sample-fifo",
]


def _sphinx_build(srcdir: Path, outdir: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-E",
            *extra,
            str(srcdir),
            str(outdir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sphinx_build_exit_status_and_page(tmp_path: Path) -> None:
    """``sphinx-build`` exits 0 with the warning, 1 under -W; nothing injected."""
    base_src = materialize(None, tmp_path / "base")
    runs: dict[str, tuple[Case | None, Path, subprocess.Popen[str], subprocess.Popen[str]]] = {}
    runs["base"] = (
        None,
        base_src,
        _sphinx_build(base_src, tmp_path / "base" / "html"),
        _sphinx_build(base_src, tmp_path / "base" / "html-W", "-W", "--keep-going"),
    )
    for case_id in SUBPROCESS_CASES:
        srcdir = materialize(BY_ID[case_id], tmp_path / case_id)
        runs[case_id] = (
            BY_ID[case_id],
            srcdir,
            _sphinx_build(srcdir, tmp_path / case_id / "html"),
            _sphinx_build(srcdir, tmp_path / case_id / "html-W", "-W", "--keep-going"),
        )

    outcomes = {}
    for name, (case, srcdir, plain, strict) in runs.items():
        out, err = plain.communicate(timeout=BUILD_SECONDS)
        strict_out, strict_err = strict.communicate(timeout=BUILD_SECONDS)
        for text in (out, err, strict_out, strict_err):
            assert "Traceback" not in text and "Exception occurred" not in text, text
        warnings = parse_warnings(err, srcdir)
        expected = set(case.expect) if case else set()
        assert {Expected(w.code, w.path, w.line) for w in warnings if w.code} == expected, err
        assert plain.returncode == 0, err
        assert strict.returncode == (1 if case else 0), strict_err
        outcomes[name] = active_content(read_html(srcdir.parent / "html" / "index.html"))

    theme_content = outcomes.pop("base")
    assert any(item[0] == "script" for item in theme_content)  # the check sees scripts
    for name, content in outcomes.items():
        assert content <= theme_content, name


def _run_console_script(srcdir: Path, seconds: float) -> subprocess.CompletedProcess[str]:
    """``os-api-ref-lint SRCDIR --format json`` as installed (or as a module)."""
    script = Path(sys.executable).with_name("os-api-ref-lint")
    command = (
        [str(script)] if script.exists() else [sys.executable, "-m", "os_api_ref_ext.lint.cli"]
    )
    return subprocess.run(
        [*command, str(srcdir), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=seconds,
    )


def test_console_script(tmp_path: Path) -> None:
    """The installed ``os-api-ref-lint`` prints JSON and fails on findings."""
    case = BY_ID["yaml-required-yes"]
    srcdir = materialize(case, tmp_path)
    done = _run_console_script(srcdir, BUILD_SECONDS)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert set(case.expect) <= cli_findings(srcdir, json.loads(done.stdout))


@pytest.mark.parametrize("case_id", [case.id for case in CASES if case.special])
def test_console_script_on_special_files(case_id: str, tmp_path: Path) -> None:
    """The installed linter neither blocks on a FIFO or a socket nor reads a
    device without end: each case finishes in seconds, with its findings."""
    case = BY_ID[case_id]
    srcdir = materialize(case, tmp_path)
    done = _run_console_script(srcdir, SPECIAL_SECONDS)
    assert "Traceback" not in done.stderr
    ours = {expected for expected in case.expect if expected.code != "docutils"}
    assert done.returncode == (1 if ours else 0), done.stderr
    assert cli_findings(srcdir, json.loads(done.stdout)) == ours
