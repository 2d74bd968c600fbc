"""Sphinx-free: find a documentation project and read what its ``conf.py`` says.

The command-line linter's counterpart of Sphinx's configuration and
project: the source directory above a path, the literal assignments of
``conf.py`` (read with :mod:`ast`, never executed), and the documents of
the tree as Sphinx finds them.  Every file is read through
:func:`~os_api_ref_ext.sources.read_bytes`, so no special file or oversized
file is read.
"""

from __future__ import annotations

import ast
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from os_api_ref_ext.lint.context import LintOptions
from os_api_ref_ext.reads import DEFAULT_MAX_FILE_SIZE, max_file_size, read_bytes

CONF_FILE = "conf.py"
#: The type of the build's lint warnings (``suppress_warnings`` entries
#: ``os-api-ref`` and ``os-api-ref.<code>`` silence them).
WARNING_TYPE = "os-api-ref"
#: Directories never searched for documents, besides hidden ones.
SKIPPED_DIRS = ("_build",)
#: Patterns Sphinx always excludes (``sphinx.project.EXCLUDE_PATHS``).
_SPHINX_EXCLUDES = ("**/_sources", ".#*", "**/.#*", "*.lproj/**")


def read_source(path: str, max_bytes: int, errors: str = "strict") -> str | None:
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


def read_conf(path: str, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> dict[str, Any]:
    """The literal top-level assignments of a ``conf.py``, without running it.

    ``name = <literal>`` and ``name += <literal>`` are understood; anything
    computed is ignored.
    """
    text = read_source(path, max_bytes)
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
