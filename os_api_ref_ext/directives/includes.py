"""Sphinx side: ``literalinclude`` and ``include``, bounded and recorded.

Sphinx's own ``literalinclude`` does the work; this subclass notes every
``.json`` file it pulls in (with the operation and the request/response
subsection around it) so the linter can check the sample against the
parameters documented beside it.  A missing JSON sample is reported by the
linter with its own code, so Sphinx's generic warning is not repeated.

Sphinx and docutils read what ``literalinclude`` and ``include`` name
without looking first: a FIFO blocks the build for ever, a symlink to
``/dev/zero`` fills the memory.  So both directives check the file's
``stat`` first, and one that is no regular file once symlinks are followed,
or is larger than ``os_api_ref_max_file_size``, is not handed on: the page
shows a note in its place and a warning names the file at the directive's
line (J001 for a JSON sample, a docutils warning as for any unreadable
include otherwise).  The check and Sphinx's own ``open`` are two steps, so
a file swapped for a FIFO in between still blocks; only something writing
the tree during the build can do that.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include

from os_api_ref_ext.directives._base import directive_context, note_include_site, resolve_file
from os_api_ref_ext.domain import current_document, source_cache
from os_api_ref_ext.reads import max_file_size, read_bytes, refusal
from os_api_ref_ext.record import record_include, record_sample


def _refused_note(argument: str, reason: str) -> nodes.paragraph:
    """What the page shows where a refused file would have been."""
    text = f"File not shown: {argument} {reason}."
    return nodes.paragraph("", "", nodes.emphasis(text, text), classes=["api-file-refused"])


class SampleLiteralInclude(LiteralInclude):
    """``literalinclude`` as Sphinx has it, plus sample bookkeeping."""

    def run(self) -> list[nodes.Node]:
        if not self.arguments:
            return super().run()
        argument = self.arguments[0]
        filename = resolve_file(self, argument)
        is_sample = argument.lower().endswith(".json")
        if is_sample:
            self._record_sample(filename)
        refused = self._refused(argument, filename, is_sample)
        if refused is not None:
            return refused
        if not is_sample:
            return super().run()
        if not os.path.isfile(filename):
            # Reported by the linter (J001); keep a dependency so that
            # creating the file rebuilds the page.
            self.env.note_dependency(str(filename))
            return []
        cache = source_cache(self.env)
        loaded = cache.sample(str(filename))
        if loaded.read_error and "encoding" not in self.options:
            # Not UTF-8 (J001): show it with the bad bytes replaced rather
            # than drop the sample behind a generic encoding warning.
            self.env.note_dependency(str(filename))
            read = read_bytes(filename, cache.max_bytes)
            if read.data is None:  # changed since it was checked
                return [self._note(argument, read.error or "cannot be read")]
            text = read.data.decode("utf-8-sig", errors="replace")
            block = nodes.literal_block(text, text, source=str(filename))
            block["language"] = self.options.get("language", "json")
            self.set_source_info(block)
            return [block]
        return super().run()

    def _record_sample(self, filename: str) -> None:
        source, line = self.get_source_info()
        kind, operation = directive_context(self)
        record_sample(
            current_document(self.env),
            file=str(filename),
            path=source or "",
            line=line or 0,
            kind=kind,
            operation=operation,
        )

    def _refused(self, argument: str, filename: str, is_sample: bool) -> list[nodes.Node] | None:
        """A note (and, unless the linter reports it, a warning) for a file
        that must not be handed to Sphinx; None when it may be."""
        limit = max_file_size(self.config.os_api_ref_max_file_size)
        files = [(argument, filename)]
        if "diff" in self.options:
            files.append((self.options["diff"], str(self.env.relfn2path(self.options["diff"])[1])))
        for name, path in files:
            reason = refusal(path, limit)
            if reason is None:
                continue
            self.env.note_dependency(path)
            note = self._note(name, reason)
            if is_sample and path == filename:
                return [note]  # J001 names it
            warning = self.state.document.reporter.warning(
                f"literalinclude: file {name!r} {reason}", line=self.lineno
            )
            return [warning, note]
        return None

    def _note(self, argument: str, reason: str) -> nodes.paragraph:
        note = _refused_note(argument, reason)
        self.set_source_info(note)
        return note


class BoundedInclude(Include):
    """Sphinx's ``include``, refusing what is no regular file or too big."""

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0]
        if not (argument.startswith("<") and argument.endswith(">")):
            path = str(self.env.relfn2path(argument)[1])
            reason = refusal(path, max_file_size(self.config.os_api_ref_max_file_size))
            if reason is not None:
                self.env.note_dependency(path)
                note = _refused_note(argument, reason)
                self.set_source_info(note)
                warning = self.state.document.reporter.warning(
                    f"include: file {argument!r} {reason}", line=self.lineno
                )
                return [warning, note]
        log = self.state.document.include_log
        opened = len(log)
        result = list(super().run())
        if len(log) > opened:  # the file's lines were spliced into the input
            note_include_site(self)
        return result


def note_include(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read``: record what an ``include`` read (D003 judges it)."""
    path = os.path.normpath(os.path.join(app.srcdir, relative_path))
    record_include(current_document(app.env), path, "".join(content))
