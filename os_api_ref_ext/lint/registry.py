"""The rule registry: every lint rule with its code, name, set and docs.

A rule is a function decorated with :func:`rule`.  Its docstring is its
documentation: a first paragraph that explains it, then ``Bad::`` and
``Good::`` literal examples.  The catalogue in the documentation and
``--list-rules`` both come from here.

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
        import inspect

        return inspect.getdoc(self.check) or ""

    def in_set(self, name: str) -> bool:
        """Whether the rule belongs to the rule set ``name``."""
        return RULE_SETS.index(self.tier) <= RULE_SETS.index(name)  # type: ignore[arg-type]


_RULES: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str, *, tier: RuleSet) -> Callable[[Check], Check]:
    """Register ``check`` as the rule ``code`` in the set ``tier``; filled once, at import."""
    if tier not in RULE_SETS:  # pragma: no cover - a programming error
        raise ValueError(f"rule {code}: unknown rule set {tier!r}")

    def register(check: Check) -> Check:
        if code in _RULES:  # pragma: no cover - a programming error
            raise ValueError(f"rule {code} registered twice")
        _RULES[code] = Rule(code, name, summary, tier, check)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by code."""
    from os_api_ref_ext.lint import rules  # noqa: F401 - registers the rules

    return [_RULES[code] for code in sorted(_RULES)]


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
