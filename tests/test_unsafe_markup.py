"""The quick test before the full search for unsafe markup never skips a hit.

:func:`os_api_ref_ext.unsafe_markup.unsafe_markup` first asks
:func:`could_be_unsafe` whether a text can hold an unsafe link or a raw
block at all; only the full search decides what is found.  The shortcut
must never hide a finding.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from os_api_ref_ext import unsafe_markup as um

UNSAFE = [
    "See `docs <javascript:alert(1)>`__.",
    "See `docs <JavaScript:alert(1)>`__.",
    "See `docs <java\tscript:alert(1)>`__.",
    "See `docs <java\nscript:alert(1)>`__.",
    "See `docs <vbscript:msgbox(1)>`__.",
    "See `docs <data:text/html;base64,xx>`__.",
    "Bare javascript:alert(2) here.",
    "Bare DATA:text/html,x here.",
    "Text.\n\n.. raw:: html\n\n   <script>x</script>\n",
]


@pytest.mark.parametrize("text", UNSAFE)
def test_unsafe_texts_are_found(text: str) -> None:
    assert um.could_be_unsafe(text)
    assert um.unsafe_markup(text)


@pytest.mark.parametrize(
    "text",
    ["The UUID of the server.", "A ``literal`` and `a link <https://example.com>`__."],
)
def test_plain_texts_skip_the_search(text: str) -> None:
    assert not um.could_be_unsafe(text)
    assert um.unsafe_markup(text) == []


_PIECES = st.sampled_from(
    [
        "java",
        "script",
        "vb",
        "data",
        ":",
        "alert(1)",
        "`",
        "<",
        ">",
        "__",
        "_",
        " ",
        "\t",
        "\n",
        "\x00",
        "..",
        "raw",
        "::",
        "``",
        "J",
        "S",
        "D",
        "x",
        "(",
        ")",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_the_quick_test_never_hides_a_finding(text: str) -> None:
    found = um.unsafe_links(text) or [m for m in um._RAW.finditer(um._blank_literals(text))]
    if found:
        assert um.could_be_unsafe(text)


def test_backquotes_where_markup_cannot_start_hide_no_link() -> None:
    # docutils reads "#`x <...>`__" as plain text with a bare URI in it (the
    # backquote follows "#"), and links the URI; the search must see it.
    assert um.unsafe_links("#`x <javascript:alert(1)>`__") == [(0, "javascript:alert(1)")]
    # A real phrase reference: its embedded target is the link.
    assert um.unsafe_links("`x <javascript:alert(1)>`__") == [(0, "javascript:alert(1)")]
    # Interpreted text hides what looks like a URI inside it.
    assert um.unsafe_links("See `javascript:alert(1)` here.") == []


@pytest.mark.parametrize(
    ("text", "links"),
    [
        # docutils tries only the first URI-like text of a stretch between
        # inline markup: an unknown scheme first leaves the rest as text.
        ("JaVa ScRiPt:alert(3)`x <javascript:alert(1)>`__", []),
        ("script:a javascript:d", []),
        ("script:a\njavascript:g", []),
        # Markup between them starts a new stretch.
        ("script:a *em* javascript:b", [(0, "javascript:b")]),
        ("script:a `x`_ javascript:c", [(0, "javascript:c")]),
        ("script:a ``x`` javascript:h", [(0, "javascript:h")]),
        ("x javascript:e script:f", [(0, "javascript:e")]),
        # A space after "<" makes no embedded URI: an anonymous reference
        # without a target, no link.
        ("See `docs < data:text/html;base64,xx>`__.", []),
        # Interpreted text is never a link, whatever its role.
        ("See :ref:`x <javascript:y>` now", []),
        ("The :foo:`javascript:z` role", []),
        (
            "A `x <javascript:y>`_ link\nand data:text/html,x",
            [(0, "javascript:y"), (1, "data:text/html,x")],
        ),
    ],
)
def test_only_what_docutils_links_is_found(text: str, links: list[tuple[int, str]]) -> None:
    assert um.unsafe_links(text) == links
