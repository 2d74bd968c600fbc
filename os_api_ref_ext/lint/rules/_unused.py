"""Sphinx-free: which entries of a parameters file no stanza of the tree uses.

One list serves F011 (its findings) and ``--fix --unsafe-fixes`` (what it
deletes), so the two cannot disagree.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.sources import ParameterEntry, ParameterFile


def unused_entries(context: LintContext) -> dict[str, list[ParameterEntry]]:
    """The entries of each parameters file that no stanza of the tree uses,
    directly or through an alias: F011's findings and ``--fix``'s deletions."""
    unused: dict[str, list[ParameterEntry]] = {}
    for path, parameters in context.parameter_files.items():
        used = context.used_keys.get(path, frozenset())
        keys = used | _aliased_from(parameters, set(used))
        entries = [entry for entry in parameters.order if entry.key not in keys]
        if entries:
            unused[path] = entries
    return unused


def _aliased_from(parameters: ParameterFile, used: set[str]) -> set[str]:
    """Keys of the entries whose anchors the ``used`` entries reach through
    aliases, directly or through other such entries."""
    if not parameters.aliases:
        return set()
    spans = sorted((entry.line, entry.end_line, entry.key) for entry in parameters.order)
    starts = [span[0] for span in spans]

    def owner(line: int) -> str | None:
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and line <= spans[index][1]:
            return spans[index][2]
        return None

    needs: dict[str, set[str]] = defaultdict(set)
    for use in parameters.aliases:
        user, anchored = owner(use.line), owner(use.anchor_line)
        if user is not None and anchored is not None and user != anchored:
            needs[user].add(anchored)
    reached: set[str] = set()
    pending = [key for key in used if key in needs]
    while pending:
        for key in needs[pending.pop()]:
            if key not in reached and key not in used:
                reached.add(key)
                pending.append(key)
    return reached
