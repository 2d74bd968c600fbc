"""``stub_ext``: a do-nothing stand-in for the os-api-ref directives.

It registers ``rest_method``, ``rest_parameters``, ``rest_status_code`` and
``rest_expand_all`` as directives that accept anything and produce no nodes,
plus the ``os_api_ref_*`` configuration values so that the same ``conf.py``
works unchanged.  Building a tree with it measures what Sphinx, docutils,
the ``literalinclude`` samples and the theme cost on their own: the floor
that no implementation of the directives can beat.

The benchmark runner puts ``benchmarks/`` on ``PYTHONPATH`` and selects this
extension with ``BENCH_EXTENSION=stub_ext``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

__version__ = "1.0"


class NullDirective(Directive):
    """Accept any arguments and content; return no nodes."""

    has_content = True
    required_arguments = 0
    optional_arguments = 64
    final_argument_whitespace = True
    option_spec = None

    def run(self) -> list[nodes.Node]:
        return []


DIRECTIVES = ("rest_method", "rest_parameters", "rest_status_code", "rest_expand_all")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the null directives and the os-api-ref config values."""
    for name in DIRECTIVES:
        app.add_directive(name, NullDirective)
    for name in (
        "os_api_ref_max_microversion",
        "os_api_ref_min_microversion",
        "os_api_ref_release_microversions",
    ):
        app.add_config_value(name, "", "env")
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
