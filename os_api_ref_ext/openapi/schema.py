"""Body schemas: a stanza's body parameters placed where its samples show them.

Sphinx-free; the exporter and the linter (J007) build the same tree.

A ``rest_parameters`` stanza lists body parameters flat, in outline order.
Each row is placed in a tree of JSON objects:

* a dotted name (``snapshot.metadata``) nests under the row its prefix
  names;
* any other name sits where the stanza's JSON samples have that key; when
  they have it in more than one place, the place nearest the row before it
  in the stanza wins (a stanza reads like an outline), then the shallowest;
* a name neither dotted nor in any sample goes at the top level (and is
  required there only when there is no sample to show otherwise).

The tree then gives a JSON schema (:func:`json_schema`) and the ways a
sample disagrees with it (:func:`disagreements`).  A ``null`` value in a
sample makes its property nullable: parameters files have no way to say
so, and the samples are part of the documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from os_api_ref_ext.model import ParameterStanza, parse_version
from os_api_ref_ext.sources import ParameterEntry, ParameterFile

#: Types of a parameters file and the JSON schema type each stands for.
TYPES: dict[str, str] = {
    "array": "array",
    "boolean": "boolean",
    "float": "number",
    "integer": "integer",
    "object": "object",
    "string": "string",
}

#: A path segment that stands for "each item of the array".
ITEM = 0

#: Where a key sits in a JSON value: object keys and :data:`ITEM` segments.
KeyPath = tuple[str | int, ...]

#: How a body parameter was placed (for the counts the issue asks for).
DOTTED, SAMPLE, TOP = "dotted", "sample", "top"


def schema_type(declared: str | None) -> str | None:
    """The JSON schema type of a parameter's ``type``; None if unknown."""
    return TYPES.get(declared.strip()) if isinstance(declared, str) else None


def microversions(entry: ParameterEntry) -> dict[str, str]:
    """``{min-ver, max-ver}`` of an entry, for an ``x-openstack`` extension."""
    found = {}
    for field_name, key in (("min_version", "min-ver"), ("max_version", "max-ver")):
        version = entry.version(field_name)
        if version:
            found[key] = version
    return found


def conditional(entry: ParameterEntry) -> bool:
    """Whether a parameter exists only in some microversions (so a schema
    cannot say it is required)."""
    return any(parse_version(entry.version(name)) for name in ("min_version", "max_version"))


@dataclass(frozen=True, slots=True)
class BodyRow:
    """One ``in: body`` item of a stanza with its parameters-file entry."""

    name: str
    entry: ParameterEntry
    file: str  # the parameters file


def stanza_rows(
    stanzas: Iterable[ParameterStanza],
    parameters_for: Callable[[ParameterStanza], ParameterFile | None],
) -> list[tuple[str, ParameterEntry | None, ParameterStanza]]:
    """Every item of the stanzas, in order, with its entry (None when the
    key is not defined or the file cannot be used)."""
    rows: list[tuple[str, ParameterEntry | None, ParameterStanza]] = []
    for stanza in stanzas:
        parameters = parameters_for(stanza)
        for item in stanza.items:
            entry = parameters.entries.get(item.key) if parameters is not None else None
            if entry is not None and not entry.is_mapping:
                entry = None
            rows.append((item.name, entry, stanza))
    return rows


def body_rows(
    stanzas: Iterable[ParameterStanza],
    parameters_for: Callable[[ParameterStanza], ParameterFile | None],
) -> list[BodyRow]:
    """The ``in: body`` rows of the stanzas, in order."""
    return [
        BodyRow(name, entry, stanza.file or "")
        for name, entry, stanza in stanza_rows(stanzas, parameters_for)
        if entry is not None and entry.location == "body"
    ]


@dataclass(slots=True)
class Node:
    """A place in the body: documented by a row, or only shown by a sample
    or implied by a dotted name (``row`` is None)."""

    row: BodyRow | None = None
    #: Later rows placed at the same key (the same field documented per
    #: microversion, usually).
    alternatives: list[BodyRow] = field(default_factory=list)
    properties: dict[str, Node] = field(default_factory=dict)
    items: Node | None = None
    required: list[str] = field(default_factory=list)
    nullable: bool = False
    #: What the samples show here ("object", "array"), for undocumented places.
    shape: str | None = None

    def rows(self) -> list[BodyRow]:
        return ([self.row] if self.row is not None else []) + self.alternatives

    def types(self) -> list[str]:
        """The JSON schema types this place allows; empty when any."""
        rows = self.rows()
        if rows:
            mapped = [schema_type(row.entry.type) for row in rows]
            if any(kind is None for kind in mapped):
                return []
            found = list(dict.fromkeys(kind for kind in mapped if kind))
        elif self.properties or self.shape == "object":
            found = ["object"]
        elif self.items is not None or self.shape == "array":
            found = ["array"]
        else:
            return []
        if self.nullable:
            found.append("null")
        return found


@dataclass(slots=True)
class Body:
    """A placed body: the tree and how each row was placed."""

    root: Node
    placements: list[tuple[BodyRow, str]]


def _json_shape(value: Any) -> str | None:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return None


@dataclass(slots=True)
class _SampleIndex:
    """Every key path of the samples, in the order they first appear."""

    #: full key path -> values seen there
    values: dict[KeyPath, list[Any]] = field(default_factory=dict)
    #: key -> parent paths where it appears, in order
    parents: dict[str, list[KeyPath]] = field(default_factory=dict)

    def add(self, sample: Any) -> None:
        stack: list[tuple[Any, KeyPath]] = [(sample, ())]
        while stack:
            value, path = stack.pop()
            children: list[tuple[Any, KeyPath]] = []
            if isinstance(value, dict):
                for key, child in value.items():
                    full = (*path, key)
                    if full not in self.values:
                        self.values[full] = []
                        self.parents.setdefault(key, []).append(path)
                    self.values[full].append(child)
                    children.append((child, full))
            elif isinstance(value, list):
                children = [(child, (*path, ITEM)) for child in value]
            stack.extend(reversed(children))

    def shape_at(self, path: KeyPath) -> str | None:
        for value in self.values.get(path, ()):
            shape = _json_shape(value)
            if shape:
                return shape
        return None


def _rank(candidate: KeyPath, previous: KeyPath | None, order: int) -> tuple[int, int, int]:
    """Sort key of a candidate parent path: the place of the previous row
    first, then its nearest ancestors, then the shallowest."""
    if previous is not None:
        if candidate in (previous, (*previous, ITEM)):
            return 0, 0, order
        if previous[: len(candidate)] == candidate:
            return 1, len(previous) - len(candidate), order
    return 2, len(candidate), order


class _Placer:
    def __init__(self, samples: Iterable[Any]) -> None:
        self.index = _SampleIndex()
        self.sampled = False
        for sample in samples:
            self.index.add(sample)
            self.sampled = True
        self.root = Node()
        self.nodes: dict[KeyPath, Node] = {(): self.root}
        self.taken: set[KeyPath] = set()
        self.previous: KeyPath | None = None

    def node(self, path: KeyPath) -> Node:
        """The node at ``path``, created (with its parents) if need be."""
        found = self.nodes.get(path)
        if found is not None:
            return found
        parent = self.node(path[:-1])
        segment = path[-1]
        if segment == ITEM:
            if parent.items is None:
                parent.items = Node()
            created = parent.items
        else:
            created = parent.properties.setdefault(str(segment), Node())
        created.shape = self.index.shape_at(path)
        created.nullable = any(value is None for value in self.index.values.get(path, ()))
        self.nodes[path] = created
        return created

    def _under(self, path: KeyPath) -> KeyPath:
        """Where children of the place ``path`` go: into the items of an array."""
        node = self.nodes.get(path)
        declared = [schema_type(row.entry.type) for row in node.rows()] if node else []
        if "array" in declared or (node is not None and node.items is not None):
            return (*path, ITEM)
        if not declared and self.index.shape_at(path) == "array":
            return (*path, ITEM)
        return path

    def _best(self, candidates: list[KeyPath]) -> KeyPath:
        return min(enumerate(candidates), key=lambda pair: _rank(pair[1], self.previous, pair[0]))[
            1
        ]

    def _dotted_parent(self, segments: list[str]) -> KeyPath:
        """The place of a dotted name's prefix: each segment under the one
        before, the first where a row or sample has it."""
        first = segments[0]
        named = [
            path
            for path in self.nodes
            if path and path[-1] == first and self.nodes[path].row is not None
        ]
        shown = [(*parent, first) for parent in self.index.parents.get(first, [])]
        candidates = named or shown
        path: KeyPath = (first,)
        if candidates:
            path = (*self._best([c[:-1] for c in candidates]), first)
        for segment in segments[1:]:
            path = (*self._under(path), segment)
        return self._under(path)

    def place(self, row: BodyRow) -> str:
        name = row.name
        if name not in self.index.parents and "." in name.strip("."):
            *prefix, last = name.split(".")
            parent, how, key = self._dotted_parent(prefix), DOTTED, last
        elif name in self.index.parents:
            candidates = self.index.parents[name]
            free = [c for c in candidates if (*c, name) not in self.taken]
            parent, how, key = self._best(free or candidates), SAMPLE, name
        else:
            parent, how, key = (), TOP, name
        path = (*parent, key)
        node = self.node(path)
        if node.row is None:
            node.row = row
            # A row at the top level only for want of a place is not
            # required there when samples show the body without it.
            unknown = how == TOP and self.sampled
            if row.entry.required and not conditional(row.entry) and not unknown:
                owner = self.node(parent)
                if key not in owner.required:
                    owner.required.append(key)
        else:
            node.alternatives.append(row)
        self.taken.add(path)
        self.previous = path
        return how


def place_body(rows: Iterable[BodyRow], samples: Iterable[Any]) -> Body:
    """Place every body row (see the module's docstring)."""
    placer = _Placer(samples)
    placements = [(row, placer.place(row)) for row in rows]
    return Body(placer.root, placements)


# --------------------------------------------------------------------------
# The JSON schema


Describe = Callable[[BodyRow], str | None]


def json_schema(node: Node, describe: Describe | None = None) -> dict[str, Any]:
    """The JSON schema (OpenAPI 3.1 dialect) of a placed body."""
    schema: dict[str, Any] = {}
    types = node.types()
    if types:
        schema["type"] = types[0] if len(types) == 1 else types
    rows = node.rows()
    unknown = sorted(
        {row.entry.type or "" for row in rows if schema_type(row.entry.type) is None} - {""}
    )
    if unknown:
        schema["x-openstack-type"] = unknown[0] if len(unknown) == 1 else unknown
    if node.row is not None and describe is not None:
        text = describe(node.row)
        if text:
            schema["description"] = text
    if node.properties:
        schema["properties"] = {
            name: json_schema(child, describe) for name, child in node.properties.items()
        }
    if node.required:
        schema["required"] = list(node.required)
    if node.items is not None:
        schema["items"] = json_schema(node.items, describe)
    if "object" in types and not node.properties:
        schema["additionalProperties"] = True
    extension = _extension(node)
    if extension:
        schema["x-openstack"] = extension
    return schema


def _extension(node: Node) -> dict[str, Any]:
    extension: dict[str, Any] = {}
    if node.row is not None:
        extension.update(microversions(node.row.entry))
    if node.alternatives:
        extension["alternatives"] = [
            {"name": row.name, "type": row.entry.type or "", **microversions(row.entry)}
            for row in node.alternatives
        ]
    return extension


# --------------------------------------------------------------------------
# Where a sample disagrees


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _allowed(value: Any, types: list[str]) -> bool:
    """Whether ``value`` is of one of the types, as JSON schema says."""
    kind = _json_kind(value)
    if kind in types:
        return True
    if kind == "integer" and "number" in types:
        return True
    return kind == "number" and "integer" in types and float(value).is_integer()


def _show(path: list[str]) -> str:
    return "".join(path).lstrip(".") or "(top level)"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A place where a sample disagrees with its schema."""

    key: str  # the key path, ``snapshots[].size``
    message: str


def disagreements(root: Node, sample: Any) -> list[Disagreement]:
    """Every way ``sample`` fails the schema of ``root``, once per key path:
    exactly where JSON schema validation of the sample fails."""
    found: dict[tuple[str, str], Disagreement] = {}
    stack: list[tuple[Node, Any, list[str]]] = [(root, sample, [])]
    while stack:
        node, value, path = stack.pop()
        types = node.types()
        if types and not _allowed(value, types):
            key = _show(path)
            expected = " or ".join(t for t in types if t != "null")
            names = ", ".join(sorted({repr(row.name) for row in node.rows()}))
            found.setdefault(
                (key, "type"),
                Disagreement(
                    key,
                    f"sample key {key!r} is {_article(_json_kind(value))}, "
                    f"but body parameter {names} is documented as {expected}",
                ),
            )
            continue
        if isinstance(value, dict):
            for name in node.required:
                if name not in value:
                    key = _show([*path, "." + name])
                    found.setdefault(
                        (key, "required"),
                        Disagreement(
                            key,
                            f"sample object {_show(path)!r} lacks required body parameter {name!r}",
                        ),
                    )
            children = [
                (child, value[name], [*path, "." + name])
                for name, child in node.properties.items()
                if name in value
            ]
            stack.extend(reversed(children))
        elif isinstance(value, list) and node.items is not None:
            stack.extend(reversed([(node.items, item, [*path, "[]"]) for item in value]))
    return sorted(found.values(), key=lambda d: (d.key, d.message))


def _article(kind: str) -> str:
    return "null" if kind == "null" else ("an " if kind[0] in "aeiou" else "a ") + kind
