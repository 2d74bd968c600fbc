"""The lint rules.

Each rule is a small function over :class:`~os_api_ref_ext.lint.engine.LintContext`
that yields :class:`~os_api_ref_ext.model.Problem` findings.  The docstring
is the rule's documentation: an explanation, then ``Bad::`` and ``Good::``
examples.  Codes are stable: F parameter and status files, S stanzas,
O operations, C status codes, J JSON samples, D directive usage.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator

from os_api_ref_ext.lint.engine import LintContext
from os_api_ref_ext.lint.registry import rule
from os_api_ref_ext.markup import unsafe_markup as find_unsafe_markup
from os_api_ref_ext.model import (
    LOCATIONS,
    MAX_URL_LENGTH,
    METHODS,
    Operation,
    ParameterStanza,
    Problem,
    parse_version,
    split_url,
    url_params,
)
from os_api_ref_ext.sources import ParameterFile, StatusFile

_LOCATION_RANK = {name: rank for rank, name in enumerate(LOCATIONS)}
_METHOD_RANK = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def _yaml_files(context: LintContext) -> Iterator[ParameterFile | StatusFile]:
    yield from context.parameter_files.values()
    yield from context.status_files.values()


def _recorded(context: LintContext, code: str) -> Iterator[Problem]:
    """Findings the directives (or the scanner) recorded while reading."""
    for document in context.documents:
        yield from (p for p in document.problems if p.code == code)
        for stanza in (*document.parameter_stanzas, *document.status_stanzas):
            yield from (p for p in stanza.problems if p.code == code)


# --------------------------------------------------------------------------
# F: parameter and status files


@rule("F001", "unreadable-file", "a parameters or status file cannot be read")
def unreadable_file(context: LintContext) -> Iterator[Problem]:
    """The file a stanza names does not exist, is a directory, cannot be
    read, or is not UTF-8 text.  Reported at the file for a read error, and
    at every stanza that names a missing file.

    Bad::

        .. rest_parameters:: parametrs.yaml

    Good::

        .. rest_parameters:: parameters.yaml
    """
    for stanzas, files in (
        (context.parameter_stanzas, context.parameter_files),
        (context.status_stanzas, context.status_files),
    ):
        for stanza in stanzas:
            loaded = files.get(stanza.file or "")
            if loaded is not None and loaded.missing:
                yield Problem(
                    "F001",
                    f"file {stanza.file_arg!r} {loaded.read_error}",
                    stanza.path,
                    stanza.line,
                )
    for loaded in _yaml_files(context):
        if loaded.read_error and not loaded.missing:
            yield Problem("F001", loaded.read_error, loaded.path, loaded.read_error_line)


@rule("F002", "yaml-syntax", "a parameters or status file is not valid YAML")
def yaml_syntax(context: LintContext) -> Iterator[Problem]:
    """The YAML parser rejected the file (reported at the line and column it
    names), or its aliases expand past a safe bound.

    Bad::

        volume_id:
                in: body      # a tab cannot indent YAML

    Good::

        volume_id:
          in: body
    """
    for loaded in _yaml_files(context):
        error = loaded.yaml_error
        if error is not None:
            where = f" (column {error.column})" if error.column else ""
            yield Problem("F002", f"YAML error: {error.message}{where}", loaded.path, error.line)


@rule("F003", "not-a-mapping", "a YAML file or entry is not a mapping")
def not_a_mapping(context: LintContext) -> Iterator[Problem]:
    """A parameters file maps keys to mappings of fields; a status file maps
    codes to mappings of reasons.  An empty file, a list at the top, or an
    entry that is a plain string gives nothing to document.

    Bad::

        volume_id: The UUID of the volume.

    Good::

        volume_id:
          description: The UUID of the volume.
          in: body
          required: true
          type: string
    """
    for loaded in _yaml_files(context):
        if loaded.empty:
            yield Problem("F003", "file is empty", loaded.path, 1)
        elif loaded.not_mapping:
            yield Problem(
                "F003",
                f"top level is a {loaded.not_mapping}, expected a mapping",
                loaded.path,
                1,
            )
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if not entry.is_mapping:
                yield Problem(
                    "F003",
                    f"entry {entry.key!r} is a {entry.value_type}, expected a mapping of "
                    "fields (in, required, type, description)",
                    parameters.path,
                    entry.line,
                )
    for status in context.status_files.values():
        for code_entry in status.codes.values():
            if code_entry.problem:
                yield Problem(
                    "F003",
                    f"status {code_entry.code}: {code_entry.problem}",
                    status.path,
                    code_entry.line,
                )


@rule("F004", "duplicate-key", "a key is defined twice in one file")
def duplicate_key(context: LintContext) -> Iterator[Problem]:
    """YAML keeps the last of two equal keys and drops the first without a
    word; the finding names both lines.

    Bad::

        name:
          description: The snapshot name.
        name:
          description: The volume name.

    Good::

        snapshot_name:
          description: The snapshot name.
        volume_name:
          description: The volume name.
    """
    for loaded in _yaml_files(context):
        for duplicate in loaded.duplicates:
            yield Problem(
                "F004",
                f"duplicate key {duplicate.key!r}: first defined at line "
                f"{duplicate.first_line}, defined again at line {duplicate.line} "
                "(the later one is used)",
                loaded.path,
                duplicate.line,
            )


@rule("F005", "missing-field", "a parameter lacks in, type, description or required")
def missing_field(context: LintContext) -> Iterator[Problem]:
    """Every parameter says where it goes (``in``), its ``type``, whether it
    is ``required`` and a ``description``.

    Bad::

        limit:
          in: query
          type: integer

    Good::

        limit:
          description: The largest number of snapshots to return.
          in: query
          required: false
          type: integer
    """
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if not entry.is_mapping:
                continue
            missing = [
                name
                for name in ("in", "type", "description", "required")
                if name not in entry.fields
            ]
            if missing:
                yield Problem(
                    "F005",
                    f"entry {entry.key!r} has no {', '.join(missing)}",
                    parameters.path,
                    entry.line,
                )


@rule("F006", "invalid-in", "'in' is not header, path, query or body")
def invalid_in(context: LintContext) -> Iterator[Problem]:
    """``in`` says where a parameter travels: ``header``, ``path``,
    ``query`` or ``body``.

    Bad::

        snapshot_id:
          in: url

    Good::

        snapshot_id:
          in: path
    """
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if "in" in entry.fields and entry.get("in") not in LOCATIONS:
                yield Problem(
                    "F006",
                    f"entry {entry.key!r}: 'in' is {entry.get('in')!r}, expected one of "
                    + ", ".join(LOCATIONS),
                    parameters.path,
                    entry.line_of("in"),
                )


@rule("F007", "invalid-type", "'type' is not a known type")
def invalid_type(context: LintContext) -> Iterator[Problem]:
    """``type`` is one of array, boolean, float, integer, none, object,
    string (``os_api_ref_lint = {'types': [...]}`` changes the list).

    Bad::

        size:
          type: int

    Good::

        size:
          type: integer
    """
    types = context.options.types
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if "type" in entry.fields and entry.get("type") not in types:
                yield Problem(
                    "F007",
                    f"entry {entry.key!r}: 'type' is {entry.get('type')!r}, expected one of "
                    + ", ".join(types),
                    parameters.path,
                    entry.line_of("type"),
                )


@rule("F008", "required-not-boolean", "'required' is not true or false")
def required_not_boolean(context: LintContext) -> Iterator[Problem]:
    """``required`` must be a YAML boolean; a string such as ``"yes"`` is
    not, and would make the parameter show as optional.

    Bad::

        volume_id:
          required: "yes"

    Good::

        volume_id:
          required: true
    """
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if "required" in entry.fields and not isinstance(entry.get("required"), bool):
                yield Problem(
                    "F008",
                    f"entry {entry.key!r}: 'required' is {entry.get('required')!r}, "
                    "expected true or false",
                    parameters.path,
                    entry.line_of("required"),
                )


@rule("F009", "invalid-version", "min_version/max_version malformed, or min above max")
def invalid_version(context: LintContext) -> Iterator[Problem]:
    """Versions are ``X.Y``, and a parameter cannot disappear before it
    appears.

    Bad::

        progress:
          min_version: 3
          max_version: 2.1

    Good::

        progress:
          min_version: 2.1
          max_version: 3.0
    """
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if not entry.is_mapping:
                continue
            bounds = {}
            for name in ("min_version", "max_version"):
                text = entry.version(name)
                if text is None:
                    continue
                parsed = parse_version(text)
                if parsed is None:
                    yield Problem(
                        "F009",
                        f"entry {entry.key!r}: {name} {text!r} is not of the form X.Y",
                        parameters.path,
                        entry.line_of(name),
                    )
                else:
                    bounds[name] = parsed
            if len(bounds) == 2 and bounds["min_version"] > bounds["max_version"]:
                yield Problem(
                    "F009",
                    f"entry {entry.key!r}: min_version {entry.version('min_version')} is "
                    f"above max_version {entry.version('max_version')}",
                    parameters.path,
                    entry.line_of("min_version"),
                )
    yield from _operation_versions(context)


def _operation_versions(context: LintContext) -> Iterator[Problem]:
    for operation in context.operations:
        bounds = {}
        for name, text in (
            ("min_version", operation.min_version),
            ("max_version", operation.max_version),
        ):
            if text is None:
                continue
            parsed = parse_version(text)
            if parsed is None:
                yield Problem(
                    "F009",
                    f"{name} {text!r} of {operation.method} {operation.url} is not of the form X.Y",
                    operation.path,
                    operation.line,
                )
            else:
                bounds[name] = parsed
        if len(bounds) == 2 and bounds["min_version"] > bounds["max_version"]:
            yield Problem(
                "F009",
                f"min_version {operation.min_version} is above max_version {operation.max_version}",
                operation.path,
                operation.line,
            )


@rule("F010", "unsorted-entries", "entries not sorted by 'in', then by name")
def unsorted_entries(context: LintContext) -> Iterator[Problem]:
    """A parameters file lists header, then path, then query, then body
    parameters, each group sorted by name regardless of case, so a reader
    (and a merge) finds an entry where it belongs.  ``os-api-ref-lint
    --fix`` sorts a file.

    Bad::

        volume_id:
          in: body
        snapshot_id:
          in: path

    Good::

        snapshot_id:
          in: path
        volume_id:
          in: body
    """
    for parameters in context.parameter_files.values():
        previous = None
        for entry in parameters.order:
            location = entry.location
            if location not in _LOCATION_RANK:
                continue
            rank = (_LOCATION_RANK[location], entry.key.lower())
            if previous is not None and rank < previous[0]:
                before = previous[1]
                if rank[0] < previous[0][0]:
                    why = f"'{location}' entries go before '{before.location}' entries"
                else:
                    why = "entries of one 'in' are sorted by name"
                yield Problem(
                    "F010",
                    f"entry {entry.key!r} is out of order: it should come before "
                    f"{before.key!r} ({why})",
                    parameters.path,
                    entry.line,
                )
                continue
            previous = (rank, entry)


@rule("F011", "unused-entry", "an entry that no stanza in the tree uses")
def unused_entry(context: LintContext) -> Iterator[Problem]:
    """Every entry of a parameters file should be used by at least one
    ``rest_parameters`` stanza somewhere in the tree; an unused one is dead
    text that drifts out of date.  ``--fix --unsafe-fixes`` deletes them.

    Bad::

        # parameters.yaml defines 'consistencygroup_id', no stanza lists it

    Good::

        # every key in parameters.yaml appears in some stanza
    """
    used: dict[str, set[str]] = defaultdict(set)
    for stanza in context.parameter_stanzas:
        if stanza.file:
            used[stanza.file].update(item.key for item in stanza.items)
    for path, parameters in context.parameter_files.items():
        for entry in parameters.order:
            if entry.key not in used[path]:
                yield Problem(
                    "F011",
                    f"entry {entry.key!r} is not used by any rest_parameters stanza",
                    path,
                    entry.line,
                )


@rule("F012", "key-not-string", "a key is a number, boolean or null")
def key_not_string(context: LintContext) -> Iterator[Problem]:
    """YAML reads ``1:``, ``yes:`` or ``null:`` as a number, a boolean or
    null, not as the text a stanza refers to; quote such keys.

    Bad::

        true:
          in: query

    Good::

        "true":
          in: query
    """
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if entry.key_type != "string":
                yield Problem(
                    "F012",
                    f"key {entry.key!r} is read as {entry.key_type}; quote it",
                    parameters.path,
                    entry.line,
                )
    for status in context.status_files.values():
        for key, line in status.bad_keys:
            yield Problem(
                "F012",
                f"status file key {key!r} is not an HTTP status code",
                status.path,
                line,
            )


@rule("F013", "description-not-text", "a description or reason is not text")
def description_not_text(context: LintContext) -> Iterator[Problem]:
    """Descriptions and status reasons are reStructuredText strings.  A
    YAML list or mapping there is almost always an indentation slip; it is
    shown as YAML text.

    Bad::

        name:
          description:
            - The name.

    Good::

        name:
          description: |
            The name.
    """
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            value = entry.get("description")
            if "description" in entry.fields and not isinstance(value, str):
                yield Problem(
                    "F013",
                    f"entry {entry.key!r}: description is not text",
                    parameters.path,
                    entry.line_of("description"),
                )
    for status in context.status_files.values():
        for code_entry in status.codes.values():
            for reason, found in code_entry.reasons.items():
                if not isinstance(found.value, str):
                    yield Problem(
                        "F013",
                        f"status {code_entry.code}: reason {reason!r} is not text",
                        status.path,
                        found.line,
                    )


# --------------------------------------------------------------------------
# S: stanzas


@rule("S001", "undefined-key", "a stanza refers to a key its file does not define")
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


@rule("S002", "malformed-item", "a stanza item is not '- name: key' (or '- CODE')")
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
    yield from _recorded(context, "S002")


@rule("S003", "empty-stanza", "a stanza lists no items")
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


@rule("S004", "missing-file-argument", "a stanza names no file")
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


@rule("S005", "duplicate-name", "a name appears twice in one stanza")
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


@rule("S007", "path-parameter-not-in-url", "an 'in: path' item that is not in the URL")
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
    default=False,
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
            if location not in _LOCATION_RANK:
                continue
            rank = _LOCATION_RANK[location]  # type: ignore[index]
            if rank < highest:
                yield Problem(
                    "S009",
                    f"{item.name!r} ({location}) should come before {highest_name!r}",
                    stanza.path,
                    item.line,
                )
            elif rank > highest:
                highest, highest_name = rank, item.name


@rule("S010", "file-outside-source", "a file argument points outside the source tree")
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


# --------------------------------------------------------------------------
# O: operations


@rule("O001", "unknown-method", "rest_method uses an unknown HTTP method")
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


@rule("O002", "malformed-url", "the URL is empty, has spaces or unbalanced braces")
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


@rule("O007", "url-too-long", f"a URL longer than {MAX_URL_LENGTH} characters")
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
                    f"{other.path}:{other.line} for overlapping versions",
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
    default=False,
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
            rank = _METHOD_RANK.get(operation.method)
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


@rule("O005", "unexpected-method-content", "rest_method content other than version lines")
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
    yield from _recorded(context, "O005")


@rule("O006", "misplaced-rest-method", "rest_method is not the first element of a section")
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
    yield from _recorded(context, "O006")


# --------------------------------------------------------------------------
# C: status codes


@rule("C001", "undefined-status-code", "a code the status file does not define")
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


@rule("C003", "wrong-status-class", "a 1xx-3xx code under error, or 4xx/5xx under success")
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


@rule("C004", "unordered-codes", "codes not in ascending order", default=False)
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


@rule("C005", "invalid-status-type", "the first argument is not success or error")
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


@rule("C006", "missing-default-reason", "a status code without a default reason")
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


# --------------------------------------------------------------------------
# J: JSON samples


@rule("J001", "sample-missing", "a literalinclude'd JSON sample does not exist")
def sample_missing(context: LintContext) -> Iterator[Problem]:
    """The sample file a ``literalinclude`` names must exist.

    Bad::

        .. literalinclude:: samples/snapshot-show-reponse.json

    Good::

        .. literalinclude:: samples/snapshot-show-response.json
    """
    for sample in context.samples:
        loaded = context.sample_file(sample.file)
        if loaded.read_error:
            line = sample.line if loaded.missing else loaded.read_error_line
            path = sample.path if loaded.missing else sample.file
            yield Problem("J001", f"sample {sample.file}: {loaded.read_error}", path, line)


@rule("J002", "sample-invalid-json", "a JSON sample does not parse")
def sample_invalid_json(context: LintContext) -> Iterator[Problem]:
    """Samples are valid JSON (reported at the line and column of the
    error).

    Bad::

        {"snapshot": {"name": "snap-01",}}

    Good::

        {"snapshot": {"name": "snap-01"}}
    """
    for sample in context.samples:
        loaded = context.sample_file(sample.file)
        if loaded.json_error is not None:
            error = loaded.json_error
            yield Problem(
                "J002",
                f"invalid JSON: {error.message} (column {error.column})",
                sample.file,
                error.line,
            )


def _documented(
    context: LintContext, sample
) -> tuple[dict[str, str], dict[str, tuple[str, int, str]]] | None:  # type: ignore[no-untyped-def]
    """Body parameters of the stanzas matching a sample.

    Returns (name -> type of every documented body parameter,
    name -> (key, line, path) of the required ones), or None when the
    sample has no operation or no matching stanza.
    """
    if sample.operation is None or sample.kind is None:
        return None
    stanzas = context.stanzas_of_operation(sample.docname, sample.operation, sample.kind)
    if not stanzas:
        return None
    types: dict[str, str] = {}
    required: dict[str, tuple[str, int, str]] = {}
    for stanza in stanzas:
        parameters = context.parameters_for(stanza)
        if parameters is None or not parameters.usable:
            return None
        for item in stanza.items:
            entry = parameters.entries.get(item.key)
            if entry is None or not entry.is_mapping or entry.location not in LOCATIONS:
                return None  # S001, F003 or F006 first; then the sample is checked
            if entry.location != "body":
                continue
            types[item.name] = entry.type or ""
            if entry.required:
                required[item.name] = (item.key, item.line, stanza.path)
    return types, required


@rule("J003", "undocumented-sample-key", "a sample key that no body parameter documents")
def undocumented_sample_key(context: LintContext) -> Iterator[Problem]:
    """Every key of a request or response sample is a body parameter of the
    matching stanza.  Keys inside an ``object`` parameter whose own keys
    are not documented (free-form ``metadata``) are not checked, unless the
    object is at the top of the sample and the stanza documents parameters
    the sample lacks (then they belong inside it).

    Bad::

        {"snapshot": {"name": "snap-01", "colour": "blue"}}

    Good::

        {"snapshot": {"name": "snap-01"}}
    """
    for sample in context.samples:
        documented = _documented(context, sample)
        if documented is None:
            continue
        types, _required = documented
        loaded = context.sample_file(sample.file)
        present = {key.name for key in loaded.keys}
        # A top-level object with undocumented children is free-form only
        # when the stanza documents nothing that could live inside it.
        all_present = all(name in present for name in types)
        reported: set[str] = set()
        for key in loaded.keys:
            if any(
                types.get(parent) == "object"
                and (depth > 0 or all_present)
                and not _has_documented_child(loaded, parent, types)
                for depth, parent in enumerate(key.parents)
            ):
                continue
            if key.name not in types and key.name not in reported:
                reported.add(key.name)
                yield Problem(
                    "J003",
                    f"key {key.name!r} in {sample.kind} sample is not a documented body parameter",
                    sample.path,
                    sample.line,
                )


def _has_documented_child(loaded, parent: str, types: dict[str, str]) -> bool:  # type: ignore[no-untyped-def]
    return any(
        key.parents and key.parents[-1] == parent and key.name in types for key in loaded.keys
    )


@rule("J004", "missing-required-key", "a required body parameter absent from the sample")
def missing_required_key(context: LintContext) -> Iterator[Problem]:
    """A sample shows every required body parameter of its stanza.

    Bad::

        {"snapshot": {"name": "snap-01"}}      # volume_id is required

    Good::

        {"snapshot": {"name": "snap-01", "volume_id": "..."}}
    """
    for sample in context.samples:
        documented = _documented(context, sample)
        if documented is None:
            continue
        _types, required = documented
        loaded = context.sample_file(sample.file)
        if loaded.json_error is not None or loaded.read_error or not loaded.object_like:
            continue
        present = {key.name for key in loaded.keys}
        for name in required:
            if name not in present:
                yield Problem(
                    "J004",
                    f"required body parameter {name!r} is missing from the {sample.kind} sample",
                    sample.path,
                    sample.line,
                )


@rule("J005", "sample-not-object", "a JSON sample is valid but not an object")
def sample_not_object(context: LintContext) -> Iterator[Problem]:
    """A request or response body is a JSON object whose keys are the body
    parameters; a bare string, number, ``null`` or a list of such values
    documents none of them.  A list of objects is accepted, as some APIs
    return one.

    Bad::

        ["snap-01", "snap-02"]

    Good::

        {"snapshots": [{"name": "snap-01"}, {"name": "snap-02"}]}
    """
    for sample in context.samples:
        loaded = context.sample_file(sample.file)
        if loaded.json_error is not None or loaded.read_error or loaded.object_like:
            continue
        yield Problem(
            "J005",
            f"sample is a JSON {loaded.top_type}, expected an object",
            sample.file,
            loaded.top_line,
        )


# --------------------------------------------------------------------------
# D: directive usage


@rule("D001", "unknown-option", "a directive option that is not known")
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
    yield from _recorded(context, "D001")


@rule("D002", "unsafe-markup", "a script link, or raw HTML in a YAML description")
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
    yield from _recorded(context, "D002")
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
        for offset, message in find_unsafe_markup(found.value):
            yield Problem("D002", message, path, found.value_line + offset)


@rule("D003", "empty-include", "an included file is empty")
def empty_include(context: LintContext) -> Iterator[Problem]:
    """An ``include`` of an empty file adds nothing to the page: usually a
    file that was never written or was truncated.

    Bad::

        .. include:: snapshots.inc      # snapshots.inc is empty

    Good::

        .. include:: snapshots.inc      # holds the snapshot operations
    """
    yield from _recorded(context, "D003")
