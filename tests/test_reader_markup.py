"""What the reader's features put into the HTML, before any script runs.

The filter box sits in the toolbar that stays hidden without JavaScript;
every parameter and status table stands in a box that scrolls it on a
narrow screen, which the keyboard reaches and which has a name.  The names
come from source files, so they are escaped like any other text.  The
browser side is in test_browser.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


def soup_of(app, page: str = "index") -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "lxml")


@pytest.mark.sphinx("html", testroot="basic")
def test_toolbar_holds_the_filter(app) -> None:
    app.build()
    toolbar = soup_of(app).find("div", class_="api-toolbar")
    assert toolbar.has_attr("hidden")
    children = [child.name for child in toolbar.find_all(recursive=False)]
    assert children == ["label", "span", "label", "button"]
    label = toolbar.find("label", class_="api-filter-label")
    assert label.get_text(" ", strip=True) == "Filter"
    box = label.find("input")
    assert box.attrs == {
        "type": "search",
        "class": ["api-filter-input"],
        "autocomplete": "off",
        "spellcheck": "false",
        "placeholder": "Method, URL or title (press /)",
        "aria-keyshortcuts": "/",
    }
    count = toolbar.find("span", class_="api-filter-count")
    assert count["role"] == "status"
    assert count["data-template"] == "{shown} of {total} operations"
    assert count.get_text() == ""
    labels = {k: v for k, v in toolbar.attrs.items() if k.startswith("data-label-")}
    assert labels == {
        "data-label-copy": "Copy",
        "data-label-copied": "Copied",
        "data-label-copy-failed": "Copy failed",
        "data-label-copy-request": "Copy method and URL: ",
        "data-label-copy-sample": "Copy sample",
    }


@pytest.mark.sphinx("html", testroot="realistic")
def test_every_table_scrolls_in_a_named_focusable_box(app) -> None:
    app.build()
    soup = soup_of(app, "v2/index")
    tables = soup.select("table.api-parameters, table.api-status-codes")
    assert len(tables) == 25
    boxes = [table.parent for table in tables]
    for box in boxes:
        assert box.name == "div"
        assert box["class"] == ["api-table-scroll"]
        assert (box["role"], box["tabindex"]) == ("group", "0")
        assert box.find_all(recursive=False) == [box.table]
    section = soup.find("section", id="list-servers")
    names = [box["aria-label"] for box in section.select("div.api-table-scroll")]
    assert names == [
        "Status codes: Success",
        "Status codes: Error",
        "Parameters: Request",
        "Parameters: Response",
    ]


TREE = {
    "conf.py": 'extensions = ["os_api_ref_ext"]\nproject = "Escapes"\nsmartquotes = False\n',
    "parameters.yaml": (
        "thing_id:\n  description: The ID.\n  in: path\n  required: true\n  type: string\n"
    ),
    "index.rst": """\
Escapes
=======

Show thing
----------

.. rest_method:: GET /things/{thing_id}

Request <b onmouseover="x()">&amp; "quoted"</b>
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

.. rest_parameters:: parameters.yaml

   - thing_id: thing_id
""",
}


def test_box_names_from_source_are_escaped(make_app, tmp_path) -> None:
    for name, text in TREE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=tmp_path, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    box = BeautifulSoup(html, "lxml").find("div", class_="api-table-scroll")
    assert box["aria-label"] == 'Parameters: Request <b onmouseover="x()">&amp; "quoted"</b>'
    assert "<b onmouseover" not in html
    assert (
        'aria-label="Parameters: Request &lt;b onmouseover=&quot;x()&quot;&gt;'
        "&amp;amp; &quot;quoted&quot;&lt;/b&gt;"
    ) in html
