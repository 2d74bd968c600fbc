"""Sphinx-free: line-aware loading of parameter and status files; the cache.

Each loader reads a file once and returns a plain object that remembers the
line of every entry and every field, what went wrong while reading it, and
the ``# noqa`` comments on its lines.  Loaders never raise: a missing file,
bad bytes, YAML syntax errors, alias bombs and absurd nesting all become
facts on the returned object, which the lint rules turn into findings and
the directives render around.

:class:`SourceCache` keeps loaded files for the length of a build, keyed on
path, modification time and size, so a file used by many pages is parsed
once per process.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from os_api_ref_ext.json_samples import SampleFile, load_sample
from os_api_ref_ext.reads import (
    DEFAULT_MAX_FILE_SIZE,
    LoadedFile,
    read_text,
)
from os_api_ref_ext.yaml_nodes import (
    MERGE_TAG,
    AliasUse,
    ParseError,
    alias_uses,
    compose_yaml,
    construct,
    merged_pairs,
    scalar_text,
    type_name,
)

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z0-9_,\s-]+))?", re.IGNORECASE)


def noqa_lines(text: str) -> dict[int, frozenset[str] | None]:
    """Map line number to the codes its ``# noqa: A, B`` comment silences.

    A bare ``# noqa`` silences everything on its line (value ``None``).
    """
    found: dict[int, frozenset[str] | None] = {}
    if "noqa" not in text and "NOQA" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NOQA.search(line)
        if not match:
            continue
        codes = match.group("codes")
        if codes:
            found[number] = frozenset(
                code.strip() for code in re.split(r"[,\s]+", codes) if code.strip()
            )
        else:
            found[number] = None
    return found


@dataclass(slots=True)
class FieldValue:
    """One field of an entry: its value, its source text and its line."""

    value: Any
    text: str | None  # the scalar's source text, None for collections
    line: int  # line of the field's key
    value_line: int = 0  # line where the value's text starts


def _field(key: Node, value: Node) -> FieldValue:
    start = value.start_mark.line + 1
    if isinstance(value, ScalarNode) and value.style in ("|", ">"):
        start += 1  # block scalars start on the line after the indicator
    return FieldValue(
        value=construct(value),
        text=value.value if isinstance(value, ScalarNode) else None,
        line=key.start_mark.line + 1,
        value_line=start,
    )


@dataclass(slots=True)
class ParameterEntry:
    """One top-level entry of a parameters file."""

    key: str
    line: int  # line of the key
    end_line: int  # last line of the value
    key_type: str  # 'string' unless the YAML key was a number, boolean or null
    is_mapping: bool
    value_type: str
    fields: dict[str, FieldValue] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        found = self.fields.get(name)
        return default if found is None else found.value

    def line_of(self, name: str) -> int:
        found = self.fields.get(name)
        return self.line if found is None else found.line

    @property
    def location(self) -> str | None:
        value = self.get("in")
        return value if isinstance(value, str) else None

    @property
    def required(self) -> bool:
        return self.get("required") is True

    @property
    def type(self) -> str | None:
        value = self.get("type")
        return value if isinstance(value, str) else None

    def version(self, name: str) -> str | None:
        found = self.fields.get(name)
        if found is None:
            return None
        if found.text is not None:
            return found.text.strip()
        return str(found.value)

    @property
    def description(self) -> str:
        return reason_text(self.get("description"))


@dataclass(slots=True)
class Duplicate:
    key: str
    first_line: int
    line: int


@dataclass(slots=True)
class YamlFile(LoadedFile):
    """A loaded YAML file: how parsing it went."""

    empty: bool = False
    yaml_error: ParseError | None = None
    not_mapping: str | None = None  # type of the top level when not a mapping
    duplicates: list[Duplicate] = field(default_factory=list)
    noqa: dict[int, frozenset[str] | None] = field(default_factory=dict)


def _read_yaml_mapping(result: YamlFile, max_bytes: int) -> tuple[MappingNode | None, str, bool]:
    """Read ``result.path`` and compose it; the top-level mapping (or None
    with the reason recorded on ``result``), the text, and whether the file
    uses aliases."""
    read = read_text(result.path, max_bytes)
    if read.text is None:
        result.read_error = read.error
        result.read_error_line = read.error_line
        result.missing = read.missing
        return None, "", False
    text = read.text
    result.noqa = noqa_lines(text)
    composed = compose_yaml(text)
    root = composed.root
    if composed.error is not None:
        result.yaml_error = composed.error
        return None, text, composed.has_aliases
    if root is None:
        result.empty = True
        return None, text, False
    if not isinstance(root, MappingNode):
        result.not_mapping = type_name(construct(root))
        return None, text, composed.has_aliases
    return root, text, composed.has_aliases


def _top_level(root: MappingNode) -> tuple[list[tuple[Node, Node]], set[int], list[int]]:
    """The top-level pairs as YAML reads them (merges included), the ids
    of the keys written at the top level, and the lines of top-level
    merge keys."""
    written = {id(key) for key, _value in root.value if key.tag != MERGE_TAG}
    merges = [key.start_mark.line + 1 for key, _value in root.value if key.tag == MERGE_TAG]
    return merged_pairs(root), written, merges


@dataclass(slots=True)
class ParameterFile(YamlFile):
    """A loaded parameters file (``parameters.yaml``)."""

    #: Each key once, where YAML first meets it, holding the definition
    #: YAML keeps (the last): the file as YAML's safe loader reads it.
    entries: dict[str, ParameterEntry] = field(default_factory=dict)
    #: Every definition, in the order YAML reads them (entries a top-level
    #: merge key brings in first, then those written at the top level).
    order: list[ParameterEntry] = field(default_factory=list)
    #: Lines of merge keys at the top level (``<<: *anchor`` beside entries).
    top_level_merges: list[int] = field(default_factory=list)
    #: Every alias in the file (merges included) and the anchor it uses.
    aliases: list[AliasUse] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return bool(self.entries)


def load_parameter_file(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> ParameterFile:
    """Load a parameters file, remembering every entry's and field's line."""
    result = ParameterFile(path)
    root, text, has_aliases = _read_yaml_mapping(result, max_bytes)
    if root is None:
        return result
    if has_aliases:
        result.aliases = alias_uses(text)
    pairs, written, result.top_level_merges = _top_level(root)
    written_lines: dict[str, int] = {}
    for key_node, value_node in pairs:
        key = scalar_text(key_node)
        key_type = (
            "string" if not isinstance(key_node, ScalarNode) else type_name(construct(key_node))
        )
        entry = ParameterEntry(
            key=key,
            line=key_node.start_mark.line + 1,
            end_line=_end_line(value_node),
            key_type=key_type,
            is_mapping=isinstance(value_node, MappingNode),
            value_type="mapping",
        )
        if isinstance(value_node, MappingNode):
            for field_key, field_value in merged_pairs(value_node):
                entry.fields[scalar_text(field_key)] = _field(field_key, field_value)
        else:
            entry.value_type = type_name(construct(value_node))
        if id(key_node) in written:
            # A key written twice; one a top-level merge brings in is not.
            if key in written_lines:
                result.duplicates.append(Duplicate(key, written_lines[key], entry.line))
            written_lines[key] = entry.line
        # Like YAML itself, the last definition of a key is the one used.
        result.entries[key] = entry
        result.order.append(entry)
    return result


def _end_line(node: Node) -> int:
    """The last line a node occupies (end marks point past a block's end)."""
    end = node.end_mark
    line = end.line + 1
    if end.column == 0 and end.line > node.start_mark.line:
        line -= 1
    return line


# --------------------------------------------------------------------------
# Status files


@dataclass(slots=True)
class StatusEntry:
    """One status code of a status file and its reasons."""

    code: int
    line: int
    reasons: dict[str, FieldValue] = field(default_factory=dict)
    problem: str | None = None  # why the entry is unusable


@dataclass(slots=True)
class StatusFile(YamlFile):
    """A loaded status-code file (``status.yaml``)."""

    codes: dict[int, StatusEntry] = field(default_factory=dict)
    bad_keys: list[tuple[str, int]] = field(default_factory=list)


def load_status_file(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> StatusFile:
    """Load a status-code file: integer codes mapping reason keys to text."""
    result = StatusFile(path)
    root, _text, _aliases = _read_yaml_mapping(result, max_bytes)
    if root is None:
        return result
    pairs, written, _merges = _top_level(root)
    written_lines: dict[int, int] = {}
    for key_node, value_node in pairs:
        line = key_node.start_mark.line + 1
        key = construct(key_node) if isinstance(key_node, ScalarNode) else None
        if isinstance(key, bool) or not isinstance(key, int):
            result.bad_keys.append((scalar_text(key_node), line))
            continue
        entry = StatusEntry(key, line)
        if isinstance(value_node, MappingNode):
            for reason_key, reason_value in merged_pairs(value_node):
                entry.reasons[scalar_text(reason_key)] = _field(reason_key, reason_value)
        else:
            entry.problem = (
                f"expected a mapping of reason keys to text, found "
                f"{type_name(construct(value_node))}"
            )
        if id(key_node) in written:
            if key in written_lines:
                result.duplicates.append(Duplicate(str(key), written_lines[key], line))
            written_lines[key] = line
        result.codes[key] = entry
    return result


def reason_text(value: Any) -> str:
    """A description or reason as reST source, whatever YAML type it has.

    Text is reST as written.  Anything else (a list or mapping, usually an
    indentation slip that F013 reports) is shown as its YAML in a literal
    block, so nothing is lost and nothing is read as markup.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    dumped = yaml.safe_dump(value, default_flow_style=False, sort_keys=False)
    return "::\n\n" + "".join(f"    {line}\n" for line in dumped.splitlines())


# --------------------------------------------------------------------------
# Cache


class SourceCache:
    """Loaded files for one build (or one lint run), keyed on path and stat."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> None:
        #: No file over this size is read (``os_api_ref_max_file_size``).
        self.max_bytes = max_bytes
        self._files: dict[tuple[str, str], tuple[tuple[int, int] | None, Any]] = {}
        self._checked: set[tuple[str, str]] = set()

    # A cache kept on the build environment must not be pickled with it:
    # it pickles empty and refills from disk after a restart.
    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]  # the build sets its limit again

    def clear(self) -> None:
        """Forget every loaded file."""
        self._files.clear()
        self._checked.clear()

    def new_pass(self) -> None:
        """Start a build or lint pass: check each file's stamp once more.

        Within a pass a file is stat'ed only on first use; a reference
        with thousands of samples would otherwise stat each one per rule.
        """
        self._checked.clear()

    @staticmethod
    def _stamp(path: str) -> tuple[int, int] | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _get(self, kind: str, path: str, loader: Any) -> Any:
        key = (kind, path)
        cached = self._files.get(key)
        if cached is not None and key in self._checked:
            return cached[1]
        stamp = self._stamp(path)
        self._checked.add(key)
        if cached is not None and cached[0] == stamp and stamp is not None:
            return cached[1]
        loaded = loader(path, self.max_bytes)
        self._files[key] = (stamp, loaded)
        return loaded

    def parameters(self, path: str) -> ParameterFile:
        return self._get("parameters", path, load_parameter_file)

    def status(self, path: str) -> StatusFile:
        return self._get("status", path, load_status_file)

    def sample(self, path: str) -> SampleFile:
        return self._get("sample", path, load_sample)
