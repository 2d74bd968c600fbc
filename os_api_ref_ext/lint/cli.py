"""Sphinx-free: ``os-api-ref-lint``: the lint rules from the command line, without a build.

::

    os-api-ref-lint [--format text|json|github] [--select CODES] [--ignore CODES]
                    [--statistics] [--max-file-size BYTES] [--fix [--unsafe-fixes]]
                    [--suppressions FILE]
                    [--suppress-all | --prune-suppressions | --no-suppressions]
                    PATH...
    os-api-ref-lint --list-rules

Each PATH is a Sphinx source directory (the one holding ``conf.py``) or a
directory or file inside one; the nearest ``conf.py`` upwards marks the
source directory, and without one the directory given is taken as it.  The
whole tree is read, and the findings under PATH are reported: the
warnings a build would give, so ``os_api_ref_lint`` and
``suppress_warnings`` in ``conf.py`` apply.  ``--select``/``--ignore`` take
comma-separated codes, code prefixes, rule names, rule sets (``compat``,
``recommended``, ``all``) or ``ALL``, and replace the ``select``/``ignore``
of ``os_api_ref_lint``.  When neither selects anything, the
``recommended`` set runs (the build runs ``compat``).

Locations are printed relative to the working directory when the file
lies under it, and absolute otherwise; messages name files relative to
the source directory.  ``--statistics`` prints a count per rule instead
of the findings.  ``--max-file-size``
replaces ``os_api_ref_max_file_size``: no larger file is read.

``--fix`` sorts each parameters file F010 finds out of order (comments
and entries moved byte for byte, see :mod:`os_api_ref_ext.lint.fix`);
``--unsafe-fixes`` also deletes the entries F011 finds unused.  What was
done goes to standard error, then the tree is linted again.

Bulk suppressions (:mod:`os_api_ref_ext.lint.suppressions`): each tree's
suppressions file (``os_api_ref_lint["suppressions"]``, by default
``os-api-ref-lint-suppressions.json`` beside ``conf.py``; ``--suppressions``
names another, for one tree) silences the findings it counts.
``--suppress-all`` records the findings of this run in it,
``--prune-suppressions`` lowers its counts to the findings left; both
leave alone the entries of files and rules this run did not lint.
``--no-suppressions`` shows every finding, suppressed or not.

Exit status: 0 without findings, 1 with findings, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TextIO

from os_api_ref_ext.lint import suppressions
from os_api_ref_ext.lint.fix import FixResult, fix_parameters_file
from os_api_ref_ext.lint.project import SourceTree, find_srcdir
from os_api_ref_ext.lint.registry import CLI_DEFAULT, Rule, all_rules, unknown_selectors
from os_api_ref_ext.lint.runner import TreeResult, lint_trees
from os_api_ref_ext.model import Problem

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
        help="comma-separated codes, prefixes, names, rule sets (compat, recommended, "
        f"all) or ALL to run (replaces conf.py's; default: {CLI_DEFAULT})",
    )
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        help="comma-separated codes, prefixes, names, rule sets or ALL to skip "
        "(replaces conf.py's)",
    )
    parser.add_argument(
        "--max-file-size",
        type=_positive,
        metavar="BYTES",
        help="read no file larger than this (replaces conf.py's os_api_ref_max_file_size; "
        "default 16 MiB)",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="list every rule and its rule set"
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of findings of each rule instead of the findings",
    )
    parser.add_argument(
        "--suppressions",
        metavar="FILE",
        help="the bulk suppressions file (default: conf.py's, or "
        f"{suppressions.DEFAULT_NAME} beside conf.py)",
    )
    parser.add_argument(
        "--no-suppressions",
        action="store_true",
        help="report every finding, as if there were no suppressions file",
    )
    parser.add_argument(
        "--suppress-all",
        action="store_true",
        help="record every finding of this run in the suppressions file",
    )
    parser.add_argument(
        "--prune-suppressions",
        action="store_true",
        help="lower the suppressions file's counts to the findings left",
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
    """``--list-rules``: code, rule set, name and summary."""
    if output_format == "json":
        rows = [
            {"code": r.code, "name": r.name, "set": r.tier, "summary": r.summary} for r in rules
        ]
        return json.dumps(rows, indent=2) + "\n"
    name_width = max(len(rule.name) for rule in rules)
    set_width = max(len(rule.tier) for rule in rules)
    return "".join(
        f"{r.code}  {r.tier:<{set_width}}  {r.name:<{name_width}}  {r.summary}\n" for r in rules
    )


def format_statistics(findings: Sequence[Problem], output_format: str) -> str:
    """``--statistics``: how many findings each rule has, most first (as ruff)."""
    names = {rule.code: rule.name for rule in all_rules()}
    counts = sorted(Counter(p.code for p in findings).items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        rows = [{"code": code, "name": names.get(code, ""), "count": n} for code, n in counts]
        return json.dumps(rows, indent=2) + "\n"
    if not counts:
        return ""
    width = len(str(counts[0][1]))
    return "".join(f"{n:>{width}}\t{code}\t{names.get(code, '')}\n" for code, n in counts)


def _warn_about_config(paths: Sequence[str], err: TextIO) -> None:
    """conf.py selectors that match no rule (the build warns about them too)."""
    for srcdir in sorted({find_srcdir(path) for path in paths}):
        options = SourceTree.load(srcdir).lint_options
        for selector in unknown_selectors((options.select or []) + (options.ignore or [])):
            conf = display_path(os.path.join(srcdir, "conf.py"))
            err.write(f"{conf}: os_api_ref_lint: {selector!r} matches no rule\n")


def apply_fixes(trees: Sequence[TreeResult], unsafe: bool) -> list[FixResult]:
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
                unused = result.unused.get(path, [])
                remove = {key for line, key in unused if line in unused_lines[path]}
            if not sort and not remove:
                continue
            fixed = fix_parameters_file(path, sort=sort, remove=remove)
            if fixed.changed or fixed.refused:
                results.append(fixed)
    return results


Action = Literal["apply", "record", "prune", "ignore"]
"""What a run does with the suppressions file."""


@dataclass
class _Suppressions:
    """One tree's suppressions file and its counts (empty when there is none)."""

    path: str
    counts: suppressions.Counts


def _load_suppressions(
    paths: Sequence[str], override: str | None, action: Action
) -> dict[str, _Suppressions]:
    """The suppressions of each tree the paths lie in, by real source directory.

    A file that is named (by ``--suppressions`` or conf.py) must exist,
    unless ``--suppress-all`` creates it; the default file may not.  With
    ``--no-suppressions`` no file is read.
    """
    srcdirs = sorted({os.path.realpath(find_srcdir(path)) for path in paths})
    if override is not None and len(srcdirs) > 1:
        raise _UsageError("--suppressions names one file, but the paths lie in several trees")
    loaded = {}
    for srcdir in srcdirs:
        if override is not None:
            path, named = os.path.abspath(override), True
        else:
            config = SourceTree.load(srcdir).conf.get("os_api_ref_lint")
            try:
                path, named = suppressions.configured_file(config, srcdir)
            except suppressions.SuppressionsError as error:
                conf = display_path(os.path.join(srcdir, "conf.py"))
                raise _UsageError(f"{conf}: os_api_ref_lint: {error}") from None
        counts: suppressions.Counts = {}
        exists = os.path.lexists(path)
        if action != "ignore" and (exists or (named and action != "record")):
            try:
                counts = suppressions.load(path)
            except suppressions.SuppressionsError as error:
                raise _UsageError(f"suppressions file {display_path(path)} {error}") from None
        loaded[srcdir] = _Suppressions(path, counts)
    return loaded


def _roots_of(result: TreeResult, paths: Sequence[str]) -> list[str]:
    srcdir = result.tree.srcdir
    return [
        os.path.realpath(path) for path in paths if os.path.realpath(find_srcdir(path)) == srcdir
    ]


def _scope(result: TreeResult, paths: Sequence[str]) -> suppressions.Scope:
    """The (file, code) pairs this run linted: a rule that ran, a file under a path."""
    roots = _roots_of(result, paths)
    srcdir = result.tree.srcdir

    def linted(file: str, code: str) -> bool:
        target = os.path.normpath(os.path.join(srcdir, file))
        under = any(
            target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots
        )
        return under and result.runs(code)

    return linted


@dataclass
class _Report:
    """What the run reports, after suppressions, and the notes about them."""

    findings: list[Problem]
    notes: list[str]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _suppress(
    trees: Sequence[TreeResult],
    paths: Sequence[str],
    files: dict[str, _Suppressions],
    action: Action,
) -> _Report:
    """Apply (and with ``action``, first record or prune) each tree's suppressions."""
    report = _Report([], [])
    for result in trees:
        srcdir = result.tree.srcdir
        loaded = files[srcdir]
        scope = _scope(result, paths)
        shown = display_path(loaded.path)
        if action == "record":
            loaded.counts = suppressions.record(result.findings, srcdir, loaded.counts, scope)
            suppressions.write(loaded.path, loaded.counts)
            report.notes.append(f"{shown}: {_plural(len(result.findings), 'finding')} suppressed")
        elif action == "prune":
            before = sum(n for rules in loaded.counts.values() for n in rules.values())
            loaded.counts = suppressions.prune(result.findings, srcdir, loaded.counts, scope)
            after = sum(n for rules in loaded.counts.values() for n in rules.values())
            if os.path.lexists(loaded.path):
                suppressions.write(loaded.path, loaded.counts)
            report.notes.append(f"{shown}: {_plural(before - after, 'fixed finding')} pruned")
        applied = suppressions.apply(result.findings, srcdir, loaded.counts, scope)
        report.findings += applied.findings
        if applied.suppressed and action == "apply":
            report.notes.append(f"{_plural(applied.suppressed, 'finding')} suppressed by {shown}")
        for exceeded in applied.exceeded:
            report.notes.append(
                f"{display_path(os.path.join(srcdir, exceeded.file))}: "
                f"{_plural(exceeded.found, exceeded.code + ' finding')}, more than the "
                f"{exceeded.allowed} suppressed: all reported"
            )
        if applied.fixed:
            report.notes.append(
                f"{_plural(applied.fixed, 'suppressed finding')} no longer "
                f"{'occurs' if applied.fixed == 1 else 'occur'}: "
                "run with --prune-suppressions"
            )
    return report


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
        chosen: list[Action] = [
            action
            for action, flag in (
                ("record", args.suppress_all),
                ("prune", args.prune_suppressions),
                ("ignore", args.no_suppressions),
            )
            if flag
        ]
        if len(chosen) > 1:
            raise _UsageError(
                "--suppress-all, --prune-suppressions and --no-suppressions exclude each other"
            )
        action: Action = chosen[0] if chosen else "apply"
        select, ignore = _selectors(args.select), _selectors(args.ignore)
        files = _load_suppressions(args.paths, args.suppressions, action)
    except _UsageError as error:
        parser.print_usage(err)
        err.write(f"{parser.prog}: error: {error}\n")
        return EXIT_USAGE

    _warn_about_config(args.paths, err)

    def lint() -> list[TreeResult]:
        return lint_trees(
            args.paths,
            select=select,
            ignore=ignore,
            default_select=[CLI_DEFAULT],
            max_bytes=args.max_file_size,
        )

    trees = lint()
    if args.fix:
        fixed = apply_fixes(trees, args.unsafe_fixes)
        for result in fixed:
            err.write(result.describe(display_path(result.path)) + "\n")
        if any(result.changed for result in fixed):
            trees = lint()  # what is left after the fixes
    report = _suppress(trees, args.paths, files, action)
    findings = report.findings
    if args.statistics:
        out.write(format_statistics(findings, "json" if args.format == "json" else "text"))
    else:
        out.write(format_findings(findings, args.format))
    if args.format == "text" and findings:
        err.write(f"Found {_plural(len(findings), 'finding')}.\n")
    for note in report.notes:
        err.write(note + ".\n")
    return EXIT_FINDINGS if findings else EXIT_CLEAN
