"""The page script in a real browser (headless Chromium), when one is installed.

Without JavaScript every operation is a working ``<details>`` element (see
test_directives); these tests check what the script adds: the toolbar is
shown, a URL fragment opens its operation, and the microversion selector
hides what the chosen version does not have.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)"),
    pytest.mark.sphinx("html", testroot="realistic"),
]


def rendered_dom(url: str, profile) -> BeautifulSoup:
    """The DOM after the page's scripts ran."""
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return BeautifulSoup(result.stdout, "lxml")


@pytest.fixture
def page(app, tmp_path):
    app.build()
    path = (app.outdir / "v2" / "index.html").as_uri()
    return lambda suffix="": rendered_dom(path + suffix, tmp_path / "profile")


def test_script_shows_toolbar_and_opens_fragment(page) -> None:
    soup = page("#delete-server")
    assert not soup.find("div", class_="api-toolbar").has_attr("hidden")
    opened = [d.parent["id"] for d in soup.find_all("details") if d.has_attr("open")]
    assert opened == ["delete-server"]


def test_label_just_inside_an_operation_opens_it(page) -> None:
    soup = page("#list-servers-operation")
    opened = [d.parent["id"] for d in soup.find_all("details") if d.has_attr("open")]
    assert opened == ["list-servers"]


def test_microversion_selector_hides_operations_and_rows(page) -> None:
    soup = page("?microversion=2.3")
    hidden = {s["id"] for s in soup.find_all("section", class_="api-hidden-by-version")}
    # Tags arrived in 2.6; nothing else is out of range at 2.3.
    assert hidden == {"list-tags", "add-a-tag"}
    soup = page("?microversion=2.11")
    hidden = {s["id"] for s in soup.find_all("section", class_="api-hidden-by-version")}
    assert hidden == {"delete-keypair"}  # removed after 2.10
    rows = soup.select("table.api-parameters tr.api-hidden-by-version")
    assert [row.find("td").get_text(" ", strip=True) for row in rows] == ["status"]


def test_without_version_everything_shows(page) -> None:
    soup = page()
    assert soup.find(class_="api-hidden-by-version") is None
    assert not [d for d in soup.find_all("details") if d.has_attr("open")]
