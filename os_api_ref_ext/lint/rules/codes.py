"""Sphinx-free: C rules, status codes in ``rest_status_code`` stanzas and status files.

Each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.rule import rule
from os_api_ref_ext.model import Problem


@rule(
    "C001",
    "undefined-status-code",
    "a code the status file does not define",
    tier="compat",
)
def undefined_status_code(context: LintContext) -> Iterator[Problem]:
    """Each code a ``rest_status_code`` stanza lists must be in the status
    file, with at least a ``default`` reason.

    Bad::

        .. rest_status_code:: error status.yaml

           - 418

    Good::

        .. rest_status_code:: error status.yaml

           - 404
    """
    for stanza in context.status_stanzas:
        status = context.status_for(stanza)
        if status is None or not status.codes:
            continue
        for item in stanza.items:
            if item.code not in status.codes:
                yield Problem(
                    "C001",
                    f"status code {item.code} is not defined in {stanza.file_arg}",
                    stanza.path,
                    item.line,
                )


@rule(
    "C002",
    "unknown-reason",
    "a reason key the status file does not define for that code",
    tier="compat",
)
def unknown_reason(context: LintContext) -> Iterator[Problem]:
    """``- 409: reason_key`` needs ``reason_key`` under 409 in the status
    file; a plain ``- 409`` needs a ``default``.

    Bad::

        - 409: in_use

    Good::

        - 409: snapshot_in_use
    """
    for stanza in context.status_stanzas:
        status = context.status_for(stanza)
        if status is None:
            continue
        for item in stanza.items:
            entry = status.codes.get(item.code)
            if entry is None or entry.problem:
                continue
            reason = item.reason or "default"
            if reason not in entry.reasons:
                message = f"status {item.code} has no reason {reason!r} in {stanza.file_arg}"
                close = difflib.get_close_matches(reason, entry.reasons.keys(), n=1)
                if close:
                    message += f"; did you mean {close[0]!r}?"
                yield Problem("C002", message, stanza.path, item.line)


@rule(
    "C003",
    "wrong-status-class",
    "a 1xx-3xx code under error, or 4xx/5xx under success",
    tier="recommended",
)
def wrong_status_class(context: LintContext) -> Iterator[Problem]:
    """Success tables list 1xx, 2xx and 3xx codes; error tables list 4xx
    and 5xx codes.

    Bad::

        .. rest_status_code:: error status.yaml

           - 202

    Good::

        .. rest_status_code:: success status.yaml

           - 202
    """
    for stanza in context.status_stanzas:
        if stanza.status_type not in ("success", "error"):
            continue
        for item in stanza.items:
            is_error = item.code >= 400
            if is_error != (stanza.status_type == "error"):
                yield Problem(
                    "C003",
                    f"{item.code} listed under {stanza.status_type!r}",
                    stanza.path,
                    item.line,
                )


@rule(
    "C004",
    "unordered-codes",
    "codes not in ascending order",
    tier="all",
)
def unordered_codes(context: LintContext) -> Iterator[Problem]:
    """Codes in a table ascend.

    Bad::

        - 404
        - 400

    Good::

        - 400
        - 404
    """
    for stanza in context.status_stanzas:
        for before, item in zip(stanza.items, stanza.items[1:], strict=False):
            if item.code < before.code:
                yield Problem(
                    "C004",
                    f"{item.code} should come before {before.code}",
                    stanza.path,
                    item.line,
                )


@rule(
    "C005",
    "invalid-status-type",
    "the first argument is not success or error",
    tier="compat",
)
def invalid_status_type(context: LintContext) -> Iterator[Problem]:
    """``rest_status_code`` starts with ``success`` or ``error``.

    Bad::

        .. rest_status_code:: ok status.yaml

    Good::

        .. rest_status_code:: success status.yaml
    """
    for stanza in context.status_stanzas:
        if stanza.file_arg and stanza.status_type not in ("success", "error"):
            yield Problem(
                "C005",
                f"status type {stanza.status_type!r} is not 'success' or 'error'",
                stanza.path,
                stanza.line,
            )


@rule(
    "C006",
    "missing-default-reason",
    "a status code without a default reason",
    tier="recommended",
)
def missing_default_reason(context: LintContext) -> Iterator[Problem]:
    """Every code in a status file has a ``default`` reason, the text shown
    when a stanza lists the bare code.

    Bad::

        404:
          snapshot_missing: The snapshot does not exist.

    Good::

        404:
          default: The resource does not exist.
          snapshot_missing: The snapshot does not exist.
    """
    for status in context.status_files.values():
        for entry in status.codes.values():
            if not entry.problem and "default" not in entry.reasons:
                yield Problem(
                    "C006",
                    f"status {entry.code} has no 'default' reason",
                    status.path,
                    entry.line,
                )
