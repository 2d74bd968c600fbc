"""The Block Storage API v2 reference in api-ref/source, built as ``tox -e api-ref`` builds it.

The source tree is built in place (the theme asks git about it, so it must
stay inside this checkout) into temporary output and doctree directories,
each build in its own ``sphinx`` process.  The tests check the exit status
and warnings, the published layout, reproducibility, and the rendered
operations, parameter tables, status tables and samples against the
behaviour of the API (see FACTS.md of the issue).
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "api-ref" / "source"
SAMPLES = SOURCE / "v2" / "samples"
BASE_URL = "https://developer.openstack.org/api-ref/block-storage/"

# The openstackdocs theme writes the build time into every page ("this page
# last updated: 2026-01-31 12:00:00" and the bug-report link's "Release: on
# 2026-01-31 12:00:00"); nothing else may differ between two builds.
TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?\b")

Row = tuple[str, str, str, bool]
"""A parameter table row: name, in, type and whether it is optional."""


@dataclass(frozen=True)
class Operation:
    """What the reference must show for one operation."""

    title: str
    method: str
    url: str
    status: dict[str, list[str]]
    """Status table caption -> codes with their names, in table order."""
    parameters: dict[str, list[Row]]
    """Heading of the section holding a parameter table -> its rows."""
    samples: dict[str, str]
    """Heading of the section holding a sample -> the sample's file name."""


LIST_QUERY: list[Row] = [
    ("tenant_id", "path", "string", False),
    ("all_tenants", "query", "boolean", True),
    ("limit", "query", "integer", True),
    ("marker", "query", "string", True),
    ("offset", "query", "integer", True),
    ("sort_dir", "query", "string", True),
    ("sort_key", "query", "string", True),
]
TENANT_AND_SNAPSHOT: list[Row] = [
    ("tenant_id", "path", "string", False),
    ("snapshot_id", "path", "string", False),
]
SNAPSHOT_FIELDS: list[Row] = [
    ("created_at", "body", "string", False),
    ("description", "body", "string", False),
    ("id", "body", "string", False),
    ("metadata", "body", "object", False),
    ("name", "body", "string", False),
    ("size", "body", "integer", False),
    ("status", "body", "string", False),
    ("volume_id", "body", "string", False),
]
DETAIL_FIELDS: list[Row] = [
    ("created_at", "body", "string", False),
    ("description", "body", "string", False),
    ("id", "body", "string", False),
    ("metadata", "body", "object", False),
    ("name", "body", "string", False),
    ("os-extended-snapshot-attributes:progress", "body", "string", False),
    ("os-extended-snapshot-attributes:project_id", "body", "string", False),
    ("size", "body", "integer", False),
    ("status", "body", "string", False),
    ("volume_id", "body", "string", False),
]
SNAPSHOTS: Row = ("snapshots", "body", "array", False)
SNAPSHOT: Row = ("snapshot", "body", "object", False)
METADATA: Row = ("metadata", "body", "object", False)

OK = ["200 - OK"]
ACCEPTED = ["202 - Accepted"]
READ_ERRORS = ["401 - Unauthorized", "403 - Forbidden", "404 - Not Found"]
LIST_ERRORS = ["400 - Bad Request", "401 - Unauthorized", "403 - Forbidden"]
WRITE_ERRORS = ["400 - Bad Request", *READ_ERRORS]

# In page order.  The author's source put "Create snapshot" between the two
# list calls; the list calls now come first so that the methods of
# /v2/{tenant_id}/snapshots are in GET, POST order (lint rule O004).
OPERATIONS = [
    Operation(
        title="List snapshots with details",
        method="GET",
        url="/v2/{tenant_id}/snapshots/detail",
        status={"Success": OK, "Error": LIST_ERRORS},
        parameters={
            "Request": LIST_QUERY,
            "Response Parameters": [SNAPSHOTS, *DETAIL_FIELDS],
        },
        samples={"Response Example": "snapshots-list-detailed-response.json"},
    ),
    Operation(
        title="List snapshots",
        method="GET",
        url="/v2/{tenant_id}/snapshots",
        status={"Success": OK, "Error": LIST_ERRORS},
        parameters={
            "Request": LIST_QUERY,
            "Response Parameters": [SNAPSHOTS, *SNAPSHOT_FIELDS],
        },
        samples={"Response Example": "snapshots-list-response.json"},
    ),
    Operation(
        title="Create snapshot",
        method="POST",
        url="/v2/{tenant_id}/snapshots",
        status={
            "Success": ACCEPTED,
            # The phrase is Python's (as os-api-ref's is): "Content Too Large"
            # from Python 3.13 on, "Request Entity Too Large" before.
            "Error": [*WRITE_ERRORS, f"413 - {HTTPStatus(413).phrase}"],
        },
        parameters={
            "Request": [
                ("tenant_id", "path", "string", False),
                ("snapshot", "body", "object", False),
                ("description", "body", "string", True),
                ("force", "body", "boolean", True),
                ("metadata", "body", "object", True),
                ("name", "body", "string", True),
                ("volume_id", "body", "string", False),
            ],
            "Response Parameters": [SNAPSHOT, *SNAPSHOT_FIELDS],
        },
        samples={
            "Request Example": "snapshot-create-request.json",
            "Response Example": "snapshot-create-response.json",
        },
    ),
    Operation(
        title="Show snapshot metadata",
        method="GET",
        url="/v2/{tenant_id}/snapshots/{snapshot_id}/metadata",
        status={"Success": OK, "Error": READ_ERRORS},
        parameters={
            "Request": TENANT_AND_SNAPSHOT,
            "Response Parameters": [METADATA],
        },
        samples={"Response Example": "snapshot-metadata-show-response.json"},
    ),
    Operation(
        title="Update snapshot metadata",
        method="PUT",
        url="/v2/{tenant_id}/snapshots/{snapshot_id}/metadata",
        status={"Success": OK, "Error": WRITE_ERRORS},
        parameters={
            "Request": [*TENANT_AND_SNAPSHOT, METADATA],
            "Response Parameters": [METADATA],
        },
        samples={
            "Request Example": "snapshot-metadata-update-request.json",
            "Response Example": "snapshot-metadata-update-response.json",
        },
    ),
    Operation(
        title="Show snapshot details",
        method="GET",
        url="/v2/{tenant_id}/snapshots/{snapshot_id}",
        status={"Success": OK, "Error": READ_ERRORS},
        parameters={
            "Request": TENANT_AND_SNAPSHOT,
            "Response Parameters": [SNAPSHOT, *DETAIL_FIELDS],
        },
        samples={"Response Example": "snapshot-show-response.json"},
    ),
    Operation(
        title="Update snapshot",
        method="PUT",
        url="/v2/{tenant_id}/snapshots/{snapshot_id}",
        status={"Success": OK, "Error": WRITE_ERRORS},
        parameters={
            "Request": [
                *TENANT_AND_SNAPSHOT,
                ("snapshot", "body", "object", False),
                ("description", "body", "string", True),
                ("name", "body", "string", True),
            ],
            "Response Parameters": [SNAPSHOT, *SNAPSHOT_FIELDS],
        },
        samples={
            "Request Example": "snapshot-update-request.json",
            "Response Example": "snapshot-update-response.json",
        },
    ),
    Operation(
        title="Delete snapshot",
        method="DELETE",
        url="/v2/{tenant_id}/snapshots/{snapshot_id}",
        status={"Success": ACCEPTED, "Error": READ_ERRORS},
        parameters={"Request": TENANT_AND_SNAPSHOT},
        samples={},
    ),
]


@dataclass(frozen=True)
class Build:
    """One finished ``sphinx`` run."""

    outdir: Path
    returncode: int
    stdout: str
    stderr: str


def tox_api_ref_arguments() -> list[str]:
    """The arguments ``tox -e api-ref`` gives ``sphinx-build``."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(REPO / "tox.ini", encoding="utf-8")
    for line in tox["testenv:api-ref"]["commands"].splitlines():
        words = shlex.split(line)
        if words and words[0] == "sphinx-build":
            return words[1:]
    raise AssertionError("tox.ini [testenv:api-ref] runs no sphinx-build")


def run_sphinx(arguments: list[str], outdir: Path, *, preamble: str = "") -> Build:
    """Run Sphinx in a new process from the repository root.

    ``preamble`` is Python run before Sphinx starts, in the same process.
    """
    script = (
        f"{preamble}\nimport sys\nfrom sphinx.cmd.build import main\nsys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Build(outdir, done.returncode, done.stdout, done.stderr)


def build_like_tox(outdir: Path, doctrees: Path, *extra: str, preamble: str = "") -> Build:
    """The tox api-ref command with its output directory replaced by ``outdir``."""
    arguments = tox_api_ref_arguments()
    assert arguments[-2:] == ["api-ref/source", "api-ref/build/html"], arguments
    return run_sphinx(
        [*arguments[:-1], str(outdir), "-d", str(doctrees), *extra],
        outdir,
        preamble=preamble,
    )


def assert_clean(build: Build) -> None:
    assert (build.returncode, build.stderr) == (0, ""), build.stderr
    assert "WARNING" not in build.stdout


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    """Two builds of the reference, each from scratch into its own directory."""
    root = tmp_path_factory.mktemp("api-ref")
    return (
        build_like_tox(root / "first" / "html", root / "first" / "doctrees"),
        build_like_tox(root / "second" / "html", root / "second" / "doctrees"),
    )


@pytest.fixture(scope="module")
def build(builds: tuple[Build, Build]) -> Build:
    return builds[0]


@pytest.fixture(scope="module")
def page(build: Build) -> BeautifulSoup:
    """The built v2/index.html, where the operations are."""
    return BeautifulSoup((build.outdir / "v2" / "index.html").read_text(encoding="utf-8"), "lxml")


def text_of(tag: Tag) -> str:
    return " ".join(tag.get_text().split())


def own_text(heading: Tag) -> str:
    """A heading's text without its permalink."""
    return "".join(heading.find_all(string=True, recursive=False)).strip()


def operation_sections(page: BeautifulSoup) -> list[Tag]:
    return page.find_all("section", class_="api-operation-section")


def operation_section(page: BeautifulSoup, title: str) -> Tag:
    found = [
        section
        for section in operation_sections(page)
        if own_text(section.find(class_="api-operation-title")) == title
    ]
    assert len(found) == 1, title
    return found[0]


def subsections(operation: Tag) -> list[tuple[str, Tag]]:
    """(heading, section) of each section in an operation's body."""
    body = operation.find("div", class_="api-operation-body")
    return [
        (own_text(section.find(["h3", "h4", "h5", "h6"])), section)
        for section in body.find_all("section", recursive=False)
    ]


def parameter_row(row: Tag) -> Row:
    name, where, kind, _description = row.find_all("td", recursive=False)
    optional = name.find("span", class_="api-optional") is not None
    label = text_of(name)
    if optional:
        assert label.endswith(" (Optional)"), label
        label = label.removesuffix(" (Optional)")
    return (label, text_of(where), text_of(kind), optional)


def normalised(path: Path) -> bytes:
    if path.suffix != ".html":
        return path.read_bytes()
    return TIMESTAMP.sub("<timestamp>", path.read_text(encoding="utf-8")).encode()


def test_tox_api_ref_builds_without_warnings(build: Build) -> None:
    assert tox_api_ref_arguments()[:4] == ["-W", "--keep-going", "-j", "auto"]
    assert_clean(build)
    # In this git checkout the OpenStack theme finds the repository: it
    # logs "[openstackdocstheme] cannot ..." when it finds no git top
    # directory (an info line) or no commit (a warning).
    if importlib.util.find_spec("openstackdocstheme") is not None:
        assert "[openstackdocstheme] using theme from" in build.stdout
        assert "[openstackdocstheme] cannot" not in build.stdout


def test_build_writes_the_published_pages(build: Build) -> None:
    assert (build.outdir / "index.html").is_file()
    assert (build.outdir / "v2" / "index.html").is_file()


def test_two_clean_builds_write_the_same_files(builds: tuple[Build, Build]) -> None:
    first, second = builds
    assert_clean(second)
    files = sorted(p.relative_to(first.outdir) for p in first.outdir.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(second.outdir) for p in second.outdir.rglob("*") if p.is_file()
    )
    assert any(f.suffix == ".html" for f in files)
    differing = [f for f in files if normalised(first.outdir / f) != normalised(second.outdir / f)]
    assert differing == []


@pytest.mark.parametrize("page_path", ["index.html", "v2/index.html"])
def test_pages_link_to_their_canonical_url(build: Build, page_path: str) -> None:
    soup = BeautifulSoup((build.outdir / page_path).read_text(encoding="utf-8"), "lxml")
    links = soup.find_all("link", rel="canonical")
    assert [link["href"] for link in links] == [BASE_URL + page_path]


def test_the_eight_operations_in_order(page: BeautifulSoup) -> None:
    found = []
    for section in operation_sections(page):
        summary = section.find("details", class_="api-operation").find("summary")
        found.append(
            (
                text_of(summary.find("span", class_="api-method")),
                text_of(summary.find("code", class_="api-url")).replace(" ", ""),
                own_text(summary.find(class_="api-operation-title")),
            )
        )
    assert found == [(op.method, op.url, op.title) for op in OPERATIONS]


@pytest.mark.parametrize("expected", OPERATIONS, ids=lambda op: op.title)
def test_parameter_tables(page: BeautifulSoup, expected: Operation) -> None:
    tables = {}
    for heading, section in subsections(operation_section(page, expected.title)):
        for table in section.find_all("table", class_="api-parameters"):
            assert [text_of(th) for th in table.thead.find_all("th")] == [
                "Name",
                "In",
                "Type",
                "Description",
            ]
            rows = table.tbody.find_all("tr", recursive=False)
            assert all(text_of(row.find_all("td")[-1]) for row in rows), "empty description"
            assert heading not in tables, heading
            tables[heading] = [parameter_row(row) for row in rows]
    assert tables == expected.parameters


@pytest.mark.parametrize("expected", OPERATIONS, ids=lambda op: op.title)
def test_status_tables(page: BeautifulSoup, expected: Operation) -> None:
    tables = {}
    for table in operation_section(page, expected.title).find_all(
        "table", class_="api-status-codes"
    ):
        rows = [row.find_all("td") for row in table.tbody.find_all("tr", recursive=False)]
        assert all(text_of(reason) for _code, reason in rows), "empty reason"
        tables[text_of(table.caption)] = [text_of(code) for code, _reason in rows]
    assert tables == expected.status


@pytest.mark.parametrize("expected", OPERATIONS, ids=lambda op: op.title)
def test_samples(page: BeautifulSoup, expected: Operation) -> None:
    shown = {}
    for heading, section in subsections(operation_section(page, expected.title)):
        blocks = section.find_all("pre")
        if blocks:
            assert len(blocks) == 1, heading
            shown[heading] = blocks[0].get_text()
    assert sorted(shown) == sorted(expected.samples)
    for heading, file_name in expected.samples.items():
        on_disk = (SAMPLES / file_name).read_text(encoding="utf-8")
        assert shown[heading] == on_disk, file_name
        assert json.loads(shown[heading]) == json.loads(on_disk)


def test_every_sample_is_included() -> None:
    included = [name for op in OPERATIONS for name in op.samples.values()]
    assert sorted(included) == sorted(p.name for p in SAMPLES.glob("*"))
    assert len(set(included)) == len(included)


def test_builds_without_warnings_on_the_default_theme(tmp_path: Path) -> None:
    """Without openstackdocstheme installed, conf.py falls back to alabaster."""
    build = build_like_tox(
        tmp_path / "html",
        tmp_path / "doctrees",
        # An entry of None in sys.modules makes ``import openstackdocstheme``
        # raise ImportError, as if the package were not installed.
        preamble="import sys; sys.modules['openstackdocstheme'] = None",
    )
    assert_clean(build)
    html = (build.outdir / "v2" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    assert "openstackdocs" not in html
    assert any("alabaster.css" in link["href"] for link in soup.find_all("link", rel="stylesheet"))
    assert len(operation_sections(soup)) == len(OPERATIONS)
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [
        BASE_URL + "v2/index.html"
    ]


def test_build_with_every_lint_rule_has_no_warnings(tmp_path: Path) -> None:
    """conf.py plus ``os_api_ref_lint = {"select": ["ALL"]}``: no finding."""
    confdir = tmp_path / "conf"
    confdir.mkdir()
    real = SOURCE / "conf.py"
    (confdir / "conf.py").write_text(
        f"from pathlib import Path\n"
        f"_conf = Path({str(real)!r})\n"
        f"exec(compile(_conf.read_text(encoding='utf-8'), str(_conf), 'exec'))\n"
        f"os_api_ref_lint = {{'select': ['ALL']}}\n",
        encoding="utf-8",
    )
    build = build_like_tox(tmp_path / "html", tmp_path / "doctrees", "-c", str(confdir))
    assert_clean(build)


@pytest.mark.skipif(
    importlib.util.find_spec("os_api_ref_ext.lint.cli") is None,
    reason="the os-api-ref-lint command line is not there yet",
)
def test_linter_with_every_rule_finds_nothing() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "os_api_ref_ext.lint",
            "--select",
            "ALL",
            "--format",
            "json",
            str(SOURCE),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert json.loads(done.stdout) == []
