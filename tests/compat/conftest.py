"""Builds for the compatibility tests, and their numbers in the test summary.

The real trees are ``../shared/corpus/{nova,cinder}`` beside the
repository; os-api-ref's examples ship in its wheel.  Every build runs once
per session, all of one fixture's builds in parallel, from copies in a
temporary directory (the originals are never touched).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from compat_builds import (
    CORPUS,
    OURS,
    SHARED,
    THEIRS,
    TREES,
    BuildResult,
    BuildSpec,
    example_names,
    examples_dir,
    prepare_copy,
    run_builds,
)
from compat_tables import AllowEntry, parse_allowlist

ALLOWLIST = Path(__file__).with_name("allowlist.yaml")

_SUMMARY = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def compat_summary(pytestconfig: pytest.Config) -> list[str]:
    """Lines for the "os-api-ref compatibility" section of the summary."""
    return pytestconfig.stash.setdefault(_SUMMARY, [])


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    lines = config.stash.get(_SUMMARY, [])
    if lines:
        terminalreporter.section("os-api-ref compatibility")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def allowlist() -> list[AllowEntry]:
    return parse_allowlist(ALLOWLIST.read_text(encoding="utf-8"), ALLOWLIST.name)


@pytest.fixture(scope="session")
def corpus_builds(
    tmp_path_factory: pytest.TempPathFactory, compat_summary: list[str]
) -> dict[str, BuildResult]:
    """``<tree>/theirs`` and ``<tree>/ours`` for nova and cinder; ours is
    built with ``-W --keep-going`` and its default configuration."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent, so the real trees cannot be built")
    root = tmp_path_factory.mktemp("corpus")
    specs = []
    for tree, srcdir in TREES.items():
        for side, extension in (("theirs", THEIRS), ("ours", OURS)):
            copy = prepare_copy(CORPUS / tree, root / side / tree, srcdir, extension)
            specs.append(
                BuildSpec(f"{tree}/{side}", copy, root / "out" / side / tree, side == "ours")
            )
    return _timed(run_builds(specs), compat_summary)


@pytest.fixture(scope="session")
def example_builds(
    tmp_path_factory: pytest.TempPathFactory, compat_summary: list[str]
) -> dict[str, BuildResult]:
    """``<example>/theirs`` and ``<example>/ours`` for each of os-api-ref's
    examples; ours with its default rule set."""
    root_dir = examples_dir()
    assert root_dir is not None
    root = tmp_path_factory.mktemp("examples")
    specs = []
    for name in example_names():
        # Ours with its default rules (compat): what a project gets by
        # swapping the extension name alone must answer os-api-ref's warnings.
        for side, extension, extra in (("theirs", THEIRS, ""), ("ours", OURS, "")):
            copy = prepare_copy(root_dir / name, root / side / name, ".", extension, extra)
            specs.append(BuildSpec(f"{name}/{side}", copy, root / "out" / side / name))
    return _timed(run_builds(specs), compat_summary)


def _timed(results: dict[str, BuildResult], summary: list[str]) -> dict[str, BuildResult]:
    summary.append(
        "builds: " + ", ".join(f"{name} {result.seconds:.1f} s" for name, result in results.items())
    )
    return results
