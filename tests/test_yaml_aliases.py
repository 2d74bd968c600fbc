"""YAML aliases: the expansion limit counts what a full expansion would.

:func:`os_api_ref_ext.yaml_nodes.compose_yaml` refuses a file whose aliases
expand past ``MAX_ALIAS_EXPANSION`` extra nodes or refer to a node above
them, walking only the parts of the graph aliases name.  These tests hold
its verdict against expanding the graph completely.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, SequenceNode

from os_api_ref_ext import yaml_nodes

LIMIT = 40


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _full_expansion(root: Node, cap: int) -> int | None:
    """Nodes of the completely expanded graph, by brute force; None if an
    alias refers to a node above it or the count passes ``cap``."""
    count = 0
    path: list[int] = []

    def walk(node: Node) -> bool:
        nonlocal count
        if id(node) in path:
            return False
        count += 1
        if count > cap:
            return False
        path.append(id(node))
        ok = all(walk(child) for child in _children(node))
        path.pop()
        return ok

    return count if walk(root) else None


def _distinct(root: Node) -> int:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            stack.extend(_children(node))
    return len(seen)


@st.composite
def aliased_yaml(draw: st.DrawFn) -> str:
    """Top-level keys holding lists of scalars and aliases to anchors
    already opened (an anchor's own list included, which makes a cycle)."""
    lines = []
    anchors = draw(st.integers(1, 6))
    for index in range(anchors):
        items = []
        for _ in range(draw(st.integers(0, 5))):
            target = draw(st.integers(-1, index))
            if target < 0 or (target == index and not draw(st.booleans())):
                items.append("x")
            else:
                items.append(f"*a{target}")
        lines.append(f"k{index}: &a{index} [{', '.join(items)}]")
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None)
@given(aliased_yaml())
def test_limit_counts_as_a_full_expansion_does(text: str) -> None:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    distinct = _distinct(root)
    expanded = _full_expansion(root, distinct + LIMIT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_nodes, "MAX_ALIAS_EXPANSION", LIMIT)
        composed = yaml_nodes.compose_yaml(text)
    assert (composed.error is None) == (expanded is not None), text
    assert composed.has_aliases == ("*" in text)


def test_nested_aliases_multiply() -> None:
    # The 9 distinct nodes (the root, three keys, three lists, two items)
    # expand to 48: k0's list is 3 nodes, k1's holds it 3 times (10), k2's
    # holds k1's 3 times (31); so the aliases add 39.
    text = "k0: &a0 [x, x]\nk1: &a1 [*a0, *a0, *a0]\nk2: &a2 [*a1, *a1, *a1]\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert (_distinct(root), _full_expansion(root, 10_000)) == (9, 48)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_nodes, "MAX_ALIAS_EXPANSION", 38)
        assert yaml_nodes.compose_yaml(text).error is not None
        patch.setattr(yaml_nodes, "MAX_ALIAS_EXPANSION", 39)
        assert yaml_nodes.compose_yaml(text).error is None


def test_an_alias_to_its_own_list_is_refused() -> None:
    composed = yaml_nodes.compose_yaml("k: &a [x, *a]\n")
    assert composed.root is None
    assert composed.error is not None
    assert "refer to themselves" in composed.error.message
