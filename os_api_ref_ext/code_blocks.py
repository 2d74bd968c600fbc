"""Sphinx side: a code block's HTML highlighted once per build.

References repeat their code: the same JSON sample under several
operations or API versions (cinder's two pages include 343 samples of
254 distinct texts), the same date format in many descriptions.  Pygments
is most of what writing a code block costs, so a block whose text and
attributes equal those of one already written in this build is given the
same HTML.  A block written for the first time is highlighted with a
formatter and a lexer made once per build for its options (Sphinx makes
both anew for every block; the HTML formatter builds its style sheet each
time).

Only blocks Sphinx's own HTML translator writes are reused (a theme's or
extension's translator that writes code blocks its own way is left to do
so), and only when writing the first logged no warning: a highlighting
warning names the block it is about, so a block that warns is written
anew wherever it stands.  The HTML kept is dropped when the build ends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docutils import nodes
from sphinx import highlighting
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

_WRITTEN = "_apiref_code_html"
_TOOLS = "_apiref_code_tools"

#: Languages whose lexer Sphinx chooses by the block's text, so one made
#: for a block may not suit the next.
_CHOSEN_BY_TEXT = frozenset({"py", "python", "py3", "python3", "default", "pycon3", "guess"})


class _WarningsSeen(logging.Filter):
    """Counts the warnings a logger is given, letting each through."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            self.count += 1
        return True


@contextmanager
def _highlighting_warnings() -> Iterator[_WarningsSeen]:
    """Count what Sphinx's highlighter warns about meanwhile."""
    logger = getattr(highlighting.logger, "logger", highlighting.logger)
    seen = _WarningsSeen()
    logger.addFilter(seen)
    try:
        yield seen
    finally:
        logger.removeFilter(seen)


def _sphinx_writes_code(translator: Any) -> bool:
    """Whether the translator's class writes code blocks as Sphinx's own
    HTML translator does."""
    return getattr(type(translator), "visit_literal_block", None) is (
        HTML5Translator.visit_literal_block
    )


def _key(node: nodes.literal_block) -> tuple[str, str]:
    """What the HTML of a highlighted block depends on: its text and its
    attributes (but the file it came from, which is never written)."""
    attributes = sorted(
        (name, value) for name, value in node.attributes.items() if name != "source"
    )
    return node.rawsource, repr(attributes)


class _Tools:
    """The formatters and lexers a builder's highlighter has made in this
    build, by their options; lent to it while a block is highlighted."""

    def __init__(self, bridge: highlighting.PygmentsBridge) -> None:
        self.bridge = bridge
        self.formatters: dict[str, Any] = {}
        self.lexers: dict[tuple[str, str, bool], Any] = {}

    def get_formatter(self, **kwargs: Any) -> Any:
        key = repr(sorted(kwargs.items()))
        formatter = self.formatters.get(key)
        if formatter is None:
            formatter = self.formatters[key] = highlighting.PygmentsBridge.get_formatter(
                self.bridge, **kwargs
            )
        return formatter

    def get_lexer(
        self,
        source: str,
        lang: str,
        opts: dict[str, Any] | None = None,
        force: bool = False,
        location: Any = None,
    ) -> Any:
        key = (lang, repr(sorted((opts or {}).items())), bool(force))
        lexer = self.lexers.get(key)
        if lexer is None:
            with _highlighting_warnings() as seen:
                lexer = highlighting.PygmentsBridge.get_lexer(
                    self.bridge, source, lang, opts, force, location
                )
            # A language chosen by the text may not suit the next block; an
            # unknown one warns for every block.
            if lang not in _CHOSEN_BY_TEXT and not seen.count:
                self.lexers[key] = lexer
        return lexer


def _bridge_of_sphinx(bridge: Any) -> bool:
    """Whether the highlighter makes formatters and lexers as Sphinx's own
    does (so that one made earlier is the one it would make now)."""
    kind = type(bridge)
    return isinstance(bridge, highlighting.PygmentsBridge) and all(
        getattr(kind, name) is getattr(highlighting.PygmentsBridge, name)
        for name in ("get_formatter", "get_lexer")
    )


@contextmanager
def _lent_tools(translator: HTML5Translator) -> Iterator[None]:
    """While a block is written: the highlighter takes its formatter and
    lexer from those made in this build."""
    bridge = getattr(translator, "highlighter", None)
    if not _bridge_of_sphinx(bridge) or vars(bridge).keys() & {"get_formatter", "get_lexer"}:
        yield
        return
    tools: _Tools | None = getattr(translator.builder, _TOOLS, None)
    if tools is None or tools.bridge is not bridge:
        tools = _Tools(bridge)
        setattr(translator.builder, _TOOLS, tools)
    bridge.get_formatter = tools.get_formatter
    bridge.get_lexer = tools.get_lexer
    try:
        yield
    finally:
        del bridge.get_formatter, bridge.get_lexer


def visit_literal_block(self: HTML5Translator, node: nodes.literal_block) -> None:
    """Write a code block as the translator's class would, reusing the HTML
    of an equal block written earlier in the build."""
    if not _sphinx_writes_code(self) or node.rawsource != node.astext():
        type(self).visit_literal_block(self, node)  # its own way, or a parsed literal
        return
    written: dict[tuple[str, str], str] | None = getattr(self.builder, _WRITTEN, None)
    if written is None:
        written = {}
        setattr(self.builder, _WRITTEN, written)
    key = _key(node)
    html = written.get(key)
    if html is not None:
        self.body.append(html)
        raise nodes.SkipNode
    start = len(self.body)
    with _highlighting_warnings() as seen, _lent_tools(self):
        try:
            HTML5Translator.visit_literal_block(self, node)
        except nodes.SkipNode:  # how it ends when it has written the block
            if not seen.count:
                written[key] = "".join(self.body[start:])
            raise


def depart_literal_block(self: HTML5Translator, node: nodes.literal_block) -> None:
    type(self).depart_literal_block(self, node)


def register(app: Sphinx) -> None:
    """Write the HTML builders' code blocks through this module, unless an
    extension set up before this one already writes them its own way."""
    handlers = app.registry.translation_handlers.get("html", {})
    if "literal_block" not in handlers:
        app.add_node(
            nodes.literal_block, override=True, html=(visit_literal_block, depart_literal_block)
        )
    app.connect("build-finished", forget_written)


def forget_written(app: Sphinx, exception: BaseException | None) -> None:
    builder = getattr(app, "builder", None)
    for name in (_WRITTEN, _TOOLS):
        if builder is not None and hasattr(builder, name):
            delattr(builder, name)
