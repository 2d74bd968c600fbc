"""JSON samples: ``literalinclude`` that also records what it includes.

Sphinx's own ``literalinclude`` does the work; this subclass notes every
``.json`` file it pulls in (with the operation and the request/response
subsection around it) so the linter can check the sample against the
parameters documented beside it.  A missing JSON sample is reported by the
linter with its own code, so Sphinx's generic warning is not repeated.
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx.directives.code import LiteralInclude

from os_api_ref_ext.collector import current_document, directive_context, source_cache
from os_api_ref_ext.common import resolve_file
from os_api_ref_ext.model import Sample, preceding_stanza


class SampleLiteralInclude(LiteralInclude):
    """``literalinclude`` as Sphinx has it, plus sample bookkeeping."""

    def run(self) -> list[nodes.Node]:
        if not self.arguments or not self.arguments[0].lower().endswith(".json"):
            return super().run()
        filename = resolve_file(self, self.arguments[0])
        source, line = self.get_source_info()
        kind, operation = directive_context(self)
        document = current_document(self.env)
        document.samples.append(
            Sample(
                file=str(filename),
                path=source or "",
                line=line or 0,
                kind=kind,
                operation=operation,
                docname=self.env.docname,
                stanza=preceding_stanza(document.parameter_stanzas, operation, kind),
            )
        )
        if not os.path.isfile(filename):
            # Reported by the linter (J001); keep a dependency so that
            # creating the file rebuilds the page.
            self.env.note_dependency(str(filename))
            return []
        loaded = source_cache(self.env).sample(str(filename))
        if loaded.read_error and "encoding" not in self.options:
            # Not UTF-8 (J001): show it with the bad bytes replaced rather
            # than drop the sample behind a generic encoding warning.
            self.env.note_dependency(str(filename))
            with open(filename, "rb") as stream:
                text = stream.read().decode("utf-8-sig", errors="replace")
            block = nodes.literal_block(text, text, source=str(filename))
            block["language"] = self.options.get("language", "json")
            self.set_source_info(block)
            return [block]
        return super().run()
