"""Sphinx-free: F rules, parameters and status files themselves.

Syntax, fields, order and unused entries.

Each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.rule import rule
from os_api_ref_ext.lint.rules._shared import canonical_key, yaml_files
from os_api_ref_ext.lint.rules._unused import unused_entries
from os_api_ref_ext.model import LOCATIONS, Problem, parse_version
from os_api_ref_ext.sources import ParameterEntry


@rule(
    "F001",
    "unreadable-file",
    "a parameters or status file cannot be read",
    tier="compat",
)
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
                    f"{stanza.file_arg!r}: {loaded.read_error}",
                    stanza.path,
                    stanza.line,
                )
    for loaded in yaml_files(context):
        if loaded.read_error and not loaded.missing:
            yield Problem("F001", loaded.read_error, loaded.path, loaded.read_error_line)


@rule(
    "F002",
    "yaml-syntax",
    "a parameters or status file is not valid YAML",
    tier="compat",
)
def yaml_syntax(context: LintContext) -> Iterator[Problem]:
    """The YAML parser rejected the file (reported at the line and column it
    names), or its aliases expand past a safe bound, or a merge key
    (``<<``) names something other than a mapping or a list of mappings
    (reported at the ``<<``; YAML's safe loader, and so os-api-ref, refuses
    such a file too).

    Bad::

        volume_id:
                in: body      # a tab cannot indent YAML

    Good::

        volume_id:
          in: body
    """
    for loaded in yaml_files(context):
        error = loaded.yaml_error
        if error is not None:
            where = f" (column {error.column})" if error.column else ""
            yield Problem("F002", f"YAML error: {error.message}{where}", loaded.path, error.line)


@rule(
    "F003",
    "not-a-mapping",
    "a YAML file or entry is not a mapping",
    tier="compat",
)
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
    for loaded in yaml_files(context):
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


@rule(
    "F004",
    "duplicate-key",
    "a key is defined twice in one file",
    tier="recommended",
)
def duplicate_key(context: LintContext) -> Iterator[Problem]:
    """YAML keeps the last of two equal keys and drops the first without a
    word; the finding names both lines.  A key written beside a merge key
    (``<<: *anchor``) overrides the merged one, as intended: that is not a
    duplicate.

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
    for loaded in yaml_files(context):
        for duplicate in loaded.duplicates:
            yield Problem(
                "F004",
                f"duplicate key {duplicate.key!r}: first defined at line "
                f"{duplicate.first_line}, defined again at line {duplicate.line} "
                "(the later one is used)",
                loaded.path,
                duplicate.line,
            )


#: The fields of a parameter os-api-ref reads.
_FIELDS = ("in", "type", "description", "required", "min_version", "max_version")


@rule(
    "F005",
    "missing-field",
    "a parameter lacks in, type or description, or misspells a field",
    tier="recommended",
)
def missing_field(context: LintContext) -> Iterator[Problem]:
    """Every parameter says where it goes (``in``), its ``type`` and a
    ``description``; a path parameter also says ``required: true``.  For a
    header, query or body parameter a missing ``required`` means optional,
    as os-api-ref shows it.  A field name that is a near miss of one of
    these (``requried``, ``require``, ``descripition``) is reported at its
    line: os-api-ref ignores it, so the parameter silently lacks the field.
    A missing ``in`` or ``type`` of an entry that a stanza uses is S012's
    finding, at the stanza item, where os-api-ref reports it.

    Bad::

        limit:
          description: The largest number of snapshots to return.
          in: query
          requried: false
          type: integer

    Good::

        limit:
          description: The largest number of snapshots to return.
          in: query
          type: integer
    """
    for path, parameters in context.parameter_files.items():
        used = context.used_keys.get(path, frozenset())
        for entry in parameters.order:
            if not entry.is_mapping:
                continue
            absent = [name for name in _FIELDS if name not in entry.fields]
            misspelled: dict[str, str] = {}
            for name in entry.fields:
                if name in _FIELDS:
                    continue
                close = difflib.get_close_matches(name.lower(), absent, n=1, cutoff=0.75)
                if close and close[0] not in misspelled.values():
                    misspelled[name] = close[0]
                    yield Problem(
                        "F005",
                        f"entry {entry.key!r}: {name!r} is not a field; did you mean {close[0]!r}?",
                        parameters.path,
                        entry.line_of(name),
                    )
            needed = ["description"] if entry.key in used else ["in", "type", "description"]
            if entry.location == "path":
                needed.append("required")
            missing = [
                name for name in needed if name in absent and name not in misspelled.values()
            ]
            if missing:
                yield Problem(
                    "F005",
                    f"entry {entry.key!r} has no {', '.join(missing)}",
                    parameters.path,
                    entry.line,
                )


@rule(
    "F006",
    "invalid-in",
    "'in' is not header, path, query or body",
    tier="compat",
)
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
    yield from _field_outside(context, "F006", "in", LOCATIONS, LOCATIONS)


def _field_outside(
    context: LintContext, code: str, name: str, accepted: tuple[str, ...], shown: tuple[str, ...]
) -> Iterator[Problem]:
    """Entries whose field ``name`` is set to none of ``accepted`` (a tuple:
    a value may be unhashable); the message lists ``shown``."""
    for parameters in context.parameter_files.values():
        for entry in parameters.order:
            if name in entry.fields and entry.get(name) not in accepted:
                yield Problem(
                    code,
                    f"entry {entry.key!r}: {name!r} is {entry.get(name)!r}, expected one of "
                    + ", ".join(shown),
                    parameters.path,
                    entry.line_of(name),
                )


#: Types outside the JSON names that projects use by convention, and accepted.
_CONVENTIONAL_TYPES = ("uuid",)


@rule(
    "F007",
    "invalid-type",
    "'type' is not a known type",
    tier="recommended",
)
def invalid_type(context: LintContext) -> Iterator[Problem]:
    """``type`` is one of array, boolean, float, integer, none, object,
    string (``os_api_ref_lint = {'types': [...]}`` changes the list).
    ``uuid``, which several projects use for identifiers throughout, is
    accepted too; Python names (``int``, ``dict``, ``bool``, ``list``) and
    other spellings (``UUID``) are not.

    Bad::

        size:
          type: int

    Good::

        size:
          type: integer
    """
    types = tuple(context.options.types)
    yield from _field_outside(context, "F007", "type", (*types, *_CONVENTIONAL_TYPES), types)


@rule(
    "F008",
    "required-not-boolean",
    "'required' is not true or false",
    tier="recommended",
)
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


@rule(
    "F009",
    "invalid-version",
    "min_version/max_version malformed, or min above max",
    tier="recommended",
)
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


@rule(
    "F010",
    "unsorted-entries",
    "entries not sorted by 'in', then by name",
    tier="compat",
)
def unsorted_entries(context: LintContext) -> Iterator[Problem]:
    """A parameters file lists header, then path, then query, then body
    parameters, each group sorted by name regardless of case, so a reader
    (and a merge) finds an entry where it belongs.  ``os-api-ref-lint
    --fix`` sorts a file.

    The check is os-api-ref's own: each entry is compared with the entry
    just before it (entries whose ``in`` is missing or invalid are
    skipped), so one entry out of place gives one finding, at that entry.
    Entries are taken as YAML reads the file: a key defined twice counts
    once, where it first appears, with its last definition.  An entry
    whose ``in`` comes from a merge key (``<<: *anchor``) is ranked by the
    merged ``in``, unless it writes its own ``in``, which wins.

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
        previous: ParameterEntry | None = None
        for entry in parameters.entries.values():
            if entry.location not in LOCATIONS:
                continue
            if previous is not None and canonical_key(entry) < canonical_key(previous):
                if canonical_key(entry)[0] < canonical_key(previous)[0]:
                    why = f"'{entry.location}' entries go before '{previous.location}' entries"
                else:
                    why = "entries of one 'in' are sorted by name"
                yield Problem(
                    "F010",
                    f"entry {entry.key!r} is out of order: it should come before "
                    f"{previous.key!r} ({why})",
                    parameters.path,
                    entry.line,
                )
            previous = entry


@rule(
    "F011",
    "unused-entry",
    "an entry that no stanza in the tree uses",
    tier="recommended",
)
def unused_entry(context: LintContext) -> Iterator[Problem]:
    """Every entry of a parameters file should be used by at least one
    ``rest_parameters`` stanza somewhere in the tree; an unused one is dead
    text that drifts out of date.  ``--fix --unsafe-fixes`` deletes them.
    An entry that a used entry merges (``<<: *anchor``) or otherwise
    aliases is used through it.

    Bad::

        # parameters.yaml defines 'consistencygroup_id', no stanza lists it

    Good::

        # every key in parameters.yaml appears in some stanza
    """
    for path, entries in unused_entries(context).items():
        for entry in entries:
            yield Problem(
                "F011",
                f"entry {entry.key!r} is not used by any rest_parameters stanza",
                path,
                entry.line,
            )


@rule(
    "F012",
    "key-not-string",
    "a key is a number, boolean or null",
    tier="compat",
)
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


@rule(
    "F013",
    "description-not-text",
    "a description or reason is not text",
    tier="compat",
)
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
