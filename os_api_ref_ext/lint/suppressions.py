"""Sphinx-free: bulk suppressions: a tree's known findings, counted per file and rule.

A large reference rarely fixes every finding at once.  ``os-api-ref-lint
--suppress-all`` records how many findings of each rule each file has today
in a JSON file (by default ``os-api-ref-lint-suppressions.json`` beside
``conf.py``)::

    {
      "v2/parameters.yaml": {
        "F011": 12
      }
    }

Paths are relative to the source directory, with ``/`` separators, and
the file is written sorted with a final newline, so that it is the same
bytes for the same findings wherever the tree is checked out.  Counts, not
lines, are recorded, so that editing elsewhere in a file changes nothing.

Later runs, in the build and on the command line, report a file's findings
of a rule only when there are more of them than recorded, and then all of
them (which ones are new cannot be told from a count), each message ending
with ``(suppressed count exceeded: N CODE findings in this file, M
suppressed)``.  ``--prune-suppressions`` lowers the counts to what is
left after fixes, and drops the entries that reach zero.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from os_api_ref_ext.lint.context import source_relative
from os_api_ref_ext.model import Problem

#: The suppressions file's name beside ``conf.py`` when none is configured.
DEFAULT_NAME = "os-api-ref-lint-suppressions.json"
#: The key of ``os_api_ref_lint`` in ``conf.py`` that names another file.
CONFIG_KEY = "suppressions"

Counts = dict[str, dict[str, int]]
"""File (relative to the source directory) -> rule code -> findings suppressed."""

Scope = Callable[[str, str], bool]
"""Whether a (file, code) pair was linted in this run, so its count is known."""


class SuppressionsError(Exception):
    """The suppressions file (or the setting naming it) cannot be used."""


def configured_file(config: object, confdir: str) -> tuple[str, bool]:
    """The suppressions file ``os_api_ref_lint`` names, and whether it names one.

    A relative path is taken from the directory of ``conf.py``; without
    the setting, the file is :data:`DEFAULT_NAME` there.
    """
    value = config.get(CONFIG_KEY) if isinstance(config, dict) else None
    if value is None:
        return os.path.join(confdir, DEFAULT_NAME), False
    if not isinstance(value, str) or not value.strip():
        raise SuppressionsError(f"{CONFIG_KEY!r} must be the path of a file, not {value!r}")
    return os.path.join(confdir, value), True


def load(path: str) -> Counts:
    """Read a suppressions file; :class:`SuppressionsError` says what is wrong."""
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
    except FileNotFoundError:
        raise SuppressionsError("not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8"
        raise SuppressionsError(f"cannot be read: {reason}") from None
    except json.JSONDecodeError as exc:
        raise SuppressionsError(
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(data, dict):
        raise SuppressionsError("must hold a JSON object of file paths")
    counts: Counts = {}
    for file, rules in data.items():
        if not isinstance(rules, dict):
            raise SuppressionsError(f"the entry of {file!r} must be an object of rule codes")
        for code, count in rules.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise SuppressionsError(
                    f"the count of {code!r} in {file!r} must be a positive integer"
                )
        counts[file] = dict(rules)
    return counts


def dumps(counts: Mapping[str, Mapping[str, int]]) -> str:
    """The file's text: sorted, indented, ASCII only, ending with a newline."""
    cleaned = {
        file: {code: count for code, count in rules.items() if count > 0}
        for file, rules in counts.items()
    }
    cleaned = {file: rules for file, rules in cleaned.items() if rules}
    return json.dumps(cleaned, indent=2, sort_keys=True) + "\n"


def write(path: str, counts: Mapping[str, Mapping[str, int]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(dumps(counts))


def count(findings: Iterable[Problem], srcdir: str) -> Counter[tuple[str, str]]:
    """How many findings each (file, code) pair has."""
    return Counter((source_relative(p.path, srcdir), p.code) for p in findings)


def record(findings: Iterable[Problem], srcdir: str, existing: Counts, scope: Scope) -> Counts:
    """``--suppress-all``: the linted pairs get today's counts; others are kept."""
    counts = {
        file: {code: n for code, n in rules.items() if not scope(file, code)}
        for file, rules in existing.items()
    }
    for (file, code), found in count(findings, srcdir).items():
        counts.setdefault(file, {})[code] = found
    return {file: rules for file, rules in counts.items() if rules}


def prune(findings: Iterable[Problem], srcdir: str, existing: Counts, scope: Scope) -> Counts:
    """``--prune-suppressions``: linted counts lowered to what is left."""
    found = count(findings, srcdir)
    counts: Counts = {}
    for file, rules in existing.items():
        for code, allowed in rules.items():
            kept = min(allowed, found[file, code]) if scope(file, code) else allowed
            if kept:
                counts.setdefault(file, {})[code] = kept
    return counts


@dataclass(frozen=True)
class Exceeded:
    """A (file, code) pair with more findings than its suppressed count."""

    file: str
    code: str
    found: int
    allowed: int


@dataclass
class Applied:
    """What is left to report once the suppressions are applied."""

    findings: list[Problem] = field(default_factory=list)
    suppressed: int = 0
    """Findings silenced."""
    exceeded: list[Exceeded] = field(default_factory=list)
    fixed: int = 0
    """Recorded findings of linted pairs that no longer occur (to prune)."""


def exceeded_note(found: int, code: str, allowed: int) -> str:
    """The text added to the message of each finding of an exceeded pair."""
    return (
        f"(suppressed count exceeded: {found} {code} findings in this file, {allowed} suppressed)"
    )


def apply(findings: Iterable[Problem], srcdir: str, counts: Counts, scope: Scope) -> Applied:
    """Silence the recorded findings; report whole pairs past their count."""
    findings = list(findings)
    found = count(findings, srcdir)
    result = Applied()
    silenced: set[tuple[str, str]] = set()
    notes: dict[tuple[str, str], str] = {}
    for (file, code), n in sorted(found.items()):
        allowed = counts.get(file, {}).get(code, 0)
        if n <= allowed:
            result.suppressed += n
            silenced.add((file, code))
        elif allowed:
            result.exceeded.append(Exceeded(file, code, n, allowed))
            notes[file, code] = exceeded_note(n, code, allowed)
    for problem in findings:
        key = (source_relative(problem.path, srcdir), problem.code)
        if key in silenced:
            continue
        note = notes.get(key)
        result.findings.append(
            replace(problem, message=f"{problem.message} {note}") if note else problem
        )
    result.fixed = sum(
        allowed - min(allowed, found[file, code])
        for file, rules in counts.items()
        for code, allowed in rules.items()
        if scope(file, code)
    )
    return result
