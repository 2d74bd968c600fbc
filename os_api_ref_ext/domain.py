"""Sphinx side: the recorded model, kept per document on the build environment.

The ``apiref`` domain stores one :class:`~os_api_ref_ext.model.Document` per
docname.  Sphinx calls :meth:`ApiRefDomain.clear_doc` before a document is
read again and :meth:`ApiRefDomain.merge_domaindata` when parallel readers
hand their results back, so the collected model is the same after a clean
build, an incremental build and a ``-j N`` build.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Set
from dataclasses import replace
from typing import Any, TypeVar

from docutils import nodes
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from os_api_ref_ext.model import Document, SourceLine, UnknownOption, UnsafeLink
from os_api_ref_ext.reads import max_file_size
from os_api_ref_ext.sources import SourceCache

DOMAIN = "apiref"

#: A recorded fact that names a file and a line.
Fact = TypeVar("Fact", SourceLine, UnknownOption, UnsafeLink)


class ApiRefDomain(Domain):
    """Holds the API reference model collected from every document."""

    name = DOMAIN
    label = "API reference"
    data_version = 4  # 2: Sample.stanza; 3: facts instead of problems; 4: root_toctrees
    initial_data: dict[str, Any] = {"documents": {}, "root_toctrees": {}}

    @property
    def documents(self) -> dict[str, Document]:
        return self.data.setdefault("documents", {})

    @property
    def root_toctrees(self) -> dict[str, list[nodes.Element]]:
        """The toctree nodes of the root document, when it is an API page
        (see :mod:`os_api_ref_ext.root_toctrees`)."""
        return self.data.setdefault("root_toctrees", {})

    def clear_doc(self, docname: str) -> None:
        self.documents.pop(docname, None)
        self.root_toctrees.pop(docname, None)

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        record = self.documents.get(docname)
        if record is not None:
            absolute_paths(record)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname, document in otherdata.get("documents", {}).items():
            if docname in docnames:
                self.documents[docname] = document
        for docname, toctrees in otherdata.get("root_toctrees", {}).items():
            if docname in docnames:
                self.root_toctrees[docname] = toctrees

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

    def fix(facts: list[Fact]) -> list[Fact]:
        return [replace(fact, path=absolute(fact.path)) for fact in facts]

    for operation in record.operations:
        operation.includes = tuple((absolute(path), line) for path, line in operation.includes)
        operation.extra_lines = fix(operation.extra_lines)
    for item in (
        *record.operations,
        *record.parameter_stanzas,
        *record.status_stanzas,
        *record.samples,
        *record.toolbars,
    ):
        item.path = absolute(item.path)
    for stanza in (*record.parameter_stanzas, *record.status_stanzas):
        stanza.malformed = fix(stanza.malformed)
    for directive in (*record.parameter_stanzas, *record.status_stanzas, *record.toolbars):
        directive.unknown_options = fix(directive.unknown_options)
    record.empty_includes = [absolute(path) for path in record.empty_includes]
    record.unsafe_links = fix(record.unsafe_links)


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


def current_document(env: BuildEnvironment) -> Document:
    """The record of the document being read, created on first use."""
    documents = get_domain(env).documents
    document = documents.get(env.docname)
    if document is None:
        document = documents[env.docname] = Document(env.docname)
    return document
