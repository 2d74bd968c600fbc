"""S rules: ``rest_parameters`` and ``rest_status_code`` stanzas and their items against the URL.

Sphinx-free: each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.registry import rule
from os_api_ref_ext.lint.rules._shared import LOCATION_RANK, overlap, recorded, version_range
from os_api_ref_ext.model import (
    LOCATIONS,
    Operation,
    ParameterStanza,
    Problem,
    StanzaItem,
    url_params,
)
from os_api_ref_ext.sources import ParameterEntry, ParameterFile


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
    tier="recommended",
)
def duplicate_name(context: LintContext) -> Iterator[Problem]:
    """A table that lists a parameter twice is a copy-paste slip.  One name
    may appear twice when its two definitions differ in ``in`` (a path
    parameter that is also a body field), cover disjoint microversion
    ranges (``max_version: 2.52`` and ``min_version: 2.53``), or document
    two fields of that name at different depths of the operation's sample
    (``{"version": {"version": "2.1"}}``).

    Bad::

        - name: snapshot_name
        - name: snapshot_name

    Good::

        - marker: marker_integer     # max_version: 2.52
        - marker: marker_uuid        # min_version: 2.53
    """
    depths = _sample_depths(context)
    for stanza in context.parameter_stanzas:
        parameters = context.parameters_for(stanza)
        entries = parameters.entries if parameters is not None else {}
        nested = depths.get((stanza.docname, stanza.operation, stanza.kind), {})
        seen: dict[str, list[StanzaItem]] = {}
        for item in stanza.items:
            earlier = seen.setdefault(item.name, [])
            clash = next((other for other in earlier if _same_row(other, item, entries)), None)
            if clash is not None and not (clash.key != item.key and nested.get(item.name, 0) > 1):
                yield Problem(
                    "S005",
                    f"name {item.name!r} is listed twice (first at line {clash.line})",
                    stanza.path,
                    item.line,
                )
            earlier.append(item)


def _sample_depths(
    context: LintContext,
) -> dict[tuple[str, int | None, str | None], dict[str, int]]:
    """For the samples of each operation's request or response: how many
    different places (sets of keys above it) each key name occupies."""
    places: dict[tuple[str, int | None, str | None], dict[str, set[tuple[str, ...]]]] = {}
    for sample in context.samples:
        table = places.setdefault((sample.docname, sample.operation, sample.kind), {})
        for key in context.sample_file(sample.file).keys:
            table.setdefault(key.name, set()).add(key.parents)
    return {
        where: {name: len(parents) for name, parents in table.items()}
        for where, table in places.items()
    }


def _same_row(first: StanzaItem, second: StanzaItem, entries: dict[str, ParameterEntry]) -> bool:
    """Whether two items of one name document the same parameter.

    The same key always does; two keys do unless their definitions differ
    in ``in`` or in versions.  When a definition is unknown (S001, or a file
    that did not load), so is the answer, and the items are left alone.
    """
    if first.key == second.key:
        return True
    one, other = entries.get(first.key), entries.get(second.key)
    if one is None or other is None:
        return False
    return one.location == other.location and overlap(_entry_versions(one), _entry_versions(other))


def _entry_versions(entry: ParameterEntry) -> tuple[tuple[int, int], tuple[int, int]]:
    return version_range(entry.version("min_version"), entry.version("max_version"))


#: A URL parameter name os-api-ref recognises (``{project-id}`` it skips).
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def path_params(url: str) -> list[str] | None:
    """The ``{param}`` names of a URL's path: a ``{param}`` after ``?`` is a
    query parameter.  None when the braces do not pair up (O002)."""
    return url_params(url.partition("?")[0])


def _spelling(name: str) -> str:
    """A name with ``-`` and ``_`` made alike: ``{project-id}`` and
    ``project_id`` are one parameter spelled two ways (S011)."""
    return name.replace("-", "_")


def _loaded(context: LintContext, stanza: ParameterStanza) -> ParameterFile | None:
    """The stanza's parameters file when it loaded; None when it did not
    (F001-F003 report that, and nothing here guesses at its content)."""
    parameters = context.parameters_for(stanza)
    return parameters if parameters is not None and parameters.usable else None


def _stanzas_by_operation(
    context: LintContext,
) -> dict[tuple[str, int], list[ParameterStanza]]:
    """Every parameter stanza of each operation, in document order."""
    table: dict[tuple[str, int], list[ParameterStanza]] = {}
    for stanza in context.parameter_stanzas:
        if stanza.operation is not None:
            table.setdefault((stanza.docname, stanza.operation), []).append(stanza)
    return table


@rule(
    "S006",
    "missing-path-parameter",
    "a {param} of the URL is missing from the request stanza",
    tier="compat",
)
def missing_path_parameter(context: LintContext) -> Iterator[Problem]:
    """Every ``{param}`` of an operation's path is listed in the first
    ``rest_parameters`` stanza after its ``rest_method`` (the one os-api-ref
    checks, whatever heading it is under) and in its request stanzas.

    As in os-api-ref, only plain names (letters, digits and ``_``) are
    checked; S011 reports the others.  A ``{param}`` after ``?`` is a query
    parameter.  An operation whose stanza names a parameters file that did
    not load is left to F001-F003.

    Bad::

        .. rest_method:: GET /v2/{tenant_id}/snapshots/{snapshot_id}

        .. rest_parameters:: parameters.yaml

           - tenant_id: tenant_id

    Good::

        .. rest_parameters:: parameters.yaml

           - tenant_id: tenant_id
           - snapshot_id: snapshot_id
    """
    stanzas_of = _stanzas_by_operation(context)
    for operation in context.operations:
        params = path_params(operation.url)
        if not params:
            continue  # none, or a malformed URL (O002)
        checked = [param for param in params if _PLAIN_NAME.fullmatch(param)]
        listed = [s for s in stanzas_of.get((operation.docname, operation.index), []) if s.items]
        groups = [listed[:1], [s for s in listed if s.kind == "request"]]
        reported: set[str] = set()
        for group in groups:
            if not group or not all(_loaded(context, s) for s in group):
                continue
            names = {item.name for stanza in group for item in stanza.items}
            where = (
                "request stanza"
                if group[0].kind == "request"
                else "operation's first rest_parameters stanza"
            )
            for param in checked:
                if param not in names and param not in reported:
                    reported.add(param)
                    yield Problem(
                        "S006",
                        f"path parameter {param!r} of {operation.method} {operation.url} is "
                        f"missing from the {where}",
                        group[0].path,
                        group[0].line,
                    )


def _path_items_not_in_url(
    context: LintContext, stanza: ParameterStanza, *, optional: bool = False
) -> Iterator[tuple[StanzaItem, Operation]]:
    """Items of a stanza whose definition says ``in: path`` but whose name
    is not in the operation's path; an optional part of the URL (see
    :func:`_optional_url_part`) only when ``optional``."""
    operation = context.operation_of(stanza.docname, stanza.operation)
    parameters = _loaded(context, stanza)
    params = path_params(operation.url) if operation is not None else None
    if operation is None or params is None or parameters is None:
        return
    spelled = {_spelling(param) for param in params}
    for item in stanza.items:
        entry = parameters.entries.get(item.key)
        if (
            entry is not None
            and entry.location == "path"
            and (optional or not _optional_url_part(entry))
            and _spelling(item.name) not in spelled
        ):
            yield item, operation


@rule(
    "S012",
    "row-without-in-or-type",
    "a stanza item whose entry has no 'in' or no 'type'",
    tier="compat",
)
def row_without_in_or_type(context: LintContext) -> Iterator[Problem]:
    """Each row of a parameters table shows where the parameter goes and its
    type.  os-api-ref fails on such a row ("Failure on key") and drops the
    rest of the table; the row is reported at the stanza item, naming the
    entry's line (F005 reports an unused entry's missing fields).

    Bad::

        - name: name          # parameters.yaml: name has no type

    Good::

        - name: name          # name: {in: body, type: string, ...}
    """
    for stanza in context.parameter_stanzas:
        parameters = _loaded(context, stanza)
        if parameters is None:
            continue
        for item in stanza.items:
            entry = parameters.entries.get(item.key)
            if entry is None or not entry.is_mapping:
                continue  # S001 and F003 report these
            missing = [name for name in ("in", "type") if name not in entry.fields]
            if missing:
                yield Problem(
                    "S012",
                    f"entry {item.key!r} ({context.relative(parameters.path)}:{entry.line}) "
                    f"has no {' and no '.join(repr(name) for name in missing)}",
                    stanza.path,
                    item.line,
                )


#: Words with which a description says that a parameter is a part of the URL.
_URL_WORDS = re.compile(r"\b(?:urls?|uris?|prefix(?:es)?)\b", re.IGNORECASE)


def _optional_url_part(entry: ParameterEntry) -> bool:
    """An ``in: path`` definition with ``required: false`` whose description
    speaks of the URL: an optional URL part (a deprecated prefix, say) that
    a reference may leave out of its URLs.  A ``required: false`` path
    entry whose description does not is a query or body field given the
    wrong ``in:``, and stays a finding."""
    return entry.get("required") is False and bool(_URL_WORDS.search(entry.description))


@rule(
    "S007",
    "path-parameter-not-in-url",
    "an 'in: path' item that is not in the URL",
    tier="recommended",
)
def path_parameter_not_in_url(context: LintContext) -> Iterator[Problem]:
    """An item whose definition says ``in: path`` must be a ``{param}`` of
    the operation's URL.  A definition with ``required: false`` whose
    description speaks of the URL (a deprecated optional prefix, say) is an
    optional part of it and may be absent; one whose description does not
    is a query or body field with the wrong ``in:``, and is reported.

    Bad::

        .. rest_method:: GET /v2/{tenant_id}/snapshots

           - snapshot_id: snapshot_id    # in: path

    Good::

        .. rest_method:: GET /v2/{tenant_id}/snapshots/{snapshot_id}
    """
    for stanza in context.parameter_stanzas:
        for item, operation in _path_items_not_in_url(context, stanza):
            yield Problem(
                "S007",
                f"{item.name!r} is a path parameter but {operation.url} has no {{{item.name}}}",
                stanza.path,
                item.line,
            )


def _request_stanzas(
    context: LintContext,
) -> Iterator[tuple[Operation, list[str], list[ParameterStanza]]]:
    """(operation, its path parameters, its request stanzas) for operations
    with a well-formed URL and a request stanza."""
    for operation in context.operations:
        params = path_params(operation.url)
        if params is None:
            continue  # O002 reports the URL; its parameters are unknown
        stanzas = context.stanzas_of_operation(operation.docname, operation.index, "request")
        if stanzas:
            yield operation, params, stanzas


@rule(
    "S008",
    "url-parameter-not-path",
    "a URL parameter whose definition is not 'in: path'",
    tier="recommended",
)
def url_parameter_not_path(context: LintContext) -> Iterator[Problem]:
    """A ``{param}`` of the URL's path is documented by an entry with ``in:
    path``.  When a request lists the name twice (the path parameter and a
    body field of the same name), the ``in: path`` one documents the URL.

    Bad::

        snapshot_id:
          in: body

    Good::

        snapshot_id:
          in: path
    """
    for _operation, params, stanzas in _request_stanzas(context):
        spelled = {_spelling(param) for param in params}
        located: list[tuple[ParameterStanza, StanzaItem, str | None]] = []
        for stanza in stanzas:
            parameters = _loaded(context, stanza)
            if parameters is None:
                continue
            for item in stanza.items:
                if _spelling(item.name) in spelled:
                    entry = parameters.entries.get(item.key)
                    located.append((stanza, item, entry.location if entry is not None else None))
        in_path = {_spelling(item.name) for _s, item, location in located if location == "path"}
        for stanza, item, location in located:
            # An invalid 'in' is F006's finding, not this one's.
            if location in LOCATIONS and _spelling(item.name) not in in_path:
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
    and body parameters.  A style rule, off by default.  An ``in: path``
    item that is not in the URL is not placed (S007 reports it when it is
    required).

    Bad::

        - volume_id: volume_id        # body
        - tenant_id: tenant_id        # path

    Good::

        - tenant_id: tenant_id
        - volume_id: volume_id
    """
    for stanza in context.parameter_stanzas:
        parameters = _loaded(context, stanza)
        if parameters is None:
            continue
        misplaced = {item for item, _op in _path_items_not_in_url(context, stanza, optional=True)}
        highest = -1
        highest_name = ""
        for item in stanza.items:
            entry = parameters.entries.get(item.key)
            location = entry.location if entry is not None else None
            if location not in LOCATION_RANK or item in misplaced:
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


#: What marks the top of a repository (a ``.git`` file in a worktree).
_REPOSITORY_MARKERS = (".git", ".hg")


def repository_root(srcdir: str) -> str | None:
    """The nearest directory at or above ``srcdir`` holding ``.git`` or
    ``.hg``; None when there is none."""
    directory = os.path.realpath(srcdir)
    while True:
        if any(os.path.exists(os.path.join(directory, m)) for m in _REPOSITORY_MARKERS):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _inside(path: str, root: str) -> bool:
    target = os.path.realpath(path)
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


@rule(
    "S010",
    "file-outside-source",
    "a file outside the source tree that is missing or outside the repository",
    tier="recommended",
)
def file_outside_source(context: LintContext) -> Iterator[Problem]:
    """Stanzas and samples may read files outside the documentation source
    tree when they are part of the same repository (nova keeps its samples
    in ``doc/api_samples``, next to the tests that produce them).  A path
    that climbs out of the source tree to a file that does not exist, or
    out of the repository (the nearest directory above the source tree
    holding ``.git`` or ``.hg``), will not be there on another machine.
    Without a repository, no boundary is guessed.

    Bad::

        .. rest_parameters:: ../../../../etc/parameters.yaml

    Good::

        .. literalinclude:: ../../doc/api_samples/snapshot-show-resp.json
    """
    root = repository_root(context.srcdir)
    files = [
        (stanza.file, repr(stanza.file_arg), stanza.path, stanza.line)
        for stanza in (*context.parameter_stanzas, *context.status_stanzas)
        if stanza.file
    ]
    files += [(sample.file, "sample", sample.path, sample.line) for sample in context.samples]
    for file, shown, path, line in files:
        if context.inside_srcdir(file):
            continue
        if not os.path.exists(file):
            reason = "is outside the source tree and does not exist"
        elif not os.path.isfile(file):
            continue  # a device, FIFO or socket: F001 or J001 reports it

        elif root is not None and not _inside(file, root):
            reason = "is outside the source tree and its repository"
        else:
            continue
        yield Problem("S010", f"{shown} {reason}", path, line)


@rule(
    "S011",
    "url-parameter-spelling",
    "a {param} with a name os-api-ref does not check, such as {project-id}",
    tier="all",
)
def url_parameter_spelling(context: LintContext) -> Iterator[Problem]:
    """os-api-ref (and S006) check only ``{param}`` names made of letters,
    digits and ``_``.  A ``{project-id}`` is never checked, and is usually
    listed as ``project_id``, so the table does not show the name the URL
    uses.  A style rule, off by default.

    Bad::

        .. rest_method:: GET /v3/default-types/{project-id}

           - project_id: project_id_path

    Good::

        .. rest_method:: GET /v3/default-types/{project_id}

           - project_id: project_id_path
    """
    stanzas_of = _stanzas_by_operation(context)
    for operation in context.operations:
        for param in path_params(operation.url) or []:
            if _PLAIN_NAME.fullmatch(param):
                continue
            names = {
                _spelling(item.name): item.name
                for stanza in stanzas_of.get((operation.docname, operation.index), [])
                for item in stanza.items
            }
            listed = names.get(_spelling(param))
            if listed == param:
                detail = "os-api-ref does not check it"
            elif listed is not None:
                detail = f"the stanza lists it as {listed!r}"
            else:
                detail = "no stanza lists it"
            yield Problem(
                "S011",
                f"URL parameter {{{param}}} of {operation.method} {operation.url} is not "
                f"a plain name (letters, digits, '_'): {detail}",
                operation.path,
                operation.line,
            )
