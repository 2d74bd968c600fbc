"""Sphinx-free: what in reStructuredText would put script on a page, found in the text.

The Sphinx build disarms such markup in the doctree
(:mod:`os_api_ref_ext.disarm`); the linter, which reads no doctree, finds
descriptions and reasons that hold it here, so the build and the
command-line linter report the same D002 findings for YAML files.
"""

from __future__ import annotations

import collections
import functools
import io
import re
from typing import Any, NamedTuple

from docutils import frontend, nodes
from docutils.languages import get_language
from docutils.parsers.rst import Parser
from docutils.parsers.rst.states import Inliner, Struct
from docutils.utils import new_document, punctuation_chars

#: Link schemes that run script or smuggle a document into the page.
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop ASCII white space and control characters anywhere in a URL
# before reading its scheme ("java\tscript:" runs), and docutils drops white
# space from an embedded URI, so both are dropped before the check.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_INLINE_LITERAL = re.compile(r"``.+?``", re.DOTALL)
# Where inline markup may start, for docutils: after white space or an
# opening or delimiting punctuation mark.  Its classes hold thousands of
# Unicode characters, so the patterns below take tens of milliseconds to
# compile: they are compiled the first time a text could hold an unsafe
# link, which most builds never meet.
_MARKUP_START = rf"{punctuation_chars.openers}{punctuation_chars.delimiters}"
_URIC = r"[-_.!~*'()\[\];/:@&=+$,%a-zA-Z0-9\x00]"
_URI_END = rf"(?:[_~*/=+a-zA-Z0-9]|{_URIC}(?=[>]))"


class _LinkPatterns(NamedTuple):
    #: Backquoted text that docutils reads as interpreted text or a
    #: reference: its opening backquote stands where inline markup may
    #: start ("#`x`" is plain text, and a URI inside it is a link).
    backquoted: re.Pattern[str]
    #: An embedded URI ending a phrase reference whose opening backquote is
    #: inline markup, not followed by white space ("]`x <javascript:...>`__"
    #: is plain text, no link).
    embedded_uri: re.Pattern[str]
    #: A bare URI, as docutils' inliner recognises one: only schemes it
    #: knows (javascript and data, not vbscript) are links; the URI ends on
    #: a character that cannot be trailing punctuation
    #: ("javascript:alert(2)" links "javascript:alert(2").
    standalone_uri: re.Pattern[str]


@functools.cache
def _link_patterns() -> _LinkPatterns:
    return _LinkPatterns(
        backquoted=re.compile(
            rf"(?:^|(?<=[\s{_MARKUP_START}]))`(?=\S)[^`]*`",
            re.MULTILINE,
        ),
        embedded_uri=re.compile(
            rf"(?:^|(?<=[\s{_MARKUP_START}]))`(?=\S)[^`]*?<(?P<uri>[^<>`]*)>`",
            re.MULTILINE,
        ),
        standalone_uri=re.compile(
            rf"(?:^|(?<=\s|[{_MARKUP_START}]))"
            rf"(?:javascript|data):(?://?)?{_URIC}*{_URI_END}"
            rf"(?:\?{_URIC}*{_URI_END})?(?:\#{_URIC}*{_URI_END})?"
            rf"(?=$|\s|[\x00{punctuation_chars.closing_delimiters}{punctuation_chars.delimiters}"
            rf"{punctuation_chars.closers}])",
            re.IGNORECASE | re.MULTILINE,
        ),
    )


_RAW = re.compile(r"^[ \t]*\.\.[ \t]+raw::", re.MULTILINE)


def unsafe_uri(uri: str) -> bool:
    """Whether following ``uri`` would run script."""
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", uri))
    return bool(match) and match.group(1).lower() in UNSAFE_SCHEMES


def _blank_literals(text: str) -> str:
    """Inline literals blanked out, every offset kept where it was."""
    return _INLINE_LITERAL.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def unsafe_links(text: str) -> list[tuple[int, str]]:
    """(line offset within ``text``, target) of every unsafe link, in order.

    The patterns find where each candidate stands; docutils' own inline
    parser then says which of them it makes a link (it tries only the
    first URI-like text of a stretch between inline markup: after
    ``script:x``, whose scheme it does not know, a ``javascript:`` URI in
    the same stretch stays text).
    """
    if not could_be_unsafe(text):
        return []
    return _links(text, _blank_literals(text))


def _links(source: str, text: str) -> list[tuple[int, str]]:
    """:func:`unsafe_links` of ``source``, whose inline literals ``text``
    has blanked out.  docutils reads ``source`` itself: a literal is inline
    markup, and starts a new stretch."""
    patterns = _link_patterns()
    # Bare URIs are found only outside `interpreted text` and `references`_.
    outside = patterns.backquoted.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    found = []
    for pattern, searched, uri_of in (
        (patterns.embedded_uri, text, lambda m: _IGNORED_IN_SCHEME.sub("", m.group("uri"))),
        (patterns.standalone_uri, outside, lambda m: m.group()),
    ):
        for match in pattern.finditer(searched):
            uri = uri_of(match)
            if unsafe_uri(uri):
                # Where the target starts: "<" of an embedded URI.
                start = match.start("uri") - 1 if "uri" in pattern.groupindex else match.start()
                found.append((start, text.count("\n", 0, start), uri))
    if not found:
        return []
    linked = collections.Counter(_comparable(uri) for uri in _docutils_links(source))
    kept = []
    for _start, line, uri in sorted(found):
        key = _comparable(uri)
        if linked[key] > 0:
            linked[key] -= 1
            kept.append((line, uri))
    return kept


def _comparable(uri: str) -> str:
    """A target as both sides can agree on it, whatever escapes and white
    space each kept."""
    return re.sub(r"[^a-z0-9]", "", uri.lower())


def _unrun_role(
    rawsource: str, text: str, role: str, lineno: int
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Interpreted text as docutils' inline parser is given it here: never
    a link, and no role run (one another program registered must not run
    outside its build)."""
    return [nodes.inline(rawsource, text)], []


@functools.cache
def _parser_settings() -> Any:
    settings = frontend.get_default_settings(Parser)
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = io.StringIO()
    return settings


def _docutils_links(text: str) -> list[str]:
    """The targets of the links docutils' inline parser makes of ``text``
    (bare and embedded URIs), in no particular order."""
    settings = _parser_settings()
    document = new_document("<text>", settings)
    inliner = Inliner()
    inliner.init_customizations(settings)
    inliner.interpreted = _unrun_role  # type: ignore[method-assign]
    memo = Struct(
        document=document,
        reporter=document.reporter,
        language=get_language(settings.language_code, document.reporter),
        title_styles=[],
        section_level=0,
        section_bubble_up_kludge=False,
        inliner=inliner,
    )
    parent = nodes.paragraph()
    children, _messages = inliner.parse(text, 1, memo, parent)
    parent.extend(children)
    return [str(node["refuri"]) for node in parent.findall(nodes.reference) if "refuri" in node]


#: What :data:`_IGNORED_IN_SCHEME` drops, for :meth:`str.translate`.
_DROPPED = dict.fromkeys([*range(0x21), 0x7F])


def could_be_unsafe(text: str) -> bool:
    """False when ``text`` cannot hold an unsafe link or a raw block: every
    unsafe target, once the characters browsers ignore are dropped, starts
    with ``javascript:``, ``vbscript:`` or ``data:``, and every raw block
    holds ``raw::``.  Most descriptions hold neither."""
    if "raw::" in text:
        return True
    squeezed = text.translate(_DROPPED).lower()
    return "script:" in squeezed or "data:" in squeezed


def unsafe_markup(text: str) -> list[tuple[int, str | None]]:
    """(line offset within ``text``, link target or None for a raw block):
    the first unsafe link or raw block on each line."""
    if not could_be_unsafe(text):
        return []
    blanked = _blank_literals(text)
    found: dict[int, str | None] = {}
    for offset, uri in _links(text, blanked):
        found.setdefault(offset, uri)
    for match in _RAW.finditer(blanked):
        found.setdefault(text.count("\n", 0, match.start()), None)
    return sorted(found.items())
