"""os-api-ref's own examples (shipped in its wheel) built with both
extensions: the same tables, and a finding of ours, at the mistake, for
every warning os-api-ref gives.

Runs in ``tox -e compat``; skipped where os-api-ref is not installed.
"""

from __future__ import annotations

import pytest
from compat_builds import BuildResult, example_names
from compat_tables import AllowEntry, compare, report, site_tables
from compat_warnings import answer, parse_messages

pytest.importorskip("os_api_ref", reason="os-api-ref is not installed (tox -e compat has it)")

EXAMPLES = example_names()


def test_os_api_ref_ships_examples() -> None:
    assert {"basic", "microversions", "warnings"} <= set(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_tables_match(
    example: str,
    example_builds: dict[str, BuildResult],
    allowlist: list[AllowEntry],
    compat_summary: list[str],
) -> None:
    theirs, ours = example_builds[f"{example}/theirs"], example_builds[f"{example}/ours"]
    assert ours.returncode == 0, ours.stderr[-3000:]
    comparison = compare(
        f"example/{example}",
        site_tables(theirs.spec.outdir, [(str(theirs.spec.srcdir), "<srcdir>")]),
        site_tables(ours.spec.outdir, [(str(ours.spec.srcdir), "<srcdir>")]),
        allowlist,
    )
    compat_summary.append(comparison.summary(f"example/{example}"))
    assert comparison.counts["parameters"].compared > 0
    assert not comparison.differences and not comparison.unused_entries, report(
        comparison, f"example/{example}"
    )


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_os_api_ref_warning_has_our_finding(
    example: str, example_builds: dict[str, BuildResult], compat_summary: list[str]
) -> None:
    """Each warning os-api-ref emits maps to one of our rules, and ours
    reports that rule at the file and line of the mistake."""
    theirs, ours = example_builds[f"{example}/theirs"], example_builds[f"{example}/ours"]
    outcomes = answer(
        parse_messages(theirs.warnings, theirs.spec.srcdir),
        parse_messages(ours.warnings, ours.spec.srcdir),
        theirs.spec.srcdir,
        ours.spec.srcdir,
    )
    missed = [outcome for outcome in outcomes if outcome.answer is None]
    compat_summary.append(
        f"example/{example}: {len(outcomes)} os-api-ref warnings, "
        f"{len(outcomes) - len(missed)} answered by our finding at the mistake"
    )
    assert not missed, "\n".join(outcome.describe() for outcome in outcomes)
