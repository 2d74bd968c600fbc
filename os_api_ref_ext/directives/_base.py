"""Sphinx side: what the directives share.

Source lines and files of a directive, where it stands (its sections,
operation, request/response kind and include chain), reST snippets from
YAML parsed in place, and :class:`TableDirective`, the base of the two
table directives.  The directives hand what they read to
:mod:`os_api_ref_ext.record`; nothing here judges it.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import Body
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective, switch_source_input

from os_api_ref_ext.domain import current_document
from os_api_ref_ext.model import TABLE_OPTION_NAMES, Document, Lines, section_kind
from os_api_ref_ext.record import StanzaSource


class AnyOptions(dict[str, Callable[[str | None], Any]]):
    """An option spec that accepts every option name.

    Known options convert as usual; an unknown one is kept as text so the
    directive can report it as a finding and still render, instead of
    docutils dropping the whole directive.
    """

    def __missing__(self, name: str) -> Callable[[str | None], Any]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True  # docutils reads options only when the spec is truthy


#: Options every table directive accepts, as os-api-ref's did.
TABLE_OPTIONS = AnyOptions(
    {
        name: directives.class_option if name == "class" else directives.unchanged
        for name in TABLE_OPTION_NAMES
    }
)


def content_lines(directive: SphinxDirective) -> Lines:
    """The directive's body as (text, 1-based line) pairs in its own file."""
    return [
        (text, offset + 1)
        for text, (_source, offset) in zip(directive.content, directive.content.items, strict=False)
    ]


def content_source(directive: SphinxDirective) -> str:
    """The file the directive's body comes from (an included file, maybe)."""
    if directive.content.items:
        return str(directive.content.items[0][0])
    source, _line = directive.get_source_info()
    return source or ""


_RESOLVED = "apiref_resolved_paths"


def resolve_file(directive: SphinxDirective, argument: str) -> str:
    """Absolute path of a file argument, resolved as ``literalinclude`` does.

    A page names the same parameters file hundreds of times and hundreds
    of samples in a few folders, and Sphinx's resolution goes through
    pathlib and resolves every folder on the way, so results are kept for
    the document: each argument once, and each folder once.  A file that is
    itself a symbolic link is left to Sphinx, which may resolve it.
    """
    resolved: dict[str, str] = directive.env.temp_data.setdefault(_RESOLVED, {})
    path = resolved.get(argument)
    if path is None:
        folder, name = posixpath.split(argument)
        if name in ("", ".", "..") or "\\" in argument:
            path = _sphinx_path(directive, argument)
        else:
            key = "\0" + folder  # no argument starts with a NUL
            base = resolved.get(key)
            if base is None:
                base = resolved[key] = _sphinx_path(directive, folder or ".")
            path = os.path.join(base, name)
            if os.path.islink(path):
                path = _sphinx_path(directive, argument)
        resolved[argument] = path
    return path


def _sphinx_path(directive: SphinxDirective, argument: str) -> str:
    _relative, absolute = directive.env.relfn2path(argument)
    return str(absolute)


_NOTED = "apiref_noted_dependencies"


def note_dependency(directive: SphinxDirective, path: str) -> None:
    """Note that the document depends on ``path``, once per document.

    A page names its parameters file in every stanza; Sphinx would build
    a path object for each of those calls.
    """
    noted: set[str] = directive.env.temp_data.setdefault(_NOTED, set())
    if path not in noted:
        noted.add(path)
        directive.env.note_dependency(path)


def parse_rst(
    directive: SphinxDirective, text: str, source: str, first_line: int
) -> list[nodes.Node]:
    """Parse a reST snippet from a YAML file into body nodes.

    Docutils' messages, those about inline markup included, point into
    ``source`` at the right line.  A snippet made only of plain paragraphs
    (most descriptions are) skips docutils' block-level state machine and
    sends each paragraph straight to its inline parser: the same nodes and
    messages, without setting up a nested parse for each description.
    """
    lines = text.splitlines() or [""]
    block = StringList(
        lines, items=[(source, first_line - 1 + index) for index in range(len(lines))]
    )
    container = nodes.container()
    state = directive.state
    with switch_source_input(state, block):
        runs = plain_paragraphs(lines)
        if runs is None:
            state.nested_parse(block, 0, container)
        else:
            for start, end in runs:
                parse_paragraph(state, block, container, start, end)
    return list(container.children)


def _compiled(pattern: str | re.Pattern[str]) -> re.Pattern[str]:
    return pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)


#: What makes docutils read a first line as anything but the start of a
#: paragraph: its own patterns for lists, fields, options, doctests, line
#: blocks, tables, explicit markup, anonymous targets and transitions.
_BLOCK_STARTS = tuple(
    _compiled(Body.patterns[name]) for name in Body.initial_transitions if name != "text"
)
#: A second line that makes the first a section title.
_UNDERLINE = _compiled(Body.patterns["line"])
#: A paragraph ending in ``::`` introduces a literal block.
_LITERAL_NEXT = re.compile(r"(?<!\\)(\\\\)*::$")


def _blank(line: str) -> bool:
    """A line docutils reads as blank (its pattern is `` *$``; a tab is
    not blank to it)."""
    return not line.strip(" ")


def _plain(chunk: list[str]) -> bool:
    """Whether docutils, at the start of a body, reads ``chunk`` (lines
    with no blank one and none indented) as exactly one paragraph: a first
    line that starts no list, field, table, directive or the like, no title
    underline below it, and no ``::`` at the end."""
    first = chunk[0]
    if any(pattern.match(first) for pattern in _BLOCK_STARTS):
        return False
    if len(chunk) > 1 and _UNDERLINE.match(chunk[1]):
        return False
    return not _LITERAL_NEXT.search("\n".join(chunk).rstrip())


def plain_paragraphs(lines: list[str]) -> list[tuple[int, int]] | None:
    """The paragraphs docutils reads ``lines`` as, as ``(start, end)``
    line ranges, when it reads them as plain paragraphs separated by blank
    lines and nothing else; None when there is anything more (a list, a
    literal block, an indented line...) or nothing at all.  When unsure,
    None."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate(lines):
        if _blank(line):
            if start is not None:
                runs.append((start, index))
                start = None
            continue
        if line[0].isspace():
            return None
        if start is None:
            start = index
    if start is not None:
        runs.append((start, len(lines)))
    if not runs or not all(_plain(lines[begin:end]) for begin, end in runs):
        return None
    return runs


def one_paragraph(lines: list[str]) -> bool:
    """Whether docutils reads ``lines`` as exactly one plain paragraph,
    with no blank line in it."""
    return plain_paragraphs(lines) == [(0, len(lines))]


def parse_paragraph(
    state: Any,
    block: StringList,
    container: nodes.Element,
    start: int = 0,
    end: int | None = None,
) -> None:
    """Append to ``container`` what docutils' nested parse appends for the
    plain paragraph on lines ``start`` to ``end`` of ``block`` (see
    :func:`plain_paragraphs`): the paragraph, with its inline markup parsed
    by the document's inliner, then the inliner's messages, which docutils
    places at the paragraph's first line."""
    data = "\n".join(block.data[start:end]).rstrip()
    children, messages = state.inliner.parse(data, start + 1, state.memo, container)
    paragraph = nodes.paragraph(data, "", *children)
    source, offset = block.info(start)
    paragraph.source, paragraph.line = source, offset + 1
    container += paragraph
    container += messages


_OPERATION_OF_SECTION = "apiref_operation_of_section"


def enclosing_sections(directive: SphinxDirective) -> list[nodes.section]:
    """Sections around a directive, innermost first."""
    found: list[nodes.section] = []
    node: nodes.Node | None = directive.state.parent
    while node is not None:
        if isinstance(node, nodes.section):
            found.append(node)
        node = node.parent
    return found


def section_title(section: nodes.section) -> str:
    if section.children and isinstance(section[0], nodes.title):
        return section[0].astext()
    return ""


def remember_operation(directive: SphinxDirective, section: nodes.Element, index: int) -> None:
    """Note that ``section`` holds operation ``index`` of this document."""
    table = directive.env.temp_data.setdefault(_OPERATION_OF_SECTION, {})
    table[id(section)] = index


_INCLUDE_DIRECTIVE = re.compile(r"\.\.\s+include\s*::")


_INCLUDE_SITES = "apiref_include_sites"


def note_include_site(directive: SphinxDirective) -> None:
    """Note where the inclusion docutils just opened (the last entry of the
    document's ``include_log``) was asked for: the ``include`` directive's
    file and line."""
    log = directive.state.document.include_log
    sites: dict[int, tuple[object, tuple[str, int]]] = directive.env.temp_data.setdefault(
        _INCLUDE_SITES, {}
    )
    source, line = directive.get_source_info()
    sites[len(log) - 1] = (log[-1], (source or "", line or 0))


def include_chain(directive: SphinxDirective) -> tuple[tuple[str, int], ...]:
    """The ``include`` directives (file, line) that pulled a directive's file
    into the document, outermost first.

    docutils keeps the inclusions open at the current line in the
    document's ``include_log``, and :func:`note_include_site` noted where
    each was asked for.  The log is only as good as docutils' parse of the
    line that closes each inclusion: an included file that ends inside a
    construct (a nested directive's content) leaves its entry open.  So
    the chain is taken from the log only when it is consistent (each
    inclusion asked for from the file of the one above it, the innermost
    holding the directive); otherwise, and for an inclusion opened some
    other way (another extension's directive), the input is read back
    (:func:`_scanned_include_chain`).
    """
    log = directive.state.document.include_log
    if len(log) < 2:  # no inclusion open (reading back would stop at once)
        return ()
    sites: dict[int, tuple[object, tuple[str, int]]] = directive.env.temp_data.get(
        _INCLUDE_SITES, {}
    )
    chain: list[tuple[str, int]] = []
    for depth in range(1, len(log)):
        entry, site = sites.get(depth, (None, ("", 0)))
        if entry is not log[depth] or (depth > 1 and site[0] != log[depth - 1][0]):
            return _scanned_include_chain(directive)
        chain.append(site)
    if directive.get_source_info()[0] != log[-1][0]:
        return _scanned_include_chain(directive)
    return tuple(chain)


def _scanned_include_chain(directive: SphinxDirective) -> tuple[tuple[str, int], ...]:
    """:func:`include_chain`, read from the input lines.

    docutils splices an included file into the input between two padding
    lines whose source reads ``internal padding before FILE`` and
    ``internal padding after FILE``, right below the ``include`` directive.
    Walking the input back from the directive, a padding line *before*
    that closes no inner inclusion marks the file being read, and the
    nearest ``include`` line above it is the directive that included it.
    """
    log = directive.state.document.include_log  # the file, then each open inclusion
    depth = len(log) - 1 if log else 0
    lines = directive.state_machine.input_lines
    position = directive.state_machine.line_offset
    while getattr(lines, "parent", None) is not None:  # nested parses read a slice
        position += lines.parent_offset
        lines = lines.parent
    chain: list[tuple[str, int]] = []
    inner = 0  # inclusions closed below the current position
    for index in range(min(position, len(lines) - 1), -1, -1):
        if len(chain) == depth:
            break
        source = lines.items[index][0] or ""
        if source.startswith("internal padding after "):
            inner += 1
        elif source.startswith("internal padding before "):
            if inner:
                inner -= 1
                continue
            site = next(
                (
                    lines.items[above]
                    for above in range(index - 1, -1, -1)
                    if _INCLUDE_DIRECTIVE.match(lines.data[above].lstrip())
                ),
                None,
            )
            if site is not None:
                chain.append((site[0], site[1] + 1))
    return tuple(reversed(chain))


def directive_context(directive: SphinxDirective) -> tuple[str | None, int | None]:
    """The request/response kind and the operation index around a directive.

    The kind comes from the titles of the subsections between the directive
    and its operation ("Request", "Response Parameters", "Response Example").
    """
    table: dict[int, int] = directive.env.temp_data.get(_OPERATION_OF_SECTION, {})
    titles: list[str] = []
    for section in enclosing_sections(directive):
        operation = table.get(id(section))
        if operation is not None:
            return section_kind(list(reversed(titles))), operation
        titles.append(section_title(section))
    return section_kind(list(reversed(titles))), None


class TableDirective(SphinxDirective):
    """The base of ``rest_parameters`` and ``rest_status_code``: a file
    argument, ``- item`` lines as content, the table options."""

    has_content = True
    required_arguments = 0
    option_spec: ClassVar[dict[str, Callable[[str | None], Any]]] = TABLE_OPTIONS

    def stanza_source(self, file_arg: str | None, operation: int | None) -> StanzaSource:
        """What :mod:`os_api_ref_ext.record` takes of any stanza."""
        source, line = self.get_source_info()
        return StanzaSource(
            directive=self.name,
            file=resolve_file(self, file_arg) if file_arg else None,
            file_arg=file_arg,
            lines=content_lines(self),
            body_path=content_source(self),
            path=source or "",
            line=line or 0,
            operation=operation,
            options=tuple(self.options),
        )

    @property
    def document_record(self) -> Document:
        return current_document(self.env)
