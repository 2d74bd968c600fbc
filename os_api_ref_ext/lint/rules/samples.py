"""Sphinx-free: J rules, JSON samples included with ``literalinclude`` against their stanzas.

Each rule reads a :class:`~os_api_ref_ext.lint.context.LintContext`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.lint.rule import rule
from os_api_ref_ext.lint.rules._sample_paths import (
    CONTAINER_TYPES,
    Everywhere,
    groups,
    hidden,
    parameters_after_empty,
    parent_absent_or_opaque,
)
from os_api_ref_ext.model import Problem, Sample, url_params


@rule(
    "J001",
    "sample-missing",
    "a literalinclude'd JSON sample does not exist",
    tier="compat",
)
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
            yield Problem(
                "J001", f"sample {context.relative(sample.file)}: {loaded.read_error}", path, line
            )


@rule(
    "J002",
    "sample-invalid-json",
    "a JSON sample does not parse",
    tier="recommended",
)
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


@rule(
    "J003",
    "undocumented-sample-key",
    "a sample key that no body parameter documents",
    tier="recommended",
)
def undocumented_sample_key(context: LintContext) -> Iterator[Problem]:
    """Every key of a request or response sample is a parameter of the
    stanza before it, matched by name or by dotted path (``flavor.links``,
    also below a wrapper such as ``{"server": {...}}``); a ``{placeholder}``
    in a name stands for any text (``gigabytes_{volume_type}``).

    Not checked: the keys inside ``links`` objects (only the ``links`` key
    itself), free-form maps (an ``object`` parameter described as a
    dictionary, map or key-value pairs, or named like ``metadata``,
    ``extra_specs``, ``properties``), keys an object's description names
    in backticks or refers elsewhere for, keys that are data (an object of
    plain values none of which is documented, beside a parameter such as
    ``spec`` that stands for them), the keys below an undocumented key
    (that one is reported), and samples of a microversion none of the
    stanza's parameters applies to.

    Bad::

        {"snapshot": {"name": "snap-01", "colour": "blue"}}

    Good::

        {"snapshot": {"name": "snap-01"}}
    """
    for group in groups(context):
        singles = [p for p in group.body if len(p.segments) == 1 and not p.wildcard]
        for shown in group.shown:
            if group.body and not any(p.applies_at(shown.version) for p in group.body):
                continue
            documented = {path for path in shown.paths if group.documented(path)}
            parents_of_documented = {path[:-1] for path in documented}
            top_ok = all(any(p.matches(path[:1]) for path in shown.paths) for p in singles)
            reported: set[tuple[str, ...]] = set()
            for path in shown.paths:
                if path in documented or any(path[:n] in reported for n in range(1, len(path))):
                    continue
                if hidden(group, path, parents_of_documented, top_ok):
                    continue
                reported.add(path)
                yield Problem(
                    "J003",
                    f"key {'.'.join(path)!r} in {group.kind} sample is not a documented "
                    "body parameter",
                    shown.sample.path,
                    shown.sample.line,
                )


@rule(
    "J004",
    "missing-required-key",
    "a required body parameter absent from the sample",
    tier="recommended",
)
def missing_required_key(context: LintContext) -> Iterator[Problem]:
    """A body parameter marked ``required: true`` appears in the samples of
    its stanza: in one of them at least, as a summary and a detail sample,
    or one sample per microversion, are read together.  Reported at the
    stanza's item; when no sample in the whole tree has the key, the
    message asks whether the API may leave it out (then the parameter is
    ``required: false``) rather than for a sample.

    Not checked: ``{placeholder}`` names and names that stand for data keys
    (see J003), keys inside a free-form map or ``links``, dotted names
    whose parent no sample has or shows empty, the parameters listed right
    after an array the samples show empty (its items' keys),
    path parameters of the URL written ``in: body`` (S008), parameters
    whose ``min_version`` and ``max_version`` leave out every sample's
    microversion (its ``vX.Y`` directory, else the operation's
    ``min_version``), and stanzas with a sample that does not load.

    Bad::

        {"snapshot": {"name": "snap-01"}}      # volume_id is required

    Good::

        {"snapshot": {"name": "snap-01", "volume_id": "..."}}
    """
    everywhere = Everywhere(context)
    for group in groups(context):
        if not group.shown or any(
            shown.loaded.json_error is not None
            or shown.loaded.read_error
            or not shown.loaded.object_like
            for shown in group.shown
        ):
            continue
        names = {path[-1] for path in group.paths}
        in_url = set(url_params(group.operation.url) or ()) if group.operation else set()
        reported: set[str] = set()
        after_empty = parameters_after_empty(group)
        for parameter in group.unmatched:
            if (
                not parameter.required
                or parameter in after_empty
                or parameter.wildcard
                or parameter.name in reported
                or parameter.name in in_url  # S008 reports it
                or parameter.mentioned & names
                or (group.dynamic and parameter.type not in CONTAINER_TYPES)
                or not any(parameter.applies_at(shown.version) for shown in group.shown)
                or parent_absent_or_opaque(group, parameter)
                or everywhere.inside_empty(parameter, group)
            ):
                continue
            reported.add(parameter.name)
            if everywhere.has(parameter):
                message = (
                    f"required body parameter {parameter.name!r} is in none of the "
                    f"{group.kind} samples of this stanza: add it to one, or if the API "
                    f"may leave it out, make '{parameter.key}' 'required: false'"
                )
            else:
                message = (
                    f"body parameter {parameter.name!r} is marked required but no sample "
                    f"has it: if the API may leave it out, '{parameter.key}' should say "
                    "'required: false'"
                )
            yield Problem("J004", message, parameter.path, parameter.line)


@rule(
    "J005",
    "sample-not-object",
    "a JSON sample is valid but not an object",
    tier="recommended",
)
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
    "J006",
    "duplicate-sample-key",
    "a JSON object in a sample has the same key twice",
    tier="recommended",
)
def duplicate_sample_key(context: LintContext) -> Iterator[Problem]:
    """An object of a sample names each key once, at any depth.  JSON
    parsers keep one of the two values (Python's the last) without a word,
    so a reader and a client see different things.  Reported at the line
    of the repeated key.

    Bad::

        {"snapshot": {"name": "snap-01", "name": "snap-02"}}

    Good::

        {"snapshot": {"name": "snap-01", "description": "snap-02"}}
    """
    for sample in context.samples:
        for duplicate in context.sample_file(sample.file).duplicates:
            where = f" in {'.'.join(duplicate.parents)!r}" if duplicate.parents else ""
            yield Problem(
                "J006",
                f"duplicate key {duplicate.name!r}{where}: first at line "
                f"{duplicate.first_line}, again at line {duplicate.line} "
                "(the later value is used)",
                sample.file,
                duplicate.line,
            )


@rule(
    "J007",
    "sample-disagrees-with-schema",
    "a JSON sample disagrees with the schema of its body parameters",
    tier="all",
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
    # The schema code loads only when this rule (not a default one) runs.
    from os_api_ref_ext.openapi.schema import body_rows, disagreements, place_body

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
            if (
                loaded.json_error is None
                and not loaded.read_error
                and loaded.object_like  # not an object at all: J005's
                and loaded.text is not None
            ):
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
