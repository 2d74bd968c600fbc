"""Sphinx-free: what a lint rule is, and the decorator that declares one.

A rule is a function decorated with :func:`rule`.  Its docstring is its
documentation: a first paragraph that explains it, then ``Bad::`` and
``Good::`` literal examples.  The rule modules
(:mod:`os_api_ref_ext.lint.rules`) import this module; the registry
(:mod:`os_api_ref_ext.lint.registry`) imports the rule modules, so no
import cycle runs through the rules.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from os_api_ref_ext.lint.context import LintContext
    from os_api_ref_ext.model import Problem

Check = Callable[["LintContext"], Iterable["Problem"]]
RuleSet = Literal["compat", "recommended", "all"]

#: The rule sets, each containing the ones before it.
RULE_SETS: tuple[RuleSet, ...] = get_args(RuleSet)
#: What the build runs when ``os_api_ref_lint`` selects nothing.
BUILD_DEFAULT: RuleSet = "compat"
#: What ``os-api-ref-lint`` runs when neither it nor conf.py selects anything.
CLI_DEFAULT: RuleSet = "recommended"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    tier: RuleSet
    """The smallest rule set the rule belongs to."""
    check: Check

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    def in_set(self, name: str) -> bool:
        """Whether the rule belongs to the rule set ``name``."""
        return RULE_SETS.index(self.tier) <= RULE_SETS.index(name)  # type: ignore[arg-type]

    def __call__(self, context: LintContext) -> Iterable[Problem]:
        return self.check(context)


def rule(code: str, name: str, summary: str, *, tier: RuleSet) -> Callable[[Check], Rule]:
    """Declare ``check`` as the rule ``code`` in the set ``tier``."""
    if tier not in RULE_SETS:  # pragma: no cover - a programming error
        raise ValueError(f"rule {code}: unknown rule set {tier!r}")

    def declare(check: Check) -> Rule:
        return Rule(code, name, summary, tier, check)

    return declare
