"""``rest_status_code``: a Code | Reason table of success or error codes."""

from __future__ import annotations

from http import HTTPStatus

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from os_api_ref_ext.directives._base import (
    TABLE_OPTIONS,
    content_lines,
    content_source,
    parse_rst,
    resolve_file,
    unknown_options,
)
from os_api_ref_ext.domain import current_document, directive_context, source_cache
from os_api_ref_ext.model import StatusItem, StatusStanza, parse_status_items
from os_api_ref_ext.sources import StatusFile, reason_text
from os_api_ref_ext.tables import api_row, body_key, make_row, make_table

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


class RestStatusCodeDirective(SphinxDirective):
    """``.. rest_status_code:: success|error FILE`` with ``- CODE`` items."""

    has_content = True
    required_arguments = 0
    optional_arguments = 2
    option_spec = TABLE_OPTIONS

    def run(self) -> list[nodes.Node]:
        source, line = self.get_source_info()
        items, problems = parse_status_items(content_lines(self), content_source(self))
        problems = unknown_options(self, TABLE_OPTIONS) + problems
        status_type = self.arguments[0] if self.arguments else ""
        file_arg = self.arguments[1] if len(self.arguments) > 1 else None
        file_path = resolve_file(self, file_arg) if file_arg else None
        _kind, operation = directive_context(self)
        stanza = StatusStanza(
            status_type=status_type,
            file=file_path,
            file_arg=file_arg,
            items=items,
            path=source or "",
            line=line or 0,
            operation=operation,
            docname=self.env.docname,
            problems=problems,
        )
        current_document(self.env).status_stanzas.append(stanza)

        status_file: StatusFile | None = None
        if file_path:
            self.env.note_dependency(file_path)
            status_file = source_cache(self.env).status(file_path)
        rows = [self._row(item, status_file) for item in items]
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

    def _row(self, item: StatusItem, status_file: StatusFile | None) -> api_row:
        entry = status_file.codes.get(item.code) if status_file is not None else None
        reason = None
        if entry is not None:
            reason = entry.reasons.get(item.reason or "default")
        key = ("status", status_file.path if status_file else None, item.code, item.reason)
        if reason is not None and status_file is not None:
            text, path, line = reason_text(reason.value), status_file.path, reason.value_line
            body = body_key(self, key, lambda: parse_rst(self, text, path, line))
        else:
            body = body_key(self, key, list)
        return make_row([code_label(item.code)], body, [f"api-status-{item.code // 100}xx"])
