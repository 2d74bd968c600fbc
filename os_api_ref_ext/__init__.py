"""os-api-ref-ext: a Sphinx extension for REST API reference sites.

Source-compatible with os-api-ref: the ``rest_method``, ``rest_parameters``,
``rest_status_code`` and ``rest_expand_all`` directives, the same YAML
files and the same configuration names.  Add ``'os_api_ref_ext'`` to
``extensions`` in ``conf.py``.

Importing the package does not import Sphinx, so the command-line linter
(:mod:`os_api_ref_ext.lint`) starts fast; :func:`setup` loads the Sphinx
side when a build asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.2.0"


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point; see :mod:`os_api_ref_ext.extension`."""
    from os_api_ref_ext.extension import setup as setup_extension

    return {**setup_extension(app), "version": __version__}
