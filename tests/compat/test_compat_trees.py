"""nova and cinder built with os-api-ref and with ours: the same tables,
and ours passes ``sphinx-build -W`` with its default configuration.

Runs in ``tox -e compat``; skipped where os-api-ref is not installed (the
``py3`` environment) and where ``../shared`` (the real trees) is absent.
"""

from __future__ import annotations

from collections import Counter

import pytest
from compat_builds import TREES, BuildResult
from compat_tables import AllowEntry, compare, report, site_tables
from compat_warnings import parse_messages

#: Our findings for a parameters or status file that could not be used.
FILE_PROBLEMS = {"F001", "F002", "F003"}

pytest.importorskip("os_api_ref", reason="os-api-ref is not installed (tox -e compat has it)")


def _tables(result: BuildResult) -> dict:
    assert result.spec.outdir.joinpath("index.html").exists(), (
        f"{result.spec.name}: the build wrote no index.html\n{result.stderr[-3000:]}"
    )
    return site_tables(result.spec.outdir, [(str(result.spec.srcdir), "<srcdir>")])


@pytest.mark.parametrize("tree", sorted(TREES))
def test_tables_match_os_api_ref(
    tree: str,
    corpus_builds: dict[str, BuildResult],
    allowlist: list[AllowEntry],
    compat_summary: list[str],
) -> None:
    """Every parameter and status row of every page reads the same."""
    theirs = _tables(corpus_builds[f"{tree}/theirs"])
    ours = _tables(corpus_builds[f"{tree}/ours"])
    comparison = compare(tree, theirs, ours, allowlist)
    compat_summary.append(comparison.summary(tree))
    assert comparison.counts["parameters"].compared > 0
    result = corpus_builds[f"{tree}/ours"]
    unread = [
        f"  {message}"
        for message in parse_messages(result.warnings, result.spec.srcdir)
        if message.code in FILE_PROBLEMS
    ]
    assert not comparison.differences and not comparison.unused_entries, "\n".join(
        [report(comparison, tree)] + (["files our build could not use:", *unread] if unread else [])
    )


@pytest.mark.parametrize("tree", sorted(TREES))
def test_default_configuration_passes_the_gate(
    tree: str, corpus_builds: dict[str, BuildResult], compat_summary: list[str]
) -> None:
    """With only the extension name swapped, ``-W --keep-going`` exits 0."""
    result = corpus_builds[f"{tree}/ours"]
    messages = parse_messages(result.warnings, result.spec.srcdir)
    by_code = Counter(message.code or message.level for message in messages)
    counts = ", ".join(f"{code} {count}" for code, count in sorted(by_code.items()))
    compat_summary.append(
        f"{tree}: sphinx-build -W --keep-going with the default configuration exits "
        f"{result.returncode} ({len(messages)} warnings{': ' + counts if counts else ''})"
    )
    first = "\n".join(f"  {message}" for message in messages[:15])
    assert result.returncode == 0, (
        f"{tree}: the build exits {result.returncode} with {len(messages)} warnings "
        f"({counts}); the first:\n{first}" + ("" if messages else f"\n{result.stderr[-3000:]}")
    )
