"""Shared test set-up: Sphinx's testing fixtures over tests/roots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx_versions import adapt_old_test_apps

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds its test roots."""
    return ROOTS


def pytest_configure(config: pytest.Config) -> None:
    adapt_old_test_apps()
