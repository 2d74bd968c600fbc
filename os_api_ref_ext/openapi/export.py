"""One recorded document (a page of the reference) as an OpenAPI 3.1 document.

Sphinx-free: it reads the model the directives recorded, the files the
:class:`~os_api_ref_ext.sources.SourceCache` loads, and the prose a
:class:`Texts` gives (the builder converts it from the doctree; tests give
their own).  Everything from the parameters and status files that OpenAPI
cannot say is kept in ``x-openstack`` extensions.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from os_api_ref_ext.model import Document, Operation, ParameterStanza, Sample, url_params
from os_api_ref_ext.openapi import html_link_on
from os_api_ref_ext.openapi.schema import (
    BodyRow,
    body_rows,
    json_schema,
    microversions,
    place_body,
    schema_type,
    stanza_rows,
)
from os_api_ref_ext.sources import ParameterEntry, ParameterFile, SourceCache

OPENAPI_VERSION = "3.1.0"

#: The methods an OpenAPI 3.1 path item holds.
PATH_ITEM_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: Where parameters of each ``in:`` go in an operation.
PARAMETER_LOCATIONS = ("path", "query", "header")

JSON = "application/json"


@dataclass
class Texts:
    """The CommonMark text of what the model keeps as reST or leaves in the
    doctree; every part is optional."""

    #: section id -> the operation's prose
    descriptions: dict[str, str] = field(default_factory=dict)
    #: section id -> titles of the sections around the operation
    tags: dict[str, list[str]] = field(default_factory=dict)
    #: tag -> the prose of its section
    tag_descriptions: dict[str, str] = field(default_factory=dict)
    #: (parameters file, entry) -> description
    parameter: Callable[[str, ParameterEntry], str | None] = lambda path, entry: None
    #: (status file, code, reason key) -> reason
    reason: Callable[[str, int, str | None], str | None] = lambda path, code, key: None


@dataclass
class Settings:
    """``os_api_ref_openapi`` in conf.py, with the defaults filled in."""

    info: dict[str, Any]
    servers: list[Any] = field(default_factory=list)
    format: str = "yaml"
    html_link: bool = False

    @classmethod
    def from_config(cls, value: object, project: str, release: str) -> Settings:
        config = value if isinstance(value, dict) else {}
        info = {"title": project or "API reference", "version": release or "unversioned"}
        if isinstance(config.get("info"), dict):
            info.update(config["info"])
        servers = config.get("servers")
        fmt = config.get("format")
        return cls(
            info=info,
            servers=list(servers) if isinstance(servers, (list, tuple)) else [],
            format=fmt if fmt in ("yaml", "json") else "yaml",
            html_link=html_link_on(value),
        )

    @property
    def suffix(self) -> str:
        return ".openapi." + self.format


def output_name(docname: str, settings: Settings) -> str:
    """Where a page's document goes: ``v2/index`` -> ``v2/index.openapi.yaml``."""
    return docname + settings.suffix


@dataclass
class Export:
    """An exported document and what went where (for the figures)."""

    document: dict[str, Any]
    counts: Counter[str] = field(default_factory=Counter)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "operation"


def _template(path: str) -> str:
    """A path with every parameter name blanked: paths equal here are one
    path to OpenAPI."""
    return re.sub(r"\{[^{}]*\}", "{}", path)


def _path_of(url: str) -> tuple[str, str | None]:
    """The OpenAPI path of a rest_method URL and the query it carried."""
    path, sep, query = url.strip().partition("?")
    if url_params(path) is None:  # braces that do not pair up (O-rules say so)
        path = path.replace("{", "").replace("}", "")
    if not path.startswith("/"):
        path = "/" + path
    return path, query if sep else None


class _Exporter:
    def __init__(
        self, document: Document, cache: SourceCache, settings: Settings, texts: Texts
    ) -> None:
        self.doc = document
        self.cache = cache
        self.settings = settings
        self.texts = texts
        self.counts: Counter[str] = Counter()
        self.stanzas: dict[tuple[int | None, str | None], list[ParameterStanza]] = {}
        for stanza in document.parameter_stanzas:
            self.stanzas.setdefault((stanza.operation, stanza.kind), []).append(stanza)
        self.samples: dict[tuple[int | None, str | None], list[Sample]] = {}
        for sample in document.samples:
            self.samples.setdefault((sample.operation, sample.kind), []).append(sample)

    def parameters_for(self, stanza: ParameterStanza) -> ParameterFile | None:
        return self.cache.parameters(stanza.file) if stanza.file else None

    def describe(self, row: BodyRow) -> str | None:
        return self.texts.parameter(row.file, row.entry)

    # -- the document ---------------------------------------------------

    def run(self) -> dict[str, Any]:
        used_ids: set[str] = set()
        built = []
        for operation in self.doc.operations:
            op_id = self._operation_id(operation, used_ids)
            built.append((operation, op_id, *_path_of(operation.url)))
        clashes = Counter((_template(path), op.method.lower()) for op, _id, path, _q in built)
        paths: dict[str, dict[str, Any]] = {}
        tags: list[str] = []
        for operation, op_id, path, query in built:
            method = operation.method.lower()
            result = self._operation(operation, op_id, path, query)
            key = path
            if clashes[(_template(path), method)] > 1:
                # One rest_method, one operation: a fragment (never sent
                # to the server) keeps operations of one URL apart.
                key = f"{path}#{op_id}"
                result.setdefault("x-openstack", {})["path"] = path
            item = paths.setdefault(key, {})
            if method in PATH_ITEM_METHODS:
                item[method] = result
                self.counts["operations"] += 1
            else:
                item.setdefault("x-openstack-operations", {})[operation.method] = result
                self.counts["operations not expressible"] += 1
            tags.extend(tag for tag in result.get("tags", []) if tag not in tags)
        document: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": dict(self.settings.info)}
        if self.settings.servers:
            document["servers"] = list(self.settings.servers)
        if tags:
            document["tags"] = [self._tag(tag) for tag in tags]
        document["paths"] = paths
        return document

    def _tag(self, name: str) -> dict[str, str]:
        tag = {"name": name}
        description = self.texts.tag_descriptions.get(name)
        if description:
            tag["description"] = description
        return tag

    @staticmethod
    def _operation_id(operation: Operation, used: set[str]) -> str:
        base = operation.section_id or _slug(f"{operation.method} {operation.url}")
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        return candidate

    # -- one operation ----------------------------------------------------

    def _operation(
        self, operation: Operation, op_id: str, path: str, query: str | None
    ) -> dict[str, Any]:
        result: dict[str, Any] = {"operationId": op_id}
        if operation.title:
            result["summary"] = operation.title
        description = self.texts.descriptions.get(operation.section_id)
        if description:
            result["description"] = description
        tags = self.texts.tags.get(operation.section_id)
        if tags:
            result["tags"] = list(tags)
        extension: dict[str, Any] = {}
        for name, key in (("min_version", "min-ver"), ("max_version", "max-ver")):
            value = getattr(operation, name)
            if value:
                extension[key] = value
        if query is not None:
            extension["query"] = query

        request = [
            *self.stanzas.get((operation.index, "request"), []),
            *self.stanzas.get((operation.index, None), []),
        ]
        response = self.stanzas.get((operation.index, "response"), [])
        unplaced: list[dict[str, Any]] = []
        parameters = self._parameters(request, path, unplaced)
        if parameters:
            result["parameters"] = parameters
        body = self._body(request, self.samples.get((operation.index, "request"), []))
        if body is not None:
            result["requestBody"] = body
        headers = self._response_headers(response, unplaced)
        response_body = self._body(response, self.samples.get((operation.index, "response"), []))
        responses = self._responses(operation, response_body, headers)
        if responses:
            result["responses"] = responses
        if unplaced:
            extension["unplaced-parameters"] = unplaced
        if extension:
            result["x-openstack"] = extension
        return result

    def _parameters(
        self, stanzas: list[ParameterStanza], path: str, unplaced: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        in_url = url_params(path) or []
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for name, entry, stanza in stanza_rows(stanzas, self.parameters_for):
            self.counts["parameter rows"] += 1
            location = entry.location if entry is not None else None
            if entry is None or location not in (*PARAMETER_LOCATIONS, "body"):
                self._unplaced(unplaced, name, entry, "not defined or no known 'in'")
                continue
            if location == "body":
                continue  # counted with the body
            if location == "path" and name not in in_url:
                self._unplaced(unplaced, name, entry, "path parameter not in the URL")
                continue
            parameter = self._parameter(name, entry, stanza)
            earlier = found.get((name, location))
            if earlier is None:
                found[(name, location)] = parameter
                self.counts["parameters"] += 1
            else:  # one name documented twice (per microversion, usually)
                earlier.setdefault("x-openstack", {}).setdefault("alternatives", []).append(
                    {"type": entry.type or "", **microversions(entry)}
                )
                self.counts["parameters as alternatives"] += 1
        for name in in_url:
            if (name, "path") not in found:
                found[(name, "path")] = {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {},
                    "x-openstack": {"undocumented": True},
                }
        return sorted(
            found.values(),
            key=lambda p: (PARAMETER_LOCATIONS.index(p["in"]), _url_rank(p, in_url)),
        )

    def _parameter(self, name: str, entry: ParameterEntry, stanza: ParameterStanza) -> dict:
        location = entry.location or ""
        parameter: dict[str, Any] = {"name": name, "in": location}
        description = self.texts.parameter(stanza.file or "", entry)
        if description:
            parameter["description"] = description
        parameter["required"] = True if location == "path" else entry.required
        parameter["schema"] = _scalar_schema(entry)
        versions = microversions(entry)
        if versions:
            parameter["x-openstack"] = versions
        return parameter

    def _unplaced(
        self,
        unplaced: list[dict[str, Any]],
        name: str,
        entry: ParameterEntry | None,
        why: str,
    ) -> None:
        item: dict[str, Any] = {"name": name, "why": why}
        if entry is not None:
            if entry.location is not None:
                item["in"] = entry.location
            if entry.type:
                item["type"] = entry.type
        unplaced.append(item)
        self.counts["parameters unplaced"] += 1

    def _response_headers(
        self, stanzas: list[ParameterStanza], unplaced: list[dict[str, Any]]
    ) -> dict[str, Any]:
        headers: dict[str, Any] = {}
        for name, entry, stanza in stanza_rows(stanzas, self.parameters_for):
            self.counts["parameter rows"] += 1
            location = entry.location if entry is not None else None
            if location == "body":
                continue
            if entry is None or location != "header":
                self._unplaced(unplaced, name, entry, "not a header or body parameter")
                continue
            header: dict[str, Any] = {}
            description = self.texts.parameter(stanza.file or "", entry)
            if description:
                header["description"] = description
            header["schema"] = _scalar_schema(entry)
            versions = microversions(entry)
            if versions:
                header["x-openstack"] = versions
            headers.setdefault(name, header)
            self.counts["response headers"] += 1
        return headers

    def _body(self, stanzas: list[ParameterStanza], samples: list[Sample]) -> dict | None:
        rows = body_rows(stanzas, self.parameters_for)
        examples: dict[str, Any] = {}
        values = []
        for sample in samples:
            loaded = self.cache.sample(sample.file)
            value = loaded.value
            if loaded.json_error is not None or loaded.read_error or value is None:
                continue
            values.append(value)
            name = os.path.splitext(os.path.basename(sample.file))[0] or "example"
            key, number = name, 1
            while key in examples:
                number += 1
                key = f"{name}-{number}"
            examples[key] = {"value": value}
            self.counts["examples"] += 1
        if not rows and not examples:
            return None
        placed = place_body(rows, values)
        for _row, how in placed.placements:
            self.counts["body parameters " + how] += 1
        content: dict[str, Any] = {"schema": json_schema(placed.root, self.describe)}
        if examples:
            content["examples"] = examples
        body: dict[str, Any] = {"content": {JSON: content}}
        if placed.root.required:
            body["required"] = True
        return body

    def _responses(
        self, operation: Operation, body: dict | None, headers: dict[str, Any]
    ) -> dict[str, Any]:
        responses: dict[int, dict[str, Any]] = {}
        success: list[int] = []
        for stanza in self.doc.status_stanzas:
            if stanza.operation != operation.index:
                continue
            for item in stanza.items:
                self.counts["status codes"] += 1
                if item.code in responses:
                    continue
                text = self.texts.reason(stanza.file or "", item.code, item.reason)
                responses[item.code] = {"description": text or _phrase(item.code)}
                ok = stanza.status_type == "success" or (
                    stanza.status_type != "error" and item.code < 400
                )
                if ok:
                    success.append(item.code)
        result = {str(code): responses[code] for code in sorted(responses)}
        if (body is not None or headers) and not success:
            result["default"] = {"description": "The response."}
            success_keys = ["default"]
        else:
            success_keys = [str(code) for code in success]
        for key in success_keys:
            if body is not None:
                result[key]["content"] = body["content"]
            if headers:
                result[key]["headers"] = headers
        return result


def _url_rank(parameter: dict[str, Any], in_url: list[str]) -> int:
    name = parameter["name"]
    return in_url.index(name) if parameter["in"] == "path" and name in in_url else 0


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return str(code)


def _scalar_schema(entry: ParameterEntry) -> dict[str, Any]:
    kind = schema_type(entry.type)
    if kind is not None:
        return {"type": kind}
    return {"x-openstack-type": entry.type} if entry.type else {}


def export_document(
    document: Document, cache: SourceCache, settings: Settings, texts: Texts | None = None
) -> Export:
    """The OpenAPI document of one page (see the module's docstring)."""
    exporter = _Exporter(document, cache, settings, texts or Texts())
    return Export(exporter.run(), exporter.counts)
