"""Sphinx-free: JSON samples, read once and judged only when asked.

A build reads every sample a page pulls in, but its default rules only need
to know whether the file could be read.  So :func:`load_sample` reads the
text, and parsing it (is it valid JSON, what is at its top, which keys
repeat, which keys it has) happens the first time a rule asks, once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from os_api_ref_ext.reads import DEFAULT_MAX_FILE_SIZE, LoadedFile, read_text
from os_api_ref_ext.yaml_nodes import ParseError, type_name

#: Deepest JSON nesting a sample may have before it is refused.
MAX_JSON_DEPTH = 500


@dataclass(slots=True)
class SampleKey:
    """A key found in a JSON sample, with the keys of the objects above it."""

    name: str
    parents: tuple[str, ...]


@dataclass(slots=True)
class SampleDuplicate:
    """A key that one object of a JSON sample holds twice."""

    name: str
    parents: tuple[str, ...]  # keys of the objects (and lists) above it
    first_line: int
    line: int  # line of the repeated key


@dataclass(slots=True)
class _Judged:
    """What parsing a sample's text found."""

    json_error: ParseError | None = None
    top_type: str = "object"
    top_line: int = 1  # line where the top-level value starts
    object_like: bool = False
    duplicates: list[SampleDuplicate] = field(default_factory=list)
    text: str | None = None  # the text, when it parsed as JSON
    keys: list[SampleKey] | None = None


@dataclass(slots=True)
class SampleFile(LoadedFile):
    """A loaded JSON sample: its text, read once, and what parsing it
    finds, worked out on first use."""

    #: The text read (None when it could not be read).
    source: str | None = None
    _judged: _Judged | None = None

    def _judge(self) -> _Judged:
        if self._judged is None:
            self._judged = _judge(self.source)
        return self._judged

    @property
    def json_error(self) -> ParseError | None:
        """Why the text is no JSON this project accepts (None if it is, or
        if the file could not be read)."""
        return self._judge().json_error

    @property
    def top_type(self) -> str:
        return self._judge().top_type

    @property
    def top_line(self) -> int:
        return self._judge().top_line

    @property
    def object_like(self) -> bool:
        """An object, or a list of objects (as some APIs return)."""
        return self._judge().object_like

    @property
    def duplicates(self) -> list[SampleDuplicate]:
        return self._judge().duplicates

    @property
    def text(self) -> str | None:
        """The text, when it parsed as JSON (None otherwise)."""
        return self._judge().text

    @property
    def value(self) -> Any:
        """The parsed JSON (None when it could not be read or parsed),
        parsed anew on each call."""
        text = self.text
        return None if text is None else json.loads(text)

    @property
    def keys(self) -> list[SampleKey]:  # every key, with the keys above it
        judged = self._judge()
        if judged.keys is None:
            judged.keys = _sample_keys(self.value)
        return judged.keys


def _sample_keys(value: Any) -> list[SampleKey]:
    keys = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while stack:
        current, parents = stack.pop()
        if isinstance(current, dict):
            for name, child in current.items():
                keys.append(SampleKey(name, parents))
                stack.append((child, (*parents, name)))
        elif isinstance(current, list):
            stack.extend((child, parents) for child in current)
    return keys


#: JSON strings (skipped), brackets and the non-standard constants Python's
#: parser accepts; one scan serves the depth check and the constant finder.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|NaN|-?Infinity')


def _json_depth(text: str) -> int:
    """Deepest bracket nesting, ignoring brackets inside strings."""
    depth = deepest = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def _constant_position(text: str, name: str) -> tuple[int, int]:
    """Line and column of the first ``name`` (NaN, Infinity) outside strings."""
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token.lstrip("-") == name:
            index = match.start() + len(token) - len(name)
            line = text.count("\n", 0, index) + 1
            return line, index - (text.rfind("\n", 0, index) + 1) + 1
    return 1, 1


#: A JSON string used as a key (group 1), any other string, or a bracket.
_JSON_KEY_TOKENS = re.compile(r'("(?:[^"\\]|\\.)*")[ \t\n\r]*:|"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _duplicate_keys(text: str) -> list[SampleDuplicate]:
    """Every repeated key of valid JSON text, at the line of the repeat."""
    found: list[SampleDuplicate] = []
    # Per open object or list: the keys seen in it with their lines (a list
    # has none), and the keys above it.
    stack: list[tuple[dict[str, int], tuple[str, ...]]] = [({}, ())]
    key: str | None = None
    line, counted = 1, 0
    for match in _JSON_KEY_TOKENS.finditer(text):
        token = match.group()
        if match.group(1) is not None:
            line += text.count("\n", counted, match.start())
            counted = match.start()
            key = json.loads(match.group(1))
            seen, parents = stack[-1]
            if key in seen:
                found.append(SampleDuplicate(key, parents, seen[key], line))
            else:
                seen[key] = line
        elif token in ("{", "["):
            parents = stack[-1][1] if key is None else (*stack[-1][1], key)
            stack.append(({}, parents))
            key = None
        elif token in ("}", "]"):
            stack.pop()
            key = None
        else:
            key = None
    return found


def _json_error(text: str, exc: json.JSONDecodeError) -> ParseError:
    """The parser's error, with a trailing comma reported at the comma.

    Python 3.13 names a trailing comma itself; earlier versions report the
    ``}`` or ``]`` after it.  Both give the 3.13 message and position here,
    so a finding does not move with the Python version.
    """
    position = exc.pos
    if position < len(text) and text[position] in "}]":
        before = len(text[:position].rstrip()) - 1
        if before >= 0 and text[before] == ",":
            closed = "object" if text[position] == "}" else "array"
            line = text.count("\n", 0, before) + 1
            column = before - (text.rfind("\n", 0, before) + 1) + 1
            return ParseError(f"Illegal trailing comma before end of {closed}", line, column)
    return ParseError(exc.msg, exc.lineno, exc.colno)


def load_sample(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> SampleFile:
    """Read a JSON sample; it is parsed when first asked about."""
    read = read_text(path, max_bytes)
    if read.text is None:
        return SampleFile(
            path, read_error=read.error, read_error_line=read.error_line, missing=read.missing
        )
    return SampleFile(path, source=read.text)


def _judge(text: str | None) -> _Judged:
    """Parse a sample's text: its error, or its top value and repeated keys."""
    result = _Judged()
    if text is None:
        return result
    # Fewer opening brackets than the limit cannot nest deeper (counted in C).
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and _json_depth(text) > MAX_JSON_DEPTH:
        result.json_error = ParseError(
            f"nested deeper than {MAX_JSON_DEPTH} levels; not checked", 1, 1
        )
        return result
    constants: list[str] = []
    repeated: list[bool] = []

    def parse_constant(name: str) -> float:
        constants.append(name)
        return float(name)

    def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(pairs)  # the last of equal keys wins, as json.loads has it
        if len(value) < len(pairs):
            repeated.append(True)
        return value

    try:
        value = json.loads(text, parse_constant=parse_constant, object_pairs_hook=object_pairs)
    except json.JSONDecodeError as exc:
        result.json_error = _json_error(text, exc)
        return result
    except RecursionError:
        result.json_error = ParseError("nested too deeply", 1, 1)
        return result
    if constants:
        line, column = _constant_position(text, constants[0])
        result.json_error = ParseError(f"{constants[0]} is not valid JSON", line, column)
        return result
    if repeated:
        result.duplicates = _duplicate_keys(text)
    result.text = text
    result.top_type = type_name(value)
    result.object_like = isinstance(value, dict) or (
        isinstance(value, list) and all(isinstance(item, dict) for item in value)
    )
    stripped = text.lstrip()
    result.top_line = text.count("\n", 0, len(text) - len(stripped)) + 1
    return result
