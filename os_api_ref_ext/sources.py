"""Line-aware loading of parameter files, status files and JSON samples.

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

import json
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # the C parser is much faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: How many nodes YAML aliases may add beyond the file's own before the file
#: is refused ("billion laughs").
MAX_ALIAS_EXPANSION = 10_000
#: Deepest JSON nesting a sample may have before it is refused.
MAX_JSON_DEPTH = 500
#: Deepest YAML nesting a file may have before it is refused (libyaml itself
#: stops at 1,000; PyYAML's Python-level code recurses well before that).
MAX_YAML_DEPTH = 100

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


#: The largest file read when nothing else is configured
#: (``os_api_ref_max_file_size`` in conf.py, ``--max-file-size`` on the
#: command line): far above any real parameters file or sample, far below
#: what would strain a build machine's memory.
DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024

#: What a path may be instead of a regular file, as ``stat`` tells it.
_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def max_file_size(value: object) -> int:
    """The configured size limit in bytes: a positive integer, else the default."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_MAX_FILE_SIZE


def size_text(size: int) -> str:
    """A byte count as people write it: ``16 MiB``, ``300 KiB``, ``12 bytes``."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            amount = size / factor
            return f"{amount:.0f} {unit}" if amount == int(amount) else f"{amount:.1f} {unit}"
    return f"{size} bytes"


def _refusal(status: os.stat_result, max_bytes: int) -> tuple[str, bool] | None:
    """Why a file with this ``stat`` is not read, and whether that is because
    it is no regular file; None when it may be read."""
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _NOT_REGULAR if test(status.st_mode)), None)
        return f"is {kind or 'not a regular file'}, not a regular file", True
    if status.st_size > max_bytes:
        return _too_big(max_bytes), False
    return None


def _too_big(max_bytes: int) -> str:
    return (
        f"is larger than the limit of {size_text(max_bytes)} (os_api_ref_max_file_size); not read"
    )


def refusal(path: str, max_bytes: int) -> str | None:
    """Why the file at ``path`` would not be read (it is no regular file
    once symlinks are followed, or it is over ``max_bytes``); None when it
    may be read or does not exist.  For files someone else reads (Sphinx's
    ``literalinclude``, docutils' ``include``)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    found = _refusal(status, max_bytes)
    return None if found is None else found[0]


@dataclass(slots=True)
class ReadResult:
    """The text of a file, or why there is none."""

    text: str | None
    error: str | None = None
    error_line: int = 1
    #: No regular file at the path (absent, a directory, a device, a FIFO, a
    #: socket): the finding goes where the file is named.
    missing: bool = False


@dataclass(slots=True)
class BytesRead:
    """The bytes of a file, or why there are none."""

    data: bytes | None
    error: str | None = None
    missing: bool = False  # as ReadResult.missing


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> BytesRead:
    """Read a regular file of at most ``max_bytes``; never raises, never blocks.

    Anything but a regular file (after symlinks) is refused before it is
    opened.  The open does not block on a FIFO put there meanwhile, the
    open descriptor is checked once more, and at most ``max_bytes + 1``
    bytes are read, so a file that grows while it is read is refused too.
    """
    try:
        found = _refusal(os.stat(path), max_bytes)
    except (FileNotFoundError, NotADirectoryError):
        return BytesRead(None, "file not found", missing=True)
    except (OSError, ValueError) as exc:
        return BytesRead(
            None, f"cannot read file: {getattr(exc, 'strerror', None) or type(exc).__name__}"
        )
    if found is not None:
        return BytesRead(None, found[0], missing=found[1])
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        return BytesRead(None, f"cannot read file: {exc.strerror or type(exc).__name__}")
    try:
        status = os.fstat(descriptor)
        found = _refusal(status, max_bytes)
        if found is not None:
            return BytesRead(None, found[0], missing=found[1])
        data = _read_at_most(descriptor, status.st_size, max_bytes)
    except OSError as exc:
        return BytesRead(None, f"cannot read file: {exc.strerror or type(exc).__name__}")
    finally:
        os.close(descriptor)
    if data is None:
        return BytesRead(None, _too_big(max_bytes))
    return BytesRead(data)


def _read_at_most(descriptor: int, size: int, max_bytes: int) -> bytes | None:
    """The rest of an open file, or None once it passes ``max_bytes``.

    The first read asks for the size ``stat`` gave (one byte more, to see
    the end), later ones for 64 KiB, so memory follows what the file holds
    rather than the limit; a file that is larger than it said, or grows,
    stops being read one byte past the limit.
    """
    chunks: list[bytes] = []
    total = 0
    want = size + 1
    while True:
        chunk = os.read(descriptor, min(want, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            return None
        want = 1 << 16


def read_text(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> ReadResult:
    """Read a UTF-8 file (a BOM is allowed) with :func:`read_bytes`; never raises."""
    read = read_bytes(path, max_bytes)
    data = read.data
    if data is None:
        return ReadResult(None, read.error, missing=read.missing)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return ReadResult(
            None,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            error_line=line,
        )
    return ReadResult(text.replace("\r\n", "\n").replace("\r", "\n"))


# --------------------------------------------------------------------------
# YAML


@dataclass(slots=True)
class YamlError:
    """A reason a YAML file could not be used, with its position."""

    message: str
    line: int
    column: int = 0


def _expanded_size(root: Node, budget: int) -> int | None:
    """Number of nodes the graph expands to, or None if cyclic/over budget."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        ident = id(node)
        if done:
            in_progress.discard(ident)
            if isinstance(node, MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, SequenceNode):
                children = list(node.value)
            else:
                children = []
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > budget:
                return None
            sizes[ident] = total
            continue
        if ident in sizes:
            continue
        if ident in in_progress:
            return None  # a recursive alias
        in_progress.add(ident)
        stack.append((node, True))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((key, False))
                stack.append((value, False))
        elif isinstance(node, SequenceNode):
            stack.extend((child, False) for child in node.value)
    return sizes[id(root)]


#: Tags YAML's safe loader can turn into values; any other tag is refused.
_SAFE_TAGS = frozenset(tag for tag in yaml.constructor.SafeConstructor.yaml_constructors if tag)
#: ``<<`` (a merge key) and ``=`` (read as the text "=") are only allowed as keys.
_MERGE_TAG = "tag:yaml.org,2002:merge"
_VALUE_TAG = "tag:yaml.org,2002:value"
_KEY_ONLY_TAGS = frozenset({_MERGE_TAG, _VALUE_TAG})


def _merge_error(key: Node, value: Node) -> YamlError | None:
    """Why a merge key's value cannot be merged (as YAML's safe loader
    refuses it), reported at the ``<<``; None if it can."""
    line = key.start_mark.line + 1
    if isinstance(value, MappingNode):
        return None
    if not isinstance(value, SequenceNode):
        return YamlError(
            f"merge key '<<' needs a mapping or a list of mappings, found a {value.id}; "
            "file refused",
            line,
        )
    for number, item in enumerate(value.value, start=1):
        if not isinstance(item, MappingNode):
            return YamlError(
                f"merge key '<<' needs a list of mappings, item {number} is a {item.id}; "
                "file refused",
                line,
            )
    return None


def _distinct_nodes(root: Node) -> tuple[int, YamlError | None]:
    """Count the distinct nodes; report the first too-deep or unsafe one,
    or a merge key that cannot be merged."""
    seen: set[int] = set()
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, is_key = stack.pop()
        if node.tag in _KEY_ONLY_TAGS and not is_key:
            what = repr(node.value) if isinstance(node, ScalarNode) else f"tag {node.tag!r}"
            return 0, YamlError(
                f"{what} can only be a mapping key; file refused", node.start_mark.line + 1
            )
        if id(node) in seen:
            continue
        seen.add(id(node))
        line = node.start_mark.line + 1
        if depth > MAX_YAML_DEPTH:
            return 0, YamlError(f"nested deeper than {MAX_YAML_DEPTH} levels; file refused", line)
        if node.tag not in _SAFE_TAGS and node.tag not in _KEY_ONLY_TAGS:
            return 0, YamlError(f"tag {node.tag!r} is not plain YAML data; file refused", line)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    error = _merge_error(key, value)
                    if error is not None:
                        return 0, error
                stack.append((key, depth + 1, True))
                stack.append((value, depth + 1, False))
        elif isinstance(node, SequenceNode):
            stack.extend((child, depth + 1, False) for child in node.value)
    return len(seen), None


def merged_pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """A mapping's key/value pairs with its merge keys resolved.

    Each merge key (``<<: *anchor`` or ``<<: [*a, *b]``) is replaced by the
    pairs of the mappings it names, merged pairs first: so a key written in
    the mapping overrides a merged one, a later ``<<`` overrides an earlier
    one, and in a list the earlier mapping wins (as the YAML merge type
    says and PyYAML's safe loader did up to 6.0.3; 6.0.4 lets the later
    one win for keys of more than one character, yaml/pyyaml#953).  A dict
    filled from these pairs in order (later pairs replacing earlier ones)
    holds what YAML holds.  The nodes are those of the mappings the pairs are written in,
    so a merged field keeps its own line.  The graph must have passed
    :func:`compose_yaml` (no cycles, merges only of mappings); it is not
    changed.
    """
    pairs: list[tuple[Node, Node]] = []
    stack: list[MappingNode | tuple[Node, Node]] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            pairs.append(item)
            continue
        sources: list[MappingNode] = []
        own: list[tuple[Node, Node]] = []
        for key, value in item.value:
            if key.tag != _MERGE_TAG:
                own.append((key, value))
            elif isinstance(value, MappingNode):
                sources.append(value)
            else:
                sources.extend(reversed(value.value))
        stack.extend(reversed(own))
        stack.extend(reversed(sources))
    return pairs


@dataclass(frozen=True, slots=True)
class AliasUse:
    """An alias (``*name``, a merge's included) and the anchor it refers to."""

    anchor: str
    line: int  # line of the alias
    anchor_line: int  # line of the ``&name`` it refers to


def alias_uses(text: str) -> list[AliasUse]:
    """Every alias in YAML text, with the line of the anchor it refers to
    (YAML refuses a document that defines one anchor name twice)."""
    anchors: dict[str, int] = {}
    uses: list[AliasUse] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                line = anchors.get(event.anchor)
                if line is not None:
                    uses.append(AliasUse(event.anchor, event.start_mark.line + 1, line))
            elif isinstance(event, yaml.NodeEvent) and event.anchor:
                anchors[event.anchor] = event.start_mark.line + 1
    except yaml.YAMLError:  # pragma: no cover - the text composed already
        pass
    return uses


def _alias_bomb_line(text: str, budget: int) -> int:
    """The line of the alias that takes the expansion past ``budget``.

    Walks YAML's event stream, adding up how many nodes each alias stands
    for; an alias to a collection that is still open refers to itself.
    """
    sizes: dict[str, int] = {}
    open_anchors: set[str] = set()
    stack: list[list] = [[None, 0]]  # [anchor, node count] per open collection
    extra = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                if event.anchor in open_anchors or event.anchor not in sizes:
                    return event.start_mark.line + 1
                extra += sizes[event.anchor]
                stack[-1][1] += sizes[event.anchor]
                if extra > budget:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.ScalarEvent):
                stack[-1][1] += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append([event.anchor, 1])
                if event.anchor:
                    open_anchors.add(event.anchor)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, count = stack.pop()
                stack[-1][1] += count
                if anchor:
                    open_anchors.discard(anchor)
                    sizes[anchor] = count
    except yaml.YAMLError:  # pragma: no cover - the text composed already
        pass
    return 1


def _yaml_error_position(exc: yaml.YAMLError, text: str) -> tuple[str, int, int]:
    """Message, line and column of a YAML error, at the most useful place."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character
        code = char if isinstance(char, int) else ord(char)
        return f"unacceptable character #x{code:04x}", line, column
    if not isinstance(exc, yaml.MarkedYAMLError):
        return str(exc).splitlines()[0], 1, 0
    problem = str(exc.problem or exc.context or "invalid YAML")
    mark = exc.problem_mark or exc.context_mark
    context = exc.context_mark
    if (
        context is not None
        and exc.problem_mark is not None
        and exc.problem_mark.index >= len(text.rstrip())
    ):
        # The parser ran off the end looking for the close of something
        # (a quote, a bracket): point at where that something started.
        problem = f"{exc.context} (never closed): {problem}"
        mark = context
    if mark is None:
        return problem, 1, 0
    return problem, mark.line + 1, mark.column + 1


def compose_yaml(text: str) -> tuple[Node | None, YamlError | None]:
    """Compose YAML text into a node graph, refusing alias bombs, unsafe
    tags and absurd nesting."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return None, YamlError(*_yaml_error_position(exc, text))
    except RecursionError:
        return None, YamlError("nested too deeply", 1)
    if root is None:
        return None, None
    distinct, error = _distinct_nodes(root)
    if error is not None:
        return None, error
    if _expanded_size(root, distinct + MAX_ALIAS_EXPANSION) is None:
        return None, YamlError(
            "aliases expand past the limit of "
            f"{MAX_ALIAS_EXPANSION} extra nodes (or refer to themselves); "
            "file refused",
            _alias_bomb_line(text, MAX_ALIAS_EXPANSION),
        )
    return root, None


class _Constructor(yaml.constructor.SafeConstructor):
    """YAML's safe constructor, merging as :func:`merged_pairs` does.

    PyYAML's own merging rewrites the shared nodes it merges, and its
    precedence in a list of mappings changed in 6.0.4; this one leaves the
    graph as it is and gives every mapping the values its entry's fields
    get.
    """

    def flatten_mapping(self, node: MappingNode) -> None:
        for key, _value in node.value:
            if key.tag == _VALUE_TAG:  # '=' as a key is the text "="
                key.tag = "tag:yaml.org,2002:str"

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            node = MappingNode(node.tag, merged_pairs(node), node.start_mark, node.end_mark)
        return super().construct_mapping(node, deep=deep)


def construct(node: Node) -> Any:
    """Turn a composed node into Python values with YAML's safe rules."""
    constructor = _Constructor()
    try:
        return constructor.construct_document(node)
    except (yaml.YAMLError, TypeError, ValueError, RecursionError):
        return _scalar_text(node)


def _scalar_text(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return str(node.value)
    return yaml.serialize(node, Dumper=yaml.SafeDumper).strip()


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "integer",
        float: "float",
        str: "string",
        list: "list",
        dict: "mapping",
    }.get(type(value), type(value).__name__)


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
class YamlFile:
    """What every loaded YAML file records: how reading it went."""

    path: str
    read_error: str | None = None
    read_error_line: int = 1
    missing: bool = False
    empty: bool = False
    yaml_error: YamlError | None = None
    not_mapping: str | None = None  # type of the top level when not a mapping
    duplicates: list[Duplicate] = field(default_factory=list)
    noqa: dict[int, frozenset[str] | None] = field(default_factory=dict)


def _read_yaml_mapping(result: YamlFile, max_bytes: int) -> tuple[MappingNode | None, str]:
    """Read ``result.path`` and compose it; the top-level mapping (or None
    with the reason recorded on ``result``) and the text."""
    read = read_text(result.path, max_bytes)
    if read.text is None:
        result.read_error = read.error
        result.read_error_line = read.error_line
        result.missing = read.missing
        return None, ""
    text = read.text
    result.noqa = noqa_lines(text)
    root, error = compose_yaml(text)
    if error is not None:
        result.yaml_error = error
        return None, text
    if root is None:
        result.empty = True
        return None, text
    if not isinstance(root, MappingNode):
        result.not_mapping = _type_name(construct(root))
        return None, text
    return root, text


def _top_level(root: MappingNode) -> tuple[list[tuple[Node, Node]], set[int], list[int]]:
    """The top-level pairs as YAML reads them (merges included), the ids
    of the keys written at the top level, and the lines of top-level
    merge keys."""
    written = {id(key) for key, _value in root.value if key.tag != _MERGE_TAG}
    merges = [key.start_mark.line + 1 for key, _value in root.value if key.tag == _MERGE_TAG]
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
    root, text = _read_yaml_mapping(result, max_bytes)
    if root is None:
        return result
    if "*" in text:
        result.aliases = alias_uses(text)
    pairs, written, result.top_level_merges = _top_level(root)
    written_lines: dict[str, int] = {}
    for key_node, value_node in pairs:
        key = _scalar_text(key_node)
        key_type = (
            "string" if not isinstance(key_node, ScalarNode) else _type_name(construct(key_node))
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
                entry.fields[_scalar_text(field_key)] = _field(field_key, field_value)
        else:
            entry.value_type = _type_name(construct(value_node))
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
    root, _text = _read_yaml_mapping(result, max_bytes)
    if root is None:
        return result
    pairs, written, _merges = _top_level(root)
    written_lines: dict[int, int] = {}
    for key_node, value_node in pairs:
        line = key_node.start_mark.line + 1
        key = construct(key_node) if isinstance(key_node, ScalarNode) else None
        if isinstance(key, bool) or not isinstance(key, int):
            result.bad_keys.append((_scalar_text(key_node), line))
            continue
        entry = StatusEntry(key, line)
        if isinstance(value_node, MappingNode):
            for reason_key, reason_value in merged_pairs(value_node):
                entry.reasons[_scalar_text(reason_key)] = _field(reason_key, reason_value)
        else:
            entry.problem = (
                f"expected a mapping of reason keys to text, found "
                f"{_type_name(construct(value_node))}"
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
# JSON samples


@dataclass(slots=True)
class SampleKey:
    """A key found in a JSON sample, with the keys of the objects above it."""

    name: str
    parents: tuple[str, ...]


@dataclass(slots=True)
class SampleDuplicate:
    """A key that one object of a JSON sample holds twice."""

    name: str
    parents: tuple[str, ...]  # keys of the objects (and lists) above it
    first_line: int
    line: int  # line of the repeated key


@dataclass(slots=True)
class SampleFile:
    """A loaded JSON sample."""

    path: str
    read_error: str | None = None
    read_error_line: int = 1
    missing: bool = False
    json_error: YamlError | None = None
    top_type: str = "object"
    top_line: int = 1  # line where the top-level value starts
    keys: list[SampleKey] = field(default_factory=list)
    #: An object, or a list of objects (as some APIs return).
    object_like: bool = False
    duplicates: list[SampleDuplicate] = field(default_factory=list)
    #: The parsed JSON (None when it could not be read or parsed).
    value: Any = None


#: JSON strings (skipped), brackets and the non-standard constants Python's
#: parser accepts; one scan serves the depth check and the constant finder.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|NaN|-?Infinity')


def _json_depth(text: str) -> int:
    """Deepest bracket nesting, ignoring brackets inside strings."""
    depth = deepest = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def _constant_position(text: str, name: str) -> tuple[int, int]:
    """Line and column of the first ``name`` (NaN, Infinity) outside strings."""
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token.lstrip("-") == name:
            index = match.start() + len(token) - len(name)
            line = text.count("\n", 0, index) + 1
            return line, index - (text.rfind("\n", 0, index) + 1) + 1
    return 1, 1


#: A JSON string used as a key (group 1), any other string, or a bracket.
_JSON_KEY_TOKENS = re.compile(r'("(?:[^"\\]|\\.)*")[ \t\n\r]*:|"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _duplicate_keys(text: str) -> list[SampleDuplicate]:
    """Every repeated key of valid JSON text, at the line of the repeat."""
    found: list[SampleDuplicate] = []
    # Per open object or list: the keys seen in it with their lines (a list
    # has none), and the keys above it.
    stack: list[tuple[dict[str, int], tuple[str, ...]]] = [({}, ())]
    key: str | None = None
    line, counted = 1, 0
    for match in _JSON_KEY_TOKENS.finditer(text):
        token = match.group()
        if match.group(1) is not None:
            line += text.count("\n", counted, match.start())
            counted = match.start()
            key = json.loads(match.group(1))
            seen, parents = stack[-1]
            if key in seen:
                found.append(SampleDuplicate(key, parents, seen[key], line))
            else:
                seen[key] = line
        elif token in ("{", "["):
            parents = stack[-1][1] if key is None else (*stack[-1][1], key)
            stack.append(({}, parents))
            key = None
        elif token in ("}", "]"):
            stack.pop()
            key = None
        else:
            key = None
    return found


def load_sample(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> SampleFile:
    """Load a JSON sample and list every object key in it."""
    result = SampleFile(path)
    read = read_text(path, max_bytes)
    if read.text is None:
        result.read_error = read.error
        result.read_error_line = read.error_line
        result.missing = read.missing
        return result
    text = read.text
    if _json_depth(text) > MAX_JSON_DEPTH:
        result.json_error = YamlError(
            f"nested deeper than {MAX_JSON_DEPTH} levels; not checked", 1, 1
        )
        return result
    constants: list[str] = []
    repeated: list[bool] = []

    def parse_constant(name: str) -> float:
        constants.append(name)
        return float(name)

    def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(pairs)  # the last of equal keys wins, as json.loads has it
        if len(value) < len(pairs):
            repeated.append(True)
        return value

    try:
        value = json.loads(text, parse_constant=parse_constant, object_pairs_hook=object_pairs)
    except json.JSONDecodeError as exc:
        result.json_error = YamlError(exc.msg, exc.lineno, exc.colno)
        return result
    except RecursionError:
        result.json_error = YamlError("nested too deeply", 1, 1)
        return result
    if constants:
        line, column = _constant_position(text, constants[0])
        result.json_error = YamlError(f"{constants[0]} is not valid JSON", line, column)
        return result
    if repeated:
        result.duplicates = _duplicate_keys(text)
    result.value = value
    result.top_type = _type_name(value)
    result.object_like = isinstance(value, dict) or (
        isinstance(value, list) and all(isinstance(item, dict) for item in value)
    )
    stripped = text.lstrip()
    result.top_line = text.count("\n", 0, len(text) - len(stripped)) + 1
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while stack:
        current, parents = stack.pop()
        if isinstance(current, dict):
            for name, child in current.items():
                result.keys.append(SampleKey(name, parents))
                stack.append((child, (*parents, name)))
        elif isinstance(current, list):
            stack.extend((child, parents) for child in current)
    return result


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
