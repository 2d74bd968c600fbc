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
from dataclasses import dataclass
from typing import Any

from docutils.nodes import make_id

from os_api_ref_ext.lint.rst_blocks import FIELD_MARKER, Line, strip_top, unescape
from os_api_ref_ext.model import TABLE_OPTION_NAMES


class MarkupError(Exception):
    """A directive block docutils would refuse (the directive never runs)."""


def _flag(value: str | None) -> None:
    if value and value.strip():
        raise ValueError("no argument is allowed")


def _required(value: str | None) -> str:
    if value is None:
        raise ValueError("argument required but none supplied")
    return value


def _unchanged(value: str | None) -> str:
    return value or ""


def _integer(value: str | None) -> int:
    return int(value)  # type: ignore[arg-type]


def _optional_integer(value: str | None) -> int | None:
    return None if value is None else int(value)


def _class_names(value: str | None) -> list[str]:
    if value is None:
        raise ValueError("argument required but none supplied")
    names = [make_id(name) for name in value.split()]
    if not all(names):
        raise ValueError("cannot make a class name")
    return names


Converter = Callable[[str | None], Any]


@dataclass(frozen=True)
class DirectiveSpec:
    """The shape of a directive, as docutils reads it before running it."""

    required: int = 0
    optional: int = 0
    whitespace: bool = False  # final_argument_whitespace
    options: dict[str, Converter] | None = None  # None: no option_spec at all
    #: Unknown options are kept (as ``directives._base.AnyOptions`` does).
    any_option: bool = False
    content: bool = True


_TABLE_OPTIONS: dict[str, Converter] = {name: _unchanged for name in TABLE_OPTION_NAMES}
_TABLE_OPTIONS["class"] = _class_names
_CLASS_NAME: dict[str, Converter] = {"class": _class_names, "name": _unchanged}

SPECS: dict[str, DirectiveSpec] = {
    "rest_method": DirectiveSpec(),
    "rest_parameters": DirectiveSpec(
        optional=1, whitespace=True, options=_TABLE_OPTIONS, any_option=True
    ),
    "rest_status_code": DirectiveSpec(optional=2, options=_TABLE_OPTIONS, any_option=True),
    "rest_expand_all": DirectiveSpec(options={}, any_option=True, content=False),
    "include": DirectiveSpec(
        required=1,
        whitespace=True,
        content=False,
        options={
            "literal": _flag,
            "code": _unchanged,
            "encoding": _unchanged,
            "parser": _required,
            "tab-width": _integer,
            "start-line": _integer,
            "end-line": _integer,
            "start-after": _required,
            "end-before": _required,
            "number-lines": _optional_integer,
            "class": _class_names,
            "name": _unchanged,
        },
    ),
    "literalinclude": DirectiveSpec(
        required=1,
        whitespace=True,
        content=False,
        options={
            "dedent": _optional_integer,
            "linenos": _flag,
            "lineno-start": _integer,
            "lineno-match": _flag,
            "tab-width": _integer,
            "language": _required,
            "force": _flag,
            "encoding": _unchanged,
            "pyobject": _required,
            "lines": _required,
            "start-after": _required,
            "end-before": _required,
            "start-at": _required,
            "end-at": _required,
            "prepend": _required,
            "append": _required,
            "emphasize-lines": _required,
            "caption": _unchanged,
            "class": _class_names,
            "name": _unchanged,
            "diff": _required,
        },
    ),
}

#: Directives of docutils and Sphinx whose content is parsed as reST body
#: elements; directives inside them are found and run.
CONTAINERS: dict[str, DirectiveSpec] = {
    "replace": DirectiveSpec(),  # in a substitution definition
    **{
        name: DirectiveSpec(options=_CLASS_NAME)
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
            "compound",
            "epigraph",
            "highlights",
            "pull-quote",
            "hlist",
        )
    },
    **{
        name: DirectiveSpec(required=1, whitespace=True, options=_CLASS_NAME)
        for name in ("admonition", "topic")
    },
    **{
        name: DirectiveSpec(required=1, whitespace=True)
        for name in ("only", "class", "rst-class", "cssclass")
    },
    # Options beyond class and name exist; any is let through.
    **{
        name: DirectiveSpec(optional=1, whitespace=True, options=_CLASS_NAME, any_option=True)
        for name in ("container", "sidebar", "list-table", "table")
    },
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
    if indented and (takes_arguments or spec.options is not None):
        split = next(
            (number for number, line in enumerate(indented) if not line[0].strip()), len(indented)
        )
        arg_block, content = indented[:split], indented[split + 1 :]
    else:
        arg_block, content = [], indented
    options: dict[str, Any] = {}
    if spec.options is not None:
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
    assert spec.options is not None
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
            convert = _unchanged
        if name in options:
            raise MarkupError(f"duplicate option: {name}")
        value = "\n".join(part for part in body if part) or None
        try:
            options[name] = convert(value)
        except (ValueError, TypeError) as error:
            raise MarkupError(f"invalid option value: {error}") from error
    return options, arg_block
