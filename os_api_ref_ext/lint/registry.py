"""Sphinx-free: the rule registry, every lint rule with its code, name, set and docs.

The rules are declared with :func:`~os_api_ref_ext.lint.rule.rule` in the
family modules of :mod:`os_api_ref_ext.lint.rules`, which this module
imports.  The catalogue in the documentation, ``--list-rules`` and the
selection of what runs all come from here.

Every rule belongs to one of the nested rule sets of :data:`RULE_SETS`,
named where it is registered:

``compat``
    What os-api-ref itself reports, and what would crash it or render
    broken output.  The build runs this set when ``conf.py`` selects
    nothing, so a tree that builds cleanly with os-api-ref builds cleanly
    here.
``recommended``
    ``compat`` plus the rules measured precise on real references.  The
    command-line linter runs this set when nothing is selected.
``all``
    Every rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from os_api_ref_ext.lint.rule import BUILD_DEFAULT, CLI_DEFAULT, RULE_SETS, Rule, RuleSet
from os_api_ref_ext.lint.rules import RULES

__all__ = [
    "BUILD_DEFAULT",
    "CLI_DEFAULT",
    "RULE_SETS",
    "Rule",
    "RuleSet",
    "all_rules",
    "select_rules",
    "unknown_selectors",
]


def all_rules() -> list[Rule]:
    """Every rule, ordered by code."""
    return list(RULES)


def _matches(rule_: Rule, selector: str) -> bool:
    """Whether ``selector`` (code, prefix, name, rule set or ``ALL``) names ``rule_``."""
    selector = selector.strip()
    if not selector:
        return False
    if selector.lower() in RULE_SETS:
        return rule_.in_set(selector.lower())
    return rule_.code.startswith(selector.upper()) or rule_.name == selector.lower()


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule (for usage errors)."""
    rules = all_rules()
    return [s for s in selectors if s.strip() and not any(_matches(r, s) for r in rules)]


def select_rules(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[Rule]:
    """The rules to run.

    With no ``select``, the :data:`BUILD_DEFAULT` set.  ``select`` and
    ``ignore`` take codes (``S001``), prefixes (``S``), names
    (``undefined-key``), rule sets (``recommended``) or ``ALL``.
    """
    rules = all_rules()
    selectors = list(select) if select else [BUILD_DEFAULT]
    chosen = [r for r in rules if any(_matches(r, s) for s in selectors)]
    if ignore:
        ignored = list(ignore)
        chosen = [r for r in chosen if not any(_matches(r, s) for s in ignored)]
    return chosen
