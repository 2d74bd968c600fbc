"""Sphinx-free: what J003 and J004 share, a sample's key paths against its parameters.

A sample is grouped with the stanzas it illustrates (:func:`groups`); each
documented parameter becomes a path of keys, and the helpers here decide
which keys of the sample a parameter covers, which objects are free-form
maps, and which parts of a sample are hidden from the check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from os_api_ref_ext.json_samples import SampleFile
from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.model import LOCATIONS, Operation, ParameterStanza, Sample, parse_version
from os_api_ref_ext.sources import ParameterEntry

#: A version directory in a sample's path (``samples/v2.47/...``).
_SAMPLE_VERSION = re.compile(r"(?:^|[/\\])v(\d+\.\d+)[/\\]")

#: Words that make an ``object`` parameter a free-form map.
_FREE_FORM_WORDS = re.compile(
    r"\b(?:dictionar(?:y|ies)|dicts?|maps?|mapping|key[- ]?(?:and[- ]|/|-)?value)s?\b",
    re.IGNORECASE,
)

#: Names of ``object`` parameters whose keys are the user's or the
#: deployment's, whatever the description says.
_FREE_FORM_NAMES = re.compile(r"(?:^|[_:-])(?:metadata|extra_specs|properties|specs)$")

#: Names a stanza gives the entries of a map (``- key: spec_key``): like a
#: ``{placeholder}``, they stand for whatever keys the map holds.
_ENTRY_NAMES = ("key", "value")

#: A description that sends the reader elsewhere for the keys of an object.
_REFERS = re.compile(r":ref:|:doc:|\brefer\s+to\b|\bsee\s+the\s+documentation\b", re.IGNORECASE)

#: ``name`` or ```name``` in a description.
_BACKTICKED = re.compile(r"`+([^`\s]+)`+")


def _is_links(name: str) -> bool:
    """``links`` and ``servers_links``-style collection links."""
    return name == "links" or name.endswith("_links")


_OBJECT_TYPES = ("object", "dict")
_ARRAY_TYPES = ("array", "list")
CONTAINER_TYPES = (*_OBJECT_TYPES, *_ARRAY_TYPES)


@dataclass(frozen=True, slots=True)
class _Parameter:
    """A stanza item, as the samples are checked against it."""

    name: str  # as the stanza writes it: "flavor.links", "gigabytes_{type}"
    segments: tuple[re.Pattern[str], ...]
    wildcard: bool  # some segment holds a {placeholder}
    body: bool  # in: body (another location still names a key: S007 says the rest)
    type: str
    required: bool
    free_form: bool  # its keys are not documented, by design
    refers: bool  # its description sends the reader elsewhere for its keys
    mentioned: frozenset[str]  # names its description puts in backticks
    key: str
    line: int
    path: str
    min_version: tuple[int, int] | None
    max_version: tuple[int, int] | None

    def matches(self, path: tuple[str, ...]) -> bool:
        """Whether a sample key at ``path`` (its names from the top, the key
        last) is this parameter."""
        return _ends_with(path, self.segments)

    def applies_at(self, version: tuple[int, int]) -> bool:
        low, high = self.min_version, self.max_version
        return (low is None or version >= low) and (high is None or version <= high)


def _ends_with(path: tuple[str, ...], segments: tuple[re.Pattern[str], ...]) -> bool:
    """Whether the dotted name ``segments`` matches the end of ``path``."""
    if len(segments) > len(path):
        return False
    tail = path[len(path) - len(segments) :]
    return all(pattern.fullmatch(name) for pattern, name in zip(segments, tail, strict=True))


def _segment(text: str) -> re.Pattern[str]:
    """A name segment; each ``{placeholder}`` stands for any text."""
    parts = re.split(r"\{[^{}]*\}", text)
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def _parameter(name: str, key: str, line: int, path: str, entry: ParameterEntry) -> _Parameter:
    description = entry.description
    type_ = entry.type or ""
    last = name.rsplit(".", 1)[-1]
    return _Parameter(
        name=name,
        segments=tuple(_segment(part) for part in name.split(".")),
        wildcard=("{" in name and "}" in name) or last in _ENTRY_NAMES,
        body=entry.location == "body",
        type=type_,
        required=entry.required,
        free_form=(type_ in _OBJECT_TYPES and bool(_FREE_FORM_NAMES.search(last)))
        or (type_ in CONTAINER_TYPES and bool(_FREE_FORM_WORDS.search(description))),
        refers=bool(_REFERS.search(description)),
        mentioned=frozenset(_BACKTICKED.findall(description)),
        key=key,
        line=line,
        path=path,
        min_version=parse_version(entry.version("min_version")),
        max_version=parse_version(entry.version("max_version")),
    )


def _parameters(context: LintContext, stanzas: list[ParameterStanza]) -> list[_Parameter] | None:
    """The items of the stanzas a sample illustrates; None when one of them
    cannot be read (its file fails F001-F003, an item is S001, F003 or
    F006): that finding is enough, the samples wait for it."""
    found: list[_Parameter] = []
    for stanza in stanzas:
        parameters = context.parameters_for(stanza)
        if parameters is None or not parameters.usable:
            return None
        for item in stanza.items:
            entry = parameters.entries.get(item.key)
            if entry is None or not entry.is_mapping or entry.location not in LOCATIONS:
                return None
            found.append(_parameter(item.name, item.key, item.line, stanza.path, entry))
    return found


@dataclass(slots=True)
class _Shown:
    """One sample of a group: where it is included, its keys and version."""

    sample: Sample
    loaded: SampleFile
    paths: list[tuple[str, ...]]  # every key, as the names from the top down
    version: tuple[int, int]


@dataclass
class _Group:
    """The samples one stanza (or an operation's stanzas of one kind)
    documents: a summary and a detail sample, or one per microversion."""

    kind: str
    operation: Operation | None
    parameters: list[_Parameter]
    #: The parameters of every stanza of this kind for the operation, or for
    #: another with the same method and URL: a key one of them documents is
    #: not reported (a stanza may add to another: "multiple create").
    related: list[_Parameter] = field(default_factory=list)
    shown: list[_Shown] = field(default_factory=list)

    @cached_property
    def body(self) -> list[_Parameter]:
        return [p for p in self.parameters if p.body]

    @cached_property
    def paths(self) -> set[tuple[str, ...]]:
        return {path for shown in self.shown for path in shown.paths}

    @cached_property
    def unmatched(self) -> list[_Parameter]:
        """Body parameters no key of any sample of the group is."""
        return [p for p in self.body if not any(p.matches(path) for path in self.paths)]

    @cached_property
    def stand_ins(self) -> frozenset[str]:
        """Key names the description of an unmatched parameter gives as
        examples of what it stands for (``network_label``: ``private``)."""
        return frozenset(name for p in self.unmatched for name in p.mentioned)

    @cached_property
    def known(self) -> list[_Parameter]:
        """The group's own parameters, then the related ones."""
        return [*self.parameters, *self.related]

    def documented(self, path: tuple[str, ...]) -> bool:
        return path[-1] in self.stand_ins or _first(self.known, path) is not None

    @cached_property
    def empty(self) -> frozenset[str]:
        """Names of the documented objects and arrays the samples show with
        nothing inside (``[]``, ``{}`` or ``null``)."""
        parents = {path[:-1] for path in self.paths}
        found: set[str] = set()
        for path in self.paths:
            parameter = None if path in parents else _first(self.body, path)
            if parameter is not None and parameter.type in CONTAINER_TYPES:
                found.add(path[-1])
        return frozenset(found)

    @cached_property
    def dynamic(self) -> bool:
        """Whether the samples' top-level keys are data (``{"key1":
        "value1"}``): each undocumented and holding a plain value, while the
        stanza has a plain parameter no key is (``spec``, ``key``)."""
        if not any(p.type not in CONTAINER_TYPES for p in self.unmatched):
            return False
        parents = {path[:-1] for path in self.paths}
        top = [path for path in self.paths if len(path) == 1]
        return bool(top) and all(path not in parents and not self.documented(path) for path in top)


def groups(context: LintContext) -> list[_Group]:
    """Samples grouped by the stanzas they illustrate, in document order.

    A sample goes with the nearest stanza before it of its own operation and
    kind (``Sample.stanza``); one that precedes all of them goes with all the
    operation's stanzas of its kind.
    """
    groups: dict[tuple[str, int, str, int | None], _Group] = {}
    for document in context.documents:
        for sample in document.samples:
            if sample.operation is None or sample.kind is None:
                continue
            key = (document.docname, sample.operation, sample.kind, sample.stanza)
            group = groups.get(key)
            if group is None:
                operation = context.operation_of(document.docname, sample.operation)
                stanzas = context.stanzas_of_operation(
                    document.docname, sample.operation, sample.kind
                )
                related = [
                    stanza
                    for other in document.operations
                    if other is operation
                    or (
                        operation is not None
                        and (other.method, other.url) == (operation.method, operation.url)
                    )
                    for stanza in context.stanzas_of_operation(
                        document.docname, other.index, sample.kind
                    )
                ]
                if sample.stanza is not None and sample.stanza < len(document.parameter_stanzas):
                    stanzas = [document.parameter_stanzas[sample.stanza]]
                parameters = _parameters(context, stanzas) if stanzas else None
                if parameters is None:
                    continue
                group = groups[key] = _Group(
                    sample.kind,
                    operation,
                    parameters,
                    _parameters(context, related) or [],
                )
            loaded = context.sample_file(sample.file)
            group.shown.append(
                _Shown(sample, loaded, _paths(loaded), _version_of(sample, group.operation))
            )
    return list(groups.values())


def _paths(loaded: SampleFile) -> list[tuple[str, ...]]:
    """Every key of a sample as the names from the top down to it, once."""
    return list(dict.fromkeys((*key.parents, key.name) for key in loaded.keys))


def _version_of(sample: Sample, operation: Operation | None) -> tuple[int, int]:
    """The microversion a sample shows: its ``vX.Y`` directory, else the
    operation's ``min_version``, else the base version."""
    found = _SAMPLE_VERSION.search(sample.file)
    version = parse_version(found.group(1)) if found else None
    if version is None and operation is not None:
        version = parse_version(operation.min_version)
    return version or (0, 0)


def _first(parameters: list[_Parameter], path: tuple[str, ...]) -> _Parameter | None:
    return next((p for p in parameters if p.matches(path)), None)


def _opaque(group: _Group, path: tuple[str, ...], documented_below: bool, top_ok: bool) -> bool:
    """Whether the keys inside the object at ``path`` are beyond checking:
    collection links, a free-form map, an object whose description points
    elsewhere, or an object none of whose keys is documented (free-form
    ``metadata``; at the top of the sample only when every parameter is
    already there, or its keys would be the missing parameters)."""
    if _is_links(path[-1]):
        return True
    parameter = _first(group.known, path)
    if parameter is None:
        return False
    if parameter.free_form or parameter.refers:
        return True
    return parameter.type in _OBJECT_TYPES and not documented_below and (len(path) > 1 or top_ok)


def hidden(
    group: _Group,
    path: tuple[str, ...],
    parents_of_documented: set[tuple[str, ...]],
    top_ok: bool,
) -> bool:
    """Whether an object above the key at ``path`` keeps it from being
    checked, or documents it in its description."""
    if group.dynamic:
        return True  # every key is at the top and undocumented
    for depth in range(1, len(path)):
        above = path[:depth]
        if above[-1] in group.stand_ins and _first(group.known, above) is None:
            return True  # documented under another name: its keys too
        if _opaque(group, above, above in parents_of_documented, top_ok):
            return True
        parameter = _first(group.known, above)
        if parameter is not None and path[depth] in parameter.mentioned:
            return True
    return False


def parameters_after_empty(group: _Group) -> list[_Parameter]:
    """The parameters a stanza lists right after an array the samples show
    empty (``"associations": []``), up to the next one they show: the keys
    of its items, which no sample can have."""
    found: list[_Parameter] = []
    inside = False
    for parameter in group.parameters:
        if not parameter.body:
            continue
        if parameter not in group.unmatched:
            last = parameter.name.rsplit(".", 1)[-1]
            inside = parameter.type in _ARRAY_TYPES and last in group.empty
        elif inside:
            found.append(parameter)
    return found


class Everywhere:
    """The keys of every sample in the tree, by name, read when first asked."""

    def __init__(self, context: LintContext) -> None:
        self._context = context

    @cached_property
    def _paths(self) -> dict[str, list[tuple[str, ...]]]:
        found: dict[str, list[tuple[str, ...]]] = {}
        for file in sorted({sample.file for sample in self._context.samples}):
            for path in _paths(self._context.sample_file(file)):
                found.setdefault(path[-1], []).append(path)
        return found

    def has(self, parameter: _Parameter) -> bool:
        """Whether some sample of the tree has the parameter's key."""
        last = parameter.name.rsplit(".", 1)[-1]
        return any(parameter.matches(path) for path in self._paths.get(last, ()))

    def inside_empty(self, parameter: _Parameter, group: _Group) -> bool:
        """Whether the key lives, in other samples, inside an object or
        array that this group's samples show empty (``"flavor_access": []``)."""
        empty = group.empty
        if not empty:
            return False
        last = parameter.name.rsplit(".", 1)[-1]
        return any(
            len(path) > 1 and path[-2] in empty and parameter.matches(path)
            for path in self._paths.get(last, ())
        )


def parent_absent_or_opaque(group: _Group, parameter: _Parameter) -> bool:
    """A dotted parameter is only expected where its parent is, and not
    inside a free-form map or ``links``."""
    names = parameter.name.split(".")
    for depth in range(1, len(names)):
        # the parent must be there with something inside (not "[]")
        if not any(_ends_with(path[:-1], parameter.segments[:depth]) for path in group.paths):
            return True
        if _is_links(names[depth - 1]):
            return True
        parent = next((p for p in group.parameters if p.name == ".".join(names[:depth])), None)
        if parent is not None and (parent.free_form or parent.refers):
            return True
    return False
