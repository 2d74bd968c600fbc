"""Sphinx-free: record what a page says into the model, facts only.

Both front ends call these functions through thin adapters: the Sphinx
directives while a build reads a page (:mod:`os_api_ref_ext.directives`),
and the command-line reader (:mod:`os_api_ref_ext.lint.reader`).  Each
function parses a directive's body, notes where it stands and appends the
result to the page's :class:`~os_api_ref_ext.model.Document`.  Nothing here
judges: a malformed item, an unknown option or a misplaced ``rest_method``
is kept as a fact, and the lint rules alone decide what is a finding and
write its message.  The renderer and the exporter read the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from os_api_ref_ext.model import (
    AFTER_CONTENT,
    FIRST_IN_SECTION,
    OUTSIDE_SECTION,
    TABLE_OPTION_NAMES,
    Document,
    Lines,
    Operation,
    ParameterStanza,
    Sample,
    StatusStanza,
    Toolbar,
    UnknownOption,
    UnsafeLink,
    parse_method_block,
    parse_parameter_items,
    parse_status_items,
    preceding_stanza,
)


def _unknown(
    directive: str, options: Iterable[str], known: Iterable[str], path: str, line: int
) -> list[UnknownOption]:
    known_names = set(known)
    return [
        UnknownOption(directive, name, path, line) for name in options if name not in known_names
    ]


def record_operation(
    document: Document,
    *,
    lines: Lines,
    path: str,
    line: int,
    section_title: str | None,
    section_id: str,
    after_content: bool,
    includes: tuple[tuple[str, int], ...],
) -> Operation:
    """A ``rest_method`` at ``path``:``line`` with body ``lines``.

    ``section_title`` and ``section_id`` are the title and id of the
    section holding it (None and "" outside any section); ``after_content``
    says whether that section already holds a body element; ``includes``
    are the ``include`` directives (file, line) that pulled its file into
    the page, outermost first.
    """
    method, url, min_version, max_version, extra = parse_method_block(lines, path)
    if section_title is None:
        placement = OUTSIDE_SECTION
    else:
        placement = AFTER_CONTENT if after_content else FIRST_IN_SECTION
    operation = Operation(
        method=method,
        url=url,
        title=section_title or "",
        path=path,
        line=line,
        docname=document.docname,
        section_id=section_id,
        placement=placement,
        extra_lines=extra,
        min_version=min_version,
        max_version=max_version,
        index=len(document.operations),
        includes=includes,
    )
    document.operations.append(operation)
    return operation


@dataclass(frozen=True, slots=True)
class StanzaSource:
    """What either front end reads of a table directive, whatever its kind."""

    directive: str  # its name as written
    file: str | None  # the file argument, resolved
    file_arg: str | None  # the file argument as written
    lines: Lines  # the body
    body_path: str  # the file the body comes from
    path: str
    line: int
    operation: int | None  # the operation around it
    options: tuple[str, ...]  # the option names given


def _stanza_fields(source: StanzaSource, document: Document) -> dict[str, Any]:
    return {
        "file": source.file,
        "file_arg": source.file_arg,
        "path": source.path,
        "line": source.line,
        "operation": source.operation,
        "docname": document.docname,
        "unknown_options": _unknown(
            source.directive, source.options, TABLE_OPTION_NAMES, source.path, source.line
        ),
    }


def record_parameters(
    document: Document, source: StanzaSource, kind: str | None
) -> ParameterStanza:
    """A ``rest_parameters`` stanza in a ``kind`` ('request', 'response' or
    None) subsection."""
    items, malformed = parse_parameter_items(source.lines, source.body_path)
    stanza = ParameterStanza(
        items=items, kind=kind, malformed=malformed, **_stanza_fields(source, document)
    )
    document.parameter_stanzas.append(stanza)
    return stanza


def record_status(document: Document, source: StanzaSource, status_type: str) -> StatusStanza:
    """A ``rest_status_code`` stanza of ``status_type`` ('success', 'error'
    or what the author wrote)."""
    items, malformed = parse_status_items(source.lines, source.body_path)
    stanza = StatusStanza(
        status_type=status_type,
        items=items,
        malformed=malformed,
        **_stanza_fields(source, document),
    )
    document.status_stanzas.append(stanza)
    return stanza


def record_sample(
    document: Document,
    *,
    file: str,
    path: str,
    line: int,
    kind: str | None,
    operation: int | None,
) -> Sample:
    """A JSON sample ``file`` pulled in by ``literalinclude``; it illustrates
    the nearest stanza before it of the same operation and kind."""
    sample = Sample(
        file=file,
        path=path,
        line=line,
        kind=kind,
        operation=operation,
        docname=document.docname,
        stanza=preceding_stanza(document.parameter_stanzas, operation, kind),
    )
    document.samples.append(sample)
    return sample


def record_toolbar(
    document: Document, *, directive: str, path: str, line: int, options: Iterable[str]
) -> Toolbar:
    """A ``rest_expand_all`` (it knows no option)."""
    toolbar = Toolbar(path, line, _unknown(directive, options, (), path, line))
    document.toolbars.append(toolbar)
    return toolbar


def record_include(document: Document, path: str, text: str) -> None:
    """The text ``include`` read from ``path``; an empty file is noted."""
    if not text.strip():
        document.empty_includes.append(path)


def record_unsafe_link(document: Document, uri: str, path: str, line: int) -> None:
    """A link whose target ``uri`` would run script, at ``path``:``line``."""
    document.unsafe_links.append(UnsafeLink(uri, path, line))
