"""The four directives, rendered to HTML: structure, classes and text."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup, Tag

from os_api_ref_ext.directives.rest_expand_all import microversion_options
from os_api_ref_ext.directives.rest_status_code import code_label
from os_api_ref_ext.tables import api_table


def soup_of(app, page: str = "index") -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "lxml")


def cells(row: Tag) -> list[str]:
    return [" ".join(td.get_text().split()) for td in row.find_all("td")]


def operation(soup: BeautifulSoup, section_id: str) -> Tag:
    section = soup.find("section", id=section_id)
    assert section is not None, section_id
    return section


@pytest.fixture
def basic(app):
    """The ``basic`` test root, built (incrementally after the first test)."""
    app.build()
    return app


pytestmark = pytest.mark.sphinx("html", testroot="basic")


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_basic_builds_without_warnings(basic) -> None:
    assert basic.statuscode == 0
    assert basic.warning.getvalue() == ""


def test_rest_method_renders_an_operation(basic) -> None:
    soup = soup_of(basic)
    section = operation(soup, "create-widget")
    assert "api-operation-section" in section["class"]
    assert "api-method-post" in section["class"]
    details = section.find("details", recursive=False)
    assert details is not None and "api-operation" in details["class"]
    # The microversion bound travels as a class for the selector.
    assert "api-min-ver-2-2" in details["class"]
    summary = details.find("summary", recursive=False)
    badge = summary.find("span", class_="api-method")
    assert badge.get_text() == "POST"
    assert "api-method-post" in badge["class"]
    url = summary.find("code", class_="api-url")
    assert url.get_text() == "/v2/{project_id}/widgets"
    params = [span.get_text() for span in url.find_all("span", class_="api-path-param")]
    assert params == ["{project_id}"]
    heading = summary.find(class_="api-operation-title")
    assert heading.name.startswith("h")
    assert heading.get_text(strip=True).startswith("Create widget")
    permalink = heading.find("a", class_="headerlink")
    assert permalink["href"] == "#create-widget"
    assert summary.find(class_="api-version-note").get_text() == "New in version 2.2"
    # The body sits inside <details>, after the summary, so it works without JS.
    body = details.find("div", class_="api-operation-body", recursive=False)
    assert body.find("p").get_text() == "Creates a widget."
    assert body.find("section", id="request") is not None


def test_operation_keeps_toc_and_anchor(basic) -> None:
    soup = soup_of(basic)
    toc_links = [a["href"] for a in soup.select("div.sphinxsidebar a.reference.internal")]
    assert "#create-widget" in toc_links
    assert "#delete-widget" in toc_links


def test_rest_parameters_table(basic) -> None:
    soup = soup_of(basic)
    table = operation(soup, "create-widget").find("table", class_="api-parameters")
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert headers == ["Name", "In", "Type", "Description"]
    rows = table.find("tbody").find_all("tr")
    assert [cells(row)[:3] for row in rows] == [
        ["project_id", "path", "string"],
        ["widget", "body", "object"],
        ["name (Optional)", "body", "string"],
        ["os-ext:progress (Optional)", "body", "string"],
    ]
    # Names and types are plain text, not parsed reST.
    assert rows[0].find("td").find("em") is None
    # Descriptions are reST: links, lists, literals.
    link = rows[1].find_all("td")[3].find("a")
    assert link["href"] == "https://example.com" and link.get_text() == "widget"
    assert [li.get_text() for li in rows[2].find_all("li")] == ["one", "two"]
    assert rows[3].find("code").get_text() == '"100%"'
    # Microversion annotations.
    assert "api-max-ver-2-4" in rows[2]["class"]
    assert rows[2].find(class_="api-version-note").get_text() == "Available until version 2.4"
    assert "api-min-ver-2-3" in rows[3]["class"]
    assert rows[3].find(class_="api-version-note").get_text() == "New in version 2.3"
    optional = rows[2].find("span", class_="api-optional")
    assert optional.get_text() == "(Optional)"


def test_a_row_repeated_across_tables_is_one_row(basic) -> None:
    """Both operations list ``project_id``: one row object serves both
    tables, in the doctree Sphinx pickled and loads again, and both are
    written in full."""
    doctree = basic.env.get_doctree("index")
    tables = [node for node in doctree.findall(api_table) if "api-parameters" in node["classes"]]
    assert len(tables) == 2
    first, second = tables[0]["rows"][0], tables[1]["rows"][0]
    assert first[0][0] == "project_id"
    assert first is second
    assert tables[0]["rows"][1] is not tables[1]["rows"][1]
    soup = soup_of(basic)
    for section in ("create-widget", "delete-widget"):
        row = operation(soup, section).find("table", class_="api-parameters").find("tbody").tr
        assert cells(row)[:3] == ["project_id", "path", "string"]


def test_rest_status_code_tables(basic) -> None:
    soup = soup_of(basic)
    tables = operation(soup, "create-widget").find_all("table", class_="api-status-codes")
    assert [t.find("caption").get_text(strip=True).rstrip("¶") for t in tables] == [
        "Success",
        "Error",
    ]
    assert "api-status-success" in tables[0]["class"]
    assert "api-status-error" in tables[1]["class"]
    assert [cells(r) for r in tables[0].find("tbody").find_all("tr")] == [
        ["202 - Accepted", "Request accepted."]
    ]
    error_rows = tables[1].find("tbody").find_all("tr")
    assert [cells(r) for r in error_rows] == [
        ["400 - Bad Request", "Some content in the request was invalid."],
        ["409 - Conflict", "The widget is busy."],
        ["429 - Too Many Requests", "Too many."],
    ]
    # The reason is reST: *busy* is emphasis.
    assert error_rows[1].find("em").get_text() == "busy"


def test_rest_expand_all_toolbar(basic) -> None:
    soup = soup_of(basic)
    toolbar = soup.find("div", class_="api-toolbar")
    # Hidden until the script runs: without JavaScript it could do nothing.
    assert toolbar.has_attr("hidden")
    button = toolbar.find("button", class_="api-expand-all")
    assert button.get_text() == "Show all"
    assert button["data-hide-label"] == "Hide all"
    select = toolbar.find("select", class_="api-mv-select")
    assert (select["data-min"], select["data-max"]) == ("2.1", "2.5")
    options = [(o["value"], o.get_text()) for o in select.find_all("option")]
    assert options == [
        ("", "All"),
        ("2.1", "2.1"),
        ("2.2", "2.2"),
        ("2.3", "2.3 - Ocata"),
        ("2.4", "2.4"),
        ("2.5", "2.5"),
    ]


def test_assets_are_shipped_and_linked(basic) -> None:
    soup = soup_of(basic)
    css = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any(href.startswith("_static/os-api-ref-ext.css") for href in css)
    assert any(src.startswith("_static/os-api-ref-ext.js") for src in scripts)
    assert (basic.outdir / "_static" / "os-api-ref-ext.css").is_file()
    js = (basic.outdir / "_static" / "os-api-ref-ext.js").read_text()
    assert "jQuery" not in js and "$(" not in js


def test_samples_are_included(basic) -> None:
    soup = soup_of(basic)
    block = operation(soup, "create-widget").find("div", class_="highlight-javascript")
    assert json.loads(block.get_text()) == {"widget": {"name": "w1", "os-ext:progress": "10%"}}


def test_microversion_options_edge_cases() -> None:
    assert microversion_options("", "", {}) == []
    assert microversion_options("2.3", "2.1", {}) == []
    assert microversion_options("2.1", "3.0", {}) == []
    assert microversion_options("2.9", "2.11", {"2.10": "queens"}) == [
        ("2.9", "2.9"),
        ("2.10", "2.10 - Queens"),
        ("2.11", "2.11"),
    ]


def test_code_labels() -> None:
    assert code_label(202) == "202 - Accepted"
    assert code_label(429) == "429 - Too Many Requests"
    assert code_label(299) == "299"


@pytest.mark.sphinx("html", testroot="realistic")
def test_realistic_tree_builds_clean(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = soup_of(app, "v2/index")
    summaries = [
        (s.find(class_="api-method").get_text(), s.find("code", class_="api-url").get_text())
        for s in soup.find_all("summary", class_="api-operation-summary")
    ]
    assert summaries == [
        ("GET", "/v2/{project_id}/servers"),
        ("POST", "/v2/{project_id}/servers"),
        ("DELETE", "/v2/{project_id}/servers/{server_id}"),
        ("GET", "/v2/{project_id}/servers/{server_id}/tags"),
        ("PUT", "/v2/{project_id}/servers/{server_id}/tags/{tag}"),
        ("GET", "/v2/{project_id}/os-keypairs"),
        ("DELETE", "/v2/{project_id}/os-keypairs/{keypair_name}"),
    ]
    tagged = soup.find("section", id="add-a-tag").find("details")
    assert "api-min-ver-2-6" in tagged["class"]
    conflict = soup.find("section", id="add-a-tag").find_all("table", class_="api-status-codes")[1]
    assert cells(conflict.find("tbody").find_all("tr")[1]) == [
        "409 - Conflict",
        "The server already has this tag.",
    ]


@pytest.mark.sphinx("html", testroot="realistic")
def test_references_to_an_operation_section_resolve(app) -> None:
    app.build()
    link = soup_of(app).find("a", class_="reference internal")
    assert link["href"] == "v2/index.html#list-servers-operation"
    assert link.get_text() == "List servers"
    # The label's anchor stays inside the operation's section.
    anchor = soup_of(app, "v2/index").find(id="list-servers-operation")
    assert anchor.find_parent("section")["id"] == "list-servers"
