"""Sphinx side: the root page's toctrees for the sidebar, without its API tables.

Every page's global table of contents (the sidebar of alabaster and of
most themes) is built from the toctrees of the root document.  To find
them, Sphinx loads the root page's whole doctree from its pickle
(``env.master_doctree``) the first time a page's template asks, and keeps
it until the build ends.  When the root page is an API reference, as
nova's is (one page of 254 operations), that is the biggest tree of the
build loaded a second time for a handful of toctree nodes: on nova a
full collection of the garbage collector and 5 MB of peak memory.

So, when the root page holds API tables:

* once it is read (``doctree-read``, after Sphinx's own handlers), copies
  of its toctree nodes are kept in the ``apiref`` domain's data, with the
  environment, cleared and merged per document like the rest of it;
* when the first page is written, before its template asks for the
  sidebar, Sphinx is given a document holding copies of those nodes, and
  nothing else, as the root page's tree.

Sphinx's global table of contents reads nothing of that tree but its
toctree nodes, so every sidebar is written the same.  An extension or
theme that reads ``env.master_doctree`` for more than its toctrees needs
``os_api_ref_light_root_doctree = False``.  The stand-in is dropped when
the build finishes.
"""

from __future__ import annotations

import copy
from typing import Any

from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from os_api_ref_ext.domain import get_domain
from os_api_ref_ext.tables import holds_api_tables
from os_api_ref_ext.walk import nodes_of

#: What :func:`functools.cached_property` fills on the environment.
_CACHED = "master_doctree"

#: After the ``doctree-read`` handlers at Sphinx's default priority.
NOTE_PRIORITY = 900


def _copies(toctrees: list[nodes.Element]) -> list[nodes.Element]:
    """Deep copies of toctree nodes, attributes included, and the ``uid``
    Sphinx's versioning gives them (the sidebar takes it for the caption and
    deletes it from the node, so the recorded ones are never handed out)."""
    result = []
    for toctree in toctrees:
        duplicate = toctree.deepcopy()
        duplicate.attributes = copy.deepcopy(toctree.attributes)
        if hasattr(toctree, "uid"):
            duplicate.uid = toctree.uid  # type: ignore[attr-defined]
        result.append(duplicate)
    return result


def note_root_toctrees(app: Sphinx, document: nodes.document) -> None:
    """``doctree-read``: keep the toctrees of the root page when it is an
    API page."""
    env = app.env
    if env.docname == app.config.root_doc and holds_api_tables(document):
        get_domain(env).root_toctrees[env.docname] = _copies(nodes_of(document, addnodes.toctree))


def toctrees_document(toctrees: list[nodes.Element], settings: Any) -> nodes.document:
    """A document holding copies of ``toctrees``, in order, and nothing else."""
    stand_in = new_document("", settings)
    for toctree in _copies(toctrees):
        stand_in += toctree
    stand_in.apiref_toctrees_only = True  # type: ignore[attr-defined]
    return stand_in


class RootToctreesTransform(SphinxPostTransform):
    """Write phase, on the first page written (before its template asks for
    the sidebar): the root page's toctrees as the root page's tree, when the
    root page is an API page."""

    default_priority = 2

    def run(self, **kwargs: Any) -> None:
        env = self.env
        if (
            not self.config.os_api_ref_light_root_doctree
            or _CACHED in vars(env)  # loaded already, or set by someone else
            or not hasattr(type(env), _CACHED)
        ):
            return
        toctrees = get_domain(env).root_toctrees.get(self.config.root_doc)
        if toctrees is not None:
            vars(env)[_CACHED] = toctrees_document(toctrees, self.document.settings)


def forget_root_toctrees(app: Sphinx, _exception: BaseException | None) -> None:
    """``build-finished``: drop the stand-in, so that it outlives no build."""
    if getattr(vars(app.env).get(_CACHED), "apiref_toctrees_only", False):
        del vars(app.env)[_CACHED]
