"""O rules: operations (``rest_method``): methods, URLs, duplicates, order and placement.

Sphinx-free: each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.registry import rule
from os_api_ref_ext.lint.rules._shared import METHOD_RANK, recorded
from os_api_ref_ext.model import (
    MAX_URL_LENGTH,
    METHODS,
    Operation,
    Problem,
    parse_version,
    split_url,
)


@rule(
    "O001",
    "unknown-method",
    "rest_method uses an unknown HTTP method",
    tier="recommended",
)
def unknown_method(context: LintContext) -> Iterator[Problem]:
    """The first word of ``rest_method`` is an HTTP method in capitals.

    Bad::

        .. rest_method:: FETCH /v2/{tenant_id}/snapshots

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots
    """
    for operation in context.operations:
        if operation.method not in METHODS:
            shown = operation.method or "(nothing)"
            yield Problem(
                "O001",
                f"unknown HTTP method {shown!r}; expected one of {', '.join(METHODS)}",
                operation.path,
                operation.line,
            )


@rule(
    "O002",
    "malformed-url",
    "the URL is empty, has spaces or unbalanced braces",
    tier="recommended",
)
def malformed_url(context: LintContext) -> Iterator[Problem]:
    """A URL is one word starting with ``/`` whose ``{`` and ``}`` pair up.

    Bad::

        .. rest_method:: GET /v2/{tenant_id/snapshots

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots
    """
    for operation in context.operations:
        url = operation.url
        _parts, error = split_url(url)
        if not url:
            reason = "no URL after the method"
        elif error:
            reason = error
        elif any(char.isspace() for char in url):
            reason = "contains white space"
        elif not url.startswith("/"):
            reason = "does not start with '/'"
        else:
            continue
        shown = url if len(url) <= 100 else url[:80] + "..."
        yield Problem("O002", f"malformed URL {shown!r}: {reason}", operation.path, operation.line)


@rule(
    "O007",
    "url-too-long",
    f"a URL longer than {MAX_URL_LENGTH} characters",
    tier="recommended",
)
def url_too_long(context: LintContext) -> Iterator[Problem]:
    """Servers and proxies commonly refuse request lines much past 2,048
    characters, so a longer URL in a reference is almost always a paste
    gone wrong.  The page still shows it in full.

    Bad::

        .. rest_method:: GET /v2/{tenant_id}/snapshotsaaaaaaaa...(3,000 more)

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots
    """
    for operation in context.operations:
        if len(operation.url) > MAX_URL_LENGTH:
            yield Problem(
                "O007",
                f"URL is {len(operation.url)} characters long (more than {MAX_URL_LENGTH})",
                operation.path,
                operation.line,
            )


def _version_range(
    min_version: str | None, max_version: str | None
) -> tuple[tuple[int, int], tuple[int, int]]:
    low = parse_version(min_version) or (0, 0)
    high = parse_version(max_version) or (1 << 30, 1 << 30)
    return low, high


@rule(
    "O003",
    "duplicate-operation",
    "the same method and URL twice with overlapping versions",
    tier="all",
)
def duplicate_operation(context: LintContext) -> Iterator[Problem]:
    """Two operations with one method and URL must cover different
    microversion ranges.  Action endpoints (one ``POST .../action`` per
    action, each with its own request body) are told apart by the body
    parameters their requests document, and are not duplicates.

    Bad::

        .. rest_method:: GET /v2/{tenant_id}/snapshots
        ...
        .. rest_method:: GET /v2/{tenant_id}/snapshots

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots
           max_version: 2.4
        ...
        .. rest_method:: GET /v2/{tenant_id}/snapshots
           min_version: 2.5
    """
    seen: dict[tuple[str, str], list] = defaultdict(list)  # type: ignore[type-arg]
    for operation in context.operations:
        key = (operation.method, operation.url)
        low, high = _version_range(operation.min_version, operation.max_version)
        body = _request_body_names(context, operation)
        for other in seen[key]:
            other_low, other_high = _version_range(other.min_version, other.max_version)
            other_body = _request_body_names(context, other)
            if body and other_body and body != other_body:
                continue  # one endpoint, several actions told apart by their body
            if low <= other_high and other_low <= high:
                yield Problem(
                    "O003",
                    f"{operation.method} {operation.url} is already documented at "
                    f"{context.relative(other.path)}:{other.line} for overlapping versions",
                    operation.path,
                    operation.line,
                )
                break
        seen[key].append(operation)


def _request_body_names(context: LintContext, operation: Operation) -> frozenset[str]:
    """Names of the body parameters an operation's request documents."""
    names = set()
    for stanza in context.stanzas_of_operation(operation.docname, operation.index, "request"):
        parameters = context.parameters_for(stanza)
        for item in stanza.items:
            entry = parameters.entries.get(item.key) if parameters is not None else None
            if entry is not None and entry.location == "body":
                names.add(item.name)
    return frozenset(names)


@rule(
    "O004",
    "method-order",
    "methods of one URL not in GET, POST, PUT, PATCH, DELETE order",
    tier="all",
)
def method_order(context: LintContext) -> Iterator[Problem]:
    """Within a document, the operations on one URL come in the order GET,
    POST, PUT, PATCH, DELETE.

    Bad::

        .. rest_method:: DELETE /v2/{tenant_id}/snapshots/{snapshot_id}
        .. rest_method:: GET /v2/{tenant_id}/snapshots/{snapshot_id}

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots/{snapshot_id}
        .. rest_method:: DELETE /v2/{tenant_id}/snapshots/{snapshot_id}
    """
    for document in context.documents:
        last: dict[str, tuple[int, str]] = {}
        for operation in document.operations:
            rank = METHOD_RANK.get(operation.method)
            if rank is None:
                continue
            previous = last.get(operation.url)
            if previous is not None and rank < previous[0]:
                yield Problem(
                    "O004",
                    f"{operation.method} {operation.url} should come before "
                    f"{previous[1]} {operation.url}",
                    operation.path,
                    operation.line,
                )
            else:
                last[operation.url] = (rank, operation.method)


@rule(
    "O005",
    "unexpected-method-content",
    "rest_method content other than version lines",
    tier="recommended",
)
def unexpected_method_content(context: LintContext) -> Iterator[Problem]:
    """Below ``rest_method`` only ``min_version: X.Y`` and ``max_version:
    X.Y`` may follow, indented; a description goes after a blank line,
    unindented.

    Bad::

        .. rest_method:: GET /v2/{tenant_id}/snapshots
           Lists snapshots.

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots

        Lists snapshots.
    """
    yield from recorded(context, "O005")


@rule(
    "O006",
    "misplaced-rest-method",
    "rest_method is not the first element of a section",
    tier="recommended",
)
def misplaced_rest_method(context: LintContext) -> Iterator[Problem]:
    """An operation is a section that starts with its ``rest_method``; the
    section title is the operation's name.

    Bad::

        Some text first.

        .. rest_method:: GET /v2/{tenant_id}/snapshots

    Good::

        List snapshots
        ==============

        .. rest_method:: GET /v2/{tenant_id}/snapshots
    """
    yield from recorded(context, "O006")
