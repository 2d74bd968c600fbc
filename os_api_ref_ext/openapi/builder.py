"""The ``openapi`` builder, and the optional link from each HTML page.

``sphinx-build -b openapi SRC OUT`` writes one OpenAPI 3.1 document per
page that holds operations, at ``OUT/<docname>.openapi.yaml`` (or
``.json``).  The model comes from the ``apiref`` domain; the prose the
model does not keep (an operation's text, the titles around it, parameter
descriptions and status reasons as parsed reST) is read from the page's
doctree and written as CommonMark.

With ``os_api_ref_openapi = {"html_link": True}`` an HTML build writes the
same documents beside its pages and links each page to its own.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Set
from typing import TYPE_CHECKING, Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.locale import _, __
from sphinx.util import logging

from os_api_ref_ext.bodies import api_body_store, bodies_by_origin
from os_api_ref_ext.directives.rest_expand_all import rest_expand_all
from os_api_ref_ext.directives.rest_method import rest_method
from os_api_ref_ext.domain import get_domain, source_cache
from os_api_ref_ext.model import Document
from os_api_ref_ext.openapi import html_link_on
from os_api_ref_ext.sources import ParameterEntry
from os_api_ref_ext.tables import api_table

if TYPE_CHECKING:
    from os_api_ref_ext.openapi.export import Settings, Texts

# The export and its Markdown writer are imported where a document is
# exported: an HTML build without ``html_link`` never loads them.

logger = logging.getLogger(__name__)

#: Nodes that are not an operation's prose.
_NOT_PROSE = (nodes.title, nodes.section, rest_method, api_table, api_body_store, rest_expand_all)


def settings(config: Config) -> Settings:
    from os_api_ref_ext.openapi.export import Settings

    return Settings.from_config(config.os_api_ref_openapi, str(config.project), str(config.release))


try:  # libyaml's emitter is many times faster
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):
    """YAML with multi-line text as literal blocks."""


def _represent_str(dumper: _BaseDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def serialize(document: dict[str, Any], fmt: str) -> str:
    """The document's text: deterministic, keys in the order they were built."""
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _prose(section: nodes.Element, xref_text: Any) -> str:
    from os_api_ref_ext.openapi.commonmark import to_commonmark

    return to_commonmark((c for c in section.children if not isinstance(c, _NOT_PROSE)), xref_text)


def _title(section: nodes.Element) -> str:
    return section[0].astext() if section.children and isinstance(section[0], nodes.title) else ""


def doctree_texts(env: BuildEnvironment, record: Document, doctree: nodes.document) -> Texts:
    """What the export reads from a page's (unresolved) doctree."""
    from os_api_ref_ext.openapi.commonmark import to_commonmark
    from os_api_ref_ext.openapi.export import Texts

    def xref_text(node: nodes.Element) -> str | None:
        if node.get("refexplicit") or node.get("reftype") not in ("ref", "doc"):
            return None
        target = str(node.get("reftarget", ""))
        if node.get("reftype") == "ref":
            label = env.get_domain("std").labels.get(target.lower())  # type: ignore[attr-defined]
            return label[2] if label and label[2] else None
        docname = posixpath.normpath(posixpath.join(posixpath.dirname(record.docname), target))
        title = env.titles.get(docname.lstrip("/"))
        return title.astext() if title is not None else None

    texts = Texts()
    sections = {
        section["ids"][0]: section for section in doctree.findall(nodes.section) if section["ids"]
    }
    for operation in record.operations:
        section = sections.get(operation.section_id)
        if section is None:
            continue
        texts.descriptions[operation.section_id] = _prose(section, xref_text)
        parent = section.parent
        if isinstance(parent, nodes.section) and _title(parent):
            tag = _title(parent)
            texts.tags[operation.section_id] = [tag]
            texts.tag_descriptions.setdefault(tag, _prose(parent, xref_text))

    bodies = bodies_by_origin(doctree)

    def parameter(path: str, entry: ParameterEntry) -> str | None:
        body = bodies.get(repr(("parameter", path, entry.key, entry.line)))
        if body is None:
            return None
        kept = [
            child
            for child in body.children
            if "api-version-note" not in getattr(child, "get", lambda *_: [])("classes", [])
        ]
        return to_commonmark(kept, xref_text) or None

    def reason(path: str, code: int, key: str | None) -> str | None:
        body = bodies.get(repr(("status", path, code, key)))
        return (to_commonmark(body.children, xref_text) or None) if body is not None else None

    texts.parameter = parameter
    texts.reason = reason
    return texts


def write_export(env: BuildEnvironment, outdir: str, record: Document, options: Settings) -> None:
    """Write one page's document under ``outdir``."""
    from os_api_ref_ext.openapi.export import export_document, output_name

    doctree = env.get_doctree(record.docname)
    texts = doctree_texts(env, record, doctree)
    exported = export_document(record, source_cache(env), options, texts)
    target = os.path.join(outdir, output_name(record.docname, options))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    text = serialize(exported.document, options.format)
    with open(target, "w", encoding="utf-8") as stream:
        stream.write(text)


class OpenAPIBuilder(Builder):
    """``-b openapi``: one OpenAPI 3.1 document per page with operations."""

    name = "openapi"
    format = "openapi"
    epilog = __("The OpenAPI documents are in %(outdir)s.")
    allow_parallel = True

    def init(self) -> None:
        self.options = settings(self.config)

    def get_outdated_docs(self) -> list[str]:
        # Exporting is cheap next to reading: every page, every time, so a
        # document never lags behind a parameters file or a sample.
        return sorted(self.env.found_docs)

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        from os_api_ref_ext.openapi.export import output_name

        return output_name(docname, self.options)

    def prepare_writing(self, docnames: set[str]) -> None:
        pass

    def write_documents(self, docnames: Set[str]) -> None:
        # The export reads the unresolved doctree itself: skip Sphinx's
        # resolving of every page (and its worker processes) first.
        for docname in sorted(docnames):
            self._write_one(docname)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        # Sphinx without write_documents (before 7.4) calls this instead.
        self._write_one(docname)

    def _write_one(self, docname: str) -> None:
        from os_api_ref_ext.openapi.export import output_name

        record = get_domain(self.env).documents.get(docname)
        target = os.path.join(self.outdir, output_name(docname, self.options))
        if record is None or not record.operations:
            if os.path.exists(target):  # the page no longer holds operations
                os.remove(target)
            return
        write_export(self.env, str(self.outdir), record, self.options)

    def finish(self) -> None:
        pass


def _has_operations(env: BuildEnvironment, docname: str) -> bool:
    record = get_domain(env).documents.get(docname)
    return record is not None and bool(record.operations)


def add_html_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: under the page title, a link to the page's
    OpenAPI document (HTML builds with ``html_link`` on)."""
    if app.builder.format != "html" or not html_link_on(app.config.os_api_ref_openapi):
        return
    if not _has_operations(app.env, docname):
        return
    from os_api_ref_ext.openapi.export import output_name

    options = settings(app.config)
    page = app.builder.get_target_uri(docname)
    href = posixpath.relpath(output_name(docname, options), posixpath.dirname(page) or ".")
    paragraph = nodes.paragraph(classes=["api-openapi-link"])
    paragraph += nodes.Text(_("OpenAPI document:") + " ")
    paragraph += nodes.reference("", posixpath.basename(href), refuri=href)
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, paragraph)
    else:
        doctree.insert(0, paragraph)


def write_for_html(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the documents the HTML pages link to."""
    if exception is not None or app.builder.format != "html":
        return
    if not html_link_on(app.config.os_api_ref_openapi):
        return
    options = settings(app.config)
    for record in get_domain(app.env).all_documents():
        if record.operations:
            write_export(app.env, str(app.outdir), record, options)
