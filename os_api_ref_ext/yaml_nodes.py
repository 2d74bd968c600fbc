"""Sphinx-free: compose YAML safely, keeping every node's line.

Parameters and status files are composed into PyYAML nodes (which keep
their positions), never loaded blind: alias bombs, absurd nesting, unsafe
tags and malformed merge keys become a :class:`ParseError` with a line
instead of an exception, a hang or a huge object.  :mod:`os_api_ref_ext.sources`
reads the entries from the nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
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
#: Deepest YAML nesting a file may have before it is refused (libyaml itself
#: stops at 1,000; PyYAML's Python-level code recurses well before that).
MAX_YAML_DEPTH = 100
# --------------------------------------------------------------------------
# YAML


@dataclass(slots=True)
class ParseError:
    """A reason a YAML file could not be used, with its position."""

    message: str
    line: int
    column: int = 0


def _expanded_size(root: Node, budget: int, sizes: dict[int, int]) -> int | None:
    """Number of nodes the graph below ``root`` expands to, or None if
    cyclic or over budget; ``sizes`` keeps the sizes found, by node id."""
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


def _alias_expansion(reached_again: dict[int, tuple[Node, int]], budget: int) -> int | None:
    """How many nodes expanding the aliases adds, or None if an alias refers
    to a node above it or the count is over ``budget``.

    A node reached ``n`` more times than once adds ``n`` copies of what it
    expands to; every other node is expanded once already.  So only the
    parts below the nodes aliases name are walked, not the whole file.
    """
    sizes: dict[int, int] = {}
    added = 0
    for node, times in reached_again.values():
        size = _expanded_size(node, budget, sizes)
        if size is None:
            return None
        added += times * size
        if added > budget:
            return None
    return added


#: Tags YAML's safe loader can turn into values; any other tag is refused.
_SAFE_TAGS = frozenset(tag for tag in yaml.constructor.SafeConstructor.yaml_constructors if tag)
#: ``<<`` (a merge key) and ``=`` (read as the text "=") are only allowed as keys.
MERGE_TAG = "tag:yaml.org,2002:merge"
_VALUE_TAG = "tag:yaml.org,2002:value"
_KEY_ONLY_TAGS = frozenset({MERGE_TAG, _VALUE_TAG})


def _merge_error(key: Node, value: Node) -> ParseError | None:
    """Why a merge key's value cannot be merged (as YAML's safe loader
    refuses it), reported at the ``<<``; None if it can."""
    line = key.start_mark.line + 1
    if isinstance(value, MappingNode):
        return None
    if not isinstance(value, SequenceNode):
        return ParseError(
            f"merge key '<<' needs a mapping or a list of mappings, found a {value.id}; "
            "file refused",
            line,
        )
    for number, item in enumerate(value.value, start=1):
        if not isinstance(item, MappingNode):
            return ParseError(
                f"merge key '<<' needs a list of mappings, item {number} is a {item.id}; "
                "file refused",
                line,
            )
    return None


def _distinct_nodes(root: Node) -> tuple[dict[int, tuple[Node, int]], ParseError | None]:
    """Walk every distinct node once and say which are reached more than once
    (only an alias makes a node so), and how many times more; report the
    first too-deep or unsafe one, or a merge key that cannot be merged."""
    seen: set[int] = set()
    shared: dict[int, tuple[Node, int]] = {}
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, is_key = stack.pop()
        if node.tag in _KEY_ONLY_TAGS and not is_key:
            what = repr(node.value) if isinstance(node, ScalarNode) else f"tag {node.tag!r}"
            return (
                shared,
                ParseError(
                    f"{what} can only be a mapping key; file refused", node.start_mark.line + 1
                ),
            )
        if id(node) in seen:
            _node, times = shared.get(id(node), (node, 0))
            shared[id(node)] = (node, times + 1)
            continue
        seen.add(id(node))
        line = node.start_mark.line + 1
        if depth > MAX_YAML_DEPTH:
            return (
                shared,
                ParseError(f"nested deeper than {MAX_YAML_DEPTH} levels; file refused", line),
            )
        if node.tag not in _SAFE_TAGS and node.tag not in _KEY_ONLY_TAGS:
            return (
                shared,
                ParseError(f"tag {node.tag!r} is not plain YAML data; file refused", line),
            )
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if key.tag == MERGE_TAG:
                    error = _merge_error(key, value)
                    if error is not None:
                        return shared, error
                stack.append((key, depth + 1, True))
                stack.append((value, depth + 1, False))
        elif isinstance(node, SequenceNode):
            stack.extend((child, depth + 1, False) for child in node.value)
    return shared, None


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
            if key.tag != MERGE_TAG:
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


@dataclass(slots=True)
class Composed:
    """A composed YAML file: its root node (None when empty or refused),
    why it was refused, and whether it uses aliases at all."""

    root: Node | None
    error: ParseError | None = None
    has_aliases: bool = False


def compose_yaml(text: str) -> Composed:
    """Compose YAML text into a node graph, refusing alias bombs, unsafe
    tags and absurd nesting."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return Composed(None, ParseError(*_yaml_error_position(exc, text)))
    except RecursionError:
        return Composed(None, ParseError("nested too deeply", 1))
    if root is None:
        return Composed(None)
    reached_again, error = _distinct_nodes(root)
    shared = bool(reached_again)
    if error is not None:
        return Composed(None, error, shared)
    # Without aliases every node is reached once: nothing to expand.
    if shared and _alias_expansion(reached_again, MAX_ALIAS_EXPANSION) is None:
        return Composed(
            None,
            ParseError(
                "aliases expand past the limit of "
                f"{MAX_ALIAS_EXPANSION} extra nodes (or refer to themselves); "
                "file refused",
                _alias_bomb_line(text, MAX_ALIAS_EXPANSION),
            ),
            shared,
        )
    return Composed(root, None, shared)


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


_STR_TAG = "tag:yaml.org,2002:str"


def construct(node: Node) -> Any:
    """Turn a composed node into Python values with YAML's safe rules."""
    if node.tag == _STR_TAG and isinstance(node, ScalarNode):
        return node.value  # what the safe constructor makes of a text
    constructor = _Constructor()
    try:
        return constructor.construct_document(node)
    except (yaml.YAMLError, TypeError, ValueError, RecursionError):
        return scalar_text(node)


def scalar_text(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return str(node.value)
    return yaml.serialize(node, Dumper=yaml.SafeDumper).strip()


def type_name(value: object) -> str:
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
