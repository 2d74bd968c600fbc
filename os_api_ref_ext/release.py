"""Sphinx side: free an API page's doctree once the page's HTML is written.

The HTML builders keep the doctree of the page being written alive until
its template is rendered, and rendering the template of a big API page
loads the root document's doctree again for the sidebar.  A docutils tree
is one reference cycle (every node points to its parent), so even when
nothing uses it any more it stays in memory until the garbage collector
walks everything alive and finds it.  On nova's single page that is
about 9 MB of the peak, held through the template and the collections
that fall there.

``html-page-context`` is the last event that sees the doctree: its
handlers run before the template is rendered, and the template reads the
context, not the tree.  After every other handler (this one runs at
:data:`RELEASE_PRIORITY`), a page that holds API tables has its tree
taken apart (every element's children dropped), so its nodes are
freed at once.  A page is left whole when anything in the template
context can reach one of its nodes (a template function that reads the
tree while the template renders), and ``os_api_ref_release_written_pages
= False`` leaves every page whole, for an extension that keeps page
trees after ``html-page-context``.
"""

from __future__ import annotations

import gc
import types
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from os_api_ref_ext.tables import holds_api_tables

#: After every handler registered at Sphinx's default priority (500), and
#: after any up to this one.
RELEASE_PRIORITY = 10_000

#: How far, in references, the template context is searched for a node of
#: the page, and how many objects at most.
_SEARCH_DEPTH = 4
_SEARCH_BUDGET = 50_000

#: Objects the search does not enter: Sphinx's own application, builder,
#: environment and configuration (which reach every tree Sphinx holds, the
#: root document's included, and no page's written tree), and what only
#: defines code.
_OPAQUE = (
    Sphinx,
    Builder,
    BuildEnvironment,
    Config,
    type,
    types.ModuleType,
    types.CodeType,
    str,
    bytes,
    int,
    float,
)


def release_written_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Take apart the doctree of a page holding API tables, unless the
    template context can reach it or the project says not to."""
    if doctree is None or not app.config.os_api_ref_release_written_pages:
        return
    if not holds_api_tables(doctree):
        return
    if context_reaches_nodes(context.values()):
        return
    take_apart(doctree)


def context_reaches_nodes(values: Iterable[Any]) -> bool:
    """Whether a docutils node can be reached from ``values`` within
    :data:`_SEARCH_DEPTH` references (through closures, defaults, bound
    objects, containers and module globals), without entering Sphinx's own
    objects.  When the search runs out of budget, True."""
    seen: set[int] = set()
    level = list(values)
    for _depth in range(_SEARCH_DEPTH + 1):
        following: list[Any] = []
        for value in level:
            if isinstance(value, nodes.Node):
                return True
            if isinstance(value, _OPAQUE) or id(value) in seen:
                continue
            seen.add(id(value))
            if len(seen) > _SEARCH_BUDGET:
                return True
            following.extend(gc.get_referents(value))
        if not following:
            return False
        level = following
    return False


def take_apart(doctree: nodes.document) -> None:
    """Empty every element's list of children, so that each node is freed
    as soon as nothing else refers to it (its reference to its parent goes
    with it; a node the document's ids still name keeps only its
    ancestors, now childless, until the collector runs)."""
    stack: list[nodes.Node] = [doctree]
    while stack:
        node = stack.pop()
        children = node.children  # a text's is an empty tuple
        if children:
            node.children = []
            stack.extend(children)
