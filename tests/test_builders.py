"""Every builder writes every operation, parameter row and status code.

The ``test-builders`` root uses all four directives, microversions and JSON
samples over three pages.  Each builder must finish without a warning, and
its output, read back in that builder's own format, must hold each
operation's method and URL and every row of every table in document order.
The LaTeX output is also compiled to a PDF when ``latexmk`` is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from xml.dom import minidom

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from os_api_ref_ext.directives.rest_method import rest_method
from os_api_ref_ext.domain import get_domain

#: The pages in toctree order; single-file builders follow the same order.
DOCS = ("index", "servers", "flavors")

#: (method, URL, version note or None) of every operation, in order.
OPERATIONS = [
    ("POST", "/v2.1/servers", "New in version 2.2"),
    ("GET", "/v2.1/servers/{server_id}", None),
    ("DELETE", "/v2.1/servers/{server_id}", "Available until version 2.4"),
    ("GET", "/v2.1/flavors", None),
]

# Every table in order: its body rows, each a tuple of cells.  A cell is
# matched exactly, except the last, which is a tuple of fragments that
# must all appear in it (a description may hold a list and version notes).
Row = tuple[str | tuple[str, ...], ...]
TABLES: list[list[Row]] = [
    # Create server: success, error, request, response
    [("202 - Accepted", ("Request accepted.",))],
    [
        ("400 - Bad Request", ("Some content in the request was invalid.",)),
        ("409 - Conflict", ("The server is busy.",)),
    ],
    [
        ("X-Request-Id (Optional)", "header", "string", ("A request ID, echoed",)),
        ("server", "body", "object", ("A server object.",)),
        (
            "name (Optional)",
            "body",
            "string",
            ("The server name.", "one word", "no spaces", "Available until version 2.4"),
        ),
        (
            "os-ext:progress (Optional)",
            "body",
            "string",
            ("Build progress, as 100%.", "New in version 2.3"),
        ),
    ],
    [
        ("server", "body", "object", ("A server object.",)),
        ("id", "body", "string", ("The UUID of the new server.",)),
    ],
    # Show server: success, error, request
    [("200 - OK", ("Request succeeded.",))],
    [("404 - Not Found", ("The server does not exist.",))],
    [
        ("server_id", "path", "string", ("The UUID of the server.",)),
        (
            "fields (Optional)",
            "query",
            "string",
            ("Fields to return, as a,b.", "New in version 2.3"),
        ),
    ],
    # Delete server: success, request
    [("204 - No Content", ("Nothing to return.",))],
    [("server_id", "path", "string", ("The UUID of the server.",))],
    # List flavors: success, request, response
    [("200 - OK", ("Request succeeded.",))],
    [("fields (Optional)", "query", "string", ("Fields to return, as a,b.", "New in version 2.3"))],
    [
        ("flavors", "body", "array", ("A list of flavors.",)),
        ("ram", "body", "integer", ("Memory in MiB.",)),
    ],
]

#: Part of the JSON response sample, which every builder must show.
SAMPLE_TEXT = "3f0b6d2e"

Operation = tuple[str, str, str]  # method, URL, whatever follows the URL
Extracted = tuple[list[Operation], list[list[list[str]]]]

_QUOTES_AND_MARKS = re.compile(r"[*\"`'\u2018\u2019\u201c\u201d\u2022]")


def normalize(text: str) -> str:
    """Cell text without emphasis marks, quotes or bullets, spaces collapsed.

    Each writer marks emphasis, literals and list items its own way; the
    words are what must survive.
    """
    text = " ".join(_QUOTES_AND_MARKS.sub(" ", text).split())
    return re.sub(r" ([.,;:%)])", r"\1", text)


# --------------------------------------------------------------------------
# Readers, one per output format: (operations, tables) from the files.


def read_text(files: list[Path]) -> Extracted:
    """Operations are ``**METHOD** "URL"`` lines; tables are grid tables."""
    operations: list[Operation] = []
    tables: list[list[list[str]]] = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        table: list[list[str]] | None = None
        row: list[list[str]] = []
        for line in lines:
            match = re.match(r'^\*\*([A-Z]+)\*\* "([^"]+)"(.*)$', line)
            if match:
                operations.append(match.groups())  # type: ignore[arg-type]
                continue
            if line.startswith("+"):
                if table is None:
                    table = []
                elif row:
                    table.append([" ".join(cell) for cell in row])
                row = []
                continue
            if line.startswith("|="):  # the header separator: drop the header row
                row = []
                continue
            if line.startswith("|") and table is not None:
                cells = [cell.strip() for cell in line.strip("|").split("|")]
                if not row:
                    row = [[] for _ in cells]
                for parts, cell in zip(row, cells, strict=True):
                    if cell:
                        parts.append(cell)
                continue
            if table is not None:
                tables.append(table)
                table = None
        if table is not None:
            tables.append(table)
    return operations, tables


_MAN_ESCAPES = [
    (r"\-", "-"),
    (r"\&", ""),
    (r"\%", ""),
    (r"\:", ""),
    (r"\(dq", '"'),
    (r"\(bu", ""),
    (r"\fB", ""),
    (r"\fI", ""),
    (r"\fP", ""),
    (r"\fR", ""),
]


def unman(text: str) -> str:
    for escape, replacement in _MAN_ESCAPES:
        text = text.replace(escape, replacement)
    return text


def read_man(files: list[Path]) -> Extracted:
    """Operations are ``\\fBMETHOD\\fP \\fBURL\\fP`` lines; tables are tbl."""
    operations: list[Operation] = []
    tables: list[list[list[str]]] = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        index = 0
        while index < len(lines):
            line = lines[index]
            match = re.match(r"^\\fB([A-Z]+)\\fP \\fB(.+?)\\fP(.*)$", line)
            if match:
                method, url, rest = match.groups()
                operations.append((method, unman(url), unman(rest)))
            if line == ".TS":
                rows: list[list[str]] = []
                cells: list[str] = []
                cell: list[str] | None = None
                index += 1
                while lines[index] != ".TE":
                    text = lines[index]
                    if text == "T{":
                        cell = []
                    elif text.startswith("T}"):
                        assert cell is not None
                        cells.append(unman(" ".join(cell)))
                        cell = [] if text == "T}\tT{" else None
                        if text == "T}":
                            rows.append(cells)
                            cells = []
                    elif cell is not None and not text.startswith("."):
                        cell.append(text)
                    index += 1
                tables.append(rows[1:])  # without the header row
            index += 1
    return operations, tables


def delatex(text: str) -> str:
    """The words of a LaTeX fragment written by Sphinx."""
    text = re.sub(r"(?<!\\)%$", "", text, flags=re.MULTILINE)  # comments
    for escape, char in (
        (r"\sphinxhyphen{}", "-"),
        (r"\{", "\0lb"),
        (r"\}", "\0rb"),
        (r"\_", "_"),
        (r"\%", "%"),
        (r"\&", "&"),
    ):
        text = text.replace(escape, char)
    text = re.sub(r"\\begin\{varwidth\}\[t\]\{\\sphinxcolwidth\{\d+\}\{\d+\}\}", "", text)
    text = re.sub(r"\\(begin|end)\{[a-z]+\}", "", text)
    text = re.sub(r"\\DUrole\{[^{}]*\}", "", text)
    text = re.sub(r"\\item\s*\{\}", " ", text)
    for pattern in (r"\\[a-zA-Z]+\{([^{}]*)\}", r"\{([^{}]*)\}"):  # \cmd{x}, then {x}
        previous = None
        while previous != text:
            previous, text = text, re.sub(pattern, r"\1", text)
    text = re.sub(r"\\[a-zA-Z]+", " ", text)
    return " ".join(text.replace("\0lb", "{").replace("\0rb", "}").split())


def read_latex(files: list[Path]) -> Extracted:
    """Operations are ``\\sphinxstylestrong{METHOD}`` lines; tables are tabulars."""
    operations: list[Operation] = []
    tables: list[list[list[str]]] = []
    for path in files:
        source = path.read_text(encoding="utf-8")
        for line in source.splitlines():
            if line.startswith(r"\sphinxstylestrong{"):
                match = re.match(r"^([A-Z]+) (\S+)\s*(.*)$", delatex(line))
                assert match, line
                operations.append(match.groups())  # type: ignore[arg-type]
        for body in re.findall(
            r"\\begin\{(?:tabular|tabulary|longtable)\}.*?\n(.*?)\\end\{(?:tabular|tabulary|longtable)\}",
            source,
            flags=re.DOTALL,
        ):
            body = body.split(r"\sphinxmidrule", 1)[1].split(r"\sphinxbottomrule", 1)[0]
            rows = [chunk for chunk in re.split(r"\n\\\\\n", body) if chunk.strip()]
            tables.append([[delatex(cell) for cell in re.split(r"\n&", row)] for row in rows])
    return operations, tables


def untexi(text: str) -> str:
    text = text.replace("@{", "{").replace("@}", "}").replace("@@", "@")
    return re.sub(r"@[a-z]+\{([^{}]*)\}", r"\1", text)


def read_texinfo(files: list[Path]) -> Extracted:
    """Operations are ``\\`METHOD' @code{URL}`` lines; tables are multitables."""
    operations: list[Operation] = []
    tables: list[list[list[str]]] = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows: list[list[str]] | None = None
        cells: list[list[str]] = []
        lists = 0
        for line in lines:
            match = re.match(r"^`([A-Z]+)' @code\{(.+)\}(.*)$", line)
            if match:
                method, url, rest = match.groups()
                operations.append((method, untexi(url), rest))
            elif line.startswith("@multitable"):
                rows, cells = [], []
            elif rows is None:
                continue
            elif line == "@end multitable":
                rows.append([" ".join(cell) for cell in cells])
                tables.append(rows[1:])  # without the @headitem row
                rows = None
            elif line.startswith("@itemize") or line.startswith("@enumerate"):
                lists += 1
            elif line.startswith("@end itemize") or line.startswith("@end enumerate"):
                lists -= 1
            elif line.strip() in ("@headitem", "@item") and not lists:
                if cells:
                    rows.append([" ".join(cell) for cell in cells])
                cells = [[]]
            elif line == "@tab":
                cells.append([])
            elif line.strip() and line.strip() != "@item":
                cells[-1].append(untexi(line))
    return operations, tables


def _html_tables(soup: BeautifulSoup) -> list[list[list[str]]]:
    return [
        [[cell.get_text(" ") for cell in row.find_all("td")] for row in table.select("tbody > tr")]
        for table in soup.select("table.api-parameters, table.api-status-codes")
    ]


def read_html(files: list[Path]) -> Extracted:
    """Operations are ``<details>`` with a method badge and URL in the summary."""
    operations: list[Operation] = []
    tables: list[list[list[str]]] = []
    for path in files:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for summary in soup.select("details.api-operation > summary"):
            note = summary.select_one(".api-version-note")
            operations.append(
                (
                    summary.select_one(".api-method").get_text(),
                    summary.select_one(".api-url").get_text(),
                    note.get_text() if note else "",
                )
            )
        tables += _html_tables(soup)
    return operations, tables


def read_epub(files: list[Path]) -> Extracted:
    """Operations are plain ``<p>`` signatures: no script, no ``<details>``."""
    operations: list[Operation] = []
    tables: list[list[list[str]]] = []
    for path in files:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "xml")
        assert not soup.find_all("details"), path
        for paragraph in soup.find_all("p", class_="api-operation-signature"):
            method = paragraph.find("strong").get_text()
            url = paragraph.find("code").get_text()
            operations.append((method, url, paragraph.get_text().split(url, 1)[1]))
        tables += _html_tables(soup)
    return operations, tables


def _element_text(element: minidom.Element) -> str:
    if element.nodeType == element.TEXT_NODE:
        return element.data
    return " ".join(_element_text(child) for child in element.childNodes)


def read_docutils_xml(sources: list[str]) -> Extracted:
    """Operations are paragraphs of class ``api-operation-signature``."""
    operations: list[Operation] = []
    tables: list[list[list[str]]] = []
    for source in sources:
        dom = minidom.parseString(source)
        for paragraph in dom.getElementsByTagName("paragraph"):
            if "api-operation-signature" not in paragraph.getAttribute("classes").split():
                continue
            method = _element_text(paragraph.getElementsByTagName("strong")[0])
            url = _element_text(paragraph.getElementsByTagName("literal")[0]).replace(" ", "")
            rest = "".join(_element_text(child) for child in paragraph.childNodes[3:])
            operations.append((method, url, rest))
        for table in dom.getElementsByTagName("table"):
            classes = table.getAttribute("classes").split()
            if not {"api-parameters", "api-status-codes"} & set(classes):
                continue
            body = table.getElementsByTagName("tbody")[0]
            tables.append(
                [
                    [_element_text(entry) for entry in row.getElementsByTagName("entry")]
                    for row in body.getElementsByTagName("row")
                ]
            )
    return operations, tables


def read_xml(files: list[Path]) -> Extracted:
    return read_docutils_xml([path.read_text(encoding="utf-8") for path in files])


# --------------------------------------------------------------------------


def assert_reference(extracted: Extracted) -> None:
    """The operations and tables read from an output are the expected ones."""
    operations, tables = extracted
    assert [(method, url) for method, url, _rest in operations] == [
        (method, url) for method, url, _note in OPERATIONS
    ]
    for (_method, _url, rest), (method, url, note) in zip(operations, OPERATIONS, strict=True):
        if note:
            assert note in rest, (method, url)
    assert len(tables) == len(TABLES)
    for number, (table, expected) in enumerate(zip(tables, TABLES, strict=True)):
        assert len(table) == len(expected), (number, table)
        for row, expected_row in zip(table, expected, strict=True):
            cells = [normalize(cell) for cell in row]
            assert len(cells) == len(expected_row), (number, row)
            assert cells[:-1] == [normalize(str(cell)) for cell in expected_row[:-1]]
            for fragment in expected_row[-1]:
                assert normalize(fragment) in cells[-1], (number, fragment, row)


#: builder name -> (output files in reading order, reader)
Reader = Callable[[list[Path]], Extracted]
OUTPUTS: dict[str, tuple[Callable[[Path], list[Path]], Reader]] = {
    "html": (lambda out: [out / f"{doc}.html" for doc in DOCS], read_html),
    "dirhtml": (
        lambda out: [out / "index.html"] + [out / doc / "index.html" for doc in DOCS[1:]],
        read_html,
    ),
    "singlehtml": (lambda out: [out / "index.html"], read_html),
    "text": (lambda out: [out / f"{doc}.txt" for doc in DOCS], read_text),
    "latex": (lambda out: [out / "builders.tex"], read_latex),
    "man": (lambda out: [out / "builders.1"], read_man),
    "texinfo": (lambda out: [out / "builders.texi"], read_texinfo),
    "epub": (lambda out: [out / f"{doc}.xhtml" for doc in DOCS], read_epub),
    "xml": (lambda out: [out / f"{doc}.xml" for doc in DOCS], read_xml),
}


@pytest.fixture(scope="module")
def builders_srcdir(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    srcdir = tmp_path_factory.mktemp("builders") / "src"
    shutil.copytree(rootdir / "test-builders", srcdir)
    return srcdir


def build(
    make_app: Callable[..., SphinxTestApp], buildername: str, srcdir: Path, builddir: Path
) -> SphinxTestApp:
    app = make_app(buildername, srcdir=srcdir, builddir=builddir)
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    return app


@pytest.mark.parametrize("buildername", sorted(OUTPUTS))
def test_builder_output_holds_every_operation_and_row(
    make_app: Callable[..., SphinxTestApp], builders_srcdir: Path, tmp_path: Path, buildername: str
) -> None:
    app = build(make_app, buildername, builders_srcdir, tmp_path)
    files_of, reader = OUTPUTS[buildername]
    files = files_of(app.outdir)
    assert_reference(reader(files))
    output = "".join(path.read_text(encoding="utf-8") for path in files)
    assert SAMPLE_TEXT in output
    # The Show all / microversion toolbar needs the page script: HTML only.
    has_toolbar = "api-toolbar" in output
    assert has_toolbar == (buildername in ("html", "dirhtml", "singlehtml"))
    if has_toolbar:
        soup = BeautifulSoup(files[0].read_text(encoding="utf-8"), "lxml")
        options = [option.get_text() for option in soup.select("select.api-mv-select option")]
        assert options == ["All", "2.1", "2.2", "2.3 - Ocata", "2.4", "2.5"]


def test_dummy_builder_resolves_every_operation(
    make_app: Callable[..., SphinxTestApp], builders_srcdir: Path, tmp_path: Path
) -> None:
    app = build(make_app, "dummy", builders_srcdir, tmp_path)
    documents = get_domain(app.env).documents
    assert sorted(documents) == sorted(DOCS)
    doctrees = []
    for docname in DOCS:
        doctree = app.env.get_doctree(docname)
        app.env.apply_post_transforms(doctree, docname)
        doctrees.append(doctree)
    for doctree in doctrees:
        assert not list(doctree.findall(rest_method))
        assert not [
            node for node in doctree.findall(nodes.Element) if node.tagname.startswith("operation_")
        ]
    assert_reference(read_docutils_xml([doctree.asdom().toxml() for doctree in doctrees]))


def test_latex_tables_use_their_column_widths(
    make_app: Callable[..., SphinxTestApp], builders_srcdir: Path, tmp_path: Path
) -> None:
    """Not ``tabulary``, which squeezes the In and Type columns."""
    app = build(make_app, "latex", builders_srcdir, tmp_path)
    source = (app.outdir / "builders.tex").read_text(encoding="utf-8")
    layouts = re.findall(r"\\begin\{(tabular|tabulary|longtable)\}(?:\[t\])?(\{.*)", source)
    parameters = r"{\X{20}{100}\X{10}{100}\X{10}{100}\X{60}{100}}"
    status = r"{\X{30}{100}\X{70}{100}}"
    assert [spec for _env, spec in layouts] == [
        parameters if len(table[0]) == 4 else status for table in TABLES
    ]
    assert {env for env, _spec in layouts} == {"tabular"}


@pytest.mark.skipif(
    shutil.which("latexmk") is None,
    reason="latexmk is not installed (Debian: latexmk texlive-latex-recommended "
    "texlive-latex-extra texlive-fonts-recommended tex-gyre)",
)
def test_latex_output_compiles_to_pdf(
    make_app: Callable[..., SphinxTestApp], builders_srcdir: Path, tmp_path: Path
) -> None:
    app = build(make_app, "latex", builders_srcdir, tmp_path)
    # The command in the Makefile Sphinx writes; its latexmkrc picks the engine.
    result = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error"]
        + ["builders.tex"],
        cwd=app.outdir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    log = (app.outdir / "builders.log").read_text(encoding="latin-1")
    pages = re.search(r"Output written on builders\.pdf \((\d+) pages", log)
    assert pages and int(pages.group(1)) > 1
    assert "Overfull \\hbox" not in log
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(
        ["pdftotext", "-layout", str(app.outdir / "builders.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for method, url, _note in OPERATIONS:
        assert re.search(rf"^{method} {re.escape(url)}", text, flags=re.MULTILINE), url
    for table in TABLES:
        for row in table:
            # LaTeX may hyphenate "(Optional)" in the narrow Name column.
            assert str(row[0]).split(" (")[0] in text
