"""What in reStructuredText would put script on a page, found in the text.

The Sphinx build disarms such markup in the doctree
(:mod:`os_api_ref_ext.safety`); the linter, which reads no doctree, finds
descriptions and reasons that hold it here, so the build and the
command-line linter report the same D002 findings for YAML files.
"""

from __future__ import annotations

import re

#: Link schemes that run script or smuggle a document into the page.
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop ASCII white space and control characters anywhere in a URL
# before reading its scheme ("java\tscript:" runs), and docutils drops white
# space from an embedded URI, so both are dropped before the check.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_INLINE_LITERAL = re.compile(r"``.+?``", re.DOTALL)
_EMBEDDED_URI = re.compile(r"<([^<>`]*)>`")
_STANDALONE_URI = re.compile(r"(?<![\w.+-])(?:javascript|vbscript|data):[^\s<>`]*", re.IGNORECASE)
_RAW = re.compile(r"^[ \t]*\.\.[ \t]+raw::", re.MULTILINE)


def unsafe_uri(uri: str) -> bool:
    """Whether following ``uri`` would run script."""
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", uri))
    return bool(match) and match.group(1).lower() in UNSAFE_SCHEMES


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for a one-line message."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def link_message(uri: str) -> str:
    return f"link target {shorten(uri)!r} would run script; shown as plain text"


RAW_MESSAGE = "raw markup in a YAML description is shown as text, not passed through"


def unsafe_markup(text: str) -> list[tuple[int, str]]:
    """(line offset within ``text``, message) for each unsafe link or raw block."""
    # Blank out inline literals, keeping every offset where it was.
    text = _INLINE_LITERAL.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    found: dict[int, str] = {}
    for pattern, uri_of in (
        (_EMBEDDED_URI, lambda m: _IGNORED_IN_SCHEME.sub("", m.group(1))),
        (_STANDALONE_URI, lambda m: m.group()),
    ):
        for match in pattern.finditer(text):
            uri = uri_of(match)
            if unsafe_uri(uri):
                found.setdefault(text.count("\n", 0, match.start()), link_message(uri))
    for match in _RAW.finditer(text):
        found.setdefault(text.count("\n", 0, match.start()), RAW_MESSAGE)
    return sorted(found.items())
