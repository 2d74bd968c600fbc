"""Export an API reference as OpenAPI 3.1.

* :mod:`~os_api_ref_ext.openapi.schema` (Sphinx-free) turns a stanza's body
  parameters and its JSON samples into a JSON schema, and says where a
  sample disagrees with it (the linter's J007 reads it too).
* :mod:`~os_api_ref_ext.openapi.export` (Sphinx-free) turns one recorded
  document into an OpenAPI document.
* :mod:`~os_api_ref_ext.openapi.commonmark` (docutils only) writes parsed
  reStructuredText as CommonMark.
* :mod:`~os_api_ref_ext.openapi.builder` is the Sphinx side: the
  ``openapi`` builder and the optional link from each HTML page.

Only the builder module imports Sphinx, so the linter stays fast.
"""

from __future__ import annotations


def html_link_on(config: object) -> bool:
    """Whether ``os_api_ref_openapi`` asks HTML pages to link to (and the
    build to write) their OpenAPI documents."""
    return isinstance(config, dict) and config.get("html_link") is True
