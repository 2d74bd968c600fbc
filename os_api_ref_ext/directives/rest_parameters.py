"""Sphinx side: ``rest_parameters``, a Name | In | Type | Description table from YAML.

Name, In and Type are plain text; only descriptions are reStructuredText,
and each description is parsed once per document however often it is
used.  What the stanza says is recorded (:mod:`os_api_ref_ext.record`) for
the lint rules to judge; the table still shows every item the author
listed.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.locale import _

from os_api_ref_ext.directives._base import (
    TableDirective,
    directive_context,
    note_dependency,
    parse_rst,
)
from os_api_ref_ext.domain import source_cache
from os_api_ref_ext.record import record_parameters
from os_api_ref_ext.render import version_classes
from os_api_ref_ext.sources import ParameterEntry, ParameterFile
from os_api_ref_ext.tables import VERSION_NOTE, Row, body_key, make_row, make_table, shared_row

HEADERS = ("Name", "In", "Type", "Description")
WIDTHS = (20, 10, 10, 60)


class RestParametersDirective(TableDirective):
    """``.. rest_parameters:: FILE`` followed by ``- name: key`` items."""

    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        file_arg = self.arguments[0].strip() if self.arguments else None
        kind, operation = directive_context(self)
        stanza = record_parameters(
            self.document_record, self.stanza_source(file_arg, operation), kind
        )
        parameters: ParameterFile | None = None
        if stanza.file:
            note_dependency(self, stanza.file)
            parameters = source_cache(self.env).parameters(stanza.file)

        rows = [self._row(item.name, item.key, parameters, file_arg) for item in stanza.items]
        table = make_table(
            HEADERS, WIDTHS, rows, ["api-parameters", *self.options.get("class", [])]
        )
        self.set_source_info(table)
        self.add_name(table)
        return [table]

    def _row(
        self,
        name: str,
        key: str,
        parameters: ParameterFile | None,
        file_arg: str | None,
    ) -> Row:
        entry = parameters.entries.get(key) if parameters is not None else None
        if entry is None:
            return self._undefined_row(name, key, parameters, file_arg)
        assert parameters is not None
        return shared_row(
            self,
            ("parameter", parameters.path, entry.key, entry.line, name),
            lambda: self._defined_row(name, entry, parameters),
        )

    def _defined_row(self, name: str, entry: ParameterEntry, parameters: ParameterFile) -> Row:
        body = body_key(
            self,
            ("parameter", parameters.path, entry.key, entry.line),
            lambda: self._description(entry, parameters),
        )
        return make_row(
            [name, _text(entry.get("in")), _text(entry.get("type"))],
            body,
            version_classes(entry.version("min_version"), entry.version("max_version")),
            optional=not entry.required,
        )

    def _description(
        self, entry: ParameterEntry, parameters: ParameterFile | None
    ) -> list[nodes.Node]:
        assert parameters is not None
        field = entry.fields.get("description")
        body = parse_rst(
            self,
            entry.description,
            parameters.path,
            field.value_line if field is not None else entry.line,
        )
        for label, name in (
            (_("New in version %s"), "min_version"),
            (_("Available until version %s"), "max_version"),
        ):
            version = entry.version(name)
            if version:
                body.append(
                    nodes.paragraph(
                        "",
                        "",
                        nodes.emphasis("", label % version),
                        classes=[VERSION_NOTE],
                    )
                )
        return body

    def _undefined_row(
        self, name: str, key: str, parameters: ParameterFile | None, file_arg: str | None
    ) -> Row:
        if parameters is None:
            why = _("No parameters file given for %s.") % key
        elif not parameters.usable:
            why = _("Parameters file %s could not be used.") % file_arg
        else:
            why = _("%s is not defined in the parameters file.") % key
        body = body_key(self, ("undefined", why), lambda: [nodes.paragraph("", why)])
        return make_row([name, "", ""], body, ["api-undefined"])


def _text(value: object) -> str:
    return "" if value is None else str(value)
