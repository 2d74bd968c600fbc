"""Sphinx-free: linting of API reference sources: rules, engine and command line."""

from os_api_ref_ext.lint.context import LintContext, LintOptions
from os_api_ref_ext.lint.engine import run_lint
from os_api_ref_ext.lint.registry import Rule, all_rules, select_rules

__all__ = [
    "LintContext",
    "LintOptions",
    "Rule",
    "all_rules",
    "run_lint",
    "select_rules",
]
