"""The bad-input catalogue: load its cases, lay them out, build them, read the results.

``tests/fixtures/bad/cases.yaml`` describes each case as a few files that
replace or join the valid tree in ``tests/fixtures/bad/base/``; inputs too
big to keep in the repository are made here by the generators in
:data:`GENERATORS`.  The helpers build a tree in-process with Sphinx's
testing application, split its warnings into (code, file, line), and
describe the rendered page in ways the tests can compare: the shape of each
operation's tables, and every piece of active content (scripts, event
handlers, script URLs) on it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx_versions import WARNING_TYPES_SHOWN, strict_app

FIXTURES = Path(__file__).parent / "fixtures" / "bad"
BASE = FIXTURES / "base"
CASES_FILE = FIXTURES / "cases.yaml"


# --------------------------------------------------------------------------
# Generated inputs


def long_url() -> str:
    """An operation whose URL is 10,000 characters long, with an unclosed brace."""
    url = "/v2/{case_id/" + "a" * (10_000 - len("/v2/{case_id/"))
    assert len(url) == 10_000
    return f"List cases\n==========\n\n.. rest_method:: GET {url}\n"


def _laughs() -> str:
    """Ten levels of aliases, each nine times the one before ("billion laughs").

    Fully expanded that is 9**10 strings; ``lol4`` (the fifth line) is the
    first to pass the loader's limit of 10,000 extra nodes.
    """
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return "\n".join(lines) + "\n"


def billion_laughs() -> str:
    """The valid ``case`` entry, then an alias bomb (lines 6-15)."""
    entry = "case:\n  description: The case.\n  in: body\n  required: true\n  type: object\n"
    return entry + _laughs()


def billion_laughs_status() -> str:
    """A valid 404, then an alias bomb (lines 3-12)."""
    return "404:\n  default: The case could not be found.\n" + _laughs()


DEEP_YAML_LEVELS = 900


def deep_yaml() -> str:
    """A description nested 900 flow sequences deep (libyaml refuses 1,000)."""
    nested = "[" * DEEP_YAML_LEVELS + "]" * DEEP_YAML_LEVELS
    return f"case:\n  description: {nested}\n  in: body\n  required: true\n  type: object\n"


TEN_MB_ENTRIES = 10_000
TEN_MB_DESCRIPTION_LINES = 10
TEN_MB_LINE = "x" * 96


def ten_megabytes() -> str:
    """About 10 MB: 10,000 valid entries, the last with ``required: "yes"``.

    Each padding entry takes 15 lines, so after the 5-line ``case`` entry
    the last entry starts at line 5 + 15 * 9,999 + 1 = 149,991 and its
    ``required`` is 13 lines further down, at line 150,004.
    """
    parts = ["case:\n  description: The case.\n  in: body\n  required: true\n  type: object\n"]
    body = "".join(f"    {TEN_MB_LINE}\n" for _ in range(TEN_MB_DESCRIPTION_LINES))
    for number in range(TEN_MB_ENTRIES):
        required = '"yes"' if number == TEN_MB_ENTRIES - 1 else "false"
        parts.append(
            f"zz{number:05d}:\n  description: |\n{body}"
            f"  in: body\n  required: {required}\n  type: string\n"
        )
    text = "".join(parts)
    assert len(text.encode()) >= 10_000_000
    return text


DEEP_JSON_LEVELS = 10_000


def deep_json() -> str:
    """A JSON sample nested 10,000 arrays deep, on one line."""
    return "[" * DEEP_JSON_LEVELS + "]" * DEEP_JSON_LEVELS + "\n"


#: The ``os_api_ref_max_file_size`` of the over-limit cases (the base
#: tree's own files are all smaller).
SMALL_LIMIT = 4096


def over_limit_parameters() -> str:
    """The valid ``case`` entry, then comment lines up past :data:`SMALL_LIMIT`."""
    entry = "case:\n  description: The case.\n  in: body\n  required: true\n  type: object\n"
    text = entry + "# Padding.\n" * (SMALL_LIMIT // 10)
    assert len(text.encode()) > SMALL_LIMIT
    return text


def over_limit_sample() -> str:
    """A valid sample with a string long enough to pass :data:`SMALL_LIMIT`."""
    return json.dumps({"case": {"notes": "x" * SMALL_LIMIT}}) + "\n"


GENERATORS: dict[str, Callable[[], str]] = {
    "over_limit_parameters": over_limit_parameters,
    "over_limit_sample": over_limit_sample,
    "long_url": long_url,
    "billion_laughs": billion_laughs,
    "billion_laughs_status": billion_laughs_status,
    "deep_yaml": deep_yaml,
    "ten_megabytes": ten_megabytes,
    "deep_json": deep_json,
}


# --------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class Expected:
    """A finding: rule code, file relative to the source directory, line."""

    code: str
    path: str
    line: int


#: Keys of a file spec that make something other than a regular file.
SPECIAL_KINDS = ("symlink", "fifo", "socket")


@dataclass
class Case:
    id: str
    files: dict[str, object]
    expect: list[Expected]
    operations: int = 0
    cli: bool = True
    notes: list[str] = field(default_factory=list)  # "File not shown" notes on the page

    @property
    def special(self) -> bool:
        """Whether the case lays out a symlink, a FIFO or a socket."""
        return any(
            isinstance(spec, dict) and any(kind in spec for kind in SPECIAL_KINDS)
            for spec in self.files.values()
        )


def load_cases() -> list[Case]:
    raw = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    cases = [
        Case(
            id=item["id"],
            files=item.get("files", {}),
            expect=[Expected(code, path, line) for code, path, line in item["expect"]],
            operations=item.get("operations", 0),
            cli=item.get("cli", True),
            notes=item.get("notes", []),
        )
        for item in raw
    ]
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases


_NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def _file_bytes(spec: object) -> bytes:
    if isinstance(spec, str):
        return spec.encode("utf-8")
    assert isinstance(spec, dict), spec
    text = GENERATORS[spec["generate"]]() if "generate" in spec else spec["text"]
    text = text.replace("\n", _NEWLINES[spec.get("newline", "lf")])
    return text.encode(spec.get("encoding", "utf-8"))


def make_special(target: Path, spec: dict[str, Any]) -> None:
    """Put a directory, a symlink, a FIFO or a socket at ``target``."""
    if target.exists() or target.is_symlink():
        target.unlink()
    if spec.get("directory"):
        target.mkdir()
    elif "symlink" in spec:
        target.symlink_to(spec["symlink"])
    elif spec.get("fifo"):
        os.mkfifo(target)
    else:
        assert spec.get("socket"), spec
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(target))  # the socket file stays when it closes


def materialize(case: Case | None, root: Path) -> Path:
    """Lay out the base tree with the case's files under ``root``; return the srcdir."""
    srcdir = root / "src"
    shutil.copytree(BASE, srcdir)
    for relative, spec in (case.files if case else {}).items():
        target = Path(os.path.normpath(srcdir / relative))
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, dict) and any(k in spec for k in ("directory", *SPECIAL_KINDS)):
            make_special(target, spec)
        else:
            target.write_bytes(_file_bytes(spec))
    return srcdir


def run_bounded(function: Callable[..., Any], *args: Any, seconds: float) -> Any:
    """``function(*args)`` in a forked child, killed after ``seconds``.

    A regression that blocks on a FIFO or reads ``/dev/zero`` for ever
    then fails its test with ``multiprocessing.TimeoutError`` instead of
    hanging the suite.  The result comes back pickled.
    """
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply_async(function, args).get(timeout=seconds)


# --------------------------------------------------------------------------
# Building and warnings


@dataclass(frozen=True)
class Warning_:
    """One warning line: where, what, and our rule code when it is ours."""

    path: str
    line: int
    message: str
    code: str | None


_WARNING = re.compile(r"^(?:(?P<path>.*?):(?P<line>\d+): )?(?P<level>WARNING|ERROR|CRITICAL): ")
_OUR_CODE = re.compile(r" \[(?:os-api-ref\.)?(?P<code>[A-Z]\d{3}|docutils)\]$")


def _unmarked(message: str) -> str | None:
    """The code of a warning that ends with no type: none from Sphinx 8 on,
    where every warning shows its type.  Before Sphinx 8 docutils' warnings
    show none, and neither do Sphinx's own, so there the check that nothing
    but our findings and docutils warns cannot tell them apart; the
    extension's own non-rule warnings start with its configuration name."""
    if WARNING_TYPES_SHOWN or message.startswith("os_api_ref_lint"):
        return None
    return "docutils"


def relative_path(path: str, srcdir: Path) -> str:
    if not path:
        return ""
    if path.startswith("<"):
        return path
    return os.path.relpath(os.path.abspath(path), srcdir).replace(os.sep, "/")


def parse_warnings(text: str, srcdir: Path) -> list[Warning_]:
    """Every warning in Sphinx's warning output, with paths relative to srcdir."""
    found = []
    for line in strip_colors(text).splitlines():
        match = _WARNING.match(line)
        if not match:
            continue
        message = line[match.end() :]
        code = _OUR_CODE.search(message)
        found.append(
            Warning_(
                path=relative_path(match.group("path") or "", srcdir),
                line=int(match.group("line") or 0),
                message=message,
                code=code.group("code") if code else _unmarked(message),
            )
        )
    return found


@dataclass
class BuildResult:
    statuscode: int
    warnings: list[Warning_]
    outdir: Path
    raw_warnings: str = ""
    status: str = ""

    def findings(self) -> set[Expected]:
        """Our findings, and docutils' warnings under the code ``docutils``."""
        return {Expected(w.code, w.path, w.line) for w in self.warnings if w.code}

    def foreign(self) -> list[Warning_]:
        """Warnings that are neither our findings nor docutils' own."""
        return [w for w in self.warnings if not w.code]


def build(
    srcdir: Path,
    *,
    warningiserror: bool = False,
    builddir: Path | None = None,
    buildername: str = "html",
) -> BuildResult:
    """A fresh in-process build of ``srcdir`` (HTML unless told otherwise)."""
    builddir = builddir or srcdir.parent / ("build-W" if warningiserror else "build")
    options: dict[str, Any] = {"srcdir": srcdir, "builddir": builddir, "freshenv": True}
    if warningiserror:
        app = strict_app(SphinxTestApp, buildername, **options)
    else:
        app = SphinxTestApp(buildername, **options)
    try:
        app.build()
        raw = app.warning.getvalue()
        return BuildResult(
            statuscode=app.statuscode,
            warnings=parse_warnings(raw, srcdir),
            outdir=Path(app.outdir),
            raw_warnings=raw,
            status=app.status.getvalue(),
        )
    finally:
        app.cleanup()


# --------------------------------------------------------------------------
# Reading the page


@dataclass(frozen=True)
class OperationShape:
    """What one operation of the page shows: its signature and its tables."""

    signature: str
    tables: tuple[tuple[str, int], ...]  # (table kind, number of body rows)


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.get_text(" ").split())


def read_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def operation_shapes(soup: BeautifulSoup) -> list[OperationShape]:
    """Each operation section of the page, in order."""
    shapes = []
    for section in soup.select("section.api-operation-section"):
        summary = section.select_one("summary.api-operation-summary")
        tables = []
        for table in section.find_all("table"):
            kind = next(
                (c for c in table.get("class", []) if c.startswith("api-")),
                "other",
            )
            rows = table.select("tbody > tr")
            tables.append((kind, len(rows)))
        shapes.append(OperationShape(_text(summary) if summary else "", tuple(tables)))
    return shapes


def refused_notes(soup: BeautifulSoup) -> list[str]:
    """The text of each note shown in place of a file that was not read."""
    return [_text(note) for note in soup.select("p.api-file-refused")]


def operation_count(soup: BeautifulSoup) -> int:
    return len(soup.select("details.api-operation"))


_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def active_content(soup: BeautifulSoup) -> set[tuple[str, ...]]:
    """Every script, event handler, embedded object or script URL on a page."""
    found: set[tuple[str, ...]] = set()
    for element in soup.find_all(True):
        name = element.name
        if name == "script":
            # Without the "?v=checksum" Sphinx adds, which follows the file.
            source = str(element.get("src", "")).split("?")[0]
            found.add(("script", source, element.get_text()))
        elif name in ("iframe", "object", "embed", "base"):
            found.add((name, json.dumps(element.attrs, sort_keys=True, default=str)))
        for attribute, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower().startswith("on"):
                found.add(("handler", name, attribute, text))
            elif attribute.lower() in _URL_ATTRIBUTES and _UNSAFE_SCHEME.match(
                _CONTROL.sub("", text)
            ):
                found.add(("url", name, attribute, text))
    return found
