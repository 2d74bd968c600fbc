"""Sphinx side: ``rest_method`` turns the section that holds it into one operation.

The directive records the operation and leaves a :class:`rest_method` node
where it stood; the section keeps its ids, title and place in the table of
contents.  At write time :class:`OperationTransform` gives each builder
what it can show:

* HTML builders get the section's title and body wrapped in
  ``<details>``/``<summary>`` with a method badge, the URL with every
  ``{path}`` parameter marked up, and a permalink.  Without JavaScript the
  summary still opens and closes the operation.
* Every other builder (text, LaTeX, man, texinfo, epub, XML) gets a plain
  paragraph with the method and the URL under the section title.

The ``rest_method`` need not be the section's first element (O006 says it
should be): whatever stands before it, prose, an admonition or a label,
opens the operation's body, followed by the rest of the section in source
order.

Everything is built from docutils nodes, so the HTML writer escapes all
text that came from a source file.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from os_api_ref_ext.directives._base import (
    content_lines,
    enclosing_sections,
    include_chain,
    remember_operation,
    section_title,
)
from os_api_ref_ext.domain import current_document
from os_api_ref_ext.model import split_url
from os_api_ref_ext.record import record_operation
from os_api_ref_ext.render import builder_kind, uses_html_layout, version_classes
from os_api_ref_ext.walk import nodes_of


class rest_method(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Placeholder for an operation's method and URL until write time."""


class operation_details(nodes.General, nodes.Element):  # noqa: N801
    """HTML only: ``<details>`` around an operation's heading and body."""


class operation_summary(nodes.General, nodes.Element):  # noqa: N801
    """HTML only: ``<summary>`` with the badge, the URL and the heading."""


class operation_heading(nodes.General, nodes.TextElement):  # noqa: N801
    """HTML only: the operation's title as a heading with a permalink."""


class RestMethodDirective(SphinxDirective):
    """``.. rest_method:: METHOD URL`` with optional version lines as content."""

    has_content = True
    required_arguments = 0
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        source, line = self.get_source_info()
        sections = enclosing_sections(self)
        section = sections[0] if sections else None
        operation = record_operation(
            current_document(self.env),
            lines=content_lines(self),
            path=source or "",
            line=line or 0,
            section_title=section_title(section) if section is not None else None,
            section_id=section["ids"][0] if section is not None and section["ids"] else "",
            # What may stand before an operation's rest_method (O006).
            after_content=section is not None
            and any(
                not isinstance(
                    child, (nodes.title, nodes.target, nodes.comment, nodes.system_message)
                )
                for child in section.children
            ),
            includes=include_chain(self),
        )
        if section is not None:
            remember_operation(self, section, operation.index)
        node = rest_method(
            method=operation.method,
            url=operation.url,
            min_version=operation.min_version or "",
            max_version=operation.max_version or "",
        )
        self.set_source_info(node)
        return [node]


def url_nodes(url: str) -> nodes.literal:
    """The URL as a literal, with each ``{path}`` parameter in its own span."""
    literal = nodes.literal(classes=["api-url"])
    parts, _error = split_url(url)
    for part in parts:
        if part.is_param:
            literal += nodes.inline("", "{" + part.text + "}", classes=["api-path-param"])
        else:
            literal += nodes.Text(part.text)
    return literal


def method_badge(method: str) -> nodes.inline:
    return nodes.inline("", method, classes=["api-method", "api-method-" + method.lower()])


def _version_note(node: rest_method) -> list[nodes.Node]:
    notes = []
    if node["min_version"]:
        notes.append(_("New in version %s") % node["min_version"])
    if node["max_version"]:
        notes.append(_("Available until version %s") % node["max_version"])
    if not notes:
        return []
    return [nodes.inline("", "; ".join(notes), classes=["api-version-note"])]


class OperationTransform(SphinxPostTransform):
    """Give every builder an operation layout it can write."""

    default_priority = 200

    def run(self, **kwargs: Any) -> None:
        html = uses_html_layout(*builder_kind(self))
        # Where each node stands is read before any section is rearranged.
        placed = [(node, node.parent) for node in nodes_of(self.document, rest_method)]
        # The first rest_method among a section's own children makes it an
        # operation, wherever it stands: after the title, a label, prose or
        # an admonition.  A later one in the same section (O006 reports it)
        # shows only its signature.
        leaders: dict[int, rest_method] = {}
        for node, parent in placed:
            if isinstance(parent, nodes.section):
                leaders.setdefault(id(parent), node)
        for node, section in placed:
            if leaders.get(id(section)) is not node:
                if html and not isinstance(section, nodes.section):
                    # Outside any section: the signature opens in place.
                    node.replace_self(self._details(node, open_=True))
                else:
                    node.replace_self(self._signature(node, html))
            elif html:
                self._html(node, section)
            else:
                # Under the title, as HTML shows it in the summary; what
                # stood before the rest_method follows in source order.
                section.remove(node)
                section.insert(self._after_title(section), self._signature(node, html))

    @staticmethod
    def _after_title(section: nodes.Element) -> int:
        return 1 if section.children and isinstance(section[0], nodes.title) else 0

    @staticmethod
    def _signature(node: rest_method, html: bool) -> nodes.paragraph:
        """The method and URL as a paragraph; it takes the node's ids (a
        label just before the rest_method)."""
        paragraph = nodes.paragraph(classes=["api-operation-signature"], ids=node["ids"])
        if html:
            paragraph["classes"] += version_classes(node["min_version"], node["max_version"])
            paragraph += method_badge(node["method"])
        else:
            paragraph += nodes.strong("", node["method"])
        paragraph += nodes.Text(" ")
        paragraph += url_nodes(node["url"])
        notes = _version_note(node)
        if notes:
            paragraph += nodes.Text(" (")
            paragraph += notes
            paragraph += nodes.Text(")")
        return paragraph

    @staticmethod
    def _details(node: rest_method, open_: bool = False) -> operation_details:
        """``<details>`` with the summary's badge, URL and version note;
        it takes the node's ids, so a label just before the rest_method
        lands inside the operation."""
        summary = operation_summary()
        summary += method_badge(node["method"])
        summary += url_nodes(node["url"])
        summary += _version_note(node)
        details = operation_details(
            classes=["api-operation"] + version_classes(node["min_version"], node["max_version"]),
            ids=node["ids"],
        )
        if open_:
            details["open"] = True
        details += summary
        return details

    def _html(self, node: rest_method, section: nodes.Element) -> None:
        """The whole section becomes the operation: its title goes into the
        summary and every other child, before and after the rest_method,
        into the body in source order."""
        details = self._details(node)
        title = section[0] if isinstance(section[0], nodes.title) else None
        if title is not None:
            heading = operation_heading("", "", *title.children)
            heading["target"] = section["ids"][0] if section["ids"] else ""
            details[0] += heading
        body = nodes.container(classes=["api-operation-body"])
        # Moved as a whole: each child keeps its document, source and line,
        # so only its parent changes.
        moved = [child for child in section.children if child is not title and child is not node]
        for child in moved:
            child.parent = body
        body.children = moved
        section.children = []
        details += body
        section += details
        section["classes"] += ["api-operation-section", "api-method-" + node["method"].lower()]


def visit_operation_details(self: HTML5Translator, node: operation_details) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", **attributes))


def depart_operation_details(self: HTML5Translator, node: operation_details) -> None:
    self.body.append("</details>\n")


def visit_operation_summary(self: HTML5Translator, node: operation_summary) -> None:
    self.body.append(self.starttag(node, "summary", CLASS="api-operation-summary"))


def depart_operation_summary(self: HTML5Translator, node: operation_summary) -> None:
    self.body.append("</summary>\n")


def visit_operation_heading(self: HTML5Translator, node: operation_heading) -> None:
    level = min(6, self.section_level + self.initial_header_level - 1)
    self.body.append(self.starttag(node, f"h{level}", "", CLASS="api-operation-title"))
    self.context.append(f"</h{level}>\n")


def depart_operation_heading(self: HTML5Translator, node: operation_heading) -> None:
    target = node.get("target")
    if target and self.config.html_permalinks and self.builder.add_permalinks:
        self.body.append(
            self.starttag(
                nodes.Element(),
                "a",
                "",
                CLASS="headerlink",
                href="#" + target,
                title=_("Link to this operation"),
            )
            + self.config.html_permalinks_icon
            + "</a>"
        )
    self.body.append(self.context.pop())


HTML_VISITORS: dict[type[nodes.Element], tuple[Any, Any]] = {
    operation_details: (visit_operation_details, depart_operation_details),
    operation_summary: (visit_operation_summary, depart_operation_summary),
    operation_heading: (visit_operation_heading, depart_operation_heading),
}
