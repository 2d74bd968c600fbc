"""Sphinx-free: the rule catalogue in reStructuredText, generated from the registry.

``python -m os_api_ref_ext.lint.catalogue > docs/rules.rst`` writes it; a
test checks that the file in the repository is up to date.  Each rule's
entry is its code, name, rule set and summary, then its docstring, whose
``Bad::`` and ``Good::`` literal blocks are the examples.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from os_api_ref_ext.lint.registry import Rule, all_rules

#: Code prefixes and the headings they are listed under.
GROUPS: tuple[tuple[str, str], ...] = (
    ("F", "Parameter and status files"),
    ("S", "Stanzas"),
    ("O", "Operations"),
    ("C", "Status codes"),
    ("J", "JSON samples"),
    ("D", "Directive usage"),
)

_INTRO = """\
.. This file is generated from the rule docstrings by
   ``python -m os_api_ref_ext.lint.catalogue > docs/rules.rst``; do not edit.

==========
Lint rules
==========

Every rule has a stable code and belongs to a rule set; the sets nest:

``compat``
    What os-api-ref itself reports, and what would crash it or render
    broken output, so a tree that builds cleanly with os-api-ref builds
    cleanly with these.  The build runs this set unless ``conf.py``
    selects rules.
``recommended``
    ``compat`` plus the rules that are precise on real references.
    ``os-api-ref-lint`` runs this set unless told otherwise.
``all``
    Every rule.

Select a set, codes, code prefixes (``S``), rule names (``undefined-key``)
or ``ALL``, and ignore any of these, in ``conf.py``::

    os_api_ref_lint = {"select": ["recommended"], "ignore": ["F010"]}

and on the command line::

    os-api-ref-lint --select all --ignore F010 api-ref/source

In the build, each finding is a warning of type ``os-api-ref`` with the
code as subtype, so ``suppress_warnings = ["os-api-ref.F011"]`` silences
one rule; a ``# noqa: F011`` comment on a line of a YAML file silences that
line, and a bulk suppressions file (``os-api-ref-lint --suppress-all``)
silences the findings a tree already has.
"""

#: How each set's rules are introduced in their entry.
_SET_NOTES = {
    "compat": "In ``compat``: on by default in builds and in ``os-api-ref-lint``.",
    "recommended": "In ``recommended``: on by default in ``os-api-ref-lint``; "
    "select it to run it in builds.",
    "all": "In ``all`` only: select it to run it.",
}


def _heading(text: str, underline: str) -> list[str]:
    return [text, underline * len(text), ""]


def _summary_table(rules: Sequence[Rule]) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", "", "   * - Code", "     - Name"]
    lines += ["     - Set", "     - Summary"]
    for rule in rules:
        lines += [
            f"   * - `{rule.code} <rule-{rule.code.lower()}_>`_",
            f"     - ``{rule.name}``",
            f"     - ``{rule.tier}``",
            f"     - {rule.summary}",
        ]
    return [*lines, ""]


def _rule_entry(rule: Rule) -> list[str]:
    lines = [f".. _rule-{rule.code.lower()}:", ""]
    lines += _heading(f"{rule.code} {rule.name}", "-")
    lines += [f"*{_SET_NOTES[rule.tier]}* {rule.summary[0].upper()}{rule.summary[1:]}.", ""]
    lines += [line.rstrip() for line in rule.doc.splitlines()]
    return [*lines, ""]


def _group_order(rule: Rule) -> tuple[int, str]:
    prefixes = [prefix for prefix, _title in GROUPS]
    rank = prefixes.index(rule.code[0]) if rule.code[0] in prefixes else len(prefixes)
    return rank, rule.code


def render(rules: Sequence[Rule] | None = None) -> str:
    """The whole catalogue as reStructuredText."""
    rules = sorted(rules if rules is not None else all_rules(), key=_group_order)
    lines = [_INTRO]
    lines += _heading("Summary", "=")
    lines += _summary_table(rules)
    for prefix, title in GROUPS:
        group = [rule for rule in rules if rule.code.startswith(prefix)]
        if group:
            lines += _heading(title, "=")
            for rule in group:
                lines += _rule_entry(rule)
    others = [r for r in rules if not any(r.code.startswith(p) for p, _ in GROUPS)]
    if others:
        lines += _heading("Other rules", "=")
        for rule in others:
            lines += _rule_entry(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def missing_examples(rules: Sequence[Rule] | None = None) -> list[str]:
    """Codes of rules whose docstring lacks a ``Bad::`` or ``Good::`` example."""
    rules = rules if rules is not None else all_rules()
    return [
        rule.code
        for rule in rules
        if not all(f"\n{label}::\n" in f"\n{rule.doc}\n" for label in ("Bad", "Good"))
    ]


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
