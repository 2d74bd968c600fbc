"""Sphinx-free: O rules, operations (``rest_method``).

Methods, URLs, duplicates, order and placement.

Each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.rule import rule
from os_api_ref_ext.lint.rules._shared import (
    METHOD_RANK,
    VersionRange,
    overlap,
    version_range,
)
from os_api_ref_ext.model import (
    AFTER_CONTENT,
    MAX_URL_LENGTH,
    METHODS,
    OUTSIDE_SECTION,
    Operation,
    Problem,
    Sample,
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


@rule(
    "O003",
    "duplicate-operation",
    "the same method and URL twice with overlapping versions",
    tier="recommended",
)
def duplicate_operation(context: LintContext) -> Iterator[Problem]:
    """Two operations with one method and URL must cover different
    microversion ranges.  Operations that share an endpoint are told apart
    by the top-level keys of their request samples (one ``POST .../action``
    per action); unless they show the very same request sample, also by
    the body parameters their requests document, or, for an endpoint
    documented once per variant (per auth method, per record type), by
    different titles with different samples.  What is not known (no
    sample, no body parameter, a parameters file that did not load) tells
    nothing apart.  A file included twice is reported as such, with both
    ``include`` lines.

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
    samples: dict[tuple[str, int | None], list[Sample]] = defaultdict(list)
    for sample in context.samples:
        samples[(sample.docname, sample.operation)].append(sample)
    seen: dict[tuple[str, str], list[_Traits]] = defaultdict(list)
    for operation in context.operations:
        traits = _Traits.of(context, operation, samples[(operation.docname, operation.index)])
        for other in seen[(operation.method, operation.url)]:
            if not overlap(traits.versions, other.versions):
                continue
            if (operation.path, operation.line) == (other.operation.path, other.operation.line):
                if operation.docname != other.operation.docname:
                    continue  # one file included by two documents, on purpose
            elif traits.told_apart(other) or traits.incomplete or other.incomplete:
                continue  # an unloaded parameters file (F001-F003) leaves it unknown
            yield _duplicate(context, operation, other.operation)
            break
        seen[(operation.method, operation.url)].append(traits)


@dataclass(frozen=True)
class _Traits:
    """What tells one operation apart from another on the same endpoint."""

    operation: Operation
    versions: VersionRange
    sample_keys: frozenset[str]  # top-level keys of the request samples
    requests: frozenset[str]  # the request sample files
    body: frozenset[str]  # body parameters of the request stanzas
    samples: frozenset[str]  # every sample file, request and response
    incomplete: bool  # a request stanza's parameters file did not load

    @classmethod
    def of(cls, context: LintContext, operation: Operation, samples: list[Sample]) -> _Traits:
        stanzas = context.stanzas_of_operation(operation.docname, operation.index, "request")
        body: set[str] = set()
        incomplete = False
        for stanza in stanzas:
            parameters = context.parameters_for(stanza)
            if parameters is None or not parameters.usable:
                incomplete = incomplete or parameters is not None
                continue
            for item in stanza.items:
                entry = parameters.entries.get(item.key)
                if entry is not None and entry.location == "body":
                    body.add(item.name)
        sample_keys: set[str] = set()
        requests = [sample.file for sample in samples if sample.kind == "request"]
        for file in requests:
            sample_keys.update(
                key.name for key in context.sample_file(file).keys if not key.parents
            )
        return cls(
            operation=operation,
            versions=version_range(operation.min_version, operation.max_version),
            sample_keys=frozenset(sample_keys),
            requests=frozenset(os.path.realpath(file) for file in requests),
            body=frozenset(body),
            samples=frozenset(os.path.realpath(sample.file) for sample in samples),
            incomplete=incomplete,
        )

    def told_apart(self, other: _Traits) -> bool:
        """Whether something both operations document differs; what one of
        them leaves unknown (an empty set) tells nothing apart."""

        def differ(one: frozenset[str], two: frozenset[str]) -> bool:
            return bool(one) and bool(two) and one != two

        if differ(self.sample_keys, other.sample_keys):
            return True
        if self.requests and self.requests == other.requests:
            return False  # one request sample for both: the same request
        return differ(self.body, other.body) or (
            self.operation.title != other.operation.title and differ(self.samples, other.samples)
        )


def _duplicate(context: LintContext, operation: Operation, other: Operation) -> Problem:
    method_url = f"{operation.method} {operation.url}"
    if (operation.path, operation.line) != (other.path, other.line):
        message = (
            f"{method_url} is already documented at {context.relative(other.path)}:{other.line} "
            "for overlapping versions"
        )
    else:
        # The same source read twice: show the include lines where the two
        # readings part, and the file each of them pulls in.
        sites = list(zip(other.includes, operation.includes, strict=False))
        part = next(
            (index for index, (one, two) in enumerate(sites) if one != two),
            len(sites),
        )
        if part < len(sites):
            first, second = sites[part]
            chain = operation.includes
            included = chain[part + 1][0] if part + 1 < len(chain) else operation.path
            message = (
                f"{method_url} is documented twice: {os.path.basename(included)} is "
                f"included at {context.relative(first[0])}:{first[1]} and at "
                f"{context.relative(second[0])}:{second[1]}"
            )
        else:
            message = f"{method_url} is documented twice: its file is read twice"
    return Problem("O003", message, operation.path, operation.line)


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
    for operation in context.operations:
        for found in operation.extra_lines:
            yield Problem(
                "O005",
                f"unexpected line {found.text!r} in rest_method: only "
                "'min_version: X.Y' and 'max_version: X.Y' are allowed",
                found.path,
                found.line,
            )


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
    messages = {
        OUTSIDE_SECTION: "rest_method is not inside a section",
        AFTER_CONTENT: "rest_method should be the first element of its section",
    }
    for operation in context.operations:
        message = messages.get(operation.placement)
        if message is not None:
            yield Problem("O006", message, operation.path, operation.line)
