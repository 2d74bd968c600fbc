"""Sphinx-free: ``--fix``: rewrite a parameters file in canonical order.

Canonical order is the order rule F010 checks: ``header``, ``path``,
``query``, then ``body`` entries, each group sorted by key regardless of
case (ties keep their order).  The file is cut into blocks and the blocks
are moved, never rewritten, so every comment and every entry's text stays
byte for byte what it was:

* an entry's block is the comment lines right above its key (at the left
  margin: an indented comment belongs to the entry above), its key line,
  and every line up to the next entry's block;
* what comes before the first block (a header comment, ``---``) stays on
  top.

Deleting unused entries (F011, ``--unsafe-fixes``) drops their blocks,
comments above them included.

Anchors (``&name``), aliases (``*name``) and merge keys (``<<: *name``)
move with their blocks untouched.  An alias must come after its anchor;
when the canonical order (or a deletion) would put an alias before its
anchor, or drop the anchor, the file is left as it is and the message
names the alias's and the anchor's lines.  It is not put in some other
order that keeps YAML valid: that order would not be the canonical one
and F010 would still report it.  Renaming or moving the anchor is the
author's call.

A file is left as it is when it cannot be read or parsed, has duplicate
keys, has an entry that is not a mapping or lacks a valid ``in``, has a
merge key at the top level, or when its entries do not each start on a
line of their own.  The new text is loaded again before it is written; if
it does not give the same entries, the file is left untouched too.
"""

from __future__ import annotations

import bisect
import os
import re
import tempfile
from dataclasses import dataclass, field

from os_api_ref_ext.lint.rules._shared import LOCATION_RANK, canonical_key
from os_api_ref_ext.sources import ParameterFile, load_parameter_file

# Line breaks as YAML counts them (PyYAML's reader), so that line numbers
# here are the loader's line numbers.
_LINE = re.compile(r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029]|$)")
_BOM = "\ufeff"


@dataclass
class FixResult:
    """What fixing one file did, or why it was left alone."""

    path: str
    changed: bool = False
    sorted: bool = False
    removed: list[str] = field(default_factory=list)
    refused: str | None = None

    def describe(self, shown_path: str | None = None) -> str:
        """One line for the user, naming the file as ``shown_path``."""
        path = shown_path or self.path
        if self.refused:
            return f"{path}: not fixed: {self.refused}"
        done = []
        if self.sorted:
            done.append("sorted entries by 'in', then by name")
        if self.removed:
            done.append(f"deleted {len(self.removed)} unused entries ({', '.join(self.removed)})")
        return f"{path}: " + ("; ".join(done) if done else "nothing to fix")


def _split_lines(text: str) -> list[str]:
    """Lines with their own line breaks; ''.join() gives the text back."""
    lines = [match.group() for match in _LINE.finditer(text)]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _is_comment(line: str) -> bool:
    """A comment at the left margin; an indented one belongs to the entry above."""
    return line.startswith("#")


def _refusal(loaded: ParameterFile, lines: list[str]) -> str | None:
    """Why a file cannot be reordered safely, or None."""
    if loaded.read_error:
        return loaded.read_error
    if loaded.yaml_error is not None:
        return f"YAML error at line {loaded.yaml_error.line}: {loaded.yaml_error.message}"
    if loaded.empty:
        return "file is empty"
    if loaded.not_mapping:
        return f"top level is a {loaded.not_mapping}, not a mapping"
    if loaded.duplicates:
        keys = ", ".join(sorted({d.key for d in loaded.duplicates}))
        return f"duplicate keys ({keys})"
    if loaded.top_level_merges:
        return f"merge key '<<' at the top level (line {loaded.top_level_merges[0]})"
    invalid = [e.key for e in loaded.order if not e.is_mapping or e.location not in LOCATION_RANK]
    if invalid:
        return f"entries without a valid 'in' ({', '.join(invalid)})"
    previous = 0
    for entry in loaded.order:
        key_line = lines[entry.line - 1] if entry.line <= len(lines) else ""
        if entry.line <= previous or key_line[:1] in (" ", "\t", "{", "?", "-"):
            return "entries do not each start a line at the left margin"
        previous = entry.line
    return None


def _blocks(loaded: ParameterFile, lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """The preamble and each entry's block of lines, in file order."""
    starts = []
    floor = 0
    for entry in loaded.order:
        start = entry.line - 1
        while start - 1 >= floor and _is_comment(lines[start - 1]):
            start -= 1
        starts.append(start)
        floor = entry.line
    ends = starts[1:] + [len(lines)]
    return lines[: starts[0]], [lines[start:end] for start, end in zip(starts, ends, strict=True)]


def _alias_refusal(
    loaded: ParameterFile, first_lines: list[int], kept: list[int], removed: list[str]
) -> str | None:
    """Why the blocks in the order ``kept`` (indices into the file's
    blocks, which start at ``first_lines``) would break an alias, or None."""
    position = {block: place for place, block in enumerate(kept)}

    def block_of(line: int) -> int:
        return bisect.bisect_right(first_lines, line) - 1  # -1: the preamble

    for use in loaded.aliases:
        user, anchored = block_of(use.line), block_of(use.anchor_line)
        if user == anchored or user not in position or anchored == -1:
            continue
        where = f"alias *{use.anchor} (line {use.line})"
        anchor = f"its anchor &{use.anchor} (line {use.anchor_line})"
        if anchored not in position:
            key = loaded.order[anchored].key
            return f"deleting {key!r} would drop {anchor}, which the {where} uses"
        if position[anchored] > position[user]:
            return f"sorting would put the {where} before {anchor}"
    return None


def _newline(lines: list[str]) -> str:
    for line in lines:
        stripped = line.rstrip("\r\n\x85\u2028\u2029")
        if stripped != line:
            return line[len(stripped) :]
    return "\n"


def _same_entries(before: ParameterFile, after: ParameterFile, removed: set[str]) -> bool:
    def summary(loaded: ParameterFile) -> dict[str, dict[str, object]]:
        return {
            entry.key: {name: value.value for name, value in entry.fields.items()}
            for entry in loaded.order
        }

    expected = {key: value for key, value in summary(before).items() if key not in removed}
    return after.yaml_error is None and not after.duplicates and summary(after) == expected


def fix_parameters_file(path: str, sort: bool = True, remove: set[str] | None = None) -> FixResult:
    """Sort a parameters file and/or delete the entries named in ``remove``."""
    remove = remove or set()
    result = FixResult(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        result.refused = f"cannot read: {error}"
        return result
    bom = _BOM if text.startswith(_BOM) else ""
    lines = _split_lines(text[len(bom) :])
    loaded = load_parameter_file(path)
    result.refused = _refusal(loaded, lines)
    if result.refused:
        return result

    preamble, blocks = _blocks(loaded, lines)
    kept = [index for index, entry in enumerate(loaded.order) if entry.key not in remove]
    result.removed = [entry.key for entry in loaded.order if entry.key in remove]
    if sort:
        ordered = sorted(kept, key=lambda index: canonical_key(loaded.order[index]))
        result.sorted = ordered != kept
        kept = ordered
    if not result.sorted and not result.removed:
        return result
    first_lines = [len(preamble) + 1]
    for block in blocks[:-1]:
        first_lines.append(first_lines[-1] + len(block))
    result.refused = _alias_refusal(loaded, first_lines, kept, result.removed)
    if result.refused:
        result.sorted, result.removed = False, []
        return result
    pairs = [(loaded.order[index], blocks[index]) for index in kept]

    newline = _newline(lines)
    ends_with_break = bool(lines) and lines[-1] != lines[-1].rstrip("\r\n\x85\u2028\u2029")
    out = list(preamble)
    for _entry, block in pairs:
        block = list(block)
        if block and block[-1] == block[-1].rstrip("\r\n\x85\u2028\u2029"):
            block[-1] += newline  # the old last block, now followed by another
        out.extend(block)
    new_text = "".join(out)
    if not ends_with_break and new_text.endswith(newline):
        new_text = new_text[: -len(newline)]

    after = _load_text(bom + new_text)
    if not _same_entries(loaded, after, set(result.removed)):
        result.refused = "the reordered file would not load to the same entries"
        result.sorted, result.removed = False, []
        return result
    _write(path, (bom + new_text).encode("utf-8"))
    result.changed = True
    return result


def _load_text(text: str) -> ParameterFile:
    """Load text as a parameters file (the loader reads files)."""
    descriptor, temporary = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(text.encode("utf-8"))
        return load_parameter_file(temporary)
    finally:
        os.unlink(temporary)


def _write(path: str, data: bytes) -> None:
    """Replace a file's content, keeping its permissions."""
    directory = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
