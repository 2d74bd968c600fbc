"""The extension's own tree walks find what ``Node.findall`` finds, in the
same order, and leave the tree free to change under the caller."""

from __future__ import annotations

from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import given, settings
from hypothesis import strategies as st

from os_api_ref_ext.walk import every_node, nodes_of

SOURCE = """\
Title
=====

A paragraph with *emphasis*, ``code`` and a `link <https://example.com>`_.

Section
-------

- one
- two, with a nested list:

  1. three
  2. four

+-------+-------+
| cell  | cell  |
+=======+=======+
| ``a`` | *b*   |
+-------+-------+

Sub-section
~~~~~~~~~~~

::

   literal

.. note:: A note with a `second link <https://example.org>`_.
"""

KINDS: list[type[nodes.Node] | tuple[type[nodes.Node], ...]] = [
    nodes.Text,
    nodes.Element,
    nodes.section,
    nodes.reference,
    nodes.literal,
    nodes.entry,
    (nodes.reference, nodes.literal_block),
    (nodes.title, nodes.Text),
]


def _findall(root: nodes.Node, kind: object) -> list[nodes.Node]:
    """What docutils finds (it takes one class, or a function)."""
    if isinstance(kind, tuple):
        return list(root.findall(lambda node: isinstance(node, kind)))
    return list(root.findall(kind))


def test_a_parsed_document_is_walked_as_findall_walks_it() -> None:
    document = publish_doctree(SOURCE, settings_overrides={"report_level": 5})
    assert every_node(document) == list(document.findall())
    for kind in KINDS:
        assert nodes_of(document, kind) == _findall(document, kind)
    section = nodes_of(document, nodes.section)[1]
    assert every_node(section) == list(section.findall())
    text = nodes_of(document, nodes.Text)[0]
    assert every_node(text) == [text]


def _tree(shape: object) -> nodes.Node:
    """A tree from a nested list: a list is an element (its first item
    chooses the class), a string is a text."""
    if isinstance(shape, str):
        return nodes.Text(shape)
    assert isinstance(shape, tuple)
    kind, children = shape
    element = (nodes.paragraph, nodes.section, nodes.inline)[kind]()
    for child in children:
        element += _tree(child)
    return element


SHAPES = st.recursive(
    st.text(max_size=3),
    lambda inner: st.tuples(st.integers(0, 2), st.lists(inner, max_size=4)),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None)
@given(SHAPES)
def test_any_tree_is_walked_as_findall_walks_it(shape: object) -> None:
    root = _tree(shape)
    assert every_node(root) == list(root.findall())
    for kind in (nodes.section, nodes.inline, nodes.Text, (nodes.paragraph, nodes.Text)):
        assert nodes_of(root, kind) == _findall(root, kind)


def test_the_tree_may_change_while_what_was_found_is_gone_through() -> None:
    document = publish_doctree(SOURCE, settings_overrides={"report_level": 5})
    references = nodes_of(document, nodes.reference)
    assert len(references) == 2
    for reference in references:
        reference.replace_self(nodes.inline("", "", *reference.children))
    assert nodes_of(document, nodes.reference) == []
    assert len(nodes_of(document, nodes.inline)) >= 2
