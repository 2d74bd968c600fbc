"""Sphinx-free: the walk over a document's body elements, as docutils parses them.

:class:`BlockParser` follows the block rules of docutils' parser
(:mod:`~os_api_ref_ext.lint.rst_blocks` holds the patterns and line
helpers, :mod:`~os_api_ref_ext.lint.rst_specs` the directive
declarations) and keeps the open sections as docutils' ``check_subsection``
would.  The command-line reader (:mod:`os_api_ref_ext.lint.reader`)
subclasses it to record what our directives say.

Content nested in another body element (a note, a list item, a block
quote) is parsed by docutils into a node that is not yet part of its
section, so a directive there sees no section at all (``top`` is False);
the parser does the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils.nodes import make_id

from os_api_ref_ext.lint.rst_blocks import (
    ADORNMENT,
    ANONYMOUS,
    BULLET,
    CITATION,
    DIRECTIVE,
    DOCTEST,
    ENUMERATOR,
    EXPLICIT,
    FIELD_MARKER,
    FOOTNOTE,
    GRID_TABLE_TOP,
    LINE_BLOCK,
    LITERAL_NEXT,
    NONALNUM,
    OPTION_MARKER,
    SIMPLE_TABLE_BORDER,
    SIMPLE_TABLE_TOP,
    SUBSTITUTION,
    SUBSTITUTION_DIRECTIVE,
    TARGET,
    TARGET_NAME,
    Line,
    column_width,
    indented,
    simple_table_margins_clear,
    strip_top,
    title_text,
    unescape,
)
from os_api_ref_ext.lint.rst_specs import (
    CONTAINERS,
    NO_OUTPUT,
    SPECS,
    Directive,
    MarkupError,
    parse_directive_block,
)

#: The comment docutils' ``include`` adds after an included file.
END_OF_INCLUSION = 'end of inclusion from "'


@dataclass
class Section:
    """An open section: its level and title text."""

    level: int
    title: str
    id: str  # the id docutils gives the section
    operation: int | None = None  # the last operation whose section this is
    started: bool = False  # holds a body element besides title, targets, comments


class BlockParser:
    """Walks the body elements of a document; subclasses record what they find.

    ``run_directive`` gets every directive of :data:`SPECS` that docutils
    would run; ``text_found`` the text of each paragraph, title and
    definition term; ``inclusion_ended`` the end of a spliced ``include``.
    """

    def __init__(self) -> None:
        self.title_styles: list[tuple[str, ...]] = []
        self.sections: list[Section] = []
        self.ids: set[str] = set()
        self.id_counter = 0

    # -- ids, as docutils' document.set_id gives them ----------------------

    def auto_id(self) -> str:
        while True:
            self.id_counter += 1
            candidate = f"id{self.id_counter}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def set_id(self, name: str | None) -> str:
        if name is not None:
            candidate = make_id(name)
            if candidate and candidate not in self.ids:
                self.ids.add(candidate)
                return candidate
        return self.auto_id()

    def run_directive(
        self, key: str, directive: Directive, lines: list[Line], end: int, top: bool
    ) -> None:
        raise NotImplementedError

    def text_found(self, text: str, where: Line) -> None:
        """The text of a paragraph, title or term starting at ``where``."""

    def inclusion_ended(self) -> bool:
        """An ``end of inclusion`` comment: whether it closed an inclusion."""
        return False

    def _started(self, top: bool) -> None:
        """A body element was added to the current section."""
        if top and self.sections:
            self.sections[-1].started = True

    def _section(self, raw_title: str, style: tuple[str, ...], where: Line) -> None:
        """A title: open a section, as docutils' ``check_subsection`` allows."""
        current = len(self.sections)
        if style in self.title_styles:
            level = self.title_styles.index(style) + 1
        else:
            level = len(self.title_styles) + 1
        if level > current + 1:
            return  # "Inconsistent title style": an error, and no section
        del self.sections[level - 1 :]
        if level > len(self.title_styles):
            self.title_styles.append(style)
        self.text_found(raw_title, where)
        text = title_text(raw_title)
        self.sections.append(Section(level, text, self.set_id(" ".join(text.lower().split()))))

    def body(self, lines: list[Line], top: bool) -> None:
        """Parse body elements; ``top`` is the document level, where titles are."""
        index = 0
        literal_next = False
        while index < len(lines):
            text = lines[index][0]
            if not text:
                index += 1
                continue
            if literal_next:
                literal_next = False
                end = self._literal_block(lines, index)
                if end > index:
                    self._started(top)
                    index = end
                    continue
            if text[0] == " ":
                block, index = indented(lines, index)
                self._started(top)
                self.body(strip_top(block), top=False)  # a block quote
                continue
            index, literal_next = self._construct(lines, index, top)

    @staticmethod
    def _literal_block(lines: list[Line], index: int) -> int:
        """Index after the literal block at ``index`` (``index`` if none)."""
        text = lines[index][0]
        if text[0] == " ":
            return indented(lines, index)[1]
        if not re.match(NONALNUM, text):
            return index
        quote = text[0]
        while index < len(lines) and lines[index][0][:1] == quote:
            index += 1
        return index

    def _construct(self, lines: list[Line], index: int, top: bool) -> tuple[int, bool]:
        """Parse the construct at an unindented line; (next index, literal next)."""
        text = lines[index][0]
        if EXPLICIT.match(text):
            return self._explicit(lines, index, top), False
        match = ANONYMOUS.match(text)
        if match:
            self.auto_id()
            return indented(lines, index, first_indent=match.end(), until_blank=True)[1], False
        match = BULLET.match(text) or (self._is_enumerated(lines, index) and ENUMERATOR.match(text))
        if match:
            self._started(top)
            if text[match.end() :]:
                block, end = indented(lines, index, block_indent=match.end())
            else:
                block, end = indented(lines, index, first_indent=match.end())
            self.body(strip_top(block), top=False)
            return end, False
        match = FIELD_MARKER.match(text) or OPTION_MARKER.match(text)
        if match:
            self._started(top)
            block, end = indented(lines, index, first_indent=match.end())
            self.body(strip_top(block), top=False)
            return end, False
        if DOCTEST.match(text) or LINE_BLOCK.match(text):
            self._started(top)
            return self._text_block_end(lines, index), False
        if GRID_TABLE_TOP.match(text) or SIMPLE_TABLE_TOP.match(text):
            isolate = self._grid_table if GRID_TABLE_TOP.match(text) else self._simple_table
            end, well_formed = isolate(lines, index)
            if well_formed:  # a malformed table leaves only an error message
                self._started(top)
            return end, False
        if ADORNMENT.match(text):
            end = self._adornment(lines, index, top)
            if end is not None:
                return end, False
        return self._text(lines, index, top)

    @staticmethod
    def _is_enumerated(lines: list[Line], index: int) -> bool:
        """docutils' test: the next line is blank, indented or another item."""
        if index + 1 >= len(lines):
            return True
        following = lines[index + 1][0]
        return not following[:1].strip() or bool(ENUMERATOR.match(following))

    @staticmethod
    def _text_block_end(lines: list[Line], index: int) -> int:
        while index < len(lines) and lines[index][0]:
            index += 1
        return index

    @staticmethod
    def _grid_table(lines: list[Line], start: int) -> tuple[int, bool]:
        """docutils' ``isolate_grid_table``: (index after the table, well formed)."""
        end = start
        while end < len(lines) and lines[end][0] and lines[end][0][0] != " ":
            end += 1
        block = [text.strip() for text, _source, _number in lines[start:end]]
        width = len(block[0])
        for position, text in enumerate(block):
            if text[0] not in "+|":  # left edge
                del block[position:]
                end = start + position
                break
        if not GRID_TABLE_TOP.match(block[-1]):  # the bottom border
            for position in range(len(block) - 2, 1, -1):
                if GRID_TABLE_TOP.match(block[position]):
                    del block[position + 1 :]
                    end = start + position + 1
                    break
            else:
                return end, False
        well_formed = all(len(text) == width and text[-1] in "+|" for text in block)
        return end, well_formed

    @staticmethod
    def _simple_table(lines: list[Line], start: int) -> tuple[int, bool]:
        """docutils' ``isolate_simple_table``: (index after the table, well formed)."""
        limit = len(lines) - 1
        width = len(lines[start][0].strip())
        found = 0
        found_at = None
        index = start + 1
        while index <= limit:
            text = lines[index][0]
            if SIMPLE_TABLE_BORDER.match(text):
                if len(text.strip()) != width:
                    return index + 1, False
                found += 1
                found_at = index
                if found == 2 or index == limit or not lines[index + 1][0].strip():
                    return index + 1, simple_table_margins_clear(lines[start : index + 1])
            index += 1
        return (found_at if found_at is not None else limit) + 1, False

    def _adornment(self, lines: list[Line], index: int, top: bool) -> int | None:
        """A line of punctuation: over-lined title, transition, or text (None)."""
        marker = lines[index][0]
        short = len(marker.strip()) < 4
        if not top:
            if marker.strip() == "::" or short:
                return None
            return index + 1  # "Unexpected section title or transition"
        if index + 1 >= len(lines) or not lines[index + 1][0]:
            if short:
                return None
            self._started(top)
            return index + 1  # a transition
        title = lines[index + 1][0]
        if ADORNMENT.match(title) and title[0] != " ":
            return None if short else index + 2  # "Invalid section title"
        if index + 2 >= len(lines):
            return None if short else index + 2  # "Incomplete section title"
        overline = marker.rstrip()
        underline = lines[index + 2][0].rstrip()
        if not ADORNMENT.match(underline) or overline != underline:
            return None if short else index + 3
        title = title.rstrip()
        if column_width(title) > len(overline) and short:
            return None
        self._section(title.lstrip(), (overline[0], underline[0]), lines[index + 1])
        return index + 3

    def _text(self, lines: list[Line], index: int, top: bool) -> tuple[int, bool]:
        """A title, a definition list item or a paragraph (docutils' Text state)."""
        if index + 1 < len(lines):
            following = lines[index + 1][0]
            if following[:1] == " ":  # a definition list item
                self._started(top)
                self.text_found(lines[index][0], lines[index])
                block, end = indented(lines, index + 1)
                self.body(strip_top(block), top=False)
                return end, False
            if following and ADORNMENT.match(following):
                title = lines[index][0].rstrip()
                underline = following.rstrip()
                if column_width(title) <= len(underline) or len(underline) >= 4:
                    if top:
                        self._section(title, (underline[0],), lines[index])
                    return index + 2, False
        start = index
        while index < len(lines) and lines[index][0] and lines[index][0][0] != " ":
            index += 1
        self._started(top)
        paragraph = "\n".join(text for text, _source, _number in lines[start:index]).rstrip()
        self.text_found(paragraph, lines[start])
        return index, bool(LITERAL_NEXT.search(paragraph))

    def _explicit(self, lines: list[Line], index: int, top: bool) -> int:
        text = lines[index][0]
        match = FOOTNOTE.match(text)
        if match:
            label = match.group(1)  # "1", "#", "#name" or "*"; a number makes no id
            name = label[1:] if label.startswith("#") else label.strip("*")
            self.set_id(name.lower() or None)
            return self._explicit_body(lines, index, match.end(), top)
        match = CITATION.match(text)
        if match:
            self.set_id(match.group(1).lower())
            return self._explicit_body(lines, index, match.end(), top)
        match = TARGET.match(text)
        if match:
            _block, end = indented(lines, index, first_indent=match.end(), until_blank=True)
            # As docutils: the name is on the first line, or on the first
            # lines joined (unindented) until it is complete.
            joined, name = text[match.end() :], None
            for following in range(index + 1, end + 1):
                name = TARGET_NAME.match(joined)
                if name is not None or following == end:
                    break
                joined += lines[following][0]
            if name is not None:
                if name.group("name") is None:
                    self.auto_id()
                else:
                    self.set_id(" ".join(unescape(name.group("name")).lower().split()))
                return end
        elif SUBSTITUTION.match(text):
            self._started(top)
            embedded = SUBSTITUTION_DIRECTIVE.match(text)
            if embedded:
                # The directive runs ("replace" parses its content), detached
                # from any section.
                return self._directive(lines, index, embedded, top=False)
            return indented(lines, index, first_indent=EXPLICIT.match(text).end())[1]  # type: ignore[union-attr]
        else:
            match = DIRECTIVE.match(text)
            if match:
                return self._directive(lines, index, match, top)
        return self._comment(lines, index)

    def _explicit_body(self, lines: list[Line], index: int, column: int, top: bool) -> int:
        """A footnote or citation: its body is parsed as nested content."""
        self._started(top)
        block, end = indented(lines, index, first_indent=column)
        self.body(strip_top(block), top=False)
        return end

    def _comment(self, lines: list[Line], index: int) -> int:
        text = lines[index][0]
        start = EXPLICIT.match(text).end()  # type: ignore[union-attr]
        next_blank = index + 1 >= len(lines) or not lines[index + 1][0].strip()
        if next_blank:
            rest = text[start:]
            if not rest.strip():
                return index + 1
            if rest.startswith(END_OF_INCLUSION) and self.inclusion_ended():
                return index + 1
        return indented(lines, index, first_indent=start)[1]

    def _directive(self, lines: list[Line], index: int, match: re.Match[str], top: bool) -> int:
        name = match.group(1)
        key = name.lower()
        block, end = indented(lines, index, first_indent=match.end())
        spec = SPECS.get(key) or CONTAINERS.get(key)
        if spec is None:
            if key not in NO_OUTPUT:
                self._started(top)
            return end
        _text, source, number = lines[index]
        try:
            directive = Directive(name, *parse_directive_block(block, spec), source, number)
        except MarkupError:
            return end  # docutils reports an error; the directive never runs
        if key == "only":
            if self._only(directive.content):
                self._started(top)
        elif key in CONTAINERS:
            self._started(top)
            self.body(list(directive.content), top=False)
        else:
            self.run_directive(key, directive, lines, end, top)
        return end

    def _only(self, content: list[Line]) -> bool:
        """Sphinx's ``only`` parses its content with titles allowed, with
        title styles of its own, into a node not yet in the document.

        Returns whether the node stays where the directive stood: when its
        first title has the style of the current section or of one above
        it, Sphinx moves the node up the section hierarchy instead.
        """
        outer_styles, outer_sections = self.title_styles, self.sections
        self.title_styles, self.sections = [], []
        try:
            self.body(list(content), top=True)
            inner_styles = self.title_styles
        finally:
            self.title_styles, self.sections = outer_styles, outer_sections
        if not inner_styles or inner_styles[0] not in outer_styles:
            return True
        return outer_styles.index(inner_styles[0]) >= len(outer_sections)
