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
from sphinx.testing.util import SphinxTestApp

App = TypeVar("App")


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


def give_test_apps_their_streams() -> None:
    """``app.status`` and ``app.warning``, which the tests read, on every
    version: Sphinx 7.3 made them properties of ``SphinxTestApp``; before
    it the streams are only its ``_status`` and ``_warning``."""
    if not hasattr(SphinxTestApp, "warning"):
        SphinxTestApp.status = property(attrgetter("_status"))  # type: ignore[attr-defined]
        SphinxTestApp.warning = property(attrgetter("_warning"))  # type: ignore[attr-defined]
