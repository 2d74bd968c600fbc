"""Parameter and status tables: compact while reading, standard when written.

A reference with hundreds of operations has thousands of table rows.  As
standard docutils tables each row costs a dozen nodes (row, entries,
paragraphs, texts) that every transform of the read phase walks and the
environment pickles.  So the directives emit a compact :class:`api_table`
of :class:`api_row` nodes that carry the plain-text cells as attributes and
only the parsed description as children; :class:`ExpandTablesTransform`
turns them into standard tables at write time, for every builder, so
writers, themes and the search index see ordinary tables.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform


class api_table(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """A table until write time: headers, widths, classes, optional title."""


class api_row(nodes.Element):  # noqa: N801
    """One row: ``cells`` (plain text) then the children as the last cell."""


def make_row(
    cells: list[str],
    body: list[nodes.Node],
    classes: list[str] | None = None,
    optional: bool = False,
) -> api_row:
    """A compact row; ``optional`` marks the first cell "(Optional)"."""
    row = api_row("", *body, cells=cells, optional=optional)
    if classes:
        row["classes"] = classes
    return row


def make_table(
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    rows: list[api_row],
    classes: list[str],
    title: str = "",
) -> api_table:
    return api_table(
        "", *rows, headers=list(headers), widths=list(widths), classes=classes, title=title
    )


def text_entry(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


def _expand_row(row: api_row) -> nodes.row:
    entries = []
    for index, text in enumerate(row["cells"]):
        children: list[nodes.Node] = [nodes.Text(text)]
        if index == 0 and row.get("optional"):
            children += [
                nodes.Text(" "),
                nodes.inline("", _("(Optional)"), classes=["api-optional"]),
            ]
        entries.append(text_entry(*children))
    body = list(row.children)
    for child in body:
        row.remove(child)
    entries.append(nodes.entry("", *body) if body else text_entry())
    return nodes.row("", *entries, classes=row["classes"])


def expand_table(table: api_table) -> nodes.table:
    """The standard docutils table a compact table stands for."""
    result = nodes.table(classes=table["classes"], ids=table["ids"], names=table["names"])
    result.source, result.line = table.source, table.line
    if table["title"]:
        result += nodes.title("", _(table["title"]))
    group = nodes.tgroup(cols=len(table["headers"]))
    result += group
    for width in table["widths"]:
        group += nodes.colspec(colwidth=width)
    head_row = nodes.row()
    for header in table["headers"]:
        head_row += text_entry(nodes.Text(_(header)))
    group += nodes.thead("", head_row)
    group += nodes.tbody("", *(_expand_row(row) for row in table.children))
    return result


#: Classes of the tables this extension builds.
TABLE_CLASSES = frozenset({"api-parameters", "api-status-codes"})


class ExpandTablesTransform(SphinxPostTransform):
    """Turn compact tables into standard ones, for every builder."""

    default_priority = 100

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(api_table)):
            table.replace_self(expand_table(table))


class LatexTableWidthsTransform(SphinxPostTransform):
    """LaTeX: lay the tables out with their own column widths.

    Left to choose, Sphinx's LaTeX writer uses ``tabulary``, which sizes
    columns from their content and lets words such as ``query`` spill out
    of the narrow In and Type columns.  ``colwidths-given`` makes it use
    the widths of the colspecs instead.  Only LaTeX gets the class: the
    HTML writers would add a ``<colgroup>`` for it.
    """

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            classes = table["classes"]
            if TABLE_CLASSES.intersection(classes) and "colwidths-given" not in classes:
                classes.append("colwidths-given")
