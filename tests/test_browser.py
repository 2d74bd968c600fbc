"""The page script and styles in a real browser (headless Chromium), when
one is installed.

Without JavaScript every operation is a working ``<details>`` element (see
test_directives); these tests check what the script adds: the toolbar is
shown, a URL fragment opens its operation, the microversion selector hides
what the chosen version does not have, the filter narrows the page, copy
buttons copy; and what the styles promise: no sideways scrolling at 375 px,
colours that follow the theme's light or dark state, and no serious or
critical axe-core finding inside our elements on any theme.

The first tests ask Chromium for the DOM on the command line; the rest
drive it through Playwright (pointed at the system Chromium) and check the
accessibility with the axe-core that ``axe-playwright-python`` bundles.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)"),
    pytest.mark.sphinx("html", testroot="realistic"),
]

ROOTS = Path(__file__).parent / "roots"
SAMPLES = ROOTS / "test-realistic" / "v2" / "samples"

#: Every operation of the realistic root: section id, method, URL, title.
OPERATIONS = [
    ("list-servers", "GET", "/v2/{project_id}/servers", "List servers"),
    ("create-server", "POST", "/v2/{project_id}/servers", "Create server"),
    ("delete-server", "DELETE", "/v2/{project_id}/servers/{server_id}", "Delete server"),
    ("list-tags", "GET", "/v2/{project_id}/servers/{server_id}/tags", "List tags"),
    ("add-a-tag", "PUT", "/v2/{project_id}/servers/{server_id}/tags/{tag}", "Add a tag"),
    ("list-keypairs", "GET", "/v2/{project_id}/os-keypairs", "List keypairs"),
    ("delete-keypair", "DELETE", "/v2/{project_id}/os-keypairs/{keypair_name}", "Delete keypair"),
]
ALL_IDS = [operation[0] for operation in OPERATIONS]

#: conf.py overrides per theme, as tests/test_themes.py builds them.
THEMES: dict[str, dict[str, Any]] = {
    "alabaster": {},
    "furo": {},
    "openstackdocs": {
        "extensions": ["os_api_ref_ext", "openstackdocstheme"],
        "openstackdocs_repo_name": "openstack/example",
        "openstackdocs_auto_name": False,
        "openstackdocs_auto_version": False,
    },
}
THEME_MODULES = {"alabaster": "alabaster", "furo": "furo", "openstackdocs": "openstackdocstheme"}

#: What the accessibility audit covers: our elements, not the theme's
#: header, sidebar and footer.
OUR_ELEMENTS = ["section.api-operation-section", "div.api-toolbar", ".api-operation-signature"]


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


# --------------------------------------------------------------------------
# Playwright: the reader's side


def build_site(src: Path, build: Path, overrides: dict[str, Any]) -> Path:
    """Build ``src`` under ``build`` with ``overrides``; warnings fail."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    warnings = StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=src,
        builddir=build,
        confoverrides=overrides,
        status=StringIO(),
        warning=warnings,
        freshenv=True,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings.getvalue() == ""
    return Path(app.outdir)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The realistic root built once per installed theme: theme -> page."""
    built = {}
    for theme, overrides in THEMES.items():
        if importlib.util.find_spec(THEME_MODULES[theme]) is None:
            continue
        build = tmp_path_factory.mktemp(f"site-{theme}")
        out = build_site(ROOTS / "test-realistic", build, {"html_theme": theme, **overrides})
        built[theme] = out / "v2" / "index.html"
    return built


def open_page(browser, site: Path, suffix: str = "", **context_options: Any):
    context = browser.new_context(**context_options)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(site.as_uri() + suffix)
    tab.wait_for_selector("div.api-toolbar:not([hidden])")
    return tab


@pytest.fixture
def reader(browser, sites) -> Iterator[Any]:
    """A tab on the alabaster build; ``reader(suffix)`` opens another address."""
    tabs = []

    def opener(suffix: str = "", **context_options: Any):
        tab = open_page(browser, sites["alabaster"], suffix, **context_options)
        tabs.append(tab)
        return tab

    yield opener
    for tab in tabs:
        tab.context.close()


def shown_operations(tab) -> list[str]:
    return tab.eval_on_selector_all(
        "section.api-operation-section",
        "sections => sections.filter(s => s.offsetParent !== null).map(s => s.id)",
    )


def count_text(tab) -> str:
    return tab.text_content("div.api-toolbar .api-filter-count")


def type_filter(tab, text: str) -> None:
    tab.fill("input.api-filter-input", text)


#: What the filter box holds -> the operations it leaves.
FILTERS = [
    # The method, case-insensitive.
    ("delete", ["delete-server", "delete-keypair"]),
    ("PUT", ["add-a-tag"]),
    # The URL, with or without a placeholder's braces.
    ("/os-keypairs", ["list-keypairs", "delete-keypair"]),
    ("{tag}", ["add-a-tag"]),
    ("servers/server_id/tags", ["list-tags", "add-a-tag"]),
    # A placeholder's name.
    ("keypair_name", ["delete-keypair"]),
    ("SERVER_ID", ["delete-server", "list-tags", "add-a-tag"]),
    # The title.
    ("create server", ["create-server"]),
    ("  list   keypairs ", ["list-keypairs"]),
    # The method and the URL as one line.
    ("get /v2/{project_id}/servers", ["list-servers", "list-tags"]),
    ("no such thing", []),
]


def test_filter_matches_method_url_title_and_placeholders(reader) -> None:
    tab = reader()
    found = {}
    for text, _expected in FILTERS:
        type_filter(tab, text)
        found[text] = (shown_operations(tab), count_text(tab))
    assert found == {
        text: (expected, f"{len(expected)} of 7 operations") for text, expected in FILTERS
    }


def test_filter_hides_groups_left_empty_and_clearing_restores(reader) -> None:
    tab = reader()
    visible_groups = "ids => ids.filter(id => document.getElementById(id).offsetParent !== null)"
    groups = ["servers", "server-tags", "keypairs"]
    assert tab.evaluate(visible_groups, groups) == groups
    type_filter(tab, "keypair")
    assert tab.evaluate(visible_groups, groups) == ["keypairs"]
    assert tab.is_visible("div.api-toolbar")
    # Emptying the box restores everything and drops the count.
    type_filter(tab, "")
    assert shown_operations(tab) == ALL_IDS
    assert tab.evaluate(visible_groups, groups) == groups
    assert count_text(tab) == ""
    assert tab.locator(".api-hidden-by-filter").count() == 0
    # So does Escape in the box.
    type_filter(tab, "tag")
    assert count_text(tab) == "2 of 7 operations"
    tab.press("input.api-filter-input", "Escape")
    assert shown_operations(tab) == ALL_IDS
    assert count_text(tab) == ""


def test_slash_focuses_the_filter_unless_typing_elsewhere(reader) -> None:
    tab = reader()
    focused_class = "() => document.activeElement.className"
    tab.keyboard.press("/")
    assert tab.evaluate(focused_class) == "api-filter-input"
    # The slash is typed into the box, not swallowed: typing a URL works.
    tab.keyboard.type("/os-keypairs")
    assert tab.input_value("input.api-filter-input") == "/os-keypairs"
    assert shown_operations(tab) == ["list-keypairs", "delete-keypair"]
    # In another field a slash is just a character.
    tab.evaluate(
        """() => {
          const other = document.createElement("input");
          other.id = "elsewhere";
          document.body.prepend(other);
        }"""
    )
    tab.focus("#elsewhere")
    tab.keyboard.type("a/b")
    assert tab.evaluate(focused_class) == ""
    assert tab.input_value("#elsewhere") == "a/b"
    assert tab.input_value("input.api-filter-input") == "/os-keypairs"
    # Anywhere else on the page it selects the box for new text.
    tab.focus("section#list-keypairs summary")
    assert tab.evaluate(focused_class) == "api-operation-summary"
    tab.keyboard.press("/")
    tab.keyboard.type("tags")
    assert tab.input_value("input.api-filter-input") == "tags"


def test_filter_combines_with_microversion_selector(reader) -> None:
    tab = reader("?microversion=2.3")
    # At 2.3 the two tag operations do not exist yet: five in all.
    type_filter(tab, "tag")
    assert shown_operations(tab) == []
    assert count_text(tab) == "0 of 5 operations"
    assert not tab.is_visible("section#server-tags")
    type_filter(tab, "delete")
    assert shown_operations(tab) == ["delete-server", "delete-keypair"]
    assert count_text(tab) == "2 of 5 operations"
    # Choosing a version keeps the filter and recounts.
    tab.select_option("select.api-mv-select", "2.11")
    assert shown_operations(tab) == ["delete-server"]
    assert count_text(tab) == "1 of 6 operations"
    tab.select_option("select.api-mv-select", "")
    assert shown_operations(tab) == ["delete-server", "delete-keypair"]
    assert count_text(tab) == "2 of 7 operations"
    type_filter(tab, "")
    assert shown_operations(tab) == ALL_IDS


def test_fragment_to_a_filtered_out_operation_clears_the_filter(reader) -> None:
    tab = reader()
    type_filter(tab, "keypair")
    tab.evaluate("() => { window.location.hash = 'create-server'; }")
    tab.wait_for_function("() => document.querySelector('#create-server details').open")
    assert shown_operations(tab) == ALL_IDS
    assert tab.input_value("input.api-filter-input") == ""


def test_odd_microversion_in_the_address_is_ignored(reader) -> None:
    # Not an option of the selector; once it broke the whole script.
    tab = reader("?microversion=2.%0A'%5C#delete-server")
    assert tab.input_value("select.api-mv-select") == ""
    assert tab.evaluate("() => document.querySelector('#delete-server details').open")
    type_filter(tab, "keypair")
    assert shown_operations(tab) == ["list-keypairs", "delete-keypair"]


def copied(tab, button) -> str:
    """What ``button`` put on the clipboard, once it says so."""
    from playwright.sync_api import expect

    expect(button).to_have_text("Copied")
    return tab.evaluate("() => navigator.clipboard.readText()")


def test_copy_buttons_copy_request_lines(reader) -> None:
    tab = reader()
    buttons = tab.locator("section.api-operation-section > button.api-copy-request")
    assert buttons.count() == 7
    for index, (section_id, method, url, _title) in enumerate(OPERATIONS):
        button = tab.locator(f"section#{section_id} > button.api-copy")
        assert button.get_attribute("aria-label") == f"Copy method and URL: {method} {url}"
        button.click()
        assert copied(tab, button) == f"{method} {url}"
        # The button copies; it does not open the operation under it.
        assert not tab.evaluate(f"() => document.querySelector('#{section_id} details').open")
        assert index == buttons.evaluate_all(
            "(all, button) => all.indexOf(button)", button.element_handle()
        )


def test_copy_buttons_copy_samples(reader) -> None:
    tab = reader()
    tab.click("button.api-expand-all")
    expected = {
        "list-servers": ["servers-list-resp.json"],
        "create-server": ["server-create-req.json", "server-create-resp.json"],
        "list-tags": ["server-tags-list-resp.json"],
        "list-keypairs": ["keypairs-list-resp.json"],
    }
    found = {}
    for section_id, files in expected.items():
        buttons = tab.locator(f"section#{section_id} div.highlight > button.api-copy-sample")
        found[section_id] = buttons.count()
        for index, name in enumerate(files):
            button = buttons.nth(index)
            assert button.get_attribute("aria-label") == "Copy sample"
            button.click()
            text = copied(tab, button)
            assert json.loads(text) == json.loads((SAMPLES / name).read_text())
            assert text == (SAMPLES / name).read_text().rstrip("\n")
    assert found == {key: len(value) for key, value in expected.items()}
    assert tab.locator("button.api-copy-sample").count() == 5


def test_copy_confirmation_by_keyboard_moves_nothing(reader) -> None:
    tab = reader()
    tab.focus("section#delete-server summary")
    boxes = (
        "() => [...document.querySelectorAll('#delete-server, #delete-server summary, "
        "#delete-server h2, #delete-server .api-url')].map(e => JSON.stringify("
        "e.getBoundingClientRect()))"
    )
    before = tab.evaluate(boxes)
    tab.keyboard.press("Tab")
    focused = tab.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "Copy method and URL: DELETE /v2/{project_id}/servers/{server_id}"
    tab.keyboard.press("Enter")
    button = tab.locator("section#delete-server > button.api-copy")
    assert copied(tab, button) == "DELETE /v2/{project_id}/servers/{server_id}"
    # Said in words too, for a screen reader.
    tab.wait_for_function(
        "() => document.querySelector('[role=status].api-offscreen').textContent === 'Copied'"
    )
    assert tab.evaluate(boxes) == before
    # The confirmation goes away again.
    tab.wait_for_function(
        "() => document.querySelector('#delete-server > button.api-copy').textContent === 'Copy'",
        timeout=5000,
    )


def test_keyboard_opens_and_closes_operations(reader) -> None:
    tab = reader()
    is_open = "() => document.querySelector('#list-keypairs details').open"
    tab.focus("section#list-keypairs summary")
    tab.keyboard.press("Enter")
    assert tab.evaluate(is_open)
    tab.keyboard.press("Enter")
    assert not tab.evaluate(is_open)
    tab.keyboard.press(" ")
    assert tab.evaluate(is_open)
    tab.keyboard.press(" ")
    assert not tab.evaluate(is_open)


SIDEWAYS = """() => ({
    page: document.scrollingElement.scrollWidth - window.innerWidth,
    boxes: [...document.querySelectorAll('div.api-table-scroll')].filter(
        box => box.scrollWidth > box.clientWidth).length,
})"""


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_narrow_screen_never_scrolls_sideways(browser, sites, theme) -> None:
    if theme not in sites:
        pytest.skip(f"theme {theme} is not installed")
    tab = open_page(browser, sites[theme], viewport={"width": 375, "height": 800})
    try:
        assert tab.evaluate(SIDEWAYS)["page"] <= 0
        tab.click("button.api-expand-all")
        measured = tab.evaluate(SIDEWAYS)
        assert measured["page"] <= 0
        # The wide tables scroll in their own box instead.
        assert measured["boxes"] > 0
        boxes = tab.locator("div.api-table-scroll")
        assert boxes.count() == 25
        assert boxes.evaluate_all(
            "all => all.every(box => box.tabIndex === 0 && box.getAttribute('aria-label'))"
        )
        assert boxes.first.get_attribute("aria-label") == "Status codes: Success"
        assert boxes.nth(2).get_attribute("aria-label") == "Parameters: Request"
        # A focused box scrolls with the arrow keys.
        scroller = tab.locator("div.api-table-scroll.api-test-wide")
        boxes.evaluate_all(
            "all => all.find(box => box.scrollWidth > box.clientWidth)"
            ".classList.add('api-test-wide')"
        )
        scroller.focus()
        assert scroller.evaluate("box => box.scrollLeft") == 0
        tab.keyboard.press("ArrowRight")
        tab.keyboard.press("ArrowRight")
        # Keyboard scrolling is animated: wait for it to get under way.
        tab.wait_for_function(
            "() => document.querySelector('div.api-test-wide').scrollLeft > 0", timeout=5000
        )
    finally:
        tab.context.close()


#: The modes each theme is audited in: (OS colour scheme, furo's own switch).
MODES = {
    "alabaster": [("light", None), ("dark", None)],
    "openstackdocs": [("light", None), ("dark", None)],
    "furo": [
        ("light", "auto"),
        ("dark", "auto"),
        ("light", "dark"),
        ("dark", "light"),
    ],
}

#: Inside our elements, but the theme's: the colours its Pygments style
#: gives the tokens of a highlighted sample.
THEIRS = ["div.highlight > pre"]


def axe_findings(tab) -> list[tuple[str, str, int]]:
    """(rule, impact, nodes) of axe-core's violations inside our elements."""
    result = tab.evaluate(
        """([include, exclude]) => axe.run(
            {include: include, exclude: exclude}, {resultTypes: ["violations"]})""",
        [[[selector] for selector in OUR_ELEMENTS], [[selector] for selector in THEIRS]],
    )
    return sorted((v["id"], v["impact"], len(v["nodes"])) for v in result["violations"])


@pytest.mark.parametrize("theme", sorted(MODES))
def test_axe_finds_nothing_serious_in_our_elements(browser, sites, theme) -> None:
    """Every operation open, the filter and a copy confirmation showing,
    in each light and dark mode the theme has."""
    axe = pytest.importorskip("axe_playwright_python.base")
    if theme not in sites:
        pytest.skip(f"theme {theme} is not installed")
    tab = open_page(browser, sites[theme])
    try:
        tab.evaluate(axe.AXE_SCRIPT)
        tab.click("button.api-expand-all")
        type_filter(tab, "server")
        tab.locator("section#list-servers > button.api-copy").click()
        serious = {}
        for scheme, switch in MODES[theme]:
            tab.emulate_media(color_scheme=scheme)
            if switch:
                tab.evaluate("switch_ => { document.body.dataset.theme = switch_; }", switch)
            serious[scheme, switch] = [
                finding for finding in axe_findings(tab) if finding[1] in ("serious", "critical")
            ]
        assert serious == {mode: [] for mode in MODES[theme]}
    finally:
        tab.context.close()


PARAM_COLOUR = "() => getComputedStyle(document.querySelector('.api-path-param')).color"


@pytest.mark.parametrize("theme", ["alabaster", "openstackdocs"])
def test_light_theme_stays_light_in_dark_os(browser, sites, theme) -> None:
    if theme not in sites:
        pytest.skip(f"theme {theme} is not installed")
    tab = open_page(browser, sites[theme], color_scheme="light")
    try:
        light = tab.evaluate(PARAM_COLOUR)
        tab.emulate_media(color_scheme="dark")
        assert tab.evaluate(PARAM_COLOUR) == light
    finally:
        tab.context.close()


def test_dark_colours_follow_furo(browser, sites) -> None:
    if "furo" not in sites:
        pytest.skip("theme furo is not installed")
    tab = open_page(browser, sites["furo"])
    colours = {}
    try:
        for scheme in ("light", "dark"):
            tab.emulate_media(color_scheme=scheme)
            for switch in ("auto", "light", "dark"):
                tab.evaluate("switch_ => { document.body.dataset.theme = switch_; }", switch)
                colours[scheme, switch] = tab.evaluate(PARAM_COLOUR)
    finally:
        tab.context.close()
    light = colours["light", "auto"]
    dark = colours["dark", "auto"]
    assert light != dark
    assert colours["light", "light"] == colours["dark", "light"] == light
    assert colours["light", "dark"] == colours["dark", "dark"] == dark
