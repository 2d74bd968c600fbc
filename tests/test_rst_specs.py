"""The command-line reader's directive declarations match the installed
Sphinx and docutils (and our own directives).

The reader splits a directive block as docutils would, from a declaration
of its arguments, options and content (:mod:`os_api_ref_ext.lint.rst_specs`).
A new Sphinx or docutils that changes a directive would make the reader
drift from the build without a word; this test fails instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
import sphinx
from docutils.parsers.rst import directives

from os_api_ref_ext.directives._base import AnyOptions
from os_api_ref_ext.lint.rst_specs import CONTAINERS, SPECS, DirectiveSpec

#: Values an option converter is tried on: none, empty, words, numbers,
#: class names, an encoding, a parser name, white space.
PROBES = (None, "", "x", "a b", "3", "-1", "0", "utf-8", "rst", " 2 ", "Foo Bar", "no such")


def _directive_class(name: str) -> type[Any]:
    """The class the running Sphinx registered for ``name``, or docutils'."""
    registered = directives._directives.get(name)  # type: ignore[attr-defined]
    if registered is not None:
        return registered
    module, class_name = directives._directive_registry[name]  # type: ignore[attr-defined]
    return getattr(importlib.import_module(f"docutils.parsers.rst.directives.{module}"), class_name)


def _outcome(convert: Callable[[str | None], Any], value: str | None) -> tuple[str, Any]:
    try:
        return "value", convert(value)
    except (ValueError, TypeError, LookupError) as error:
        return "error", type(error).__name__ if not isinstance(error, ValueError) else "ValueError"


def _differences(name: str, spec: DirectiveSpec) -> list[str]:
    cls = _directive_class(name)
    found = []
    for what, ours, theirs in (
        ("required arguments", spec.required, cls.required_arguments),
        ("optional arguments", spec.optional, cls.optional_arguments),
        ("final argument whitespace", spec.whitespace, cls.final_argument_whitespace),
        ("content", spec.content, cls.has_content),
        ("takes options", spec.takes_options, bool(cls.option_spec)),
        ("any option", spec.any_option, isinstance(cls.option_spec, AnyOptions)),
    ):
        if ours != theirs:
            found.append(f"{name}: {what} {ours!r} here, {theirs!r} installed")
    if spec.any_option or not cls.option_spec:
        return found
    if set(spec.options) != set(cls.option_spec):
        found.append(
            f"{name}: options {sorted(spec.options)} here, {sorted(cls.option_spec)} installed"
        )
    for option in sorted(set(spec.options) & set(cls.option_spec)):
        for value in PROBES:
            ours_out = _outcome(spec.options[option], value)
            theirs_out = _outcome(cls.option_spec[option], value)
            if ours_out != theirs_out:
                found.append(f"{name} :{option}: {value!r}: {ours_out} here, {theirs_out} there")
    return found


#: The declarations follow these releases; an older one (the version matrix)
#: differs on purpose (``:collapsible:``, the ``version-*`` names), a newer
#: one must not.
DECLARED_FOR = (9, 0)
older = pytest.mark.skipif(
    sphinx.version_info[:2] < DECLARED_FOR,
    reason=f"declarations follow Sphinx {DECLARED_FOR}",
)


@older
@pytest.mark.sphinx("dummy", testroot="basic")
@pytest.mark.parametrize("name", sorted({*SPECS, *CONTAINERS}))
def test_declaration_matches_installed(name: str, app) -> None:  # type: ignore[no-untyped-def]
    # The app registered Sphinx's directives and ours with docutils.
    spec = SPECS.get(name) or CONTAINERS[name]
    assert _differences(name, spec) == []


@pytest.mark.sphinx("dummy", testroot="basic")
def test_a_drift_is_found(app) -> None:  # type: ignore[no-untyped-def]
    """The comparison can fail: a declaration with one option too few does."""
    spec = SPECS["literalinclude"]
    changed = replace(spec, options={k: v for k, v in spec.options.items() if k != "diff"})
    assert _differences("literalinclude", changed) == [
        f"literalinclude: options {sorted(changed.options)} here, {sorted(spec.options)} installed"
    ]
