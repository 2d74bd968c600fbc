"""Sphinx side: ``rest_status_code``, a Code | Reason table of success or error codes."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from docutils import nodes

from os_api_ref_ext.directives._base import (
    TableDirective,
    directive_context,
    note_dependency,
    parse_rst,
)
from os_api_ref_ext.domain import source_cache
from os_api_ref_ext.model import StatusItem
from os_api_ref_ext.record import record_status
from os_api_ref_ext.sources import StatusFile, reason_text
from os_api_ref_ext.tables import Row, body_key, make_row, make_table, shared_row

STATUS_TYPES = ("success", "error")
HEADERS = ("Code", "Reason")
WIDTHS = (30, 70)


def status_phrase(code: int) -> str:
    """The standard reason phrase of a code, or '' for a non-standard one."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def code_label(code: int) -> str:
    phrase = status_phrase(code)
    return f"{code} - {phrase}" if phrase else str(code)


class RestStatusCodeDirective(TableDirective):
    """``.. rest_status_code:: success|error FILE`` with ``- CODE`` items."""

    optional_arguments = 2

    def run(self) -> list[nodes.Node]:
        status_type = self.arguments[0] if self.arguments else ""
        file_arg = self.arguments[1] if len(self.arguments) > 1 else None
        _kind, operation = directive_context(self)
        stanza = record_status(
            self.document_record, self.stanza_source(file_arg, operation), status_type
        )
        status_file: StatusFile | None = None
        if stanza.file:
            note_dependency(self, stanza.file)
            status_file = source_cache(self.env).status(stanza.file)
        rows = [self._row(item, status_file) for item in stanza.items]
        kind = status_type if status_type in STATUS_TYPES else "other"
        table = make_table(
            HEADERS,
            WIDTHS,
            rows,
            ["api-status-codes", f"api-status-{kind}", *self.options.get("class", [])],
            title=status_type.capitalize() if status_type in STATUS_TYPES else "",
        )
        self.set_source_info(table)
        if table["title"]:
            # A titled table needs an id, as Sphinx gives one at read time.
            self.state.document.set_id(table)
        self.add_name(table)
        return [table]

    def _row(self, item: StatusItem, status_file: StatusFile | None) -> Row:
        key = ("status", status_file.path if status_file else None, item.code, item.reason)
        return shared_row(self, key, lambda: self._made_row(item, status_file, key))

    def _made_row(
        self, item: StatusItem, status_file: StatusFile | None, key: tuple[Any, ...]
    ) -> Row:
        entry = status_file.codes.get(item.code) if status_file is not None else None
        reason = None
        if entry is not None:
            reason = entry.reasons.get(item.reason or "default")
        if reason is not None and status_file is not None:
            text, path, line = reason_text(reason.value), status_file.path, reason.value_line
            body = body_key(self, key, lambda: parse_rst(self, text, path, line))
        else:
            body = body_key(self, key, list)
        return make_row([code_label(item.code)], body, [f"api-status-{item.code // 100}xx"])
