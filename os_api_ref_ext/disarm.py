"""Sphinx side: keep script out of the published pages.

docutils escapes every piece of text it writes, so HTML typed into a title,
a URL or a YAML description reaches the page as text.  Two things it passes
through on purpose are stopped here, right after a document is read:

* a link whose target would run script in the reader's browser
  (``javascript:``, ``vbscript:``, ``data:``), wherever it was written: the
  link becomes plain text;
* a ``raw`` directive inside a description or reason from a parameters or
  status file (text for a table cell, not a place for HTML): it is shown as
  a literal block.

Both are D002 findings at their file and line: the links in the reST pages
are recorded here, what is in YAML files is found by the rule, from the
files' text (:mod:`os_api_ref_ext.unsafe_markup`).  ``raw`` in the reST pages themselves is the
author's deliberate choice and is left alone.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.transforms import SphinxTransform

from os_api_ref_ext.domain import current_document
from os_api_ref_ext.model import Document
from os_api_ref_ext.record import record_unsafe_link
from os_api_ref_ext.unsafe_markup import unsafe_uri
from os_api_ref_ext.walk import nodes_of


def _location(node: nodes.Node) -> tuple[str, int]:
    source, line = get_source_line(node)
    title = node.parent if isinstance(node.parent, nodes.title) else None
    if title is not None and isinstance(title.parent, nodes.section) and line:
        line -= 1  # docutils gives a section title the line of its underline
    return source or "", line or 0


def neutralize(doctree: nodes.Node, yaml_files: set[str], record: Document) -> None:
    """Disarm unsafe links everywhere and raw HTML from ``yaml_files``.

    Records the links of the reST pages in ``record``.  What comes from a
    YAML file is found by the D002 rule in the file's text (so the
    command-line linter reports it too), not here.
    """
    # One walk finds both kinds; nodes are replaced after it.
    references: list[nodes.reference] = []
    raws: list[nodes.raw] = []
    for node in nodes_of(doctree, (nodes.reference, nodes.raw)):
        if isinstance(node, nodes.reference):
            references.append(node)
        elif isinstance(node, nodes.raw):
            raws.append(node)
    for reference in references:
        uri = reference.get("refuri", "")
        if not uri or not unsafe_uri(uri):
            continue
        path, line = _location(reference)
        if path not in yaml_files:
            record_unsafe_link(record, uri, path, line)
        text = nodes.inline("", "", *reference.children, classes=["api-unsafe-link"])
        reference.replace_self(text)
    for raw in raws:
        path, _line = _location(raw)
        if path in yaml_files:
            raw.replace_self(nodes.literal_block(raw.astext(), raw.astext()))


class UnsafeMarkupTransform(SphinxTransform):
    """Run :func:`neutralize` over each document as it is read."""

    # After docutils has resolved named and anonymous link targets.
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        document = current_document(self.env)
        yaml_files = {
            stanza.file
            for stanza in (*document.parameter_stanzas, *document.status_stanzas)
            if stanza.file
        }
        neutralize(self.document, yaml_files, document)
