"""Sphinx-free: read the documents of a source tree into the model.

The command-line linter's front end, the counterpart of the directives in
a build: :class:`DocumentReader` walks each document with the block
grammar of :mod:`~os_api_ref_ext.lint.rst_parser` and hands what
``rest_method``, ``rest_parameters``, ``rest_status_code``,
``rest_expand_all`` and ``literalinclude`` of ``.json`` files say to the
same :mod:`os_api_ref_ext.record` functions the directives call, so both
front ends record the same :class:`~os_api_ref_ext.model.Document`, field
for field (``tests/test_lint_parity.py``).

``include`` splices the file into the input where the directive stood, as
docutils does, and paths resolve as Sphinx resolves them (relative to the
*document's* directory, or to the source directory when they start with
``/``); ``rst_prolog`` and ``rst_epilog`` are added as Sphinx adds them.
Script links in paragraphs and titles are found in their text (the build
finds them in the doctree: :mod:`os_api_ref_ext.disarm`).

Every file is read with :func:`~os_api_ref_ext.sources.read_bytes`: what
is no regular file once symlinks are followed (a device, a FIFO, a socket)
or is larger than ``os_api_ref_max_file_size`` is not read, so a hostile
tree cannot block the linter or fill its memory.  Such a document reads as
empty and such an include as absent (the build shows a note and a docutils
warning for it, which the linter does not repeat).
"""

from __future__ import annotations

import os
from typing import Any

from os_api_ref_ext.lint.project import SourceTree, read_source
from os_api_ref_ext.lint.rst_blocks import DOCINFO, TAB_WIDTH, Line, split_lines, too_long
from os_api_ref_ext.lint.rst_parser import BlockParser
from os_api_ref_ext.lint.rst_specs import Directive
from os_api_ref_ext.model import Document, section_kind
from os_api_ref_ext.reads import refusal
from os_api_ref_ext.record import (
    StanzaSource,
    record_include,
    record_operation,
    record_parameters,
    record_sample,
    record_status,
    record_toolbar,
    record_unsafe_link,
)
from os_api_ref_ext.unsafe_markup import unsafe_links


class DocumentReader(BlockParser):
    """Reads one document (with its includes) into a :class:`Document`."""

    def __init__(self, tree: SourceTree, docname: str, path: str) -> None:
        super().__init__()
        self.tree = tree
        self.path = path
        self.document = Document(docname)
        self.include_log: list[tuple[str, tuple[Any, ...]]] = []
        # The include directives (file, line) of the open inclusions, outermost first.
        self.include_sites: list[tuple[str, int]] = []

    def read(self) -> Document:
        text = read_source(self.path, self.tree.max_bytes, errors="replace") or ""
        lines = split_lines(text, self.path)
        if too_long(lines):
            return self.document  # docutils parses nothing of the document
        self._add_prolog(lines)
        self.body(lines, top=True)
        return self.document

    def _add_prolog(self, lines: list[Line]) -> None:
        """``rst_prolog`` and ``rst_epilog`` as Sphinx adds them."""
        prolog = self.tree.conf.get("rst_prolog")
        if isinstance(prolog, str) and prolog:
            position = 0
            while position < len(lines) and DOCINFO.match(lines[position][0]):
                position += 1
            added: list[Line] = [("", "<generated>", 1)] if position else []
            added += [
                (text, "<rst_prologue>", number + 1)
                for number, text in enumerate(prolog.splitlines())
            ]
            added.append(("", "<generated>", 1))
            lines[position:position] = added
        epilog = self.tree.conf.get("rst_epilog")
        if isinstance(epilog, str) and epilog:
            last = lines[-1] if lines else ("", "<generated>", 0)
            lines.append(("", last[1], last[2] + 1))
            lines += [
                (text, "<rst_epilogue>", number + 1)
                for number, text in enumerate(epilog.splitlines())
            ]

    # -- what the grammar hands on ------------------------------------------

    def text_found(self, text: str, where: Line) -> None:
        if ":" in text:
            # At the line where the text starts, as the build's doctree has it.
            for _offset, uri in unsafe_links(text):
                record_unsafe_link(self.document, uri, where[1], where[2])

    def inclusion_ended(self) -> bool:
        if not self.include_log:
            return False
        self.include_log.pop()
        del self.include_sites[max(len(self.include_log) - 1, 0) :]
        return True

    def run_directive(
        self, key: str, directive: Directive, lines: list[Line], end: int, top: bool
    ) -> None:
        if key == "include":
            self._include(lines, end, directive, top)
            return
        if key == "literalinclude":
            self._literalinclude(directive, top)
            return
        if key == "rest_method":
            self._rest_method(directive, top)
        elif key in ("rest_parameters", "rest_status_code"):
            self._stanza(key, directive, top)
        elif key == "rest_expand_all":
            record_toolbar(
                self.document,
                directive=directive.name,
                path=directive.source,
                line=directive.line,
                options=list(directive.options),
            )
        self._started(top)

    # -- our directives -------------------------------------------------------

    def _context(self, top: bool) -> tuple[str | None, int | None]:
        """The request/response kind and operation around a directive
        (``os_api_ref_ext.directives._base.directive_context``)."""
        titles: list[str] = []
        for section in reversed(self.sections if top else []):
            if section.operation is not None:
                return section_kind(list(reversed(titles))), section.operation
            titles.append(section.title)
        return section_kind(list(reversed(titles))), None

    def _rest_method(self, directive: Directive, top: bool) -> None:
        section = self.sections[-1] if top and self.sections else None
        operation = record_operation(
            self.document,
            lines=directive.content_lines(),
            path=directive.source,
            line=directive.line,
            section_title=section.title if section is not None else None,
            section_id=section.id if section is not None else "",
            after_content=section is not None and section.started,
            includes=self._include_chain(directive.source),
        )
        if section is not None:
            section.operation = operation.index

    def _add_name(self, directive: Directive) -> None:
        """The id a ``:name:`` option gives the directive's node (``add_name``)."""
        if "name" in directive.options:
            self.set_id(" ".join(str(directive.options["name"]).lower().split()))

    def _include_chain(self, source: str) -> tuple[tuple[str, int], ...]:
        """The open ``include`` sites that lead to the file ``source``.

        An included file that ends in a literal block swallows the end of
        inclusion comment (docutils misses it too), so the open sites can
        outlast their file; the build walks docutils' padding lines, which
        stay, so the chain is cut where ``source`` was included.
        """
        for depth in range(len(self.include_log) - 1, -1, -1):
            if self.include_log[depth][0] == source:
                return tuple(self.include_sites[:depth])
        return ()

    def _stanza(self, key: str, directive: Directive, top: bool) -> None:
        arguments = directive.arguments
        kind, operation = self._context(top)
        if key == "rest_parameters":
            file_arg = arguments[0].strip() if arguments else None
        else:
            file_arg = arguments[1] if len(arguments) > 1 else None
        source = StanzaSource(
            directive=directive.name,
            file=self.tree.relfn2path(file_arg, self.path) if file_arg else None,
            file_arg=file_arg,
            lines=directive.content_lines(),
            body_path=directive.content[0][1] if directive.content else directive.source,
            path=directive.source,
            line=directive.line,
            operation=operation,
            options=tuple(directive.options),
        )
        if key == "rest_parameters":
            record_parameters(self.document, source, kind)
            self._add_name(directive)
            return
        status_type = arguments[0] if arguments else ""
        record_status(self.document, source, status_type)
        if status_type in ("success", "error"):
            self.auto_id()  # the titled table gets an id (rest_status_code.py)
        else:
            self._add_name(directive)

    def _literalinclude(self, directive: Directive, top: bool) -> None:
        argument = directive.arguments[0]
        filename = self.tree.relfn2path(argument, self.path)
        if argument.lower().endswith(".json"):
            kind, operation = self._context(top)
            record_sample(
                self.document,
                file=filename,
                path=directive.source,
                line=directive.line,
                kind=kind,
                operation=operation,
            )
        if refusal(filename, self.tree.max_bytes) is not None:
            self._started(top)  # the build shows a note instead
        elif os.path.isfile(filename):
            self._add_name(directive)
            self._started(top)

    def _include(self, lines: list[Line], end: int, directive: Directive, top: bool) -> None:
        """Splice an included file into the input, as docutils' ``include`` does."""
        argument = directive.arguments[0]
        if argument.startswith("<") and argument.endswith(">"):
            return  # a docutils standard include: substitution definitions
        options = directive.options
        path = self.tree.relfn2path(argument, self.path)
        text = read_source(path, self.tree.max_bytes)
        if text is None:
            if refusal(path, self.tree.max_bytes) is not None:
                self._started(top)  # the build shows a note instead
            return
        clip = (
            options.get("start-line"),
            options.get("end-line"),
            options.get("start-after", ""),
            options.get("end-before", ""),
        )
        start_line, end_line, after, before = clip
        if start_line or end_line is not None:
            text = "\n".join(text.splitlines()[start_line:end_line])
        if after:
            found = text.find(after)
            if found < 0:
                return
            text = text[found + len(after) :]
        if before:
            found = text.find(before)
            if found < 0:
                return
            text = text[:found]
        if "literal" in options or "code" in options or "parser" in options:
            self._started(top)
            return
        if not self.include_log:
            self.include_log.append((self.path, (None, None, "", "")))
        if (path, clip) in self.include_log:
            return  # circular inclusion
        included = split_lines(text, path, options.get("tab-width", TAB_WIDTH))
        if too_long(included):
            return
        self.include_log.append((path, clip))
        self.include_sites.append((directive.source, directive.line))
        record_include(self.document, path, text)  # as the build's include-read
        count = len(included)
        included += [
            ("", path, count + 1),
            (f'.. end of inclusion from "{path}"', path, count + 2),
        ]
        lines[end:end] = [("", path, 0), *included, ("", path, count + 3)]


def scan_tree(srcdir: str) -> list[Document]:
    """Every document of a source tree, as the directives would record it."""
    return scan_documents(SourceTree.load(srcdir))


def scan_documents(tree: SourceTree) -> list[Document]:
    """Every document of a tree, in docname order."""
    return [DocumentReader(tree, docname, path).read() for docname, path in tree.documents()]
