"""Sphinx-free: docutils trees walked without docutils' generators.

``Node.findall`` walks a tree through nested generators, one per node, and
hands each node found up through every generator above it; on a page of
thousands of nodes nested a dozen deep that is most of what a walk costs.
These walks keep a stack of their own and return a list, in the order
``findall`` yields (the node, then each child's subtree in turn), so the
caller may change the tree while it goes through what was found.
"""

from __future__ import annotations

from typing import TypeVar

from docutils import nodes

Found = TypeVar("Found", bound=nodes.Node)


def every_node(root: nodes.Node) -> list[nodes.Node]:
    """``root`` and every node under it, in document order."""
    return nodes_of(root, nodes.Node)


def nodes_of(root: nodes.Node, kind: type[Found] | tuple[type[Found], ...]) -> list[Found]:
    """The nodes of class ``kind`` (or of any class of the tuple) from
    ``root`` down, ``root`` included, in document order."""
    found: list[Found] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            found.append(node)
        children = node.children
        if children:
            stack.extend(reversed(children))
    return found
