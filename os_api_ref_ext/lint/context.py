"""Sphinx-free: what a lint rule reads, the recorded model, its loaded files and the options.

Rules, the registry and the engine all import this module,
and it imports none of them, so the rule package has no import cycle.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from os_api_ref_ext.json_samples import SampleFile
from os_api_ref_ext.model import (
    DEFAULT_TYPES,
    Document,
    Operation,
    ParameterStanza,
    Sample,
    StatusStanza,
)
from os_api_ref_ext.sources import ParameterFile, SourceCache, StatusFile


def source_relative(path: str, srcdir: str) -> str:
    """``path`` relative to the source directory, with ``/`` separators.

    Messages and the suppressions file name files this way, so that they
    do not depend on where the tree is checked out.  A file outside the
    tree gets a ``../`` path; a pseudo-path such as ``<rst_prolog>`` is
    kept as it is.
    """
    if not path or path.startswith("<"):
        return path
    candidates = []
    for base, target in ((srcdir, path), (os.path.realpath(srcdir), os.path.realpath(path))):
        try:
            candidates.append(os.path.relpath(os.path.abspath(target), os.path.abspath(base)))
        except ValueError:  # another drive
            continue
    if not candidates:
        return path
    inside = [c for c in candidates if c != os.pardir and not c.startswith(os.pardir + os.sep)]
    return (inside or candidates)[0].replace(os.sep, "/")


@dataclass
class LintOptions:
    """What ``os_api_ref_lint`` in conf.py (or the CLI flags) says."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    types: tuple[str, ...] = DEFAULT_TYPES

    @classmethod
    def from_config(cls, value: object) -> LintOptions:
        options = cls()
        if not isinstance(value, dict):
            return options
        select, ignore, types = (
            value.get("select"),
            value.get("ignore"),
            value.get("types"),
        )
        if isinstance(select, (list, tuple)):
            options.select = [str(s) for s in select]
        if isinstance(ignore, (list, tuple)):
            options.ignore = [str(s) for s in ignore]
        if isinstance(types, (list, tuple)):
            options.types = tuple(str(t) for t in types)
        return options


@dataclass
class LintContext:
    """The model a rule looks at, with the files it refers to loaded."""

    documents: Sequence[Document]
    cache: SourceCache
    srcdir: str
    options: LintOptions = field(default_factory=LintOptions)

    # -- the model, flattened -------------------------------------------

    @cached_property
    def operations(self) -> list[Operation]:
        return [op for doc in self.documents for op in doc.operations]

    @cached_property
    def parameter_stanzas(self) -> list[ParameterStanza]:
        return [s for doc in self.documents for s in doc.parameter_stanzas]

    @cached_property
    def status_stanzas(self) -> list[StatusStanza]:
        return [s for doc in self.documents for s in doc.status_stanzas]

    @cached_property
    def samples(self) -> list[Sample]:
        return [s for doc in self.documents for s in doc.samples]

    def operation_of(self, docname: str, index: int | None) -> Operation | None:
        if index is None:
            return None
        return self._operations_by_doc.get(docname, {}).get(index)

    @cached_property
    def _operations_by_doc(self) -> dict[str, dict[int, Operation]]:
        table: dict[str, dict[int, Operation]] = {}
        for doc in self.documents:
            table[doc.docname] = {op.index: op for op in doc.operations}
        return table

    # -- files ------------------------------------------------------------

    @cached_property
    def parameter_files(self) -> dict[str, ParameterFile]:
        paths = sorted({s.file for s in self.parameter_stanzas if s.file})
        return {path: self.cache.parameters(path) for path in paths}

    @cached_property
    def status_files(self) -> dict[str, StatusFile]:
        paths = sorted({s.file for s in self.status_stanzas if s.file})
        return {path: self.cache.status(path) for path in paths}

    def sample_file(self, path: str) -> SampleFile:
        return self.cache.sample(path)

    @cached_property
    def used_keys(self) -> dict[str, frozenset[str]]:
        """For each parameters file, the keys some stanza of the tree uses."""
        used: dict[str, set[str]] = {}
        for stanza in self.parameter_stanzas:
            if stanza.file:
                used.setdefault(stanza.file, set()).update(item.key for item in stanza.items)
        return {path: frozenset(keys) for path, keys in used.items()}

    def parameters_for(self, stanza: ParameterStanza) -> ParameterFile | None:
        if not stanza.file:
            return None
        return self.parameter_files.get(stanza.file)

    def status_for(self, stanza: StatusStanza) -> StatusFile | None:
        if not stanza.file:
            return None
        return self.status_files.get(stanza.file)

    def relative(self, path: str) -> str:
        """``path`` as messages name it: relative to the source directory."""
        return source_relative(path, self.srcdir)

    @cached_property
    def _real_srcdir(self) -> str:
        return os.path.realpath(self.srcdir)

    def inside_srcdir(self, path: str) -> bool:
        root = self._real_srcdir
        target = os.path.realpath(path)
        return target == root or target.startswith(root + os.sep)

    def stanzas_of_operation(
        self, docname: str, index: int | None, kind: str | None
    ) -> list[ParameterStanza]:
        """The parameter stanzas of one operation's request or response."""
        return self._stanza_index.get((docname, index, kind), [])

    @cached_property
    def _stanza_index(self) -> dict[tuple[str, int | None, str | None], list[ParameterStanza]]:
        index: dict[tuple[str, int | None, str | None], list[ParameterStanza]] = {}
        for stanza in self.parameter_stanzas:
            index.setdefault((stanza.docname, stanza.operation, stanza.kind), []).append(stanza)
        return index
