"""Compare the parameter and status tables of two HTML builds of one tree.

What is compared is what a reader sees: every table whose header row is
Name | In | Type | Description (a parameter table) or Code | Reason (a
status table), row by row and cell by cell, as whitespace-collapsed text.
Both extensions are found the same way, by their header row, so neither
side's class names or node types matter: os-api-ref writes its status codes
as ``<code>`` and puts the table under a "Success" heading, ours writes a
paragraph and a caption, and both read "202 - Accepted".

Why the HTML and not the doctrees: the doctrees differ by design where the
page does not.  os-api-ref's code cell is a node of its own with no text
(only its HTML visitor writes "202 - Accepted"), and ours keeps each table
as compact nodes, descriptions stored once per page, until write time.  A
doctree dump would have to know both extensions' internals and would
compare them rather than the result; the HTML is where both become what a
reader sees, and lxml reads a 2 MB page in well under a second.

Pages are matched by path.  Tables of a page, and rows of a table, are
matched in order: runs of identical ones pair directly, the rest are
paired by what they share (rows by equal cells, tables by equal rows, then
row names), so one extra or missing row (or table) shows as that one, not
as every one after it differing.

A difference that is a deliberate improvement is excused by an entry of
the allow-list (``allowlist.yaml``), which must give its reason; an entry
that excuses nothing is itself reported, so the list cannot go stale.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import lxml.html
import yaml

PARAMETER_HEADERS = ("Name", "In", "Type", "Description")
STATUS_HEADERS = ("Code", "Reason")
KINDS = {PARAMETER_HEADERS: "parameters", STATUS_HEADERS: "status"}
OPTIONAL = " (Optional)"

#: The kinds of difference an allow-list entry may name.
DIFFERENCES = ("changed", "extra-row", "missing-row", "extra-table", "missing-table")


def collapse(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Table:
    """One parameter or status table as text: ``kind`` and its body rows."""

    kind: str
    rows: tuple[tuple[str, ...], ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return PARAMETER_HEADERS if self.kind == "parameters" else STATUS_HEADERS


def _cell_text(element: Any, replacements: Sequence[tuple[str, str]]) -> str:
    # Join text nodes with a space so that block elements (paragraphs, list
    # items) never run together; collapsing makes the extra spaces vanish.
    text = collapse(" ".join(element.itertext()))
    for old, new in replacements:
        text = text.replace(old, new)
    return text


def _children(element: Any, tag: str) -> list[Any]:
    return [child for child in element if child.tag == tag]


def page_tables(html: str, replacements: Sequence[tuple[str, str]] = ()) -> list[Table]:
    """The parameter and status tables of one HTML page, in document order.

    ``replacements`` are applied to every cell (used to replace the
    absolute path of a build's source directory by a placeholder).
    """
    if not html.strip():
        return []
    document = lxml.html.document_fromstring(html)
    tables = []
    for table in document.iter("table"):
        heads = table.xpath("./thead/tr[1]/th")
        kind = KINDS.get(tuple(_cell_text(th, ()) for th in heads))
        if kind is None:
            continue
        rows = [
            tuple(_cell_text(td, replacements) for td in _children(tr, "td"))
            for body in _children(table, "tbody")
            for tr in _children(body, "tr")
        ]
        tables.append(Table(kind, tuple(rows)))
    return tables


def site_tables(
    outdir: Path, replacements: Sequence[tuple[str, str]] = ()
) -> dict[str, list[Table]]:
    """Page path (relative, ``/``-separated) -> its tables, for every page
    of an HTML build that has at least one table."""
    pages = {}
    for path in sorted(outdir.rglob("*.html")):
        relative = path.relative_to(outdir)
        if relative.parts[0].startswith("_"):
            continue  # _static, _sources, _images
        tables = page_tables(path.read_text(encoding="utf-8"), replacements)
        if tables:
            pages[relative.as_posix()] = tables
    return pages


# --------------------------------------------------------------------------
# Alignment

T = TypeVar("T")


def align(
    theirs: Sequence[T],
    ours: Sequence[T],
    score: Callable[[T, T], float],
    key: Callable[[T], object] | None = None,
) -> list[tuple[int | None, int | None]]:
    """Pair the items of two sequences, keeping order.

    If ``key`` is given and the sequences agree on it item for item, they
    pair in order.  Otherwise runs of equal items pair one to one; between
    them, items pair where ``score`` is positive, choosing the pairing with
    the highest total score; everything else is left unpaired (``None`` on
    the other side).
    """
    if key is not None and list(map(key, theirs)) == list(map(key, ours)):
        return [(index, index) for index in range(len(theirs))]
    matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            pairs.extend(_best_pairing(theirs, ours, range(i1, i2), range(j1, j2), score))
    return pairs


def _best_pairing(
    theirs: Sequence[T],
    ours: Sequence[T],
    left: range,
    right: range,
    score: Callable[[T, T], float],
) -> list[tuple[int | None, int | None]]:
    n, m = len(left), len(right)
    scores = [[score(theirs[left[i]], ours[right[j]]) for j in range(m)] for i in range(n)]
    # best[i][j]: the highest total for left[i:] against right[j:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            candidates = [best[i + 1][j], best[i][j + 1]]
            if scores[i][j] > 0:
                candidates.append(scores[i][j] + best[i + 1][j + 1])
            best[i][j] = max(candidates)
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if scores[i][j] > 0 and best[i][j] == scores[i][j] + best[i + 1][j + 1]:
            pairs.append((left[i], right[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((left[i], None))
            i += 1
        else:
            pairs.append((None, right[j]))
            j += 1
    pairs.extend((left[k], None) for k in range(i, n))
    pairs.extend((None, right[k]) for k in range(j, m))
    return pairs


def row_name(row: tuple[str, ...]) -> str:
    """The first cell without its "(Optional)" mark."""
    first = row[0] if row else ""
    return first.removesuffix(OPTIONAL)


def _row_score(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=False)) + (row_name(a) == row_name(b))


def _table_key(table: Table) -> object:
    return table.kind, tuple(map(row_name, table.rows))


Profile = tuple[frozenset[tuple[str, ...]], Counter[str], Counter[tuple[int, str]]]


def _profile(table: Table) -> Profile:
    """A table's rows, row names and (column, cell) pairs, for scoring."""
    cells = Counter((index, cell) for row in table.rows for index, cell in enumerate(row))
    return frozenset(table.rows), Counter(map(row_name, table.rows)), cells


def _share(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def table_scorer() -> Callable[[Table, Table], float]:
    """A score for pairing tables: by kind, then by the rows they share
    whole, then by shared row names, then by shared cells.  Each table's
    profile is computed once per scorer."""
    profiles: dict[Table, Profile] = {}

    def profile(table: Table) -> Profile:
        if table not in profiles:
            profiles[table] = _profile(table)
        return profiles[table]

    def score(a: Table, b: Table) -> float:
        if a.kind != b.kind:
            return 0.0
        (rows_a, names_a, cells_a), (rows_b, names_b, cells_b) = profile(a), profile(b)
        shared = len(rows_a & rows_b)
        return 1.0 + shared + _share(names_a, names_b) / 2 + _share(cells_a, cells_b) / 4

    return score


# --------------------------------------------------------------------------
# Differences


@dataclass(frozen=True)
class Difference:
    """One row (or empty table) that is not the same in both builds.

    ``table`` is the 1-based position of the table on its page (in the
    os-api-ref build, or in ours for an extra table); ``row`` is the row's
    first cell as the side that has it shows it.
    """

    kind: str
    page: str
    table: int
    table_kind: str
    row: str = ""
    columns: tuple[str, ...] = ()
    theirs: tuple[str, ...] = ()
    ours: tuple[str, ...] = ()

    def describe(self) -> str:
        owner = "our" if self.kind.startswith("extra") else "os-api-ref's"
        where = f"{self.page}, {owner} {self.table_kind} table {self.table}"
        if self.kind == "changed":
            cells = "; ".join(
                "{}: os-api-ref {!r} / ours {!r}".format(
                    column, *excerpts(_cell(self.theirs, index), _cell(self.ours, index))
                )
                for column, index in self._column_indexes()
            )
            return f"{where}, row {self.row!r} differs in {cells}"
        if self.kind in ("extra-row", "missing-row"):
            side = "ours only" if self.kind == "extra-row" else "os-api-ref only"
            return f"{where}, row {self.row!r} in {side}: {' | '.join(self.theirs or self.ours)}"
        side = "ours only" if self.kind == "extra-table" else "os-api-ref only"
        return f"{where}: an empty table in {side}"

    def _column_indexes(self) -> list[tuple[str, int]]:
        headers = PARAMETER_HEADERS if self.table_kind == "parameters" else STATUS_HEADERS
        return [(column, headers.index(column)) for column in self.columns]


def excerpts(a: str | None, b: str | None, width: int = 70) -> tuple[str | None, str | None]:
    """Two long texts cut to where they start to differ."""
    if a is None or b is None or max(len(a), len(b)) <= width:
        return a, b
    start = len(os.path.commonprefix([a, b]))
    start = max(0, start - width // 3)

    def cut(text: str) -> str:
        piece = text[start : start + width]
        return ("..." if start else "") + piece + ("..." if start + width < len(text) else "")

    return cut(a), cut(b)


@dataclass
class Counts:
    """Rows of one kind of table: how many were compared and how they came out."""

    compared: int = 0
    identical: int = 0
    allowed: int = 0
    different: int = 0


@dataclass
class Comparison:
    """The outcome for one tree."""

    counts: dict[str, Counts] = field(
        default_factory=lambda: {"parameters": Counts(), "status": Counts()}
    )
    differences: list[Difference] = field(default_factory=list)
    allowed: list[tuple[Difference, AllowEntry]] = field(default_factory=list)
    unused_entries: list[AllowEntry] = field(default_factory=list)

    def summary(self, name: str) -> str:
        parts = []
        for kind, counts in self.counts.items():
            parts.append(
                f"{kind} rows {counts.compared}: {counts.identical} identical, "
                f"{counts.allowed} allow-listed, {counts.different} different"
            )
        return f"{name}: " + "; ".join(parts)


Slot = tuple[Difference | None, str | None]


def _differences(theirs: dict[str, list[Table]], ours: dict[str, list[Table]]) -> Iterator[Slot]:
    """Yield (difference or None, table kind) for every row slot, and a
    difference for every unpaired empty table."""
    scorer = table_scorer()
    for page in sorted(set(theirs) | set(ours)):
        their_tables, our_tables = theirs.get(page, []), ours.get(page, [])
        for ti, oi in align(their_tables, our_tables, scorer, _table_key):
            if ti is not None and oi is not None:
                yield from _table_differences(page, ti + 1, their_tables[ti], our_tables[oi])
                continue
            side, index = ("missing", ti) if ti is not None else ("extra", oi)
            assert index is not None
            table = (their_tables if side == "missing" else our_tables)[index]
            if not table.rows:
                yield Difference(f"{side}-table", page, index + 1, table.kind), None
            for row in table.rows:
                cells = {"theirs" if side == "missing" else "ours": row}
                yield (
                    Difference(
                        f"{side}-row", page, index + 1, table.kind, row[0] if row else "", **cells
                    ),
                    table.kind,
                )


def _table_differences(page: str, number: int, theirs: Table, ours: Table) -> Iterator[Slot]:
    for ri, oi in align(theirs.rows, ours.rows, _row_score):
        if ri is not None and oi is not None:
            a, b = theirs.rows[ri], ours.rows[oi]
            if a == b:
                yield None, theirs.kind
                continue
            columns = tuple(
                header
                for index, header in enumerate(theirs.headers)
                if _cell(a, index) != _cell(b, index)
            )
            yield (
                Difference("changed", page, number, theirs.kind, a[0] if a else "", columns, a, b),
                theirs.kind,
            )
        elif ri is not None:
            row = theirs.rows[ri]
            yield (
                Difference(
                    "missing-row", page, number, theirs.kind, row[0] if row else "", theirs=row
                ),
                theirs.kind,
            )
        else:
            assert oi is not None
            row = ours.rows[oi]
            yield (
                Difference("extra-row", page, number, theirs.kind, row[0] if row else "", ours=row),
                theirs.kind,
            )


def _cell(row: tuple[str, ...], index: int) -> str | None:
    return row[index] if index < len(row) else None


def compare(
    tree: str,
    theirs: dict[str, list[Table]],
    ours: dict[str, list[Table]],
    allowlist: Sequence[AllowEntry],
) -> Comparison:
    """Compare two builds of ``tree`` and sort every difference into
    excused (by an entry of ``allowlist`` for this tree) or not."""
    result = Comparison()
    entries = [entry for entry in allowlist if entry.tree == tree]
    used: set[int] = set()
    for difference, kind in _differences(theirs, ours):
        counts = result.counts[kind] if kind is not None else None
        if counts is not None:
            counts.compared += 1
        if difference is None:
            assert counts is not None
            counts.identical += 1
            continue
        entry = next((e for e in entries if e.matches(difference)), None)
        if entry is None:
            result.differences.append(difference)
            if counts is not None:
                counts.different += 1
        else:
            used.add(id(entry))
            result.allowed.append((difference, entry))
            if counts is not None:
                counts.allowed += 1
    result.unused_entries = [entry for entry in entries if id(entry) not in used]
    return result


# --------------------------------------------------------------------------
# The allow-list

ENTRY_KEYS = {"tree", "page", "difference", "row", "columns", "theirs", "ours", "reason"}


@dataclass(frozen=True)
class AllowEntry:
    """A deliberate difference: which rows it excuses, and why.

    ``tree``, ``page`` and ``difference`` must equal the difference's;
    ``row`` (the first cell), ``columns`` (exactly the differing columns)
    narrow it; ``theirs`` and ``ours`` must occur in that side's row text
    (cells joined by `` | ``).
    """

    tree: str
    page: str
    difference: str
    reason: str
    row: str | None = None
    columns: tuple[str, ...] | None = None
    theirs: str | None = None
    ours: str | None = None

    def matches(self, difference: Difference) -> bool:
        return (
            self.difference == difference.kind
            and self.page == difference.page
            and (self.row is None or self.row == difference.row)
            and (self.columns is None or set(self.columns) == set(difference.columns))
            and (self.theirs is None or self.theirs in " | ".join(difference.theirs))
            and (self.ours is None or self.ours in " | ".join(difference.ours))
        )

    def describe(self) -> str:
        narrow = ", ".join(
            f"{name}={value!r}"
            for name, value in (
                ("row", self.row),
                ("columns", self.columns),
                ("theirs", self.theirs),
                ("ours", self.ours),
            )
            if value is not None
        )
        return f"{self.tree} {self.page} {self.difference}" + (f" ({narrow})" if narrow else "")


class AllowListError(ValueError):
    """The allow-list file is malformed."""


def parse_allowlist(text: str, source: str = "allowlist") -> list[AllowEntry]:
    data = yaml.safe_load(text)
    if data is None:
        return []
    if not isinstance(data, list):
        raise AllowListError(f"{source}: expected a list of entries")
    return [_entry(item, f"{source}: entry {number}") for number, item in enumerate(data, 1)]


def _entry(item: object, where: str) -> AllowEntry:
    if not isinstance(item, dict):
        raise AllowListError(f"{where}: expected a mapping")
    unknown = set(item) - ENTRY_KEYS
    if unknown:
        raise AllowListError(f"{where}: unknown keys {sorted(unknown)}")
    for name in ("tree", "page", "difference", "reason"):
        if not isinstance(item.get(name), str) or not item[name].strip():
            raise AllowListError(f"{where}: {name!r} must be a non-empty string")
    if item["difference"] not in DIFFERENCES:
        raise AllowListError(f"{where}: difference must be one of {', '.join(DIFFERENCES)}")
    for name in ("row", "theirs", "ours"):
        if name in item and not isinstance(item[name], str):
            raise AllowListError(f"{where}: {name!r} must be a string")
    columns = item.get("columns")
    if columns is not None and not (
        isinstance(columns, list) and all(isinstance(c, str) for c in columns)
    ):
        raise AllowListError(f"{where}: 'columns' must be a list of column names")
    return AllowEntry(
        tree=item["tree"],
        page=item["page"],
        difference=item["difference"],
        reason=item["reason"],
        row=item.get("row"),
        columns=tuple(columns) if columns is not None else None,
        theirs=item.get("theirs"),
        ours=item.get("ours"),
    )


def report(comparison: Comparison, tree: str, limit: int = 25) -> str:
    """The failure message for a tree: what differs, and stale entries."""
    lines = [comparison.summary(tree)]
    if comparison.differences:
        lines.append(f"{len(comparison.differences)} difference(s) not in the allow-list")
        if len(comparison.differences) > limit:
            lines.extend(_frequent(comparison.differences))
        lines.append("the first:" if len(comparison.differences) > limit else "they are:")
        lines.extend("  " + d.describe() for d in comparison.differences[:limit])
        if len(comparison.differences) > limit:
            lines.append(f"  ... and {len(comparison.differences) - limit} more")
    if comparison.unused_entries:
        lines.append("allow-list entries that excuse nothing (remove them):")
        lines.extend("  " + entry.describe() for entry in comparison.unused_entries)
    return "\n".join(lines)


def _frequent(differences: Sequence[Difference], top: int = 5) -> list[str]:
    """The texts of ours that differ most often: one cause often explains
    thousands of rows."""
    cells: Counter[str] = Counter()
    for difference in differences:
        if difference.kind == "changed":
            for column, index in difference._column_indexes():
                cells[f"{column} {_cell(difference.ours, index)!r}"] += 1
        else:
            cells[difference.kind] += 1
    common = [(text, count) for text, count in cells.most_common(top) if count > 1]
    if not common:
        return []
    return ["most frequent in ours:"] + [f"  {count} x {text}" for text, count in common]
