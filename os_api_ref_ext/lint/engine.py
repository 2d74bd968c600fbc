"""Sphinx-free: run the lint rules over a collected model of a reference.

The same :func:`run_lint` serves the Sphinx build (over what the directives
recorded) and the command-line linter (over what its reader recorded), so
both report the same findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from os_api_ref_ext.lint.context import LintContext, LintOptions
from os_api_ref_ext.lint.registry import Rule, select_rules
from os_api_ref_ext.model import Document, Problem
from os_api_ref_ext.sources import SourceCache


def _silenced(problem: Problem, context: LintContext) -> bool:
    """Whether a ``# noqa`` comment on the finding's line silences it."""
    for files in (context.parameter_files, context.status_files):
        loaded = files.get(problem.path)
        if loaded is None:
            continue
        if problem.line not in loaded.noqa:
            return False
        codes = loaded.noqa[problem.line]
        return codes is None or problem.code in codes
    return False


def run_lint(
    documents: Iterable[Document],
    cache: SourceCache,
    srcdir: str,
    options: LintOptions | None = None,
    rules: Sequence[Rule] | None = None,
) -> list[Problem]:
    """All findings of the selected rules, sorted by file, line and code."""
    options = options or LintOptions()
    context = LintContext(
        documents=sorted(documents, key=lambda d: d.docname),
        cache=cache,
        srcdir=srcdir,
        options=options,
    )
    if rules is None:
        rules = select_rules(options.select, options.ignore)
    findings: set[Problem] = set()
    for rule_ in rules:
        for problem in rule_.check(context):
            if not _silenced(problem, context):
                findings.add(problem)
    return sorted(findings, key=lambda p: (p.path, p.line, p.code, p.message))
