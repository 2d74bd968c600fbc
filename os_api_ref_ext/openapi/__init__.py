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
