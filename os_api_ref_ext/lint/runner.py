"""Sphinx-free: the command-line linter's run over source trees.

The counterpart of the build's lint hook (:mod:`os_api_ref_ext.build_lint`):
for each source tree holding the paths given, read every document
(:mod:`~os_api_ref_ext.lint.reader`), run the selected rules with the
options of its ``conf.py`` (or those given), and keep the findings the
build would warn about for those paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from os_api_ref_ext.lint.context import LintContext, LintOptions
from os_api_ref_ext.lint.engine import run_lint
from os_api_ref_ext.lint.project import SourceTree, find_srcdir
from os_api_ref_ext.lint.reader import scan_documents
from os_api_ref_ext.lint.registry import select_rules
from os_api_ref_ext.lint.rules._unused import unused_entries
from os_api_ref_ext.model import Problem
from os_api_ref_ext.sources import SourceCache


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


@dataclass
class TreeResult:
    """What linting one source tree found, for the paths given inside it."""

    tree: SourceTree
    options: LintOptions
    findings: list[Problem]
    parameter_files: list[str]  # parameters files the stanzas use, under the paths
    #: (line, key) of the entries no stanza uses, by parameters file (F011).
    unused: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def runs(self, code: str) -> bool:
        """Whether rule ``code`` is selected and its warnings not suppressed."""
        selected = select_rules(self.options.select, self.options.ignore)
        return any(rule.code == code for rule in selected) and not self.tree.suppresses(code)


def lint_trees(
    paths: Sequence[str],
    options: LintOptions | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    default_select: Sequence[str] | None = None,
    max_bytes: int | None = None,
) -> list[TreeResult]:
    """Lint the source trees holding ``paths``.

    Each path is a source directory, or a directory or file inside one; the
    whole tree is read (unused entries need every stanza), and findings are
    kept when they lie under one of the paths given, as the build would warn
    about them: ``suppress_warnings`` in ``conf.py`` applies.  ``options``
    replaces what each tree's ``conf.py`` says in ``os_api_ref_lint``;
    ``select`` and ``ignore``, when given, replace just those;
    ``default_select`` is the selection of a tree for which neither
    ``select`` nor ``conf.py`` selects anything (without it, the build's
    default rule set); ``max_bytes``
    replaces ``os_api_ref_max_file_size``.
    """
    by_tree: dict[str, list[str]] = {}
    for path in paths:
        by_tree.setdefault(os.path.realpath(find_srcdir(path)), []).append(os.path.realpath(path))
    results = []
    for srcdir, roots in sorted(by_tree.items()):
        tree = SourceTree.load(srcdir, max_bytes)
        tree_options = replace(options) if options is not None else tree.lint_options
        if select is not None:
            tree_options.select = list(select)
        if ignore is not None:
            tree_options.ignore = list(ignore)
        if not tree_options.select and default_select is not None:
            tree_options.select = list(default_select)
        documents = scan_documents(tree)
        cache = SourceCache(tree.max_bytes)
        problems = run_lint(documents, cache, tree.srcdir, tree_options)
        unused = unused_entries(LintContext(documents, cache, tree.srcdir, tree_options))
        files = {
            stanza.file
            for document in documents
            for stanza in document.parameter_stanzas
            if stanza.file and _under(stanza.file, roots)
        }
        results.append(
            TreeResult(
                tree=tree,
                options=tree_options,
                findings=[
                    problem
                    for problem in problems
                    if _under(os.path.realpath(problem.path), roots)
                    and not tree.suppresses(problem.code)
                ],
                parameter_files=sorted(files),
                unused={
                    path: [(entry.line, entry.key) for entry in entries]
                    for path, entries in unused.items()
                },
            )
        )
    return results


def lint_paths(
    paths: Sequence[str],
    options: LintOptions | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    max_bytes: int | None = None,
) -> list[Problem]:
    """The findings of :func:`lint_trees`, tree after tree."""
    trees = lint_trees(paths, options, select=select, ignore=ignore, max_bytes=max_bytes)
    return [problem for result in trees for problem in result.findings]
