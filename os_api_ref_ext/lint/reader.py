"""Read a Sphinx source tree into the model without Sphinx or a reST parser.

The command-line linter needs the :class:`~os_api_ref_ext.model.Document`
objects the directives record during a build, in a fraction of a build's
time.  This module reads reStructuredText line by line and follows the
block rules of docutils as far as they decide what a directive sees:

* section titles (underlined, or over- and underlined) and their levels,
  in order of first appearance per document, as docutils assigns them;
* ``include``: the file is spliced into the input where the directive
  stood, as docutils does, and paths resolve as Sphinx resolves them
  (relative to the *document's* directory, or to the source directory
  when they start with ``/``);
* explicit markup (directives with their arguments, options and content,
  comments, targets), literal blocks after ``::``, lists, block quotes,
  definition lists and tables, so that nothing inside them is mistaken for
  a title or a directive;
* ``rest_method``, ``rest_parameters``, ``rest_status_code``,
  ``rest_expand_all`` and ``literalinclude`` of ``.json`` files, recorded
  through the same model functions the directives call.

Content nested in another body element (a note, a list item, a block
quote) is parsed by docutils into a node that is not yet part of its
section, so a directive there sees no section at all; the scanner does the
same.  Inline markup is not parsed, except to give section titles the text
docutils would and to find the script links D002 reports (as the build's
transform finds them in the doctree).  ``conf.py`` is read with :mod:`ast`,
never executed.

Every file is read with :func:`~os_api_ref_ext.sources.read_bytes`: what
is no regular file once symlinks are followed (a device, a FIFO, a socket)
or is larger than ``os_api_ref_max_file_size`` is not read, so a hostile
tree cannot block the linter or fill its memory.  Such a document reads as
empty and such an include as absent (the build shows a note and a docutils
warning for it, which the linter does not repeat).
"""

from __future__ import annotations

import ast
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from docutils.nodes import make_id

from os_api_ref_ext.lint.context import LintOptions
from os_api_ref_ext.lint.engine import run_lint
from os_api_ref_ext.lint.registry import select_rules
from os_api_ref_ext.model import (
    LINE_LENGTH_LIMIT,
    TABLE_OPTION_NAMES,
    Document,
    Operation,
    ParameterStanza,
    Problem,
    Sample,
    StatusStanza,
    parse_method_block,
    parse_parameter_items,
    parse_status_items,
    preceding_stanza,
    section_kind,
    unknown_option_problem,
)
from os_api_ref_ext.sources import (
    DEFAULT_MAX_FILE_SIZE,
    SourceCache,
    max_file_size,
    read_bytes,
    refusal,
)
from os_api_ref_ext.unsafe_markup import unsafe_links

#: One input line: its text (tabs expanded, right-stripped), the file it
#: comes from and its 1-based line number there.
Line = tuple[str, str, int]

TAB_WIDTH = 8

CONF_FILE = "conf.py"
#: The type of the build's lint warnings (os_api_ref_ext.build_lint).
WARNING_TYPE = "os-api-ref"
#: Directories never searched for documents, besides hidden ones.
SKIPPED_DIRS = ("_build",)
#: Patterns Sphinx always excludes (``sphinx.project.EXCLUDE_PATHS``).
_SPHINX_EXCLUDES = ("**/_sources", ".#*", "**/.#*", "*.lproj/**")

# Patterns of docutils' Body state (docutils.parsers.rst.states.Body).
_SIMPLENAME = r"(?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*"
_NONALNUM = r"[!-/:-@\[-`{-~]"
_ENUM = r"(?:[0-9]+|[a-z]|[A-Z]|[ivxlcdm]+|[IVXLCDM]+|#)"
_OPTARG = r"(?:[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>)"
_OPTION = (
    rf"(?:(?:-|\+)[a-zA-Z0-9](?: ?{_OPTARG})?|(?:--|/)[a-zA-Z0-9][a-zA-Z0-9_-]*(?:[ =]{_OPTARG})?)"
)
_BULLET = re.compile("[-+*\u2022\u2023\u2043]( +|$)")
_ENUMERATOR = re.compile(rf"(?:\({_ENUM}\)|{_ENUM}\)|{_ENUM}\.)( +|$)")
_FIELD_MARKER = re.compile(r":(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)")
_OPTION_MARKER = re.compile(rf"{_OPTION}(?:, {_OPTION})*(  +| ?$)")
_DOCTEST = re.compile(r">>>( +|$)")
_LINE_BLOCK = re.compile(r"\|( +|$)")
_GRID_TABLE_TOP = re.compile(r"\+-[-+]+-\+ *$")
_SIMPLE_TABLE_TOP = re.compile(r"=+( +=+)+ *$")
_SIMPLE_TABLE_BORDER = re.compile(r"=+[ =]*$")
_EXPLICIT = re.compile(r"\.\.( +|$)")
_ANONYMOUS = re.compile(r"__( +|$)")
_ADORNMENT = re.compile(rf"({_NONALNUM})\1* *$")
_FOOTNOTE = re.compile(rf"\.\. +\[([0-9]+|#|#{_SIMPLENAME}|\*)\]( +|$)")
_CITATION = re.compile(rf"\.\. +\[({_SIMPLENAME})\]( +|$)")
_TARGET = re.compile(r"\.\. +_(?! |$)")
_TARGET_NAME = re.compile(r"(?:_|(?P<quote>`?)(?P<name>.+?)(?P=quote)) ?:( +|$)")
_SUBSTITUTION = re.compile(r"\.\. +\|(?! |$)")
# A one-line substitution definition and the directive it embeds.
_SUBSTITUTION_DIRECTIVE = re.compile(rf"\.\. +\|[^|]*[^| ]\| +({_SIMPLENAME}) ?::( +|$)")
_DIRECTIVE = re.compile(rf"\.\. +({_SIMPLENAME}) ?::( +|$)")
_LITERAL_NEXT = re.compile(r"(?<!\\)(\\\\)*::$")
_WHITESPACE_CONTROL = re.compile("[\v\f]")
_DOCINFO = re.compile(r":\w+:.*?")


class _MarkupError(Exception):
    """A directive block docutils would refuse (the directive never runs)."""


# --------------------------------------------------------------------------
# Directive specifications: what docutils needs to split a directive block


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
class _Spec:
    """The shape of a directive, as docutils reads it before running it."""

    required: int = 0
    optional: int = 0
    whitespace: bool = False  # final_argument_whitespace
    options: dict[str, Converter] | None = None  # None: no option_spec at all
    any_option: bool = (
        False  # unknown options are kept (directives._base.AnyOptions)
    )
    content: bool = True


_TABLE_OPTIONS: dict[str, Converter] = {name: _unchanged for name in TABLE_OPTION_NAMES}
_TABLE_OPTIONS["class"] = _class_names
_CLASS_NAME: dict[str, Converter] = {"class": _class_names, "name": _unchanged}

_SPECS: dict[str, _Spec] = {
    "rest_method": _Spec(),
    "rest_parameters": _Spec(optional=1, whitespace=True, options=_TABLE_OPTIONS, any_option=True),
    "rest_status_code": _Spec(optional=2, options=_TABLE_OPTIONS, any_option=True),
    "rest_expand_all": _Spec(options={}, any_option=True, content=False),
    "include": _Spec(
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
    "literalinclude": _Spec(
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
_CONTAINERS: dict[str, _Spec] = {
    "replace": _Spec(),  # in a substitution definition
    **{
        name: _Spec(options=_CLASS_NAME)
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
        name: _Spec(required=1, whitespace=True, options=_CLASS_NAME)
        for name in ("admonition", "topic")
    },
    **{
        name: _Spec(required=1, whitespace=True)
        for name in ("only", "class", "rst-class", "cssclass")
    },
    # Options beyond class and name exist; any is let through.
    **{
        name: _Spec(optional=1, whitespace=True, options=_CLASS_NAME, any_option=True)
        for name in ("container", "sidebar", "list-table", "table")
    },
    **{
        name: _Spec(required=1, optional=1, whitespace=True)
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
_NO_OUTPUT = frozenset(
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


# --------------------------------------------------------------------------
# Lines


def split_lines(text: str, source: str, tab_width: int = TAB_WIDTH) -> list[Line]:
    """Split text into lines the way docutils does (``string2lines``)."""
    text = _WHITESPACE_CONTROL.sub(" ", text)
    return [
        (raw.expandtabs(tab_width).rstrip(), source, number)
        for number, raw in enumerate(text.splitlines(), start=1)
    ]


def _read(path: str, max_bytes: int, errors: str = "strict") -> str | None:
    """The text of a regular file of at most ``max_bytes``, newlines made
    ``\\n`` (as ``open`` in text mode does); None when it is not read."""
    data = read_bytes(path, max_bytes).data
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig", errors=errors)
    except UnicodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _indented(
    lines: Sequence[Line],
    start: int,
    first_indent: int | None = None,
    block_indent: int | None = None,
    until_blank: bool = False,
) -> tuple[list[Line], int]:
    """The indented block at ``start`` and the index after it.

    A port of docutils' ``StringList.get_indented``: the block runs while
    lines are blank or indented (by at least ``block_indent`` when given);
    its common indentation is removed.  With ``first_indent`` the first
    line belongs to the block whatever its indentation, cut at that column.
    """
    if block_indent is not None and first_indent is None:
        first_indent = block_indent
    end = start + 1 if first_indent is not None else start
    indent = block_indent
    count = len(lines)
    while end < count:
        text = lines[end][0]
        if text and (text[0] != " " or (block_indent is not None and text[:block_indent].strip())):
            break
        stripped = text.lstrip()
        if not stripped:
            if until_blank:
                break
        elif block_indent is None:
            width = len(text) - len(stripped)
            indent = width if indent is None else min(indent, width)
        end += 1
    block = list(lines[start:end])
    first = 0
    if first_indent is not None and block:
        text, source, number = block[0]
        block[0] = (text[first_indent:], source, number)
        first = 1
    if indent:
        block[first:] = [(text[indent:], source, number) for text, source, number in block[first:]]
    return block, end


def _too_long(lines: list[Line]) -> bool:
    return any(len(text) > LINE_LENGTH_LIMIT for text, _source, _number in lines)


def _strip_top(block: list[Line]) -> list[Line]:
    start = 0
    while start < len(block) and not block[start][0].strip():
        start += 1
    return block[start:]


def _simple_table_margins_clear(table: list[Line]) -> bool:
    """No text between the columns of a simple table (docutils' check)."""
    columns = [match.span() for match in re.finditer("=+", table[0][0])]
    margins = [
        (end, following[0]) for (_, end), following in zip(columns, columns[1:], strict=False)
    ]
    return not any(
        text[start:end].strip()
        for text, _source, _number in table
        if not _SIMPLE_TABLE_BORDER.match(text)
        for start, end in margins
    )


def _column_width(text: str) -> int:
    """Width of text in columns, as docutils measures title underlines."""
    width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return width - sum(1 for char in text if unicodedata.combining(char))


# --------------------------------------------------------------------------
# Titles: the text docutils gives a title node (inline markup removed)

_INLINE = re.compile(
    r"""
    (?<![^\s\-:/'"<(\[{])          # start-string after space, punctuation or line start
    (?:
        ``(?P<literal>\S(?:.*?\S)?)``
      | \*\*(?P<strong>\S(?:.*?\S)?)\*\*
      | \*(?P<emphasis>[^\s*](?:.*?[^\s\\])?)\*
      | (?::[\w.+:-]+:)?`(?P<interpreted>[^`\s](?:[^`]*?[^`\s])?)`(?::[\w.+:-]+:|__?)?
      | \|(?P<substitution>[^|\s](?:[^|]*?[^|\s])?)\|(?:__?)?
    )
    (?=$|[\s\-.,:;!?\\/'")\]}>])   # end-string before space, punctuation or line end
    """,
    re.VERBOSE,
)
_EXPLICIT_TITLE = re.compile(r"^(.*?)\s*<[^<>]*>$", re.DOTALL)
_REFERENCE = re.compile(r"(?<![\w\\])([^\W_][\w.+:-]*?)__?(?=$|[\s.,:;!?)\]}>'\"])")
_ESCAPE = re.compile(r"\\(.)|\\$")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: "" if match.group(1) in (None, " ") else match.group(1), text)


def title_text(source: str) -> str:
    """The text of a title as docutils' ``astext()`` gives it."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(source):
        out.append(_REFERENCE.sub(r"\1", _unescape(source[position : match.start()])))
        literal = match.group("literal")
        if literal is not None:
            out.append(literal)
        else:
            inner = next(group for group in match.groups() if group is not None)
            explicit = _EXPLICIT_TITLE.match(inner)
            if match.group("interpreted") is not None and explicit and explicit.group(1):
                inner = explicit.group(1)
            out.append(_unescape(inner))
        position = match.end()
    out.append(_REFERENCE.sub(r"\1", _unescape(source[position:])))
    return "".join(out)


# --------------------------------------------------------------------------
# conf.py and the documents of a tree


def read_conf(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> dict[str, Any]:
    """The literal top-level assignments of a ``conf.py``, without running it.

    ``name = <literal>`` and ``name += <literal>`` are understood; anything
    computed is ignored.
    """
    text = _read(path, max_bytes)
    if text is None:
        return {}
    try:
        module = ast.parse(text, filename=path)
    except (SyntaxError, ValueError):
        return {}
    values: dict[str, Any] = {}
    for statement in module.body:
        augmented = isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add)
        if isinstance(statement, ast.Assign):
            targets, value_node = statement.targets, statement.value
        elif augmented or (isinstance(statement, ast.AnnAssign) and statement.value is not None):
            targets, value_node = [statement.target], statement.value  # type: ignore[union-attr]
        else:
            continue
        try:
            value = ast.literal_eval(value_node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            for target in targets:
                if isinstance(target, ast.Name):
                    values.pop(target.id, None)
            continue
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            if augmented:
                try:
                    values[target.id] = values[target.id] + value
                except (KeyError, TypeError):
                    values.pop(target.id, None)
            else:
                values[target.id] = value
    return values


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A Sphinx exclude/include pattern (``sphinx.util.matching``) as a regex."""
    index, length, out = 0, len(pattern), ""
    while index < length:
        char = pattern[index]
        index += 1
        if char == "*":
            if index < length and pattern[index] == "*":
                index += 1
                out += ".*"
            else:
                out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            end = index
            if end < length and pattern[end] == "!":
                end += 1
            if end < length and pattern[end] == "]":
                end += 1
            while end < length and pattern[end] != "]":
                end += 1
            if end >= length:
                out += "\\["
            else:
                stuff = pattern[index:end].replace("\\", "\\\\")
                index = end + 1
                if stuff[0] == "!":
                    stuff = "^/" + stuff[1:]
                elif stuff[0] == "^":
                    stuff = "\\" + stuff
                out += f"[{stuff}]"
        else:
            out += re.escape(char)
    return re.compile(out + "$")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str)]
    return []


@dataclass
class SourceTree:
    """A documentation source directory and what its ``conf.py`` says."""

    srcdir: str
    conf: dict[str, Any] = field(default_factory=dict)
    #: No file larger than this is read (``os_api_ref_max_file_size``).
    max_bytes: int = DEFAULT_MAX_FILE_SIZE
    _resolved: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, srcdir: str, max_bytes: int | None = None) -> SourceTree:
        """The tree at ``srcdir``; ``max_bytes`` replaces what conf.py says."""
        srcdir = os.path.realpath(srcdir)
        conf = read_conf(os.path.join(srcdir, CONF_FILE), max_bytes or DEFAULT_MAX_FILE_SIZE)
        limit = max_bytes or max_file_size(conf.get("os_api_ref_max_file_size"))
        return cls(srcdir, conf, limit)

    @property
    def suffixes(self) -> list[str]:
        """Suffixes of reStructuredText sources, in Sphinx's order."""
        value = self.conf.get("source_suffix", ".rst")
        if isinstance(value, dict):
            return [
                suffix
                for suffix, parser in value.items()
                if isinstance(suffix, str) and parser in ("restructuredtext", "rst")
            ]
        return _strings(value) or [".rst"]

    @property
    def lint_options(self) -> LintOptions:
        return LintOptions.from_config(self.conf.get("os_api_ref_lint", {}))

    def suppresses(self, code: str) -> bool:
        """Whether ``suppress_warnings`` silences the build's warnings of ``code``."""
        for entry in _strings(self.conf.get("suppress_warnings", [])):
            kind, _dot, subtype = entry.partition(".")
            if kind == WARNING_TYPE and subtype in ("", "*", code):
                return True
        return False

    def documents(self) -> list[tuple[str, str]]:
        """(docname, absolute path) of every source document, as Sphinx finds them."""
        excludes = [
            _glob_regex(pattern)
            for key in ("exclude_patterns", "templates_path", "html_static_path", "html_extra_path")
            for pattern in _strings(self.conf.get(key, []))
        ] + [_glob_regex(pattern) for pattern in _SPHINX_EXCLUDES]
        includes = [_glob_regex(p) for p in _strings(self.conf.get("include_patterns", ["**"]))]
        suffixes = self.suffixes
        found: dict[str, str] = {}
        for root, dirs, files in os.walk(self.srcdir, followlinks=True):
            relative = os.path.relpath(root, self.srcdir).replace(os.sep, "/")
            prefix = "" if relative == "." else relative + "/"
            dirs[:] = sorted(
                name
                for name in dirs
                if not name.startswith(".")
                and name not in SKIPPED_DIRS
                and not any(regex.match(prefix + name) for regex in excludes)
            )
            for name in sorted(files):
                relpath = unicodedata.normalize("NFC", prefix + name)
                if not any(regex.match(relpath) for regex in includes) or any(
                    regex.match(relpath) for regex in excludes
                ):
                    continue
                suffix = next((s for s in suffixes if relpath.endswith(s)), None)
                if suffix is None or not relpath[: -len(suffix)]:
                    continue
                docname = relpath[: -len(suffix)]
                if docname not in found:
                    found[docname] = os.path.join(root, name)
        return sorted(found.items())

    def relfn2path(self, argument: str, docpath: str) -> str:
        """Absolute path of a file argument, as Sphinx's ``env.relfn2path``."""
        if argument.startswith(("/", "\\")):
            joined = os.path.join(self.srcdir, argument.lstrip("/\\"))
        else:
            joined = os.path.join(os.path.dirname(docpath), argument)
        resolved = self._resolved.get(joined)
        if resolved is None:
            resolved = self._resolved[joined] = os.path.realpath(joined)
        return resolved


# --------------------------------------------------------------------------
# One document


@dataclass
class _Section:
    level: int
    title: str
    id: str
    operation: int | None = None  # the last operation whose section this is
    started: bool = False  # holds a body element besides title, targets, comments


@dataclass
class _Directive:
    name: str
    arguments: list[str]
    options: dict[str, Any]
    content: list[Line]
    source: str
    line: int


class _DocumentReader:
    """Reads one document (with its includes) into a :class:`Document`."""

    def __init__(self, tree: SourceTree, docname: str, path: str) -> None:
        self.tree = tree
        self.path = path
        self.document = Document(docname)
        self.title_styles: list[tuple[str, ...]] = []
        self.sections: list[_Section] = []
        self.ids: set[str] = set()
        self.id_counter = 0
        self.include_log: list[tuple[str, tuple[Any, ...]]] = []
        # The include directives (file, line) of the open inclusions, outermost first.
        self.include_sites: list[tuple[str, int]] = []
        self.links: list[Problem] = []  # D002, added after the directives' problems

    def read(self) -> Document:
        text = _read(self.path, self.tree.max_bytes, errors="replace") or ""
        lines = split_lines(text, self.path)
        if _too_long(lines):
            return self.document  # docutils parses nothing of the document
        self._add_prolog(lines)
        self.body(lines, top=True)
        self.document.problems.extend(self.links)
        return self.document

    def _add_prolog(self, lines: list[Line]) -> None:
        """``rst_prolog`` and ``rst_epilog`` as Sphinx adds them."""
        prolog = self.tree.conf.get("rst_prolog")
        if isinstance(prolog, str) and prolog:
            position = 0
            while position < len(lines) and _DOCINFO.match(lines[position][0]):
                position += 1
            added: list[Line] = [("", "<generated>", 1)] if position else []
            added += [
                (text, "<rst_prologue>", number + 1)
                for number, text in enumerate(prolog.splitlines())
            ]
            added.append(("", "<generated>", 1))
            lines[position:position] = added
        epilog = self.tree.conf.get("rst_epilog")
        if isinstance(epilog, str) and epilog:
            last = lines[-1] if lines else ("", "<generated>", 0)
            lines.append(("", last[1], last[2] + 1))
            lines += [
                (text, "<rst_epilogue>", number + 1)
                for number, text in enumerate(epilog.splitlines())
            ]

    # -- ids, as docutils' document.set_id gives them ----------------------

    def _auto_id(self) -> str:
        while True:
            self.id_counter += 1
            candidate = f"id{self.id_counter}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def _set_id(self, name: str | None) -> str:
        if name is not None:
            candidate = make_id(name)
            if candidate and candidate not in self.ids:
                self.ids.add(candidate)
                return candidate
        return self._auto_id()

    # -- structure ---------------------------------------------------------

    def _started(self, top: bool) -> None:
        """A body element was added to the current section."""
        if top and self.sections:
            self.sections[-1].started = True

    def _section(self, raw_title: str, style: tuple[str, ...], where: Line) -> None:
        """A title: open a section, as docutils' ``check_subsection`` allows."""
        current = len(self.sections)
        if style in self.title_styles:
            level = self.title_styles.index(style) + 1
        else:
            level = len(self.title_styles) + 1
        if level > current + 1:
            return  # "Inconsistent title style": an error, and no section
        del self.sections[level - 1 :]
        if level > len(self.title_styles):
            self.title_styles.append(style)
        self._unsafe_links(raw_title, where)
        text = title_text(raw_title)
        section_id = self._set_id(" ".join(text.lower().split()))
        self.sections.append(_Section(level, text, section_id))

    def body(self, lines: list[Line], top: bool) -> None:
        """Parse body elements; ``top`` is the document level, where titles are."""
        index = 0
        literal_next = False
        while index < len(lines):
            text = lines[index][0]
            if not text:
                index += 1
                continue
            if literal_next:
                literal_next = False
                end = self._literal_block(lines, index)
                if end > index:
                    self._started(top)
                    index = end
                    continue
            if text[0] == " ":
                block, index = _indented(lines, index)
                self._started(top)
                self.body(_strip_top(block), top=False)  # a block quote
                continue
            index, literal_next = self._construct(lines, index, top)

    @staticmethod
    def _literal_block(lines: list[Line], index: int) -> int:
        """Index after the literal block at ``index`` (``index`` if none)."""
        text = lines[index][0]
        if text[0] == " ":
            return _indented(lines, index)[1]
        if not re.match(_NONALNUM, text):
            return index
        quote = text[0]
        while index < len(lines) and lines[index][0][:1] == quote:
            index += 1
        return index

    def _construct(self, lines: list[Line], index: int, top: bool) -> tuple[int, bool]:
        """Parse the construct at an unindented line; (next index, literal next)."""
        text = lines[index][0]
        if _EXPLICIT.match(text):
            return self._explicit(lines, index, top), False
        match = _ANONYMOUS.match(text)
        if match:
            self._auto_id()
            return _indented(lines, index, first_indent=match.end(), until_blank=True)[1], False
        match = _BULLET.match(text) or (
            self._is_enumerated(lines, index) and _ENUMERATOR.match(text)
        )
        if match:
            self._started(top)
            if text[match.end() :]:
                block, end = _indented(lines, index, block_indent=match.end())
            else:
                block, end = _indented(lines, index, first_indent=match.end())
            self.body(_strip_top(block), top=False)
            return end, False
        match = _FIELD_MARKER.match(text) or _OPTION_MARKER.match(text)
        if match:
            self._started(top)
            block, end = _indented(lines, index, first_indent=match.end())
            self.body(_strip_top(block), top=False)
            return end, False
        if _DOCTEST.match(text) or _LINE_BLOCK.match(text):
            self._started(top)
            return self._text_block_end(lines, index), False
        if _GRID_TABLE_TOP.match(text) or _SIMPLE_TABLE_TOP.match(text):
            isolate = self._grid_table if _GRID_TABLE_TOP.match(text) else self._simple_table
            end, well_formed = isolate(lines, index)
            if well_formed:  # a malformed table leaves only an error message
                self._started(top)
            return end, False
        if _ADORNMENT.match(text):
            end = self._adornment(lines, index, top)
            if end is not None:
                return end, False
        return self._text(lines, index, top)

    @staticmethod
    def _is_enumerated(lines: list[Line], index: int) -> bool:
        """docutils' test: the next line is blank, indented or another item."""
        if index + 1 >= len(lines):
            return True
        following = lines[index + 1][0]
        return not following[:1].strip() or bool(_ENUMERATOR.match(following))

    @staticmethod
    def _text_block_end(lines: list[Line], index: int) -> int:
        while index < len(lines) and lines[index][0]:
            index += 1
        return index

    @staticmethod
    def _grid_table(lines: list[Line], start: int) -> tuple[int, bool]:
        """docutils' ``isolate_grid_table``: (index after the table, well formed)."""
        end = start
        while end < len(lines) and lines[end][0] and lines[end][0][0] != " ":
            end += 1
        block = [text.strip() for text, _source, _number in lines[start:end]]
        width = len(block[0])
        for position, text in enumerate(block):
            if text[0] not in "+|":  # left edge
                del block[position:]
                end = start + position
                break
        if not _GRID_TABLE_TOP.match(block[-1]):  # the bottom border
            for position in range(len(block) - 2, 1, -1):
                if _GRID_TABLE_TOP.match(block[position]):
                    del block[position + 1 :]
                    end = start + position + 1
                    break
            else:
                return end, False
        well_formed = all(len(text) == width and text[-1] in "+|" for text in block)
        return end, well_formed

    @staticmethod
    def _simple_table(lines: list[Line], start: int) -> tuple[int, bool]:
        """docutils' ``isolate_simple_table``: (index after the table, well formed)."""
        limit = len(lines) - 1
        width = len(lines[start][0].strip())
        found = 0
        found_at = None
        index = start + 1
        while index <= limit:
            text = lines[index][0]
            if _SIMPLE_TABLE_BORDER.match(text):
                if len(text.strip()) != width:
                    return index + 1, False
                found += 1
                found_at = index
                if found == 2 or index == limit or not lines[index + 1][0].strip():
                    return index + 1, _simple_table_margins_clear(lines[start : index + 1])
            index += 1
        return (found_at if found_at is not None else limit) + 1, False

    def _adornment(self, lines: list[Line], index: int, top: bool) -> int | None:
        """A line of punctuation: over-lined title, transition, or text (None)."""
        marker = lines[index][0]
        short = len(marker.strip()) < 4
        if not top:
            if marker.strip() == "::" or short:
                return None
            return index + 1  # "Unexpected section title or transition"
        if index + 1 >= len(lines) or not lines[index + 1][0]:
            if short:
                return None
            self._started(top)
            return index + 1  # a transition
        title = lines[index + 1][0]
        if _ADORNMENT.match(title) and title[0] != " ":
            return None if short else index + 2  # "Invalid section title"
        if index + 2 >= len(lines):
            return None if short else index + 2  # "Incomplete section title"
        overline = marker.rstrip()
        underline = lines[index + 2][0].rstrip()
        if not _ADORNMENT.match(underline) or overline != underline:
            return None if short else index + 3
        title = title.rstrip()
        if _column_width(title) > len(overline) and short:
            return None
        self._section(title.lstrip(), (overline[0], underline[0]), lines[index + 1])
        return index + 3

    def _text(self, lines: list[Line], index: int, top: bool) -> tuple[int, bool]:
        """A title, a definition list item or a paragraph (docutils' Text state)."""
        if index + 1 < len(lines):
            following = lines[index + 1][0]
            if following[:1] == " ":  # a definition list item
                self._started(top)
                self._unsafe_links(lines[index][0], lines[index])
                block, end = _indented(lines, index + 1)
                self.body(_strip_top(block), top=False)
                return end, False
            if following and _ADORNMENT.match(following):
                title = lines[index][0].rstrip()
                underline = following.rstrip()
                if _column_width(title) <= len(underline) or len(underline) >= 4:
                    if top:
                        self._section(title, (underline[0],), lines[index])
                    return index + 2, False
        start = index
        while index < len(lines) and lines[index][0] and lines[index][0][0] != " ":
            index += 1
        self._started(top)
        paragraph = "\n".join(text for text, _source, _number in lines[start:index]).rstrip()
        self._unsafe_links(paragraph, lines[start])
        return index, bool(_LITERAL_NEXT.search(paragraph))

    def _unsafe_links(self, text: str, where: Line) -> None:
        """D002 for script links in a paragraph or title, found in its text
        (the build finds them in the doctree: os_api_ref_ext.disarm)."""
        if ":" in text:
            self.links += [
                Problem("D002", message, where[1], where[2]) for _, message in unsafe_links(text)
            ]

    # -- explicit markup ------------------------------------------------------

    def _explicit(self, lines: list[Line], index: int, top: bool) -> int:
        text = lines[index][0]
        match = _FOOTNOTE.match(text)
        if match:
            label = match.group(1)  # "1", "#", "#name" or "*"; a number makes no id
            name = label[1:] if label.startswith("#") else label.strip("*")
            self._set_id(name.lower() or None)
            return self._explicit_body(lines, index, match.end(), top)
        match = _CITATION.match(text)
        if match:
            self._set_id(match.group(1).lower())
            return self._explicit_body(lines, index, match.end(), top)
        match = _TARGET.match(text)
        if match:
            _block, end = _indented(lines, index, first_indent=match.end(), until_blank=True)
            # As docutils: the name is on the first line, or on the first
            # lines joined (unindented) until it is complete.
            joined, name = text[match.end() :], None
            for following in range(index + 1, end + 1):
                name = _TARGET_NAME.match(joined)
                if name is not None or following == end:
                    break
                joined += lines[following][0]
            if name is not None:
                if name.group("name") is None:
                    self._auto_id()
                else:
                    self._set_id(" ".join(_unescape(name.group("name")).lower().split()))
                return end
        elif _SUBSTITUTION.match(text):
            self._started(top)
            embedded = _SUBSTITUTION_DIRECTIVE.match(text)
            if embedded:
                # The directive runs ("replace" parses its content), detached
                # from any section.
                return self._directive(lines, index, embedded, top=False)
            return _indented(lines, index, first_indent=_EXPLICIT.match(text).end())[1]  # type: ignore[union-attr]
        else:
            match = _DIRECTIVE.match(text)
            if match:
                return self._directive(lines, index, match, top)
        return self._comment(lines, index)

    def _explicit_body(self, lines: list[Line], index: int, column: int, top: bool) -> int:
        """A footnote or citation: its body is parsed as nested content."""
        self._started(top)
        block, end = _indented(lines, index, first_indent=column)
        self.body(_strip_top(block), top=False)
        return end

    def _comment(self, lines: list[Line], index: int) -> int:
        text = lines[index][0]
        start = _EXPLICIT.match(text).end()  # type: ignore[union-attr]
        next_blank = index + 1 >= len(lines) or not lines[index + 1][0].strip()
        if next_blank:
            rest = text[start:]
            if not rest.strip():
                return index + 1
            if rest.startswith('end of inclusion from "') and self.include_log:
                self.include_log.pop()
                del self.include_sites[max(len(self.include_log) - 1, 0) :]
                return index + 1
        return _indented(lines, index, first_indent=start)[1]

    # -- directives -------------------------------------------------------------

    def _directive(self, lines: list[Line], index: int, match: re.Match[str], top: bool) -> int:
        name = match.group(1)
        key = name.lower()
        block, end = _indented(lines, index, first_indent=match.end())
        spec = _SPECS.get(key) or _CONTAINERS.get(key)
        if spec is None:
            if key not in _NO_OUTPUT:
                self._started(top)
            return end
        _text, source, number = lines[index]
        try:
            directive = _Directive(name, *_parse_directive_block(block, spec), source, number)
        except _MarkupError:
            return end  # docutils reports an error; the directive never runs
        if key == "only":
            if self._only(directive.content):
                self._started(top)
        elif key in _CONTAINERS:
            self._started(top)
            self.body(list(directive.content), top=False)
        elif key == "include":
            self._include(lines, end, directive, top)
        elif key == "rest_method":
            self._rest_method(directive, top)
        elif key == "rest_parameters":
            self._rest_parameters(directive, top)
        elif key == "rest_status_code":
            self._rest_status_code(directive, top)
        elif key == "rest_expand_all":
            self.document.problems.extend(self._unknown_options(directive, ()))
            self._started(top)
        elif key == "literalinclude":
            self._literalinclude(directive, top)
        return end

    def _only(self, content: list[Line]) -> bool:
        """Sphinx's ``only`` parses its content with titles allowed, with
        title styles of its own, into a node not yet in the document.

        Returns whether the node stays where the directive stood: when its
        first title has the style of the current section or of one above
        it, Sphinx moves the node up the section hierarchy instead.
        """
        outer_styles, outer_sections = self.title_styles, self.sections
        self.title_styles, self.sections = [], []
        try:
            self.body(list(content), top=True)
            inner_styles = self.title_styles
        finally:
            self.title_styles, self.sections = outer_styles, outer_sections
        if not inner_styles or inner_styles[0] not in outer_styles:
            return True
        return outer_styles.index(inner_styles[0]) >= len(outer_sections)

    def _add_name(self, directive: _Directive) -> None:
        """The id a ``:name:`` option gives the directive's node (``add_name``)."""
        if "name" in directive.options:
            self._set_id(" ".join(str(directive.options["name"]).lower().split()))

    def _context(self, top: bool) -> tuple[str | None, int | None]:
        """The request/response kind and operation around a directive
        (``os_api_ref_ext.domain.directive_context``)."""
        titles: list[str] = []
        for section in reversed(self.sections if top else []):
            if section.operation is not None:
                return section_kind(list(reversed(titles))), section.operation
            titles.append(section.title)
        return section_kind(list(reversed(titles))), None

    @staticmethod
    def _content_source(directive: _Directive) -> str:
        return directive.content[0][1] if directive.content else directive.source

    @staticmethod
    def _content_lines(directive: _Directive) -> list[tuple[str, int]]:
        return [(text, number) for text, _source, number in directive.content]

    @staticmethod
    def _unknown_options(
        directive: _Directive, known: Sequence[str] = TABLE_OPTION_NAMES
    ) -> list[Problem]:
        return [
            unknown_option_problem(name, directive.name, directive.source, directive.line)
            for name in directive.options
            if name not in known
        ]

    def _rest_method(self, directive: _Directive, top: bool) -> None:
        document = self.document
        method, url, min_version, max_version, problems = parse_method_block(
            self._content_lines(directive), directive.source
        )
        section = self.sections[-1] if top and self.sections else None
        operation = Operation(
            method=method,
            url=url,
            title=section.title if section is not None else "",
            path=directive.source,
            line=directive.line,
            docname=document.docname,
            section_id=section.id if section is not None else "",
            min_version=min_version,
            max_version=max_version,
            index=len(document.operations),
            includes=tuple(self.include_sites),
        )
        if section is None:
            problems.append(
                Problem(
                    "O006", "rest_method is not inside a section", directive.source, directive.line
                )
            )
        else:
            section.operation = operation.index
            if section.started:
                problems.append(
                    Problem(
                        "O006",
                        "rest_method should be the first element of its section",
                        directive.source,
                        directive.line,
                    )
                )
        document.operations.append(operation)
        document.problems.extend(problems)
        self._started(top)

    def _rest_parameters(self, directive: _Directive, top: bool) -> None:
        items, problems = parse_parameter_items(
            self._content_lines(directive), self._content_source(directive)
        )
        file_arg = directive.arguments[0].strip() if directive.arguments else None
        kind, operation = self._context(top)
        self.document.parameter_stanzas.append(
            ParameterStanza(
                file=self.tree.relfn2path(file_arg, self.path) if file_arg else None,
                file_arg=file_arg,
                items=items,
                path=directive.source,
                line=directive.line,
                kind=kind,
                operation=operation,
                docname=self.document.docname,
                problems=self._unknown_options(directive) + problems,
            )
        )
        self._add_name(directive)
        self._started(top)

    def _rest_status_code(self, directive: _Directive, top: bool) -> None:
        items, problems = parse_status_items(
            self._content_lines(directive), self._content_source(directive)
        )
        arguments = directive.arguments
        status_type = arguments[0] if arguments else ""
        file_arg = arguments[1] if len(arguments) > 1 else None
        _kind, operation = self._context(top)
        self.document.status_stanzas.append(
            StatusStanza(
                status_type=status_type,
                file=self.tree.relfn2path(file_arg, self.path) if file_arg else None,
                file_arg=file_arg,
                items=items,
                path=directive.source,
                line=directive.line,
                operation=operation,
                docname=self.document.docname,
                problems=self._unknown_options(directive) + problems,
            )
        )
        if status_type in ("success", "error"):
            self._auto_id()  # the titled table gets an id (rest_status_code.py)
        else:
            self._add_name(directive)
        self._started(top)

    def _literalinclude(self, directive: _Directive, top: bool) -> None:
        argument = directive.arguments[0]
        filename = self.tree.relfn2path(argument, self.path)
        if argument.lower().endswith(".json"):
            kind, operation = self._context(top)
            self.document.samples.append(
                Sample(
                    file=filename,
                    path=directive.source,
                    line=directive.line,
                    kind=kind,
                    operation=operation,
                    docname=self.document.docname,
                    stanza=preceding_stanza(self.document.parameter_stanzas, operation, kind),
                )
            )
        if refusal(filename, self.tree.max_bytes) is not None:
            self._started(top)  # the build shows a note instead
        elif os.path.isfile(filename):
            self._add_name(directive)
            self._started(top)

    def _include(self, lines: list[Line], end: int, directive: _Directive, top: bool) -> None:
        """Splice an included file into the input, as docutils' ``include`` does."""
        argument = directive.arguments[0]
        if argument.startswith("<") and argument.endswith(">"):
            return  # a docutils standard include: substitution definitions
        options = directive.options
        path = self.tree.relfn2path(argument, self.path)
        text = _read(path, self.tree.max_bytes)
        if text is None:
            if refusal(path, self.tree.max_bytes) is not None:
                self._started(top)  # the build shows a note instead
            return
        clip = (
            options.get("start-line"),
            options.get("end-line"),
            options.get("start-after", ""),
            options.get("end-before", ""),
        )
        start_line, end_line, after, before = clip
        if start_line or end_line is not None:
            text = "\n".join(text.splitlines()[start_line:end_line])
        if after:
            found = text.find(after)
            if found < 0:
                return
            text = text[found + len(after) :]
        if before:
            found = text.find(before)
            if found < 0:
                return
            text = text[:found]
        if "literal" in options or "code" in options or "parser" in options:
            self._started(top)
            return
        if not self.include_log:
            self.include_log.append((self.path, (None, None, "", "")))
        if (path, clip) in self.include_log:
            return  # circular inclusion
        included = split_lines(text, path, options.get("tab-width", TAB_WIDTH))
        if _too_long(included):
            return
        self.include_log.append((path, clip))
        self.include_sites.append((directive.source, directive.line))
        if not text.strip():
            # os_api_ref_ext.domain.note_empty_include
            self.document.problems.append(Problem("D003", "included file is empty", path, 1))
        count = len(included)
        included += [
            ("", path, count + 1),
            (f'.. end of inclusion from "{path}"', path, count + 2),
        ]
        lines[end:end] = [("", path, 0), *included, ("", path, count + 3)]


def _parse_directive_block(
    block: list[Line], spec: _Spec
) -> tuple[list[str], dict[str, Any], list[Line]]:
    """Arguments, options and content of a directive block.

    A port of docutils' ``parse_directive_block``; raises :class:`_MarkupError`
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
    content = _strip_top(content)
    arguments = _parse_arguments(arg_block, spec) if takes_arguments else []
    if content and not spec.content:
        raise _MarkupError("no content permitted")
    return arguments, options, content


def _parse_arguments(arg_block: list[Line], spec: _Spec) -> list[str]:
    text = "\n".join(line[0] for line in arg_block)
    arguments = text.split()
    if len(arguments) < spec.required:
        raise _MarkupError("argument(s) required")
    if len(arguments) > spec.required + spec.optional:
        if not spec.whitespace:
            raise _MarkupError("too many arguments")
        arguments = text.split(None, spec.required + spec.optional - 1)
    return arguments


def _parse_options(arg_block: list[Line], spec: _Spec) -> tuple[dict[str, Any], list[Line]]:
    """Split the option field list off an argument block and convert it."""
    start = next(
        (n for n, line in enumerate(arg_block) if _FIELD_MARKER.match(line[0])), len(arg_block)
    )
    option_lines, arg_block = arg_block[start:], arg_block[:start]
    fields: list[tuple[str, list[str]]] = []
    for text, _source, _number in option_lines:
        marker = _FIELD_MARKER.match(text)
        if marker:
            raw_name = marker.group()[1:]
            fields.append((raw_name[: raw_name.rfind(":")], [text[marker.end() :]]))
        elif text[:1] == " " and fields:
            fields[-1][1].append(text.strip())
        else:
            raise _MarkupError("invalid option block")
    assert spec.options is not None
    options: dict[str, Any] = {}
    for raw_name, body in fields:
        words = _unescape(raw_name).split()
        if len(words) != 1:
            raise _MarkupError("option name of several words")
        name = words[0].lower()
        convert = spec.options.get(name)
        if convert is None:
            if not spec.any_option:
                raise _MarkupError(f"unknown option: {name}")
            convert = _unchanged
        if name in options:
            raise _MarkupError(f"duplicate option: {name}")
        value = "\n".join(part for part in body if part) or None
        try:
            options[name] = convert(value)
        except (ValueError, TypeError) as error:
            raise _MarkupError(f"invalid option value: {error}") from error
    return options, arg_block


# --------------------------------------------------------------------------
# Trees


def scan_tree(srcdir: str) -> list[Document]:
    """Every document of a source tree, as the directives would record it."""
    tree = SourceTree.load(srcdir)
    return scan_documents(tree)


def scan_documents(tree: SourceTree) -> list[Document]:
    """Every document of a tree, in docname order."""
    return [_DocumentReader(tree, docname, path).read() for docname, path in tree.documents()]


def find_srcdir(path: str) -> str:
    """The source directory of ``path``: the nearest directory upwards with a
    ``conf.py``; without one, the directory itself (or the file's)."""
    start = os.path.abspath(path)
    directory = start if os.path.isdir(start) else os.path.dirname(start)
    candidate = directory
    while True:
        if os.path.isfile(os.path.join(candidate, CONF_FILE)):
            return candidate
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return directory
        candidate = parent


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


@dataclass
class TreeLint:
    """What linting one source tree found, for the paths given inside it."""

    tree: SourceTree
    options: LintOptions
    findings: list[Problem]
    parameter_files: list[str]  # parameters files the stanzas use, under the paths

    def runs(self, code: str) -> bool:
        """Whether rule ``code`` is selected and its warnings not suppressed."""
        selected = select_rules(self.options.select, self.options.ignore)
        return any(rule.code == code for rule in selected) and not self.tree.suppresses(code)


def lint_trees(
    paths: Sequence[str],
    options: LintOptions | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    default_select: Sequence[str] | None = None,
    max_bytes: int | None = None,
) -> list[TreeLint]:
    """Lint the source trees holding ``paths``.

    Each path is a source directory, or a directory or file inside one; the
    whole tree is read (unused entries need every stanza), and findings are
    kept when they lie under one of the paths given, as the build would warn
    about them: ``suppress_warnings`` in ``conf.py`` applies.  ``options``
    replaces what each tree's ``conf.py`` says in ``os_api_ref_lint``;
    ``select`` and ``ignore``, when given, replace just those;
    ``default_select`` is the selection of a tree for which neither
    ``select`` nor ``conf.py`` selects anything (without it, the build's
    default rule set); ``max_bytes``
    replaces ``os_api_ref_max_file_size``.
    """
    by_tree: dict[str, list[str]] = {}
    for path in paths:
        by_tree.setdefault(os.path.realpath(find_srcdir(path)), []).append(os.path.realpath(path))
    results = []
    for srcdir, roots in sorted(by_tree.items()):
        tree = SourceTree.load(srcdir, max_bytes)
        tree_options = replace(options) if options is not None else tree.lint_options
        if select is not None:
            tree_options.select = list(select)
        if ignore is not None:
            tree_options.ignore = list(ignore)
        if not tree_options.select and default_select is not None:
            tree_options.select = list(default_select)
        documents = scan_documents(tree)
        problems = run_lint(documents, SourceCache(tree.max_bytes), tree.srcdir, tree_options)
        files = {
            stanza.file
            for document in documents
            for stanza in document.parameter_stanzas
            if stanza.file and _under(stanza.file, roots)
        }
        results.append(
            TreeLint(
                tree=tree,
                options=tree_options,
                findings=[
                    problem
                    for problem in problems
                    if _under(os.path.realpath(problem.path), roots)
                    and not tree.suppresses(problem.code)
                ],
                parameter_files=sorted(files),
            )
        )
    return results


def lint_paths(
    paths: Sequence[str],
    options: LintOptions | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    max_bytes: int | None = None,
) -> list[Problem]:
    """The findings of :func:`lint_trees`, tree after tree."""
    trees = lint_trees(paths, options, select=select, ignore=ignore, max_bytes=max_bytes)
    return [problem for result in trees for problem in result.findings]
