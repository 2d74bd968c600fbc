"""Sphinx side: parameter and status tables: compact while reading, written once.

A reference with hundreds of operations has thousands of table rows, and
the same parameter description or status reason appears in many of them.
As standard docutils tables each row would cost a dozen nodes (row,
entries, paragraphs, texts) plus a copy of its description, which every
transform of the read phase walks and the environment pickles.  So:

* The directives emit one compact :class:`api_table` per table.  Its rows
  are data on the table, not nodes: each row is a tuple of its plain-text
  cells, the *body key* naming its last cell's content, its classes and
  whether it is optional.  Tuples of strings cost the garbage collector
  nothing once it has seen them, and pickle small.
* Each distinct body (a description, a status reason) is parsed once per
  document and kept once, in an :class:`api_body_store` at the end of the
  document, where the read transforms (smart quotes, references) and the
  reference resolver treat it like any other content.  Once the page is
  read, the bodies are packed (see :mod:`os_api_ref_ext.bodies`).
* At write time HTML builders write the compact tables directly, rendering
  each body once and reusing the markup; every other builder gets standard
  docutils tables with a copy of each body (:class:`ExpandTablesTransform`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from os_api_ref_ext.bodies import (
    api_body,
    api_body_store,
    api_words,
    packed_body,
    release,
    stored_bodies,
)
from os_api_ref_ext.plain_bodies import (
    EarlyBody,
    LateBodiesTransform,
    early_quotes,
    is_plain,
    late_bodies_allowed,
    late_quotes,
    pack_early,
)
from os_api_ref_ext.walk import nodes_of

_BODIES = "apiref_bodies"


class api_table(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """A table until write time: headers, widths, classes, optional title,
    and its ``rows`` (see :data:`Row`)."""


def holds_api_tables(doctree: nodes.Node) -> bool:
    """Whether ``doctree`` holds a table of this extension (every row body
    belongs to one, so a page without tables has no bodies either)."""
    return next(doctree.findall(api_table), None) is not None


#: One table row: its plain-text cells, the key of its body, its classes,
#: and whether its first cell is marked "(Optional)".
Row = tuple[tuple[str, ...], str, tuple[str, ...], bool]


BodyMaker = Callable[[], list[nodes.Node]]


def body_key(directive: SphinxDirective, key: tuple[Any, ...], make: BodyMaker) -> str:
    """Register a row body for this document once; return its short key.

    ``make`` is called only the first time ``key`` is seen in a document,
    so a description used by a hundred rows is parsed once.  The short key
    names the document, so keys stay distinct when builders assemble
    several documents into one tree.
    """
    bodies: dict[tuple[Any, ...], tuple[str, list[nodes.Node] | EarlyBody]] = (
        directive.env.temp_data.setdefault(_BODIES, {})
    )
    found = bodies.get(key)
    if found is None:
        short = f"{directive.env.docname}#{len(bodies)}"
        made: list[nodes.Node] | EarlyBody = make()
        quotes = early_quotes(directive)
        if quotes is not None:
            made = pack_early(directive, short, made, quotes) or made
        found = bodies[key] = (short, made)
    return found[0]


_ROWS = "apiref_rows"


def shared_row(directive: SphinxDirective, key: tuple[Any, ...], make: Callable[[], Row]) -> Row:
    """The row ``key`` stands for in this document, made on first use.

    A parameter or status code listed by a hundred operations of a page is
    one row object in all their tables: made once, pickled once with the
    page (pickle keeps one copy of an object it meets again), written once
    (see :func:`visit_api_table`).
    """
    rows: dict[tuple[Any, ...], Row] = directive.env.temp_data.setdefault(_ROWS, {})
    row = rows.get(key)
    if row is None:
        row = rows[key] = make()
    return row


def make_row(
    cells: list[str],
    body: str,
    classes: list[str] | None = None,
    optional: bool = False,
) -> Row:
    """A compact row; ``optional`` marks the first cell "(Optional)"."""
    return (tuple(cells), body, tuple(classes or ()), optional)


def make_table(
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    rows: list[Row],
    classes: list[str],
    title: str = "",
) -> api_table:
    return api_table(
        "",
        # The directive's own tuples: one object for every table of the
        # page, in memory and in the pickle.
        headers=headers,
        widths=widths,
        classes=classes,
        title=title,
        rows=tuple(rows),
    )


class StoreBodiesTransform(SphinxTransform):
    """Read phase: put the document's distinct row bodies into its doctree.

    Runs before docutils' reference and substitution transforms, so the
    bodies get everything ordinary content gets; plain bodies, which those
    transforms would only walk past, join later when nothing else could
    change them (:mod:`~os_api_ref_ext.plain_bodies`).
    """

    default_priority = 150

    def apply(self, **kwargs: Any) -> None:
        bodies: dict[tuple[Any, ...], tuple[str, list[nodes.Node] | EarlyBody]] = (
            self.env.temp_data.pop(_BODIES, {})
        )
        if not bodies:
            return
        store = api_body_store()
        late_allowed = late_bodies_allowed(self.document)
        late: list[api_body] = []
        early: list[tuple[str, EarlyBody]] = []
        for key, children in bodies.values():
            if isinstance(children, EarlyBody):
                early.append((key, children))
                continue
            body = api_body("", *children, key=key)
            if late_allowed and is_plain(body):
                late.append(body)
            else:
                store += body
        # What each body is the body of, for readers that look one up by
        # its source (the OpenAPI export).
        store["origins"] = {repr(origin): key for origin, (key, _children) in bodies.items()}
        self.document += store
        if early:
            store.early_bodies = early  # type: ignore[attr-defined]
        if late:
            store.late_bodies = late  # type: ignore[attr-defined]
            store.late_quotes = late_quotes(self.document)  # type: ignore[attr-defined]
            self.document.transformer.add_transform(LateBodiesTransform)


#: The class of the paragraphs that say in which microversions a
#: parameter exists.
VERSION_NOTE = "api-version-note"

# --------------------------------------------------------------------------
# Standard tables for every builder but HTML


def text_entry(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


def _name_cell(optional: bool, index: int, text: str) -> nodes.entry:
    children: list[nodes.Node] = [nodes.Text(text)]
    if index == 0 and optional:
        children += [
            nodes.Text(" "),
            nodes.inline("", _("(Optional)"), classes=["api-optional"]),
        ]
    return text_entry(*children)


def expand_table(table: api_table, bodies: dict[str, api_body]) -> nodes.table:
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
    body_rows = []
    for cells, body, classes, optional in table["rows"]:
        entries = [_name_cell(optional, index, text) for index, text in enumerate(cells)]
        stored = bodies.get(body)
        if stored is not None and stored.children:
            entries.append(nodes.entry("", *(child.deepcopy() for child in stored.children)))
        else:
            entries.append(text_entry())
        body_rows.append(nodes.row("", *entries, classes=list(classes)))
    group += nodes.tbody("", *body_rows)
    return result


def html_tables(builder_format: str) -> bool:
    return builder_format == "html"


class ExpandTablesTransform(SphinxPostTransform):
    """Write phase: standard tables for builders without our HTML visitors.

    Runs after the reference resolver and ``only`` filtering, so the copies
    it makes are of resolved content.  For HTML it only records the bodies
    for the visitors.
    """

    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        from os_api_ref_ext.render import builder_kind

        found = nodes_of(self.document, (api_body_store, api_table))
        stores = [node for node in found if isinstance(node, api_body_store)]
        tables = [node for node in found if isinstance(node, api_table)]
        bodies = stored_bodies(self.document, stores)
        if html_tables(builder_kind(self)[1]):
            self.document.apiref_bodies = bodies  # type: ignore[attr-defined]
            self._index_cells(tables, stores)
            return
        for table in tables:
            table.replace_self(expand_table(table, bodies))
        for store in stores:
            store.parent.remove(store)

    @staticmethod
    def _index_cells(tables: list[api_table], stores: list[api_body_store]) -> None:
        """Give the search index the plain-text cells, which HTML writes
        from attributes; the store itself is never written."""
        words = sorted(
            {
                text
                for table in tables
                for cells, _body, _classes, _optional in table["rows"]
                for text in cells
                if text
            }
        )
        if words and stores:
            stores[0] += api_body("", nodes.paragraph("", " ".join(words)), key="")


#: Classes of the tables this extension builds.
TABLE_CLASSES = frozenset({"api-parameters", "api-status-codes"})


class LatexTableWidthsTransform(SphinxPostTransform):
    """LaTeX: lay the tables out with their own column widths.

    Left to choose, Sphinx's LaTeX writer uses ``tabulary``, which sizes
    columns from their content and lets words such as ``query`` spill out
    of the narrow In and Type columns.  ``colwidths-given`` makes it use
    the widths of the colspecs instead.  Only LaTeX gets the class: the
    HTML writers would add a ``<colgroup>`` for it.
    """

    default_priority = 950
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in nodes_of(self.document, nodes.table):
            classes = table["classes"]
            if TABLE_CLASSES.intersection(classes) and "colwidths-given" not in classes:
                classes.append("colwidths-given")


# --------------------------------------------------------------------------
# HTML: write the compact nodes directly


def scroll_label(node: api_table) -> str:
    """The accessible name of the box a table scrolls in: its kind, and
    its caption or the title of the section it stands in."""
    if node["title"]:
        return _("Status codes: %s") % _(node["title"])
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    if parent is not None and parent.children and isinstance(parent[0], nodes.title):
        return _("Parameters: %s") % parent[0].astext()
    return _("Parameters")


def visit_api_table(self: HTML5Translator, node: api_table) -> None:
    # A narrow screen scrolls the table in this box, not the page; the
    # keyboard reaches the box, and its name says what it holds.
    self.body.append(
        self.starttag(
            nodes.Element(),
            "div",
            "",
            CLASS="api-table-scroll",
            role="group",
            tabindex="0",
            **{"aria-label": scroll_label(node)},
        )
    )
    self.body.append(self.starttag(node, "table", CLASS="docutils align-default"))
    if node["title"]:
        self.body.append(
            '<caption><span class="caption-text">'
            + self.encode(_(node["title"]))
            + "</span></caption>\n"
        )
    self.body.append("<thead>\n<tr>")
    for header in node["headers"]:
        self.body.append('<th class="head"><p>' + self.encode(_(header)) + "</p></th>")
    self.body.append("</tr>\n</thead>\n<tbody>\n")
    written: dict[Row, str] | None = getattr(self, "_apiref_rows", None)
    if written is None:
        written = self._apiref_rows = {}  # type: ignore[attr-defined]
    for row in node["rows"]:
        # Rows repeat across a page's tables (see shared_row): each
        # distinct one is written once, as one string (each entry of the
        # page's list costs memory until it is written).
        html = written.get(row)
        if html is None:
            html = written[row] = _row_html(self, row)
        self.body.append(html)


def _row_html(self: HTML5Translator, row: Row) -> str:
    cells, body, classes, optional = row
    out = ['<tr class="' + self.attval(" ".join(classes)) + '">' if classes else "<tr>"]
    for index, text in enumerate(cells):
        out.append("<td><p>" + self.encode(text))
        if index == 0 and optional:
            out.append(' <span class="api-optional">' + self.encode(_("(Optional)")) + "</span>")
        out.append("</p></td>")
    out.append("<td>")
    out.append(_render_body(self, body))
    out.append("</td></tr>\n")
    return "".join(out)


def depart_api_table(self: HTML5Translator, node: api_table) -> None:
    self.body.append("</tbody>\n</table>\n</div>\n")


def _render_body(self: HTML5Translator, key: str) -> str:
    """The HTML of a stored body, rendered on first use and then reused.

    A body left packed is unpacked for this and freed right after."""
    cache: dict[str, str] | None = getattr(self, "_apiref_html", None)
    if cache is None:
        cache = self._apiref_html = {}  # type: ignore[attr-defined]
    if key in cache:
        return cache[key]
    bodies: dict[str, api_body] = getattr(self.document, "apiref_bodies", {})
    stored = bodies.get(key)
    unpacked = None if stored is not None else packed_body(self.document, key)
    start = len(self.body)
    for body in (stored, unpacked):
        if body is not None:
            for child in body.children:
                child.walkabout(self)  # code blocks: see code_blocks
    if unpacked is not None:
        release(unpacked)
    html = "".join(self.body[start:])
    del self.body[start:]
    cache[key] = html
    return html


def skip_node(self: HTML5Translator, node: nodes.Node) -> None:
    raise nodes.SkipNode


HTML_VISITORS: dict[type[nodes.Element], tuple[Any, Any]] = {
    api_table: (visit_api_table, depart_api_table),
    api_body_store: (skip_node, None),
    api_body: (skip_node, None),
    api_words: (skip_node, None),
}
