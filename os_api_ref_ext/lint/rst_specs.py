"""Sphinx-free: the directives the command-line reader knows, as docutils reads them.

docutils splits a directive block into arguments, options and content
before the directive runs, following the directive class's
``required_arguments``, ``optional_arguments``,
``final_argument_whitespace``, ``option_spec`` and ``has_content``; a block
that does not fit is an error and the directive never runs.  This module
holds those declarations for every directive whose outcome matters to the
model (ours, ``include``, ``literalinclude`` and the containers whose
content is parsed), and the port of docutils' ``parse_directive_block``.
``tests/test_rst_specs.py`` compares each declaration with the installed
Sphinx and docutils, so a new release cannot drift from it silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docutils.parsers.rst import directives as rst
from docutils.parsers.rst.directives.misc import Include as DocutilsInclude

from os_api_ref_ext.lint.rst_blocks import FIELD_MARKER, Line, strip_top, unescape
from os_api_ref_ext.model import TABLE_OPTION_NAMES


class MarkupError(Exception):
    """A directive block docutils would refuse (the directive never runs)."""


def _optional_int(value: str | None) -> int | None:
    """Sphinx's ``optional_int`` (``literalinclude``'s ``:dedent:``)."""
    if value is None:
        return None
    number = int(value)
    if number < 0:
        raise ValueError("negative value; must be positive or zero")
    return number


def _collapsible(value: str | None) -> str:
    """Sphinx's ``:collapsible:`` of admonitions."""
    if value is None:
        return "open"
    if (chosen := value.lower().strip()) in ("open", "closed"):
        return chosen
    raise ValueError(f'"{value}" unknown; choose from "open" or "closed".')


Converter = Callable[[str | None], Any]


@dataclass(frozen=True)
class DirectiveSpec:
    """The shape of a directive, as docutils reads it before running it
    (``required_arguments``, ``optional_arguments``,
    ``final_argument_whitespace``, ``option_spec``, ``has_content``)."""

    required: int = 0
    optional: int = 0
    whitespace: bool = False
    options: dict[str, Converter] = field(default_factory=dict)
    #: Unknown options are kept (as ``directives._base.AnyOptions`` does).
    any_option: bool = False
    content: bool = True

    @property
    def takes_options(self) -> bool:
        """Whether docutils looks for options (an empty spec takes none)."""
        return bool(self.options) or self.any_option


_CLASS_NAME: dict[str, Converter] = {"class": rst.class_option, "name": rst.unchanged}
_TABLE_OPTIONS: dict[str, Converter] = {
    name: _CLASS_NAME.get(name, rst.unchanged) for name in TABLE_OPTION_NAMES
}
_ADMONITION: dict[str, Converter] = {**_CLASS_NAME, "collapsible": _collapsible}
# docutils' table options (docutils.parsers.rst.directives.tables).
_TABLE_LAYOUT: dict[str, Converter] = {
    "align": lambda value: rst.choice(value, ("left", "center", "right")),
    "width": rst.length_or_percentage_or_unitless,
    "widths": rst.value_or(("auto", "grid"), rst.positive_int_list),
}

SPECS: dict[str, DirectiveSpec] = {
    "rest_method": DirectiveSpec(),
    "rest_parameters": DirectiveSpec(
        optional=1, whitespace=True, options=_TABLE_OPTIONS, any_option=True
    ),
    "rest_status_code": DirectiveSpec(optional=2, options=_TABLE_OPTIONS, any_option=True),
    "rest_expand_all": DirectiveSpec(any_option=True, content=False),
    "include": DirectiveSpec(
        required=1,
        whitespace=True,
        content=False,
        # docutils' own declaration, which changes between releases (0.23
        # made :end-before: optional); Sphinx's include keeps it.
        options=dict(DocutilsInclude.option_spec),
    ),
    "literalinclude": DirectiveSpec(
        required=1,
        whitespace=True,
        content=False,
        options={
            "dedent": _optional_int,
            "linenos": rst.flag,
            "lineno-start": int,
            "lineno-match": rst.flag,
            "tab-width": int,
            "language": rst.unchanged_required,
            "force": rst.flag,
            "encoding": rst.encoding,
            "pyobject": rst.unchanged_required,
            "lines": rst.unchanged_required,
            "start-after": rst.unchanged_required,
            "end-before": rst.unchanged_required,
            "start-at": rst.unchanged_required,
            "end-at": rst.unchanged_required,
            "prepend": rst.unchanged_required,
            "append": rst.unchanged_required,
            "emphasize-lines": rst.unchanged_required,
            "caption": rst.unchanged,
            **_CLASS_NAME,
            "diff": rst.unchanged_required,
        },
    ),
}

#: Directives of docutils and Sphinx whose content is parsed as reST body
#: elements; directives inside them are found and run.
CONTAINERS: dict[str, DirectiveSpec] = {
    "replace": DirectiveSpec(),  # in a substitution definition
    **{
        name: DirectiveSpec(whitespace=True, options=_ADMONITION)
        for name in (
            "attention",
            "caution",
            "danger",
            "error",
            "hint",
            "important",
            "note",
            "tip",
            "warning",
            "seealso",
        )
    },
    "admonition": DirectiveSpec(required=1, whitespace=True, options=_ADMONITION),
    "compound": DirectiveSpec(options=_CLASS_NAME),
    **{name: DirectiveSpec() for name in ("epigraph", "highlights", "pull-quote")},
    "hlist": DirectiveSpec(options={"columns": int}),
    "topic": DirectiveSpec(required=1, whitespace=True, options=_CLASS_NAME),
    **{
        name: DirectiveSpec(required=1, whitespace=True)
        for name in ("only", "class", "rst-class", "cssclass")
    },
    "container": DirectiveSpec(optional=1, whitespace=True, options={"name": rst.unchanged}),
    "sidebar": DirectiveSpec(
        optional=1,
        whitespace=True,
        options={**_CLASS_NAME, "subtitle": rst.unchanged_required},
    ),
    "table": DirectiveSpec(optional=1, whitespace=True, options={**_CLASS_NAME, **_TABLE_LAYOUT}),
    "list-table": DirectiveSpec(
        optional=1,
        whitespace=True,
        options={
            **_CLASS_NAME,
            **_TABLE_LAYOUT,
            "header-rows": rst.nonnegative_int,
            "stub-columns": rst.nonnegative_int,
        },
    ),
    **{
        name: DirectiveSpec(required=1, optional=1, whitespace=True)
        for name in (
            "versionadded",
            "versionchanged",
            "versionremoved",
            "deprecated",
            "version-added",
            "version-changed",
            "version-removed",
            "version-deprecated",
        )
    },
}

#: Directives that leave no node where they stand, so that a
#: ``rest_method`` after them is still the first element of its section.
NO_OUTPUT = frozenset(
    {
        "default-role",
        "role",
        "title",
        "default-domain",
        "currentmodule",
        "py:currentmodule",
        "sectionauthor",
        "moduleauthor",
        "codeauthor",
    }
)


@dataclass
class Directive:
    """A directive block as docutils hands it to the directive."""

    name: str
    arguments: list[str]
    options: dict[str, Any]
    content: list[Line]
    source: str
    line: int

    def content_lines(self) -> list[tuple[str, int]]:
        """The body as (text, 1-based line) pairs."""
        return [(text, number) for text, _source, number in self.content]


def parse_directive_block(
    block: list[Line], spec: DirectiveSpec
) -> tuple[list[str], dict[str, Any], list[Line]]:
    """Arguments, options and content of a directive block.

    A port of docutils' ``parse_directive_block``; raises :class:`MarkupError`
    where docutils would report an error instead of running the directive.
    """
    indented = list(block)
    if indented and not indented[0][0].strip():
        indented = indented[1:]
    while indented and not indented[-1][0].strip():
        indented.pop()
    takes_arguments = bool(spec.required or spec.optional)
    split = len(indented)
    if indented and (takes_arguments or spec.takes_options):
        split = next(
            (number for number, line in enumerate(indented) if not line[0].strip()), len(indented)
        )
        arg_block, content = indented[:split], indented[split + 1 :]
    else:
        arg_block, content = [], indented
    options: dict[str, Any] = {}
    if spec.takes_options:
        options, arg_block = _parse_options(arg_block, spec)
    if arg_block and not takes_arguments:
        content = arg_block + indented[split:]
        arg_block = []
    content = strip_top(content)
    arguments = _parse_arguments(arg_block, spec) if takes_arguments else []
    if content and not spec.content:
        raise MarkupError("no content permitted")
    return arguments, options, content


def _parse_arguments(arg_block: list[Line], spec: DirectiveSpec) -> list[str]:
    text = "\n".join(line[0] for line in arg_block)
    arguments = text.split()
    if len(arguments) < spec.required:
        raise MarkupError("argument(s) required")
    if len(arguments) > spec.required + spec.optional:
        if not spec.whitespace:
            raise MarkupError("too many arguments")
        arguments = text.split(None, spec.required + spec.optional - 1)
    return arguments


def _parse_options(arg_block: list[Line], spec: DirectiveSpec) -> tuple[dict[str, Any], list[Line]]:
    """Split the option field list off an argument block and convert it."""
    start = next(
        (n for n, line in enumerate(arg_block) if FIELD_MARKER.match(line[0])), len(arg_block)
    )
    option_lines, arg_block = arg_block[start:], arg_block[:start]
    fields: list[tuple[str, list[str]]] = []
    for text, _source, _number in option_lines:
        marker = FIELD_MARKER.match(text)
        if marker:
            raw_name = marker.group()[1:]
            fields.append((raw_name[: raw_name.rfind(":")], [text[marker.end() :]]))
        elif text[:1] == " " and fields:
            fields[-1][1].append(text.strip())
        else:
            raise MarkupError("invalid option block")
    options: dict[str, Any] = {}
    for raw_name, body in fields:
        words = unescape(raw_name).split()
        if len(words) != 1:
            raise MarkupError("option name of several words")
        name = words[0].lower()
        convert = spec.options.get(name)
        if convert is None:
            if not spec.any_option:
                raise MarkupError(f"unknown option: {name}")
            convert = rst.unchanged
        if name in options:
            raise MarkupError(f"duplicate option: {name}")
        value = "\n".join(part for part in body if part) or None
        try:
            options[name] = convert(value)
        except (ValueError, TypeError) as error:
            raise MarkupError(f"invalid option value: {error}") from error
    return options, arg_block
