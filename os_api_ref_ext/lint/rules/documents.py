"""Sphinx-free: D rules, directive usage in the pages (options, unsafe markup, empty includes).

Each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.rule import rule
from os_api_ref_ext.model import Problem
from os_api_ref_ext.unsafe_markup import unsafe_markup as find_unsafe_markup


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for a one-line message."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def link_message(uri: str) -> str:
    return f"link target {shorten(uri)!r} would run script; shown as plain text"


RAW_MESSAGE = "raw markup in a YAML description is shown as text, not passed through"


@rule(
    "D001",
    "unknown-option",
    "a directive option that is not known",
    tier="compat",
)
def unknown_option(context: LintContext) -> Iterator[Problem]:
    """The directives know ``:class:`` and ``:name:`` (and the table
    options ``widths``, ``width`` and ``align``); any other option is
    ignored.

    Bad::

        .. rest_parameters:: parameters.yaml
           :colour: red

    Good::

        .. rest_parameters:: parameters.yaml
           :class: compact
    """
    for document in context.documents:
        for directive in (
            *document.parameter_stanzas,
            *document.status_stanzas,
            *document.toolbars,
        ):
            for found in directive.unknown_options:
                yield Problem(
                    "D001",
                    f"unknown option ':{found.option}:' of directive '{found.directive}' (ignored)",
                    found.path,
                    found.line,
                )


@rule(
    "D002",
    "unsafe-markup",
    "a script link, or raw HTML in a YAML description",
    tier="compat",
)
def unsafe_markup(context: LintContext) -> Iterator[Problem]:
    """Links go to web pages: a ``javascript:``, ``vbscript:`` or ``data:``
    target would run script in the reader's browser, so the link is shown
    as plain text instead.  Descriptions and reasons in YAML files are
    text for a table cell; a ``raw`` directive there is shown as a literal
    block, never passed through as HTML.

    Bad::

        description: |
          See `the docs <javascript:alert(1)>`__.

    Good::

        description: |
          See `the docs <https://docs.example.com/>`__.
    """
    for document in context.documents:
        for link in document.unsafe_links:
            yield Problem("D002", link_message(link.uri), link.path, link.line)
    texts = [
        (parameters.path, entry.fields.get("description"))
        for parameters in context.parameter_files.values()
        for entry in parameters.order
    ] + [
        (status.path, found)
        for status in context.status_files.values()
        for code_entry in status.codes.values()
        for found in code_entry.reasons.values()
    ]
    for path, found in texts:
        if found is None or not isinstance(found.value, str):
            continue
        for offset, uri in find_unsafe_markup(found.value):
            message = RAW_MESSAGE if uri is None else link_message(uri)
            yield Problem("D002", message, path, found.value_line + offset)


@rule(
    "D003",
    "empty-include",
    "an included file is empty",
    tier="recommended",
)
def empty_include(context: LintContext) -> Iterator[Problem]:
    """An ``include`` of an empty file adds nothing to the page: usually a
    file that was never written or was truncated.

    Bad::

        .. include:: snapshots.inc      # snapshots.inc is empty

    Good::

        .. include:: snapshots.inc      # holds the snapshot operations
    """
    for document in context.documents:
        for path in document.empty_includes:
            yield Problem("D003", "included file is empty", path, 1)
