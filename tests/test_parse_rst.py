"""Descriptions from YAML: the plain-paragraph shortcut parses as docutils does.

:func:`os_api_ref_ext.directives._base.parse_rst` sends each paragraph of a
description made only of plain paragraphs straight to docutils' inline
parser instead of a nested parse.  These tests run both on the same text, each in a fresh
document, and require the same nodes, the same source lines and the same
messages whenever the shortcut is taken; and they pin which texts take it.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.util.docutils import switch_source_input

from os_api_ref_ext.directives._base import one_paragraph, parse_paragraph, plain_paragraphs

FIRST_LINE = 10  # the description's first line in its YAML file
SOURCE = "parameters.yaml"


def _parse(text: str, shortcut: bool) -> dict[str, Any]:
    """Parse ``text`` as parse_rst would, in a document of its own."""
    found: dict[str, Any] = {}

    class Probe(Directive):
        def run(self) -> list[nodes.Node]:
            lines = text.splitlines() or [""]
            block = StringList(
                lines, items=[(SOURCE, FIRST_LINE - 1 + i) for i in range(len(lines))]
            )
            container = nodes.container()
            with switch_source_input(self.state, block):
                if shortcut:
                    for start, end in plain_paragraphs(lines) or []:
                        parse_paragraph(self.state, block, container, start, end)
                else:
                    self.state.nested_parse(block, 0, container)
            found["container"] = container
            found["document"] = self.state.document
            return []

    directives.register_directive("apiref-probe", Probe)
    try:
        publish_doctree(
            ".. apiref-probe::\n",
            source_path="index.rst",
            settings_overrides={
                "report_level": 5,
                "halt_level": 5,
                "warning_stream": io.StringIO(),
            },
        )
    finally:
        directives._directives.pop("apiref-probe", None)
    return found


def _shape(found: dict[str, Any]) -> tuple[Any, ...]:
    container: nodes.container = found["container"]
    document: nodes.document = found["document"]
    return (
        [child.pformat() for child in container.children],
        [
            (type(node).__name__, node.source, node.line)
            for node in container.findall(include_self=False)
            if not isinstance(node, nodes.Text)
        ],
        sorted(document.refnames),
        sorted(document.nameids),
    )


def assert_same(text: str) -> None:
    assert _shape(_parse(text, shortcut=True)) == _shape(_parse(text, shortcut=False))


ONE_PARAGRAPH = [
    "The UUID of the server.",
    "A name, in ``literal`` text,\nover two lines.",
    "Three\nlines\nhere.",
    "Emphasis *never closed.",
    "Strong **never closed.",
    "A ``literal never closed.",
    "See `the guide <https://example.com/guide>`_ for more.",
    "See the_target_ and `another target`_.",
    "An anonymous `link <https://example.com>`__ here.",
    "A |substitution| reference.",
    "A footnote [1]_ and a citation [CIT2002]_.",
    "A role :ref:`label` and :unknown-role:`x`.",
    "Mail admin@example.com or visit https://example.com/x_y.",
    'It\'s "quoted" -- and dashed...',
    "Version 2.1 or later.",
    "Trailing spaces   ",
    "A tab\tinside.",
    "An inline _`target` here.",
    "Ends with a colon:",
    "Escaped \\*stars\\* and a backslash \\",
    "Text\nA. not a list on the second line",
    "Text\n- not a bullet on the second line",
    "Text\n.. not a comment on the second line",
    "Text\n===== not an underline: it has words",
    "1.5 is a version, not a list",
    "word",
    "-o an option? One space after it: text.",
]

NOT_ONE_PARAGRAPH = [
    "",
    "Two\n\nparagraphs.",
    "Text\n   \nafter a whitespace line",
    "-",
    "- a bullet",
    "* a bullet",
    "1. an enumerated item",
    "#. an auto-enumerated item",
    "(a) a lettered item",
    "A. a lettered item",
    "iv) a roman item",
    ":field: a field",
    "-o  an option",
    "--option=value  described",
    ">>> print('doctest')",
    "| a line block",
    "+-----+\n| x   |\n+-----+",
    "=====  =====\na      b\n=====  =====",
    ".. note:: a directive",
    ".. a comment",
    "__ https://example.com",
    "----------",
    "Title\n=====",
    "Title\n-",
    "A literal block follows::",
    "A literal block follows ::",
    "Term\n   definition",
    "Text\n  indented continuation",
    "  A block quote.",
    "\tA tab-indented line.",
    "Text\n\tA tab-indented line.",
]

#: Plain paragraphs separated by blank lines: each goes to the inliner.
PLAIN_PARAGRAPHS = [
    "Two\n\nparagraphs.",
    "Text\n   \nafter a whitespace line",
    "\nLeading and trailing blank lines.\n\n",
    "One\n\n\n\nfar below, *never closed.",
    "First *open.\n\nSecond\nover two lines with ``open.\n\nThird `x <http://x.org>`_.",
    "See target_.\n\nAnd a |substitution| and a _`target` here.",
]

#: Blank-line separated texts of which some part is more than a paragraph.
NOT_PLAIN_PARAGRAPHS = [
    "   ",
    "\n\n",
    "Text\n\n- a bullet after a blank line",
    "Text\n\n.. a comment after a blank line",
    "Text\n\n  a block quote after a blank line",
    "Text\n\nA literal block follows::",
    "A literal block follows::\n\n  code",
    "Text\n\t\nafter a tab-only line",
    "Text\n\nTitle\n=====",
    "Text\n\n----------\n\nafter a transition",
]


@pytest.mark.parametrize("text", ONE_PARAGRAPH)
def test_one_paragraph_shortcut_matches_docutils(text: str) -> None:
    assert one_paragraph(text.splitlines() or [""])
    assert_same(text)


@pytest.mark.parametrize("text", NOT_ONE_PARAGRAPH)
def test_block_constructs_take_the_full_parse(text: str) -> None:
    assert not one_paragraph(text.splitlines() or [""])


@pytest.mark.parametrize("text", PLAIN_PARAGRAPHS)
def test_plain_paragraphs_shortcut_matches_docutils(text: str) -> None:
    assert plain_paragraphs(text.splitlines() or [""])
    assert_same(text)


@pytest.mark.parametrize("text", NOT_PLAIN_PARAGRAPHS)
def test_blocks_after_a_blank_line_take_the_full_parse(text: str) -> None:
    assert plain_paragraphs(text.splitlines() or [""]) is None


def test_paragraph_ranges() -> None:
    assert plain_paragraphs(["a", "b", "", "  ", "c", ""]) == [(0, 2), (4, 5)]
    assert plain_paragraphs(["a"]) == [(0, 1)]


def test_messages_of_a_later_paragraph_point_at_its_first_line() -> None:
    found = _parse("First.\n\nSecond line\nwith *emphasis never closed.", shortcut=True)
    messages = list(found["container"].findall(nodes.system_message))
    assert [(m["source"], m["line"]) for m in messages] == [(SOURCE, FIRST_LINE + 2)]
    second = found["container"][1]
    assert (second.source, second.line) == (SOURCE, FIRST_LINE + 2)


def test_messages_point_into_the_yaml_file() -> None:
    found = _parse("Some text\nwith *emphasis never closed.", shortcut=True)
    messages = list(found["container"].findall(nodes.system_message))
    assert [(m["source"], m["line"], m[0].astext()) for m in messages] == [
        (SOURCE, FIRST_LINE, "Inline emphasis start-string without end-string.")
    ]
    paragraph = found["container"][0]
    assert (paragraph.source, paragraph.line) == (SOURCE, FIRST_LINE)


_ALPHABET = st.sampled_from(
    list("ab Z19.,:;-_*`|[]<>()\\'\"#@/=+~^\t") + ["\n", "\n", "http://x.org", "::", "..", "``"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, min_size=1, max_size=30).map("".join))
def test_any_text_the_shortcut_takes_parses_as_docutils_does(text: str) -> None:
    if plain_paragraphs(text.splitlines() or [""]) is not None:
        assert_same(text)
