"""The rule registry: every lint rule with its code, name, default and docs.

A rule is a function decorated with :func:`rule`.  Its docstring is its
documentation: a first paragraph that explains it, then ``Bad::`` and
``Good::`` literal examples.  The catalogue in the documentation and
``--list-rules`` both come from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os_api_ref_ext.lint.context import LintContext
    from os_api_ref_ext.model import Problem

Check = Callable[["LintContext"], Iterable["Problem"]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    default: bool
    check: Check

    @property
    def doc(self) -> str:
        import inspect

        return inspect.getdoc(self.check) or ""


_RULES: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str, *, default: bool = True) -> Callable[[Check], Check]:
    """Register ``check`` as the rule ``code``; filled once, at import time."""

    def register(check: Check) -> Check:
        if code in _RULES:  # pragma: no cover - a programming error
            raise ValueError(f"rule {code} registered twice")
        _RULES[code] = Rule(code, name, summary, default, check)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by code."""
    from os_api_ref_ext.lint import rules  # noqa: F401 - registers the rules

    return [_RULES[code] for code in sorted(_RULES)]


def _matches(rule_: Rule, selector: str) -> bool:
    selector = selector.strip()
    return bool(selector) and (
        rule_.code.startswith(selector.upper()) or rule_.name == selector.lower()
    )


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule (for usage errors)."""
    rules = all_rules()
    return [
        s
        for s in selectors
        if s.strip() and s.upper() != "ALL" and not any(_matches(r, s) for r in rules)
    ]


def select_rules(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[Rule]:
    """The rules to run.

    With no ``select``, the rules that are on by default.  ``select`` and
    ``ignore`` take codes (``S001``), prefixes (``S``), names
    (``undefined-key``) or ``ALL``.
    """
    rules = all_rules()
    chosen = [r for r in rules if r.default]
    if select:
        selectors = list(select)
        chosen = [r for r in rules if any(s.upper() == "ALL" or _matches(r, s) for s in selectors)]
    if ignore:
        ignored = list(ignore)
        chosen = [
            r for r in chosen if not any(s.upper() == "ALL" or _matches(r, s) for s in ignored)
        ]
    return chosen
