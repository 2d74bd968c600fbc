"""Helpers for the lint tests: findings from a Sphinx build and from the CLI.

A finding is compared as ``(code, path, line, message)`` with the path
absolute (symbolic links resolved), or as ``(code, relative path, line)``
against a fixture's ``expected.txt``.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from os_api_ref_ext.lint import cli
from os_api_ref_ext.lint.runner import lint_paths

TESTS = Path(__file__).parent
ROOTS = TESTS / "roots"
LINT_FIXTURES = TESTS / "fixtures" / "lint"
API_REF = TESTS.parent / "api-ref" / "source"

# "MESSAGE [os-api-ref.CODE]" (Sphinx's show_warning_types), or "MESSAGE [CODE]".
_WARNING = re.compile(
    r"^(?P<path>.*?):(?P<line>\d+): WARNING: (?P<message>.*) "
    r"\[(?:os-api-ref\.)?(?P<code>[A-Z]\d{3})\]$"
)


class Finding(NamedTuple):
    code: str
    path: str
    line: int
    message: str


def _real(path: str) -> str:
    return path if path.startswith("<") else os.path.realpath(path)


def warnings_of(app: SphinxTestApp) -> set[Finding]:
    """Our findings among a Sphinx application's warnings."""
    found = set()
    for text in strip_colors(app.warning.getvalue()).splitlines():
        match = _WARNING.match(text)
        if match:
            found.add(
                Finding(
                    match.group("code"),
                    _real(match.group("path")),
                    int(match.group("line")),
                    match.group("message"),
                )
            )
    return found


def build_findings(srcdir: Path, builddir: Path, **kwargs: object) -> set[Finding]:
    """A fresh ``dummy`` build of ``srcdir`` (the linter runs before writing)."""
    app = SphinxTestApp("dummy", srcdir=srcdir, builddir=builddir, freshenv=True, **kwargs)
    try:
        app.build()
        return warnings_of(app)
    finally:
        app.cleanup()


def cli_findings(paths: Iterable[Path | str], select: list[str] | None = None) -> set[Finding]:
    """What the command-line linter reports (in-process); ``select``
    replaces conf.py's, and without either the build's default set runs."""
    return {
        Finding(p.code, _real(p.path), p.line, p.message)
        for p in lint_paths([str(path) for path in paths], select=select)
    }


def run_cli(*args: str) -> tuple[int, str]:
    """Exit status and standard output of ``os-api-ref-lint ARGS``."""
    out = io.StringIO()
    status = cli.main(list(args), out=out)
    return status, out.getvalue()


def cli_json(*args: str) -> list[dict[str, object]]:
    _status, output = run_cli("--format", "json", *args)
    return json.loads(output)


def relative(findings: Iterable[Finding], srcdir: Path) -> set[tuple[str, str, int]]:
    """(code, path relative to ``srcdir``, line) of each finding."""
    root = os.path.realpath(srcdir)
    return {(f.code, os.path.relpath(f.path, root).replace(os.sep, "/"), f.line) for f in findings}


def expected(fixture: Path) -> set[tuple[str, str, int]]:
    """The ``relative/path:line: CODE`` lines of a fixture's ``expected.txt``."""
    found = set()
    for text in (fixture / "expected.txt").read_text(encoding="utf-8").splitlines():
        if text.strip():
            location, code = text.rsplit(" ", 1)
            path, line = location.rstrip(":").rsplit(":", 1)
            found.add((code, path, int(line)))
    return found
