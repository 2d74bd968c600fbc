"""Helpers shared by the directives: source lines, file paths, reST snippets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from os_api_ref_ext.model import Lines, Problem, unknown_option_problem


class AnyOptions(dict[str, Callable[[str | None], Any]]):
    """An option spec that accepts every option name.

    Known options convert as usual; an unknown one is kept as text so the
    directive can report it as a finding and still render, instead of
    docutils dropping the whole directive.
    """

    def __missing__(self, name: str) -> Callable[[str | None], Any]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True  # docutils reads options only when the spec is truthy


#: Options every table directive accepts, as os-api-ref's did.
TABLE_OPTIONS = AnyOptions(
    {
        "class": directives.class_option,
        "name": directives.unchanged,
        "widths": directives.unchanged,
        "width": directives.unchanged,
        "align": directives.unchanged,
    }
)


def unknown_options(directive: SphinxDirective, known: dict[str, Any]) -> list[Problem]:
    """Findings for the options a directive does not know."""
    source, line = directive.get_source_info()
    return [
        unknown_option_problem(name, directive.name, source or "", line or 0)
        for name in directive.options
        if name not in known
    ]


def content_lines(directive: SphinxDirective) -> Lines:
    """The directive's body as (text, 1-based line) pairs in its own file."""
    return [
        (text, offset + 1)
        for text, (_source, offset) in zip(directive.content, directive.content.items, strict=False)
    ]


def content_source(directive: SphinxDirective) -> str:
    """The file the directive's body comes from (an included file, maybe)."""
    if directive.content.items:
        return str(directive.content.items[0][0])
    source, _line = directive.get_source_info()
    return source or ""


_RESOLVED = "apiref_resolved_paths"


def resolve_file(directive: SphinxDirective, argument: str) -> str:
    """Absolute path of a file argument, resolved as ``literalinclude`` does.

    A page names the same parameters file hundreds of times, and Sphinx's
    resolution goes through pathlib, so results are kept for the document.
    """
    resolved: dict[str, str] = directive.env.temp_data.setdefault(_RESOLVED, {})
    path = resolved.get(argument)
    if path is None:
        _relative, absolute = directive.env.relfn2path(argument)
        path = resolved[argument] = str(absolute)
    return path


def parse_rst(
    directive: SphinxDirective, text: str, source: str, first_line: int
) -> list[nodes.Node]:
    """Parse a reST snippet from a YAML file into body nodes.

    Line numbers in docutils' messages point into ``source`` at the right
    line.
    """
    lines = text.splitlines() or [""]
    block = StringList(
        lines, items=[(source, first_line - 1 + index) for index in range(len(lines))]
    )
    container = nodes.container()
    directive.state.nested_parse(block, 0, container)
    return list(container.children)
