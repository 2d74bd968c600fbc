"""Sphinx-free: helpers several rule families (and the fixer) share."""

from __future__ import annotations

from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.model import LOCATIONS, parse_version
from os_api_ref_ext.sources import ParameterEntry, ParameterFile, StatusFile

LOCATION_RANK = {name: rank for rank, name in enumerate(LOCATIONS)}
METHOD_RANK = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def canonical_key(entry: ParameterEntry) -> tuple[int, str]:
    """Where an entry of a parameters file goes: by ``in`` (merged or
    written, as YAML reads it), then by name regardless of case.  F010
    checks this order and ``--fix`` sorts by it."""
    return LOCATION_RANK[entry.location or ""], entry.key.lower()


#: A version range, both ends included.
VersionRange = tuple[tuple[int, int], tuple[int, int]]


def version_range(min_version: str | None, max_version: str | None) -> VersionRange:
    """The versions ``min_version``..``max_version`` cover; a missing or
    malformed bound leaves that end open."""
    low = parse_version(min_version) or (0, 0)
    high = parse_version(max_version) or (1 << 30, 1 << 30)
    return low, high


def overlap(first: VersionRange, second: VersionRange) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def yaml_files(context: LintContext) -> Iterator[ParameterFile | StatusFile]:
    yield from context.parameter_files.values()
    yield from context.status_files.values()
