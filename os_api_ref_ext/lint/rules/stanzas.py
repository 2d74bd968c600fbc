"""S rules: ``rest_parameters`` and ``rest_status_code`` stanzas and their items against the URL.

Sphinx-free: each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.registry import rule
from os_api_ref_ext.lint.rules._shared import LOCATION_RANK, recorded
from os_api_ref_ext.model import (
    LOCATIONS,
    Operation,
    ParameterStanza,
    Problem,
    url_params,
)


@rule(
    "S001",
    "undefined-key",
    "a stanza refers to a key its file does not define",
    tier="compat",
)
def undefined_key(context: LintContext) -> Iterator[Problem]:
    """Each ``- name: key`` item needs ``key`` in the stanza's file.

    Bad::

        .. rest_parameters:: parameters.yaml

           - snapshot_id: snapshot_idd

    Good::

        .. rest_parameters:: parameters.yaml

           - snapshot_id: snapshot_id
    """
    for stanza in context.parameter_stanzas:
        parameters = context.parameters_for(stanza)
        if parameters is None or not parameters.usable:
            continue
        for item in stanza.items:
            if item.key in parameters.entries:
                continue
            message = f"key {item.key!r} is not defined in {stanza.file_arg}"
            close = difflib.get_close_matches(item.key, parameters.entries.keys(), n=1)
            if close:
                message += f"; did you mean {close[0]!r}?"
            yield Problem("S001", message, stanza.path, item.line)


@rule(
    "S002",
    "malformed-item",
    "a stanza item is not '- name: key' (or '- CODE')",
    tier="compat",
)
def malformed_item(context: LintContext) -> Iterator[Problem]:
    """Parameter stanzas list ``- name: key`` items and status stanzas
    ``- CODE`` or ``- CODE: reason_key`` items, one per line.

    Bad::

        .. rest_parameters:: parameters.yaml

           - snapshot_id

    Good::

        .. rest_parameters:: parameters.yaml

           - snapshot_id: snapshot_id
    """
    yield from recorded(context, "S002")


@rule(
    "S003",
    "empty-stanza",
    "a stanza lists no items",
    tier="compat",
)
def empty_stanza(context: LintContext) -> Iterator[Problem]:
    """A stanza without items renders an empty table.

    Bad::

        .. rest_parameters:: parameters.yaml

    Good::

        .. rest_parameters:: parameters.yaml

           - snapshot_id: snapshot_id
    """
    for stanza in (*context.parameter_stanzas, *context.status_stanzas):
        if not stanza.items and not stanza.problems:
            yield Problem("S003", "stanza lists no items", stanza.path, stanza.line)


@rule(
    "S004",
    "missing-file-argument",
    "a stanza names no file",
    tier="compat",
)
def missing_file_argument(context: LintContext) -> Iterator[Problem]:
    """``rest_parameters`` takes the parameters file; ``rest_status_code``
    takes ``success`` or ``error`` and the status file.

    Bad::

        .. rest_status_code:: success

    Good::

        .. rest_status_code:: success status.yaml
    """
    for stanza in context.parameter_stanzas:
        if not stanza.file_arg:
            yield Problem(
                "S004",
                "rest_parameters names no parameters file",
                stanza.path,
                stanza.line,
            )
    for status in context.status_stanzas:
        if not status.file_arg:
            yield Problem(
                "S004",
                "rest_status_code needs two arguments: success|error and the status file",
                status.path,
                status.line,
            )


@rule(
    "S005",
    "duplicate-name",
    "a name appears twice in one stanza",
    tier="all",
)
def duplicate_name(context: LintContext) -> Iterator[Problem]:
    """A table that lists a parameter twice is a copy-paste slip.

    Bad::

        - name: snapshot_name
        - name: snapshot_name

    Good::

        - name: snapshot_name
    """
    for stanza in context.parameter_stanzas:
        seen: dict[str, int] = {}
        for item in stanza.items:
            if item.name in seen:
                yield Problem(
                    "S005",
                    f"name {item.name!r} is listed twice (first at line {seen[item.name]})",
                    stanza.path,
                    item.line,
                )
            else:
                seen[item.name] = item.line


def _request_stanzas(
    context: LintContext,
) -> Iterator[tuple[Operation, list[str], list[ParameterStanza]]]:
    """(operation, its path parameters, its request stanzas) for operations
    with a well-formed URL and a request stanza."""
    for operation in context.operations:
        params = url_params(operation.url)
        if params is None:
            continue  # O002 reports the URL; its parameters are unknown
        stanzas = context.stanzas_of_operation(operation.docname, operation.index, "request")
        if stanzas:
            yield operation, params, stanzas


@rule(
    "S006",
    "missing-path-parameter",
    "a {param} of the URL is missing from the request stanza",
    tier="compat",
)
def missing_path_parameter(context: LintContext) -> Iterator[Problem]:
    """Every ``{param}`` in an operation's URL is documented in its request
    stanza.

    Bad::

        .. rest_method:: GET /v2/{tenant_id}/snapshots/{snapshot_id}

        .. rest_parameters:: parameters.yaml

           - tenant_id: tenant_id

    Good::

        .. rest_parameters:: parameters.yaml

           - tenant_id: tenant_id
           - snapshot_id: snapshot_id
    """
    for operation, params, stanzas in _request_stanzas(context):
        names = {item.name for stanza in stanzas for item in stanza.items}
        for param in params:
            if param not in names:
                yield Problem(
                    "S006",
                    f"path parameter {param!r} of {operation.method} {operation.url} is "
                    "missing from the request stanza",
                    stanzas[0].path,
                    stanzas[0].line,
                )


@rule(
    "S007",
    "path-parameter-not-in-url",
    "an 'in: path' item that is not in the URL",
    tier="all",
)
def path_parameter_not_in_url(context: LintContext) -> Iterator[Problem]:
    """An item whose definition says ``in: path`` must be a ``{param}`` of
    the operation's URL.

    Bad::

        .. rest_method:: GET /v2/{tenant_id}/snapshots

           - snapshot_id: snapshot_id    # in: path

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots/{snapshot_id}
    """
    for stanza in context.parameter_stanzas:
        operation = context.operation_of(stanza.docname, stanza.operation)
        parameters = context.parameters_for(stanza)
        params = url_params(operation.url) if operation is not None else None
        if params is None or parameters is None:
            continue
        for item in stanza.items:
            entry = parameters.entries.get(item.key)
            if entry is not None and entry.location == "path" and item.name not in params:
                yield Problem(
                    "S007",
                    f"{item.name!r} is a path parameter but {operation.url} has no {{{item.name}}}",
                    stanza.path,
                    item.line,
                )


@rule(
    "S008",
    "url-parameter-not-path",
    "a URL parameter whose definition is not 'in: path'",
    tier="all",
)
def url_parameter_not_path(context: LintContext) -> Iterator[Problem]:
    """A ``{param}`` of the URL is documented by an entry with ``in: path``.

    Bad::

        snapshot_id:
          in: body

    Good::

        snapshot_id:
          in: path
    """
    for _operation, params, stanzas in _request_stanzas(context):
        for stanza in stanzas:
            parameters = context.parameters_for(stanza)
            if parameters is None:
                continue
            for item in stanza.items:
                entry = parameters.entries.get(item.key)
                # An invalid 'in' is F006's finding, not this one's.
                location = entry.location if entry is not None else None
                if item.name in params and location in LOCATIONS and location != "path":
                    yield Problem(
                        "S008",
                        f"{item.name!r} is in the URL but its definition {item.key!r} says "
                        f"'in: {location}'",
                        stanza.path,
                        item.line,
                    )


@rule(
    "S009",
    "stanza-order",
    "items not in header, path, query, body order",
    tier="all",
)
def stanza_order(context: LintContext) -> Iterator[Problem]:
    """Readers expect a table's header parameters first, then path, query
    and body parameters.

    Bad::

        - volume_id: volume_id        # body
        - tenant_id: tenant_id        # path

    Good::

        - tenant_id: tenant_id
        - volume_id: volume_id
    """
    for stanza in context.parameter_stanzas:
        parameters = context.parameters_for(stanza)
        if parameters is None:
            continue
        highest = -1
        highest_name = ""
        for item in stanza.items:
            entry = parameters.entries.get(item.key)
            location = entry.location if entry is not None else None
            if location not in LOCATION_RANK:
                continue
            rank = LOCATION_RANK[location]  # type: ignore[index]
            if rank < highest:
                yield Problem(
                    "S009",
                    f"{item.name!r} ({location}) should come before {highest_name!r}",
                    stanza.path,
                    item.line,
                )
            elif rank > highest:
                highest, highest_name = rank, item.name


@rule(
    "S010",
    "file-outside-source",
    "a file argument points outside the source tree",
    tier="all",
)
def file_outside_source(context: LintContext) -> Iterator[Problem]:
    """Stanzas and samples read files inside the documentation source
    tree; a path that climbs out of it will not be there on another
    machine.

    Bad::

        .. rest_parameters:: ../../../etc/parameters.yaml

    Good::

        .. rest_parameters:: ../parameters.yaml
    """
    for stanza in (*context.parameter_stanzas, *context.status_stanzas):
        if stanza.file and not context.inside_srcdir(stanza.file):
            yield Problem(
                "S010",
                f"{stanza.file_arg!r} is outside the source tree",
                stanza.path,
                stanza.line,
            )
    for sample in context.samples:
        if not context.inside_srcdir(sample.file):
            yield Problem("S010", "sample is outside the source tree", sample.path, sample.line)
