"""``os-api-ref-lint``: the lint rules from the command line, without a build.

::

    os-api-ref-lint [--format text|json|github] [--select CODES] [--ignore CODES]
                    [--max-file-size BYTES] [--fix [--unsafe-fixes]] PATH...
    os-api-ref-lint --list-rules

Each PATH is a Sphinx source directory (the one holding ``conf.py``) or a
directory or file inside one; the nearest ``conf.py`` upwards marks the
source directory, and without one the directory given is taken as it.  The
whole tree is read, and the findings under PATH are reported: the
warnings a build would give, so ``os_api_ref_lint`` and
``suppress_warnings`` in ``conf.py`` apply.  ``--select``/``--ignore`` take
comma-separated codes, code prefixes, rule names or ``ALL``, and replace
the ``select``/``ignore`` of ``os_api_ref_lint``.  ``--max-file-size``
replaces ``os_api_ref_max_file_size``: no larger file is read.

``--fix`` sorts each parameters file F010 finds out of order (comments
and entries moved byte for byte, see :mod:`os_api_ref_ext.lint.fix`);
``--unsafe-fixes`` also deletes the entries F011 finds unused.  What was
done goes to standard error, then the tree is linted again.

Exit status: 0 without findings, 1 with findings, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from os_api_ref_ext.lint.fix import FixResult, fix_parameters_file
from os_api_ref_ext.lint.registry import Rule, all_rules, unknown_selectors
from os_api_ref_ext.lint.scanner import SourceTree, TreeLint, find_srcdir, lint_trees
from os_api_ref_ext.model import Problem
from os_api_ref_ext.sources import load_parameter_file

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
FORMATS = ("text", "json", "github")


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="os-api-ref-lint",
        description="Lint an API reference source tree (os-api-ref directives, "
        "parameters and status files, JSON samples) without building it.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a source directory (with conf.py), or a directory or file inside one",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated codes, prefixes, names or ALL to run (replaces conf.py's)",
    )
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        help="comma-separated codes, prefixes, names or ALL to skip (replaces conf.py's)",
    )
    parser.add_argument(
        "--max-file-size",
        type=_positive,
        metavar="BYTES",
        help="read no file larger than this (replaces conf.py's os_api_ref_max_file_size; "
        "default 16 MiB)",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="list every rule and whether it is on"
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="sort parameters files into canonical order (F010), keeping comments",
    )
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, also delete unused parameters entries (F011)",
    )
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {value!r}")
    return number


def _selectors(value: str | None) -> list[str] | None:
    if value is None:
        return None
    selectors = [part.strip() for part in value.split(",") if part.strip()]
    unknown = unknown_selectors(selectors)
    if unknown:
        raise _UsageError(f"unknown rule selector(s): {', '.join(unknown)}")
    return selectors


def display_path(path: str, cwd: str | None = None) -> str:
    """``path`` relative to the working directory when it lies under it."""
    if not path or path.startswith("<"):
        return path
    cwd = cwd or os.getcwd()
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive
        return absolute
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return absolute
    return relative


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_findings(findings: Sequence[Problem], output_format: str) -> str:
    """The findings in one of :data:`FORMATS`, ready to print."""
    names = {rule.code: rule.name for rule in all_rules()}
    if output_format == "json":
        rows = [
            {
                "code": p.code,
                "name": names.get(p.code, ""),
                "message": p.message,
                "path": display_path(p.path),
                "line": p.line,
            }
            for p in findings
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    lines = []
    for p in findings:
        path = display_path(p.path)
        if output_format == "github":
            lines.append(
                f"::warning file={_escape_property(path)},line={p.line},"
                f"title={_escape_property(p.code)}::{_escape_data(p.message)}"
            )
        else:
            lines.append(f"{path}:{p.line}: {p.code} {p.message}")
    return "".join(line + "\n" for line in lines)


def format_rules(rules: Sequence[Rule], output_format: str) -> str:
    """``--list-rules``: code, on/off by default, name and summary."""
    if output_format == "json":
        rows = [
            {"code": r.code, "name": r.name, "default": r.default, "summary": r.summary}
            for r in rules
        ]
        return json.dumps(rows, indent=2) + "\n"
    width = max(len(rule.name) for rule in rules)
    return "".join(
        f"{r.code}  {'on ' if r.default else 'off'}  {r.name:<{width}}  {r.summary}\n"
        for r in rules
    )


def _warn_about_config(paths: Sequence[str], err: TextIO) -> None:
    """conf.py selectors that match no rule (the build warns about them too)."""
    for srcdir in sorted({find_srcdir(path) for path in paths}):
        options = SourceTree.load(srcdir).lint_options
        for selector in unknown_selectors((options.select or []) + (options.ignore or [])):
            conf = display_path(os.path.join(srcdir, "conf.py"))
            err.write(f"{conf}: os_api_ref_lint: {selector!r} matches no rule\n")


def apply_fixes(trees: Sequence[TreeLint], unsafe: bool) -> list[FixResult]:
    """Fix the parameters files of linted trees.

    A file is sorted when F010 runs, and loses the entries F011 reports
    when ``unsafe`` (entries silenced by ``# noqa`` are kept).  Files that
    need nothing are left alone without a word.
    """
    results = []
    for result in trees:
        sort = result.runs("F010")
        unused_lines: dict[str, set[int]] = {}
        if unsafe:
            for problem in result.findings:
                if problem.code == "F011":
                    unused_lines.setdefault(problem.path, set()).add(problem.line)
        for path in sorted(set(result.parameter_files) | set(unused_lines)):
            remove: set[str] = set()
            if path in unused_lines:
                loaded = load_parameter_file(path)
                remove = {e.key for e in loaded.order if e.line in unused_lines[path]}
            if not sort and not remove:
                continue
            fixed = fix_parameters_file(path, sort=sort, remove=remove)
            if fixed.changed or fixed.refused:
                results.append(fixed)
    return results


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = sys.stderr
    parser = _parser()
    args = parser.parse_args(argv)
    if args.list_rules:
        out.write(format_rules(all_rules(), args.format))
        return EXIT_CLEAN
    try:
        if not args.paths:
            raise _UsageError("no PATH given")
        missing = [path for path in args.paths if not os.path.exists(path)]
        if missing:
            raise _UsageError(f"no such file or directory: {', '.join(missing)}")
        if args.unsafe_fixes and not args.fix:
            raise _UsageError("--unsafe-fixes needs --fix")
        select, ignore = _selectors(args.select), _selectors(args.ignore)
    except _UsageError as error:
        parser.print_usage(err)
        err.write(f"{parser.prog}: error: {error}\n")
        return EXIT_USAGE

    _warn_about_config(args.paths, err)
    trees = lint_trees(args.paths, select=select, ignore=ignore, max_bytes=args.max_file_size)
    if args.fix:
        fixed = apply_fixes(trees, args.unsafe_fixes)
        for result in fixed:
            err.write(result.describe(display_path(result.path)) + "\n")
        if any(result.changed for result in fixed):
            trees = lint_trees(
                args.paths, select=select, ignore=ignore, max_bytes=args.max_file_size
            )
    findings = [problem for result in trees for problem in result.findings]
    out.write(format_findings(findings, args.format))
    if args.format == "text" and findings:
        err.write(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''}.\n")
    return EXIT_FINDINGS if findings else EXIT_CLEAN
