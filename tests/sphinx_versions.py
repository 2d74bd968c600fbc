"""What the tests need from Sphinx where the supported versions differ.

The tests run on Sphinx 7.2.5 (``tox -e py310-oldest``) up to the newest
release (``tox -e py313-newest``).  Anything that depends on one version's
behaviour goes through here, so each test states the same expectation on
every version.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

import sphinx
from docutils.parsers.rst import directives, roles
from sphinx.application import Sphinx
from sphinx.testing.util import SphinxTestApp

App = TypeVar("App")


#: Sphinx 8.0 ends each warning with its type (``show_warning_types`` on by
#: default): "... [os-api-ref.F011]", "... [docutils]".  Before, no type is
#: shown; the extension then ends its findings with "[F011]" itself, and
#: docutils' own warnings carry no mark at all.
WARNING_TYPES_SHOWN = sphinx.version_info >= (8, 0)


def shown(message: str, warning_type: str) -> str:
    """A warning's message as this Sphinx version prints it."""
    return f"{message} [{warning_type}]" if WARNING_TYPES_SHOWN else message


def finding_message(message: str, code: str) -> str:
    """A finding's message as this Sphinx version prints it."""
    return f"{message} [os-api-ref.{code}]" if WARNING_TYPES_SHOWN else f"{message} [{code}]"


def strict_app(factory: Callable[..., App], *args: Any, **kwargs: Any) -> App:
    """A test app whose warnings fail the build, as ``sphinx-build -W`` does
    from Sphinx 8.1 on: every warning is still reported and the build ends
    with status 1.

    ``factory`` is ``SphinxTestApp`` or the ``make_app`` fixture.  Before
    Sphinx 8.1 that behaviour is ``-W --keep-going`` (``-W`` alone stops at
    the first warning); before 7.3 ``SphinxTestApp`` takes neither option,
    and ``keep_going`` set on the app does the same.
    """
    if sphinx.version_info >= (8, 1):
        return factory(*args, warningiserror=True, **kwargs)
    if sphinx.version_info >= (7, 3):
        return factory(*args, warningiserror=True, keep_going=True, **kwargs)
    app = factory(*args, **kwargs)
    app.keep_going = True  # type: ignore[attr-defined]
    return app


def adapt_old_test_apps() -> None:
    """Give Sphinx 7.2's ``SphinxTestApp`` what the tests use of 7.3's.

    ``app.status`` and ``app.warning``: 7.3 made them properties; before,
    the streams are only ``_status`` and ``_warning``.

    A registry of its own: on 7.2 an app that sets up while the
    registrations of another app made in the same process are still in
    docutils' registry warns "directive ... is already registered" for
    Sphinx's own domains and for every extension.  ``sphinx-build`` starts
    each build in a fresh docutils namespace; here each test app starts from
    the registry as it was before the first one, which its ``cleanup()``
    restores.

    The ``basic`` theme where ``conf.py`` names none: 7.3's test apps use it
    rather than Sphinx's default, alabaster (whose sidebar has no page
    contents).
    """
    if sphinx.version_info >= (7, 3):
        return
    SphinxTestApp.status = property(attrgetter("_status"))  # type: ignore[attr-defined]
    SphinxTestApp.warning = property(attrgetter("_warning"))  # type: ignore[attr-defined]
    pristine = (dict(directives._directives), dict(roles._roles))  # type: ignore[attr-defined]
    setup = SphinxTestApp.__init__

    def __init__(app: SphinxTestApp, *args: Any, **kwargs: Any) -> None:
        directives._directives = dict(pristine[0])  # type: ignore[attr-defined]
        roles._roles = dict(pristine[1])  # type: ignore[attr-defined]
        setup(app, *args, **kwargs)

    SphinxTestApp.__init__ = __init__  # type: ignore[method-assign]

    def _init_builder(app: SphinxTestApp) -> None:
        if "html_theme" not in app.config.overrides and app.config.html_theme == "alabaster":
            app.config.html_theme = "basic"
        Sphinx._init_builder(app)

    SphinxTestApp._init_builder = _init_builder  # type: ignore[method-assign]
