"""J rules: JSON samples included with ``literalinclude`` against their stanzas.

Sphinx-free: each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.registry import rule
from os_api_ref_ext.model import (
    LOCATIONS,
    Problem,
    Sample,
)
from os_api_ref_ext.openapi.schema import body_rows, disagreements, place_body


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


@rule(
    "J007",
    "sample-disagrees-with-schema",
    "a JSON sample disagrees with the schema of its body parameters",
    default=False,
)
def sample_disagrees_with_schema(context: LintContext) -> Iterator[Problem]:
    """A sample agrees with the body its stanza documents, as the OpenAPI
    export states it: each key documented by a body parameter holds a
    value of that parameter's type (``float`` is any number; a ``null``
    in any sample of the operation makes the key nullable), and an object
    holds each required parameter placed in it (one missing from the whole
    sample is J004's).  Parameters are placed by dotted name, else where
    the samples have the key, else at the top level; parameters with a
    microversion bound are never required.

    Bad::

        size: {in: body, required: true, type: integer}
        {"snapshot": {"size": "10"}}

    Good::

        size: {in: body, required: true, type: integer}
        {"snapshot": {"size": 10}}
    """
    groups: dict[tuple[str, int, str], list[Sample]] = {}
    for sample in context.samples:
        if sample.operation is not None and sample.kind is not None:
            groups.setdefault((sample.docname, sample.operation, sample.kind), []).append(sample)
    for (docname, operation, kind), samples in groups.items():
        stanzas = context.stanzas_of_operation(docname, operation, kind)
        rows = body_rows(stanzas, context.parameters_for)
        if not rows:
            continue
        values = []
        for sample in samples:
            loaded = context.sample_file(sample.file)
            if loaded.json_error is None and not loaded.read_error and loaded.value is not None:
                values.append((sample, loaded.value))
        body = place_body(rows, [value for _sample, value in values])
        for sample, value in values:
            for found in disagreements(body.root, value):
                yield Problem(
                    "J007",
                    f"{kind} sample {os.path.basename(sample.file)}: {found.message}",
                    sample.path,
                    sample.line,
                )
