"""What the directives record about a document, kept on the build environment.

The ``apiref`` domain stores one :class:`~os_api_ref_ext.model.Document` per
docname.  Sphinx calls :meth:`ApiRefDomain.clear_doc` before a document is
read again and :meth:`ApiRefDomain.merge_domaindata` when parallel readers
hand their results back, so the collected model is the same after a clean
build, an incremental build and a ``-j N`` build.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Set
from dataclasses import replace
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from os_api_ref_ext.model import Document, Problem, section_kind
from os_api_ref_ext.sources import SourceCache, max_file_size

DOMAIN = "apiref"


class ApiRefDomain(Domain):
    """Holds the API reference model collected from every document."""

    name = DOMAIN
    label = "API reference"
    data_version = 2  # 2: Sample.stanza
    initial_data: dict[str, Any] = {"documents": {}}

    @property
    def documents(self) -> dict[str, Document]:
        return self.data.setdefault("documents", {})

    def clear_doc(self, docname: str) -> None:
        self.documents.pop(docname, None)

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        record = self.documents.get(docname)
        if record is not None:
            absolute_paths(record)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname, document in otherdata.get("documents", {}).items():
            if docname in docnames:
                self.documents[docname] = document

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    def all_documents(self) -> Iterable[Document]:
        """Every collected document, in docname order."""
        for docname in sorted(self.documents):
            yield self.documents[docname]


def absolute_paths(record: Document) -> None:
    """Make every source path of a document's record absolute.

    docutils names a file pulled in by ``include`` relative to the working
    directory; the model holds absolute paths, so that findings do not
    depend on where the build ran and a pickled environment stays right.
    """

    def absolute(path: str) -> str:
        # "<rst_prolog>" and the like name no file
        return path if not path or path.startswith("<") else os.path.abspath(path)

    def fix(problems: list[Problem]) -> list[Problem]:
        return [replace(p, path=absolute(p.path)) for p in problems]

    for operation in record.operations:
        operation.includes = tuple((absolute(path), line) for path, line in operation.includes)
    for item in (
        *record.operations,
        *record.parameter_stanzas,
        *record.status_stanzas,
        *record.samples,
    ):
        item.path = absolute(item.path)
    for stanza in (*record.parameter_stanzas, *record.status_stanzas):
        stanza.problems = fix(stanza.problems)
    record.problems = fix(record.problems)


def get_domain(env: BuildEnvironment) -> ApiRefDomain:
    domain = env.get_domain(DOMAIN)
    assert isinstance(domain, ApiRefDomain)
    return domain


def source_cache(env: BuildEnvironment) -> SourceCache:
    """The build's cache of loaded files; it pickles empty with the env.

    It reads no file over ``os_api_ref_max_file_size`` bytes.
    """
    limit = max_file_size(env.config.os_api_ref_max_file_size)
    cache = getattr(env, "_apiref_source_cache", None)
    if cache is None or cache.max_bytes != limit:
        cache = SourceCache(limit)
        env._apiref_source_cache = cache  # type: ignore[attr-defined]
    return cache


def builder_kind(transform: Any) -> tuple[str, str]:
    """(name, format) of the builder a transform runs for."""
    builder_cls = getattr(transform.env, "_builder_cls", None)
    if builder_cls is None:  # Sphinx before 8.1
        builder_cls = transform.app.builder
    return builder_cls.name, builder_cls.format


def current_document(env: BuildEnvironment) -> Document:
    """The record of the document being read, created on first use."""
    documents = get_domain(env).documents
    document = documents.get(env.docname)
    if document is None:
        document = documents[env.docname] = Document(env.docname)
    return document


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


def include_chain(directive: SphinxDirective) -> tuple[tuple[str, int], ...]:
    """The ``include`` directives (file, line) that pulled a directive's file
    into the document, outermost first.

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


def note_empty_include(
    app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]
) -> None:
    """``include-read``: record an included file that holds nothing (D003)."""
    if "".join(content).strip():
        return
    path = os.path.normpath(os.path.join(app.srcdir, relative_path))
    current_document(app.env).problems.append(Problem("D003", "included file is empty", path, 1))
