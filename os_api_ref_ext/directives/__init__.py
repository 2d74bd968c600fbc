"""Sphinx side: the directives, one module per directive.

``rest_method`` (an operation), ``rest_parameters`` and
``rest_status_code`` (tables on the shared base in :mod:`._base`),
``rest_expand_all`` (the page toolbar) and the bounded ``literalinclude``
and ``include`` (:mod:`.includes`).  Each turns its source into nodes and
hands what it read to :mod:`os_api_ref_ext.record`; none judges it.
"""
