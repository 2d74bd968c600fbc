"""Sphinx-free: path parameters, the URL's against the stanzas' (S006 to S008, S011).

How os-api-ref finds a URL's parameters, how an item's name is compared
with them, and which ``in: path`` items a URL may leave out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from os_api_ref_ext.lint.context import LintContext
from os_api_ref_ext.model import Operation, ParameterStanza, StanzaItem, url_params
from os_api_ref_ext.sources import ParameterEntry, ParameterFile

#: A URL parameter name os-api-ref recognises (``{project-id}`` it skips).
PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def path_params(url: str) -> list[str] | None:
    """The ``{param}`` names of a URL's path: a ``{param}`` after ``?`` is a
    query parameter.  None when the braces do not pair up (O002)."""
    return url_params(url.partition("?")[0])


def spelling(name: str) -> str:
    """A name with ``-`` and ``_`` made alike: ``{project-id}`` and
    ``project_id`` are one parameter spelled two ways (S011)."""
    return name.replace("-", "_")


def loaded(context: LintContext, stanza: ParameterStanza) -> ParameterFile | None:
    """The stanza's parameters file when it loaded; None when it did not
    (F001-F003 report that, and nothing here guesses at its content)."""
    parameters = context.parameters_for(stanza)
    return parameters if parameters is not None and parameters.usable else None


def stanzas_by_operation(
    context: LintContext,
) -> dict[tuple[str, int], list[ParameterStanza]]:
    """Every parameter stanza of each operation, in document order."""
    table: dict[tuple[str, int], list[ParameterStanza]] = {}
    for stanza in context.parameter_stanzas:
        if stanza.operation is not None:
            table.setdefault((stanza.docname, stanza.operation), []).append(stanza)
    return table


def path_items_not_in_url(
    context: LintContext, stanza: ParameterStanza, *, optional: bool = False
) -> Iterator[tuple[StanzaItem, Operation]]:
    """Items of a stanza whose definition says ``in: path`` but whose name
    is not in the operation's path; an optional part of the URL (see
    :func:`_optional_url_part`) only when ``optional``."""
    operation = context.operation_of(stanza.docname, stanza.operation)
    parameters = loaded(context, stanza)
    params = path_params(operation.url) if operation is not None else None
    if operation is None or params is None or parameters is None:
        return
    spelled = {spelling(param) for param in params}
    for item in stanza.items:
        entry = parameters.entries.get(item.key)
        if (
            entry is not None
            and entry.location == "path"
            and (optional or not _optional_url_part(entry))
            and spelling(item.name) not in spelled
        ):
            yield item, operation


#: Words with which a description says that a parameter is a part of the URL.
_URL_WORDS = re.compile(r"\b(?:urls?|uris?|prefix(?:es)?)\b", re.IGNORECASE)


def _optional_url_part(entry: ParameterEntry) -> bool:
    """An ``in: path`` definition with ``required: false`` whose description
    speaks of the URL: an optional URL part (a deprecated prefix, say) that
    a reference may leave out of its URLs.  A ``required: false`` path
    entry whose description does not is a query or body field given the
    wrong ``in:``, and stays a finding."""
    return entry.get("required") is False and bool(_URL_WORDS.search(entry.description))


def request_stanzas(
    context: LintContext,
) -> Iterator[tuple[Operation, list[str], list[ParameterStanza]]]:
    """(operation, its path parameters, its request stanzas) for operations
    with a well-formed URL and a request stanza."""
    for operation in context.operations:
        params = path_params(operation.url)
        if params is None:
            continue  # O002 reports the URL; its parameters are unknown
        stanzas = context.stanzas_of_operation(operation.docname, operation.index, "request")
        if stanzas:
            yield operation, params, stanzas
