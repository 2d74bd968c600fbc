"""Sphinx side: a code block's HTML highlighted once per build.

References repeat their code: the same JSON sample under several
operations or API versions (cinder's two pages include 343 samples of
254 distinct texts), the same date format in many descriptions.  Pygments
is most of what writing a code block costs, so a block whose text and
attributes equal those of one already written in this build is given the
same HTML.

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
    with _highlighting_warnings() as seen:
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
    if getattr(app, "builder", None) is not None and hasattr(app.builder, _WRITTEN):
        delattr(app.builder, _WRITTEN)
