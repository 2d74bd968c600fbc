"""Sphinx-free: the one model of an API reference that every part of the project uses.

A reference is made of *operations* (a ``rest_method`` and
the section that holds it), *stanzas* (``rest_parameters`` and
``rest_status_code`` directive bodies), *parameter files*, *status files*
and *samples*.  :mod:`os_api_ref_ext.record` fills these objects, whether
the Sphinx directives or the command-line reader read the source; the
renderer, the lint rules and the exporter read them.

Everything here is plain data: it pickles (Sphinx keeps it in the build
environment) and it never raises on bad input.  It holds facts only (an
item that is not ``- name: key``, an option no directive knows, where a
``rest_method`` stands); the lint rules alone judge them and write the
messages, as :class:`Problem` objects carrying a rule code, a message, a
file and a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

#: HTTP methods a ``rest_method`` may use, in the order a reference lists them.
METHODS: tuple[str, ...] = (
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "COPY",
)

#: Longest source line a build accepts.  docutils' own default (10,000)
#: drops a whole file for one long line; this keeps a bound while letting
#: a pasted URL reach the linter, which reports it (O007).
LINE_LENGTH_LIMIT = 100_000

#: URLs longer than this are refused by common servers and proxies.
MAX_URL_LENGTH = 2048

#: Values of ``in:`` in a parameters file, in the order a file lists them.
LOCATIONS: tuple[str, ...] = ("header", "path", "query", "body")

#: Types a parameter may have unless ``os_api_ref_lint['types']`` says otherwise.
DEFAULT_TYPES: tuple[str, ...] = (
    "array",
    "boolean",
    "float",
    "integer",
    "none",
    "object",
    "string",
)

#: Options every table directive (``rest_parameters``, ``rest_status_code``)
#: knows; any other option is reported and ignored.
TABLE_OPTION_NAMES: tuple[str, ...] = ("class", "name", "widths", "width", "align")

_VERSION = re.compile(r"^\d+\.\d+$")


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about the source: rule code, message, file and 1-based line."""

    code: str
    message: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a source file as the author wrote it (stripped)."""

    text: str
    path: str
    line: int


# --------------------------------------------------------------------------
# Versions


def parse_version(text: object) -> tuple[int, int] | None:
    """Parse ``X.Y`` into a tuple; ``None`` when it is not of that form.

    YAML turns ``2.10`` into the float 2.1, so only strings count; the
    YAML loader keeps the source text of version fields for this reason.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _VERSION.match(text):
        return None
    major, minor = text.split(".")
    return int(major), int(minor)


# --------------------------------------------------------------------------
# URLs


@dataclass(frozen=True, slots=True)
class UrlPart:
    """One piece of a URL: literal text or a ``{path}`` parameter."""

    text: str
    is_param: bool


def split_url(url: str) -> tuple[list[UrlPart], str | None]:
    """Split a URL into literal and ``{param}`` parts.

    Returns the parts and an error message when the braces are unbalanced,
    nested or empty; on error the whole URL comes back as one literal part so
    nothing the author wrote is lost.
    """
    parts: list[UrlPart] = []
    depth = 0
    start = 0
    for index, char in enumerate(url):
        if char == "{":
            if depth:
                return [UrlPart(url, False)], f"nested '{{' at column {index + 1}"
            if index > start:
                parts.append(UrlPart(url[start:index], False))
            depth, start = 1, index
        elif char == "}":
            if not depth:
                return [UrlPart(url, False)], f"unmatched '}}' at column {index + 1}"
            name = url[start + 1 : index]
            if not name.strip():
                return [UrlPart(url, False)], f"empty '{{}}' at column {start + 1}"
            parts.append(UrlPart(name, True))
            depth, start = 0, index + 1
    if depth:
        return [UrlPart(url, False)], f"unclosed '{{' at column {start + 1}"
    if start < len(url):
        parts.append(UrlPart(url[start:], False))
    return parts, None


def url_params(url: str) -> list[str] | None:
    """The names of the ``{path}`` parameters of a URL, in order; None when
    the braces do not pair up, so no path parameter can be checked."""
    parts, error = split_url(url)
    if error:
        return None
    return [part.text for part in parts if part.is_param]


# --------------------------------------------------------------------------
# Stanza items


@dataclass(frozen=True, slots=True)
class StanzaItem:
    """One ``- name: key`` item of a ``rest_parameters`` stanza."""

    name: str
    key: str
    line: int

    # Pickled with the environment for every row of every stanza: as the
    # arguments that make it again, not field by field.
    def __reduce__(self) -> tuple[type[StanzaItem], tuple[str, str, int]]:
        return (StanzaItem, (self.name, self.key, self.line))


@dataclass(frozen=True, slots=True)
class StatusItem:
    """One ``- 404`` or ``- 409: reason_key`` item of a status stanza."""

    code: int
    reason: str | None
    line: int

    def __reduce__(self) -> tuple[type[StatusItem], tuple[int, str | None, int]]:
        return (StatusItem, (self.code, self.reason, self.line))


_ITEM_BULLET = re.compile(r"^-\s+(.*?)\s*$")


#: Source lines of a directive body: (text, 1-based line) pairs.
Lines = list[tuple[str, int]]


Item = TypeVar("Item", StanzaItem, StatusItem)


def _parse_items(
    lines: Lines, path: str, item: Callable[[str, int], Item | None]
) -> tuple[list[Item], list[SourceLine]]:
    """The ``- ...`` items of a stanza body, each read by ``item`` from the
    text after its bullet (None: malformed), and the lines that are no
    item.  Blank lines and ``#`` comments are skipped."""
    items: list[Item] = []
    malformed: list[SourceLine] = []
    for raw, line in lines:
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        bullet = _ITEM_BULLET.match(text)
        found = item(bullet.group(1), line) if bullet else None
        if found is None:
            malformed.append(SourceLine(text, path, line))
        else:
            items.append(found)
    return items, malformed


def _parameter_item(body: str, line: int) -> StanzaItem | None:
    name, sep, key = body.rpartition(": ")
    name, key = name.strip(), key.strip()
    return StanzaItem(name, key, line) if sep and name and key else None


def _status_item(body: str, line: int) -> StatusItem | None:
    code_text, sep, reason = body.partition(":")
    code_text, reason = code_text.strip(), reason.strip()
    if not code_text.isdigit() or (sep and not reason):
        return None
    return StatusItem(int(code_text), reason or None, line)


def parse_parameter_items(lines: Lines, path: str) -> tuple[list[StanzaItem], list[SourceLine]]:
    """Parse the body of a ``rest_parameters`` directive (in file ``path``).

    Each item is ``- name: key``; names and keys may contain ``:`` and ``-``,
    so an item is split at its *last* ``": "``.  Returns the items and the
    lines that are no item.
    """
    return _parse_items(lines, path, _parameter_item)


def parse_status_items(lines: Lines, path: str) -> tuple[list[StatusItem], list[SourceLine]]:
    """Parse the body of a ``rest_status_code`` directive (in file ``path``):
    ``- CODE`` or ``- CODE: reason_key`` items, and the lines that are no item."""
    return _parse_items(lines, path, _status_item)


def parse_method_line(text: str) -> tuple[str, str]:
    """Split ``METHOD URL`` (the first line of a rest_method) in two."""
    method, _, url = text.strip().partition(" ")
    return method, url.strip()


def parse_method_block(
    lines: Lines, path: str
) -> tuple[str, str, str | None, str | None, list[SourceLine]]:
    """Read a whole rest_method body (in file ``path``): ``METHOD URL`` on
    its first non-blank line, then version lines.

    Returns the method, the URL, min_version, max_version and the lines
    that are no version line.
    """
    first = next(((text, n) for text, n in lines if text.strip()), None)
    method, url = parse_method_line(first[0]) if first else ("", "")
    rest = [(text, n) for text, n in lines if first is None or n != first[1]]
    min_version, max_version, extra = parse_method_content(rest, path)
    return method, url, min_version, max_version, extra


def parse_method_content(
    lines: Lines, path: str
) -> tuple[str | None, str | None, list[SourceLine]]:
    """Read ``min_version: X.Y`` / ``max_version: X.Y`` lines of a rest_method;
    the other lines come back as they are."""
    found: dict[str, str] = {}
    extra: list[SourceLine] = []
    for raw, line in lines:
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = text.partition(":")
        key, value = key.strip(), value.strip()
        if sep and key in ("min_version", "max_version"):
            found[key] = value
            continue
        extra.append(SourceLine(text, path, line))
    return found.get("min_version"), found.get("max_version"), extra


@dataclass(frozen=True, slots=True)
class UnknownOption:
    """An option a directive does not know, as written: the directive's
    name, the option's name, and the directive's file and line."""

    directive: str
    option: str
    path: str
    line: int


# --------------------------------------------------------------------------
# What the directives record


def section_kind(titles: list[str]) -> str | None:
    """'request' or 'response' from the innermost subsection title saying so."""
    for title in reversed(titles):
        lowered = title.lower()
        if "request" in lowered:
            return "request"
        if "response" in lowered:
            return "response"
    return None


#: Where a ``rest_method`` stands (:attr:`Operation.placement`): the first
#: element of its section, after other content of its section, or in no
#: section at all.
FIRST_IN_SECTION = "first"
AFTER_CONTENT = "after-content"
OUTSIDE_SECTION = "outside"


@dataclass(slots=True)
class Operation:
    """A ``rest_method`` and the section that holds it."""

    method: str
    url: str
    title: str  # the section's title ("" outside a section)
    path: str
    line: int
    docname: str = ""
    section_id: str = ""  # the id of its section ("" outside a section)
    placement: str = FIRST_IN_SECTION
    #: Lines of the body that are no ``min_version``/``max_version`` line.
    extra_lines: list[SourceLine] = field(default_factory=list)
    min_version: str | None = None
    max_version: str | None = None
    index: int = 0  # position within its document, for grouping
    #: The ``include`` directives (file, line) that pulled the operation's
    #: file into its document, outermost first; empty when it is written
    #: in the document itself.
    includes: tuple[tuple[str, int], ...] = ()


@dataclass(slots=True)
class ParameterStanza:
    """A ``rest_parameters`` directive: which file, which items, where."""

    file: str | None  # absolute path of the parameters file, None if missing
    file_arg: str | None  # the argument as written
    items: list[StanzaItem]
    path: str
    line: int
    kind: str | None  # 'request', 'response' or None
    operation: int | None  # index of the operation in its document
    docname: str = ""
    malformed: list[SourceLine] = field(default_factory=list)  # lines that are no item
    unknown_options: list[UnknownOption] = field(default_factory=list)


@dataclass(slots=True)
class StatusStanza:
    """A ``rest_status_code`` directive."""

    status_type: str  # 'success', 'error' or what the author wrote
    file: str | None
    file_arg: str | None
    items: list[StatusItem]
    path: str
    line: int
    operation: int | None
    docname: str = ""
    malformed: list[SourceLine] = field(default_factory=list)  # lines that are no item
    unknown_options: list[UnknownOption] = field(default_factory=list)


@dataclass(slots=True)
class Sample:
    """A JSON file pulled in by ``literalinclude`` inside an operation."""

    file: str
    path: str
    line: int
    kind: str | None
    operation: int | None
    docname: str = ""
    #: Index (in its document's ``parameter_stanzas``) of the stanza the
    #: sample illustrates: the nearest one before it with the same
    #: operation and kind; None when no such stanza precedes it.
    stanza: int | None = None


def preceding_stanza(
    stanzas: list[ParameterStanza], operation: int | None, kind: str | None
) -> int | None:
    """The index of the last of ``stanzas`` (those read so far) that belongs
    to ``operation`` and ``kind``: the stanza a sample read now illustrates."""
    if operation is None or kind is None:
        return None
    for index in range(len(stanzas) - 1, -1, -1):
        stanza = stanzas[index]
        if stanza.operation == operation and stanza.kind == kind:
            return index
    return None


@dataclass(slots=True)
class Toolbar:
    """A ``rest_expand_all`` directive."""

    path: str
    line: int
    unknown_options: list[UnknownOption] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class UnsafeLink:
    """A link in a page whose target would run script."""

    uri: str
    path: str
    line: int


@dataclass(slots=True)
class Document:
    """Everything one source document (with its includes) contributes."""

    docname: str
    operations: list[Operation] = field(default_factory=list)
    parameter_stanzas: list[ParameterStanza] = field(default_factory=list)
    status_stanzas: list[StatusStanza] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    toolbars: list[Toolbar] = field(default_factory=list)
    empty_includes: list[str] = field(default_factory=list)  # included files holding nothing
    unsafe_links: list[UnsafeLink] = field(default_factory=list)
