"""Sphinx side: rendering helpers the directives and transforms share.

Which builder a transform writes for, whether it gets the interactive HTML
layout, and the CSS classes that carry microversion bounds to the page's
script.  The node classes, transforms and visitors of each directive live
in its module; the tables' in :mod:`os_api_ref_ext.tables`.
"""

from __future__ import annotations

from typing import Any

from os_api_ref_ext.model import parse_version


def builder_kind(transform: Any) -> tuple[str, str]:
    """(name, format) of the builder a transform runs for."""
    builder_cls = getattr(transform.env, "_builder_cls", None)
    if builder_cls is None:  # Sphinx before 8.1
        builder_cls = transform.app.builder
    return builder_cls.name, builder_cls.format


def uses_html_layout(builder_name: str, builder_format: str) -> bool:
    """Whether a builder gets the interactive HTML layout."""
    return builder_format == "html" and not builder_name.startswith("epub")


def version_classes(min_version: str | None, max_version: str | None) -> list[str]:
    """CSS classes that carry microversion bounds to the page's script."""
    classes = []
    if parse_version(min_version):
        classes.append("api-min-ver-" + str(min_version).replace(".", "-"))
    if parse_version(max_version):
        classes.append("api-max-ver-" + str(max_version).replace(".", "-"))
    return classes
