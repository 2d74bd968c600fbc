"""Sphinx-free: the block grammar of reStructuredText, as far as the model needs it.

A port of the block rules of docutils' parser that decide what a
directive sees: section titles (underlined, or over- and underlined) and
their levels, in order of first appearance per document; explicit markup
(directives with their arguments, options and content, comments,
targets, footnotes, citations, substitution definitions); literal blocks
after ``::``; lists, field lists, option lists, block quotes, definition
lists, doctest and line blocks; grid and simple tables; transitions.
Nothing inside them is mistaken for a title or a directive.

This module holds the patterns of docutils' ``Body`` state, the line
helpers (splitting, indented blocks, tables) and the text docutils gives a
title; :mod:`~os_api_ref_ext.lint.rst_parser` walks a document with them.
Inline markup is not parsed, except to give section titles the text
docutils would.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from os_api_ref_ext.model import LINE_LENGTH_LIMIT

#: One input line: its text (tabs expanded, right-stripped), the file it
#: comes from and its 1-based line number there.
Line = tuple[str, str, int]

TAB_WIDTH = 8


# Patterns of docutils' Body state (docutils.parsers.rst.states.Body).
_SIMPLENAME = r"(?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*"
NONALNUM = r"[!-/:-@\[-`{-~]"
_ENUM = r"(?:[0-9]+|[a-z]|[A-Z]|[ivxlcdm]+|[IVXLCDM]+|#)"
_OPTARG = r"(?:[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>)"
_OPTION = (
    rf"(?:(?:-|\+)[a-zA-Z0-9](?: ?{_OPTARG})?|(?:--|/)[a-zA-Z0-9][a-zA-Z0-9_-]*(?:[ =]{_OPTARG})?)"
)
BULLET = re.compile("[-+*\u2022\u2023\u2043]( +|$)")
ENUMERATOR = re.compile(rf"(?:\({_ENUM}\)|{_ENUM}\)|{_ENUM}\.)( +|$)")
FIELD_MARKER = re.compile(r":(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)")
OPTION_MARKER = re.compile(rf"{_OPTION}(?:, {_OPTION})*(  +| ?$)")
DOCTEST = re.compile(r">>>( +|$)")
LINE_BLOCK = re.compile(r"\|( +|$)")
GRID_TABLE_TOP = re.compile(r"\+-[-+]+-\+ *$")
SIMPLE_TABLE_TOP = re.compile(r"=+( +=+)+ *$")
SIMPLE_TABLE_BORDER = re.compile(r"=+[ =]*$")
EXPLICIT = re.compile(r"\.\.( +|$)")
ANONYMOUS = re.compile(r"__( +|$)")
ADORNMENT = re.compile(rf"({NONALNUM})\1* *$")
FOOTNOTE = re.compile(rf"\.\. +\[([0-9]+|#|#{_SIMPLENAME}|\*)\]( +|$)")
CITATION = re.compile(rf"\.\. +\[({_SIMPLENAME})\]( +|$)")
TARGET = re.compile(r"\.\. +_(?! |$)")
TARGET_NAME = re.compile(r"(?:_|(?P<quote>`?)(?P<name>.+?)(?P=quote)) ?:( +|$)")
SUBSTITUTION = re.compile(r"\.\. +\|(?! |$)")
# A one-line substitution definition and the directive it embeds.
SUBSTITUTION_DIRECTIVE = re.compile(rf"\.\. +\|[^|]*[^| ]\| +({_SIMPLENAME}) ?::( +|$)")
DIRECTIVE = re.compile(rf"\.\. +({_SIMPLENAME}) ?::( +|$)")
LITERAL_NEXT = re.compile(r"(?<!\\)(\\\\)*::$")
_WHITESPACE_CONTROL = re.compile("[\v\f]")
DOCINFO = re.compile(r":\w+:.*?")


# --------------------------------------------------------------------------
# Lines


def split_lines(text: str, source: str, tab_width: int = TAB_WIDTH) -> list[Line]:
    """Split text into lines the way docutils does (``string2lines``)."""
    text = _WHITESPACE_CONTROL.sub(" ", text)
    return [
        (raw.expandtabs(tab_width).rstrip(), source, number)
        for number, raw in enumerate(text.splitlines(), start=1)
    ]


def indented(
    lines: Sequence[Line],
    start: int,
    first_indent: int | None = None,
    block_indent: int | None = None,
    until_blank: bool = False,
) -> tuple[list[Line], int]:
    """The indented block at ``start`` and the index after it.

    A port of docutils' ``StringList.get_indented``: the block runs while
    lines are blank or indented (by at least ``block_indent`` when given);
    its common indentation is removed.  With ``first_indent`` the first
    line belongs to the block whatever its indentation, cut at that column.
    """
    if block_indent is not None and first_indent is None:
        first_indent = block_indent
    end = start + 1 if first_indent is not None else start
    indent = block_indent
    count = len(lines)
    while end < count:
        text = lines[end][0]
        if text and (text[0] != " " or (block_indent is not None and text[:block_indent].strip())):
            break
        stripped = text.lstrip()
        if not stripped:
            if until_blank:
                break
        elif block_indent is None:
            width = len(text) - len(stripped)
            indent = width if indent is None else min(indent, width)
        end += 1
    block = list(lines[start:end])
    first = 0
    if first_indent is not None and block:
        text, source, number = block[0]
        block[0] = (text[first_indent:], source, number)
        first = 1
    if indent:
        block[first:] = [(text[indent:], source, number) for text, source, number in block[first:]]
    return block, end


def too_long(lines: list[Line]) -> bool:
    return any(len(text) > LINE_LENGTH_LIMIT for text, _source, _number in lines)


def strip_top(block: list[Line]) -> list[Line]:
    start = 0
    while start < len(block) and not block[start][0].strip():
        start += 1
    return block[start:]


def simple_table_margins_clear(table: list[Line]) -> bool:
    """No text between the columns of a simple table (docutils' check)."""
    columns = [match.span() for match in re.finditer("=+", table[0][0])]
    margins = [
        (end, following[0]) for (_, end), following in zip(columns, columns[1:], strict=False)
    ]
    return not any(
        text[start:end].strip()
        for text, _source, _number in table
        if not SIMPLE_TABLE_BORDER.match(text)
        for start, end in margins
    )


def column_width(text: str) -> int:
    """Width of text in columns, as docutils measures title underlines."""
    width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return width - sum(1 for char in text if unicodedata.combining(char))


# --------------------------------------------------------------------------
# Titles: the text docutils gives a title node (inline markup removed)

_INLINE = re.compile(
    r"""
    (?<![^\s\-:/'"<(\[{])          # start-string after space, punctuation or line start
    (?:
        ``(?P<literal>\S(?:.*?\S)?)``
      | \*\*(?P<strong>\S(?:.*?\S)?)\*\*
      | \*(?P<emphasis>[^\s*](?:.*?[^\s\\])?)\*
      | (?::[\w.+:-]+:)?`(?P<interpreted>[^`\s](?:[^`]*?[^`\s])?)`(?::[\w.+:-]+:|__?)?
      | \|(?P<substitution>[^|\s](?:[^|]*?[^|\s])?)\|(?:__?)?
    )
    (?=$|[\s\-.,:;!?\\/'")\]}>])   # end-string before space, punctuation or line end
    """,
    re.VERBOSE,
)
_EXPLICIT_TITLE = re.compile(r"^(.*?)\s*<[^<>]*>$", re.DOTALL)
_REFERENCE = re.compile(r"(?<![\w\\])([^\W_][\w.+:-]*?)__?(?=$|[\s.,:;!?)\]}>'\"])")
_ESCAPE = re.compile(r"\\(.)|\\$")


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: "" if match.group(1) in (None, " ") else match.group(1), text)


def title_text(source: str) -> str:
    """The text of a title as docutils' ``astext()`` gives it."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(source):
        out.append(_REFERENCE.sub(r"\1", unescape(source[position : match.start()])))
        literal = match.group("literal")
        if literal is not None:
            out.append(literal)
        else:
            inner = next(group for group in match.groups() if group is not None)
            explicit = _EXPLICIT_TITLE.match(inner)
            if match.group("interpreted") is not None and explicit and explicit.group(1):
                inner = explicit.group(1)
            out.append(unescape(inner))
        position = match.end()
    out.append(_REFERENCE.sub(r"\1", unescape(source[position:])))
    return "".join(out)
