"""An operation whose ``rest_method`` is not the first thing in its section.

Real references put a warning, a note, a deprecation or a label between an
operation's title and its ``rest_method``.  The ``test-placement`` root has
one section of each shape, a section with two ``rest_method``s and an
ordinary one.  Each must still be one operation with the full layout, with
what came before the ``rest_method`` kept at the top of the body, and O006
must still report every misplaced ``rest_method``.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from lint_support import warnings_of
from test_browser import CHROMIUM, rendered_dom

#: Section id -> (method, URL, version note, body: (tag, class, text start)).
OPERATIONS: dict[str, tuple[str, str, str | None, list[tuple[str, str, str]]]] = {
    "polish-gadget": (
        "POST",
        "/gadgets/{gadget_id}/polish",
        None,
        [
            ("p", "", "Polishing is done by the gadget service"),
            ("p", "", "Polishes a gadget."),
            ("section", "", "Request"),
        ],
    ),
    "park-gadget-note-first": (
        "POST",
        "/gadgets/{gadget_id}/park",
        "New in version 2.3",
        [
            ("div", "admonition note", "Note A parked gadget keeps its reservations."),
            ("p", "", "Parks a gadget."),
            ("section", "", "Response codes"),
        ],
    ),
    "retire-gadget-deprecated": (
        "POST",
        "/gadgets/{gadget_id}/retire",
        "Available until version 2.4",
        [
            ("div", "deprecated", "Deprecated since version 2.5: Gadgets are recycled"),
            ("p", "", "Retires a gadget."),
            ("section", "", "Request"),
        ],
    ),
    "wipe-gadget-deprecated": (
        "POST",
        "/gadgets/{gadget_id}/wipe",
        None,
        [
            ("div", "admonition warning", "Warning This call is deprecated"),
            ("p", "", "Wipes a gadget."),
        ],
    ),
    "resize-gadget": (
        "PUT",
        "/gadgets/{gadget_id}/size",
        None,
        [("p", "", "Resizes a gadget.")],
    ),
    "paint-or-repaint-gadget": (
        "PUT",
        "/gadgets/{gadget_id}/paint",
        None,
        [
            ("p", "", "Paints a gadget."),
            ("p", "api-operation-signature", "PATCH /gadgets/{gadget_id}/paint"),
            ("p", "", "Repaints part of it."),
        ],
    ),
    "show-gadget": ("GET", "/gadgets/{gadget_id}", None, [("p", "", "Shows a gadget.")]),
}

#: (line, message) of every finding: each misplaced rest_method, the second
#: one of "Paint or repaint gadget" included.  The label does not count.
FINDINGS = {
    ("O006", 8, "rest_method should be the first element of its section"),
    ("O006", 24, "rest_method should be the first element of its section"),
    ("O006", 42, "rest_method should be the first element of its section"),
    ("O006", 61, "rest_method should be the first element of its section"),
    ("O006", 81, "rest_method should be the first element of its section"),
}


def soup_of(app) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "lxml")


def text(tag: Tag) -> str:
    return " ".join(tag.get_text().split())


def children(tag: Tag) -> list[Tag]:
    return tag.find_all(recursive=False)


@pytest.mark.sphinx("html", testroot="placement", freshenv=True)
def test_every_shape_is_one_operation_with_the_full_layout(app) -> None:
    app.build()
    assert {(f.code, f.line, f.message) for f in warnings_of(app)} == FINDINGS
    assert {f.path for f in warnings_of(app)} == {str(app.srcdir / "gadgets.inc")}
    soup = soup_of(app)
    sections = soup.find_all("section", class_="api-operation-section")
    assert [section["id"] for section in sections] == list(OPERATIONS)
    # Nothing is left in place: every <details> is an operation's own.
    assert len(soup.find_all("details")) == len(OPERATIONS)
    for section in sections:
        method, url, note, body_parts = OPERATIONS[section["id"]]
        assert "api-method-" + method.lower() in section["class"]
        (details,) = children(section)
        assert details.name == "details" and not details.has_attr("open")
        summary, body = children(details)
        assert summary.name == "summary"
        assert summary.find(class_="api-method").get_text() == method
        assert summary.find("code", class_="api-url").get_text() == url
        heading = summary.find(class_="api-operation-title")
        assert heading.find("a", class_="headerlink")["href"] == "#" + section["id"]
        version = summary.find(class_="api-version-note")
        assert (version.get_text() if version else None) == note
        assert "api-operation-body" in body["class"]
        found = [
            (child.name, " ".join(child.get("class", [])), text(child)) for child in children(body)
        ]
        assert [(name, classes) for name, classes, _ in found] == [
            (name, classes) for name, classes, _ in body_parts
        ]
        for (_, _, got), (_, _, start) in zip(found, body_parts, strict=True):
            assert got.startswith(start), (section["id"], got)


@pytest.mark.sphinx("html", testroot="placement")
def test_microversion_classes_and_toc_stay(app) -> None:
    app.build()
    soup = soup_of(app)
    classes = {
        section["id"]: [c for c in section.details["class"] if "-ver-" in c]
        for section in soup.find_all("section", class_="api-operation-section")
    }
    assert classes["park-gadget-note-first"] == ["api-min-ver-2-3"]
    assert classes["retire-gadget-deprecated"] == ["api-max-ver-2-4"]
    assert classes["wipe-gadget-deprecated"] == []
    toc = [a["href"] for a in soup.select("div.sphinxsidebar a.reference.internal")]
    assert [href for href in toc if href.lstrip("#") in OPERATIONS] == [
        "#" + section_id for section_id in OPERATIONS
    ]


@pytest.mark.sphinx("html", testroot="placement")
def test_label_before_the_rest_method_points_into_the_operation(app) -> None:
    app.build()
    soup = soup_of(app)
    link = soup.find("a", class_="reference internal", href="#gadget-resize")
    assert link.get_text() == "the resize operation"
    anchor = soup.find(id="gadget-resize")
    assert anchor.name == "details" and "api-operation" in anchor["class"]
    assert anchor.parent["id"] == "resize-gadget"


@pytest.mark.sphinx("text", testroot="placement", freshenv=True)
def test_text_builder_puts_the_signature_under_the_title(app) -> None:
    app.build()
    assert {(f.code, f.line, f.message) for f in warnings_of(app)} == FINDINGS
    output = (app.outdir / "index.txt").read_text(encoding="utf-8")
    expected = [
        "Park gadget (note first)",
        "************************",
        "",
        '**POST** "/gadgets/{gadget_id}/park" (New in version 2.3)',
        "",
        "Note:",
        "",
        "  A parked gadget keeps its reservations.",
        "",
        "Parks a gadget.",
    ]
    assert "\n".join(expected) in output
    expected = [
        "Retire gadget (DEPRECATED)",
        "**************************",
        "",
        '**POST** "/gadgets/{gadget_id}/retire" (Available until version 2.4)',
        "",
        "Deprecated since version 2.5: Gadgets are recycled instead; see the",
        "recycling service.",
        "",
        "Retires a gadget.",
    ]
    assert "\n".join(expected) in output
    expected = [
        "Paint or repaint gadget",
        "***********************",
        "",
        '**PUT** "/gadgets/{gadget_id}/paint"',
        "",
        "Paints a gadget.",
        "",
        '**PATCH** "/gadgets/{gadget_id}/paint"',
        "",
        "Repaints part of it.",
    ]
    assert "\n".join(expected) in output
    # Each signature follows its title, whatever stood before the rest_method.
    signatures = [
        line.split('"')[1] for line in output.splitlines() if line.startswith(("**P", "**G"))
    ]
    assert signatures == [
        "/gadgets/{gadget_id}/polish",
        "/gadgets/{gadget_id}/park",
        "/gadgets/{gadget_id}/retire",
        "/gadgets/{gadget_id}/wipe",
        "/gadgets/{gadget_id}/size",
        "/gadgets/{gadget_id}/paint",
        "/gadgets/{gadget_id}/paint",
        "/gadgets/{gadget_id}",
    ]
    for title, signature in [
        ("Polish gadget", '**POST** "/gadgets/{gadget_id}/polish"'),
        ("Wipe gadget (DEPRECATED)", '**POST** "/gadgets/{gadget_id}/wipe"'),
        ("Resize gadget", '**PUT** "/gadgets/{gadget_id}/size"'),
    ]:
        assert f"{title}\n{'*' * len(title)}\n\n{signature}\n" in output


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)")
@pytest.mark.sphinx("html", testroot="placement")
@pytest.mark.parametrize(
    ("fragment", "section_id"),
    [("wipe-gadget-deprecated", "wipe-gadget-deprecated"), ("gadget-resize", "resize-gadget")],
)
def test_fragment_opens_the_operation(app, tmp_path, fragment: str, section_id: str) -> None:
    app.build()
    soup = rendered_dom((app.outdir / "index.html").as_uri() + "#" + fragment, tmp_path / "p")
    opened = [d.parent["id"] for d in soup.find_all("details") if d.has_attr("open")]
    assert opened == [section_id]
