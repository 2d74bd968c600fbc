"""Parsed reStructuredText (docutils nodes) written as CommonMark.

Paragraphs, emphasis, strong, inline literals, links, bullet and numbered
lists, literal (code) blocks, block quotes, admonitions and definition
lists convert.  Anything else degrades to its plain text, escaped, so a
description never carries raw reST and no source text becomes markup.

Docutils only: an unresolved cross-reference (``pending_xref``) is written
as the text ``xref_text`` gives, or as its own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from docutils import nodes

XrefText = Callable[[nodes.Element], str | None]

_ESCAPED = re.compile(r"([\\`*_\[\]<>&])")
_LINE_START = re.compile(r"^(\s*)([#>+=|~-]|\d+[.)])")
_ROLE = re.compile(r"^(?::[\w.+-]+(?::[\w.+-]+)?:)?`(?P<text>.*?)(?:\s*<[^<>]*>)?`_{0,2}$", re.S)
_SKIPPED = (
    nodes.comment,
    nodes.system_message,
    nodes.target,
    nodes.substitution_definition,
    nodes.raw,
    nodes.pending,
    nodes.footnote,
    nodes.citation,
)


def escape(text: str) -> str:
    """Text that CommonMark shows as it is (no markup, no entities)."""
    return _ESCAPED.sub(r"\\\1", text)


def _escape_start(line: str) -> str:
    """Escape what would open a block (a heading, a list, a quote) at the
    start of a line."""
    match = _LINE_START.match(line)
    if not match:
        return line
    start, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{start}{marker[:-1]}\\{marker[-1]}{line[match.end() :]}"
    return f"{start}\\{line[len(start) :]}"


def _code_span(text: str) -> str:
    text = " ".join(text.split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    out = []
    for index, line in enumerate(lines):
        lead = first if index == 0 and first is not None else prefix
        out.append(lead + line if line else lead.rstrip())
    return "\n".join(out)


class _Writer:
    def __init__(self, xref_text: XrefText | None) -> None:
        self.xref_text = xref_text

    # -- inline -----------------------------------------------------------

    def inline(self, children: Iterable[nodes.Node]) -> str:
        return "".join(self._inline(child) for child in children)

    def _inline(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return escape(" ".join(str(node).split("\n")))
        if isinstance(node, _SKIPPED):
            return ""
        if isinstance(node, nodes.literal):
            return _code_span(node.astext())
        if isinstance(node, (nodes.emphasis, nodes.title_reference)):
            return self._wrap("*", node)
        if isinstance(node, nodes.strong):
            return self._wrap("**", node)
        if isinstance(node, nodes.reference):
            text = self.inline(node.children)
            uri = node.get("refuri", "")
            if not node.get("internal") and ("://" in uri or uri.startswith("mailto:")):
                return f"[{text}](<{uri.replace('>', '%3E').replace('<', '%3C')}>)"
            return text
        if isinstance(node, nodes.problematic):
            match = _ROLE.match(node.astext())
            return escape(match.group("text") if match else node.astext())
        if isinstance(node, nodes.image):
            return escape(node.get("alt", ""))
        if isinstance(node, nodes.footnote_reference):
            return escape(f"[{node.astext()}]")
        if isinstance(node, nodes.Element) and node.tagname == "pending_xref":
            text = self.xref_text(node) if self.xref_text is not None else None
            if text is not None:
                return escape(text)
        if isinstance(node, nodes.Element):
            return self.inline(node.children)
        return escape(node.astext())

    def _wrap(self, mark: str, node: nodes.Element) -> str:
        text = self.inline(node.children)
        stripped = text.strip()
        if not stripped:
            return text
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        return f"{lead}{mark}{stripped}{mark}{trail}"

    def paragraph(self, children: Iterable[nodes.Node]) -> str:
        text = " ".join(self.inline(children).split())
        return _escape_start(text)

    # -- blocks -----------------------------------------------------------

    def blocks(self, children: Iterable[nodes.Node]) -> str:
        parts = []
        run: list[nodes.Node] = []  # inline nodes outside any paragraph
        for child in children:
            if isinstance(child, (nodes.Text, nodes.Inline)):
                run.append(child)
                continue
            if run:
                parts.append(self.paragraph(run))
                run = []
            parts.append(self.block(child))
        if run:
            parts.append(self.paragraph(run))
        return "\n\n".join(part for part in parts if part.strip())

    def block(self, node: nodes.Node) -> str:  # noqa: C901 - one case per construct
        if isinstance(node, _SKIPPED):
            return ""
        if isinstance(node, (nodes.paragraph, nodes.rubric, nodes.caption)):
            return self.paragraph(node.children)
        if isinstance(node, nodes.literal_block):
            return self._code_block(node)
        if isinstance(node, nodes.bullet_list):
            return self._list(node, lambda _index: "- ")
        if isinstance(node, nodes.enumerated_list):
            start = int(node.get("start", 1))
            return self._list(node, lambda index: f"{start + index}. ")
        if isinstance(node, nodes.definition_list):
            return self._definitions(node)
        if isinstance(node, nodes.block_quote):
            return _indent(self.blocks(node.children), "> ")
        if isinstance(node, nodes.Admonition):
            return self._admonition(node)
        if isinstance(node, nodes.line_block):
            return " \\\n".join(self.paragraph(line.children) for line in node.children)
        if isinstance(node, nodes.transition):
            return "***"
        if isinstance(node, nodes.table):
            return self._rows(node)
        if isinstance(node, nodes.field_list):
            return self._fields(node)
        if isinstance(node, nodes.Element) and not isinstance(node, nodes.TextElement):
            return self.blocks(node.children)  # containers, compounds, figures, topics
        return _escape_start(escape(" ".join(node.astext().split())))

    def _code_block(self, node: nodes.Element) -> str:
        text = node.astext()
        longest = max((len(run) for run in re.findall(r"^\s*(`{3,}|~{3,})", text, re.M)), default=2)
        fence = "`" * max(3, longest + 1)
        language = node.get("language", "")
        if language in ("default", "none", "text") or not re.fullmatch(r"[\w+.#-]*", language):
            language = ""
        return f"{fence}{language}\n{text}\n{fence}"

    def _list(self, node: nodes.Element, marker: Callable[[int], str]) -> str:
        items = []
        for index, item in enumerate(node.children):
            lead = marker(index)
            content = self.blocks(item.children) if isinstance(item, nodes.Element) else ""
            items.append(_indent(content or "", " " * len(lead), lead))
        loose = any(
            isinstance(item, nodes.Element)
            and sum(not isinstance(c, _SKIPPED) for c in item.children) > 1
            for item in node.children
        )
        return ("\n\n" if loose else "\n").join(items)

    def _definitions(self, node: nodes.Element) -> str:
        items = []
        for item in node.children:
            if not isinstance(item, nodes.definition_list_item):
                continue
            term = next((c for c in item.children if isinstance(c, nodes.term)), None)
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            head = f"**{self.paragraph(term.children)}**" if term is not None else ""
            body = self.blocks(definition.children) if definition is not None else ""
            content = f"{head}\n\n{body}" if body else head
            items.append(_indent(content, "  ", "- "))
        return "\n\n".join(items)

    def _admonition(self, node: nodes.Element) -> str:
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        label = (
            self.paragraph(title.children)
            if title is not None
            else escape(node.tagname.replace("_", " ").capitalize())
        )
        body = self.blocks(c for c in node.children if not isinstance(c, nodes.title))
        return _indent(f"**{label}:**\n\n{body}" if body else f"**{label}**", "> ")

    def _rows(self, node: nodes.Element) -> str:
        """A table degrades to one line of plain text per row."""
        lines = []
        for row in node.findall(nodes.row):
            cells = [" ".join(entry.astext().split()) for entry in row.children]
            lines.append(_escape_start(escape(" | ".join(cells))))
        return "\n\n".join(lines)

    def _fields(self, node: nodes.Element) -> str:
        parts = []
        for item in node.children:
            if not isinstance(item, nodes.field) or len(item.children) < 2:
                continue
            name = self.paragraph(item[0].children)
            body = self.blocks(item[1].children)
            parts.append(f"**{name}:** {body}" if body else f"**{name}**")
        return "\n\n".join(parts)


def to_commonmark(children: Iterable[nodes.Node], xref_text: XrefText | None = None) -> str:
    """CommonMark for a sequence of body nodes."""
    return _Writer(xref_text).blocks(children).strip()
