"""Bad input to the directives: one exact warning at file and line, no traceback.

Each case starts from the same small valid tree and changes one file; the
build must warn exactly once with the expected code at the expected place,
keep rendering the rest of the page, and never raise.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx_versions import strict_app

# The build runs only the "compat" rules unless told otherwise; these cases
# include unused entries (F011) and bad methods and URLs (O001, O002).
CONF = (
    'extensions = ["os_api_ref_ext"]\nproject = "T"\n'
    'os_api_ref_lint = {"select": ["recommended"]}\n'
)

INDEX = """\
Widgets
=======

List widgets
============

.. rest_method:: GET /v1/{project_id}/widgets

Lists widgets.

Response codes
--------------

.. rest_status_code:: success status.yaml

   - 200

.. rest_status_code:: error status.yaml

   - 404

Request
-------

.. rest_parameters:: parameters.yaml

   - project_id: project_id
   - limit: limit

Show widget
===========

.. rest_method:: GET /v1/{project_id}/widgets/{widget_id}

Shows a widget.

Request
-------

.. rest_parameters:: parameters.yaml

   - project_id: project_id
   - widget_id: widget_id
"""

PARAMETERS = """\
project_id:
  description: The project.
  in: path
  required: true
  type: string
widget_id:
  description: The widget.
  in: path
  required: true
  type: string
limit:
  description: Page size.
  in: query
  required: false
  type: integer
"""

STATUS = """\
200:
  default: OK.
404:
  default: Not found.
409:
  default: Conflict.
  in_use: The widget is in use.
"""

WARNING = re.compile(
    r"^(?P<path>[^\n]*?):(?P<line>\d+): WARNING: (?P<msg>.*) \[(?:os-api-ref\.)?(?P<code>\w+)\]$"
)


#: The line of the "- limit: limit" item in INDEX.
LIMIT_LINE = INDEX.splitlines().index("   - limit: limit") + 1


def build(make_app, tmp_path: Path, **files: str):
    tree = {"conf.py": CONF, "index.rst": INDEX, "parameters.yaml": PARAMETERS}
    tree["status.yaml"] = STATUS
    tree.update({name.replace("__", "."): text for name, text in files.items()})
    for name, text in tree.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=tmp_path, freshenv=True)
    app.build()
    return app


def messages(app, root: Path) -> list[tuple[str, str, int, str]]:
    """(code, path, line, message) of every warning; any other line fails."""
    found = []
    for line in app.warning.getvalue().splitlines():
        text = re.sub(r"\x1b\[[0-9;]*m", "", line)
        match = WARNING.match(text)
        assert match, f"unexpected warning line: {text!r}"
        path = Path(match["path"]).relative_to(root).as_posix()
        found.append((match["code"], path, int(match["line"]), match["msg"]))
    return found


def findings(app, root: Path) -> list[tuple[str, str, int]]:
    return [(code, path, line) for code, path, line, _message in messages(app, root)]


def rendered_operations(app) -> list[str]:
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "lxml")
    return [s.find("code", class_="api-url").get_text() for s in soup.find_all("summary")]


def replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


CASES = {
    "parameters file missing": (
        {"index__rst": replace(INDEX, ":: parameters.yaml", ":: missing.yaml")},
        # limit is now used by no stanza of parameters.yaml.
        [("F001", "index.rst", 25), ("F011", "parameters.yaml", 11)],
    ),
    "parameters file empty": ({"parameters__yaml": ""}, [("F003", "parameters.yaml", 1)]),
    "parameters file invalid YAML": (
        {"parameters__yaml": PARAMETERS.replace("  in: query", "  in: [query")},
        [("F002", "parameters.yaml", 14)],
    ),
    "key not in file": (
        {"index__rst": replace(INDEX, "- limit: limit", "- limit: limt")},
        [("S001", "index.rst", 28), ("F011", "parameters.yaml", 11)],
    ),
    "item not in name: key form": (
        {"index__rst": replace(INDEX, "- limit: limit", "- limit")},
        [("S002", "index.rst", 28), ("F011", "parameters.yaml", 11)],
    ),
    "stanza with no items": (
        {"index__rst": replace(INDEX, "   - project_id: project_id\n   - limit: limit\n", "")},
        # An empty stanza is S003's; os-api-ref checks no path parameter in
        # it, and neither does S006.
        [("S003", "index.rst", 25), ("F011", "parameters.yaml", 11)],
    ),
    "stanza with no file argument": (
        {
            "index__rst": replace(
                INDEX,
                ".. rest_parameters:: parameters.yaml\n\n   - project_id: project_id\n   - limit",
                ".. rest_parameters::\n\n   - project_id: project_id\n   - limit",
            )
        },
        [("S004", "index.rst", 25), ("F011", "parameters.yaml", 11)],
    ),
    "status code not in status file": (
        {"index__rst": replace(INDEX, "   - 404", "   - 418")},
        [("C001", "index.rst", 20)],
    ),
    "unknown reason key": (
        {"index__rst": replace(INDEX, "   - 404", "   - 409: busy")},
        [("C002", "index.rst", 20)],
    ),
    "unknown HTTP method": (
        {
            "index__rst": replace(
                INDEX, "GET /v1/{project_id}/widgets\n", "FETCH /v1/{project_id}/widgets\n"
            )
        },
        [("O001", "index.rst", 7)],
    ),
    "unbalanced braces in URL": (
        {"index__rst": replace(INDEX, "{widget_id}", "{widget_id")},
        [("O002", "index.rst", 33)],
    ),
    "status file missing": (
        {"index__rst": INDEX.replace("status.yaml", "nostatus.yaml")},
        [("F001", "index.rst", 14), ("F001", "index.rst", 18)],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_warns_at_file_and_line(make_app, tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    app = build(make_app, tmp_path, **files)
    assert sorted(findings(app, tmp_path)) == sorted(expected)
    # The page still renders both operations.
    operations = rendered_operations(app)
    assert len(operations) == 2
    assert "Traceback" not in app.warning.getvalue() + app.status.getvalue()


def test_valid_tree_is_clean(make_app, tmp_path: Path) -> None:
    app = build(make_app, tmp_path)
    assert findings(app, tmp_path) == []
    assert rendered_operations(app) == [
        "/v1/{project_id}/widgets",
        "/v1/{project_id}/widgets/{widget_id}",
    ]


def test_undefined_key_row_is_kept(make_app, tmp_path: Path) -> None:
    """Nothing the author listed is dropped: the row shows, marked undefined."""
    app = build(make_app, tmp_path, index__rst=replace(INDEX, "- limit: limit", "- limit: limt"))
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "lxml")
    row = soup.find("tr", class_="api-undefined")
    assert row.find("td").get_text(strip=True) == "limit"
    assert "limt is not defined" in row.get_text()


def test_did_you_mean(make_app, tmp_path: Path) -> None:
    app = build(make_app, tmp_path, index__rst=replace(INDEX, "- limit: limit", "- limit: limt"))
    assert messages(app, tmp_path) == [
        (
            "S001",
            "index.rst",
            LIMIT_LINE,
            "key 'limt' is not defined in parameters.yaml; did you mean 'limit'?",
        ),
        ("F011", "parameters.yaml", 11, "entry 'limit' is not used by any rest_parameters stanza"),
    ]


def test_warnings_fail_the_build_under_w(make_app, tmp_path: Path) -> None:
    for name, text in {
        "conf.py": CONF,
        "index.rst": replace(INDEX, "   - 404", "   - 418"),
        "parameters.yaml": PARAMETERS,
        "status.yaml": STATUS,
    }.items():
        (tmp_path / name).write_text(text)
    app = strict_app(make_app, "html", srcdir=tmp_path, freshenv=True)
    app.build()
    assert app.statuscode == 1
    assert messages(app, tmp_path) == [
        ("C001", "index.rst", 20, "status code 418 is not defined in status.yaml"),
    ]


def test_html_in_url_and_title_is_escaped(make_app, tmp_path: Path) -> None:
    index = replace(INDEX, "List widgets\n============", "List <b>widgets</b>\n===================")
    index = replace(
        index,
        "GET /v1/{project_id}/widgets\n",
        'GET /v1/{project_id}/widgets?<script>alert("x")</script>\n',
    )
    app = build(make_app, tmp_path, index__rst=index)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
    assert soup.find("b") is None
    url = soup.find("code", class_="api-url").get_text()
    assert url == '/v1/{project_id}/widgets?<script>alert("x")</script>'
    assert "&lt;script&gt;" in html
    title = soup.find(class_="api-operation-title").get_text()
    assert title.startswith("List <b>widgets</b>")


@pytest.mark.parametrize(
    ("description", "line"),
    [
        # One paragraph (read by docutils' inline parser directly) ...
        ("  description: Page *size.\n", 12),
        # ... and one that needs the full parse, the bad markup further down.
        ("  description: |\n    Page size.\n\n    At *most 100.\n", 15),
    ],
)
def test_inline_markup_warning_points_into_the_parameters_file(
    make_app, tmp_path: Path, description: str, line: int
) -> None:
    parameters = replace(PARAMETERS, "  description: Page size.\n", description)
    app = build(make_app, tmp_path, parameters__yaml=parameters)
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    found = re.findall(r"^(.*?):(\d+): WARNING: Inline emphasis start-string", text, re.M)
    assert [(Path(path).name, int(number)) for path, number in found] == [("parameters.yaml", line)]
