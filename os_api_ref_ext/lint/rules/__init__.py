"""Sphinx-free: the lint rules, one module per family (the letter of their codes).

F ``files``, S ``stanzas``, O ``operations``, C ``codes``, J ``samples``,
D ``documents``.  :data:`RULES` holds every rule the family modules
declare, ordered by code.
"""

from os_api_ref_ext.lint.rule import Rule
from os_api_ref_ext.lint.rules import codes, documents, files, operations, samples, stanzas

FAMILIES = (files, stanzas, operations, codes, samples, documents)

#: Every rule, ordered by code.
RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            value
            for family in FAMILIES
            for value in vars(family).values()
            if isinstance(value, Rule)
        ),
        key=lambda declared: declared.code,
    )
)
