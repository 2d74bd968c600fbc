"""The lint rules, one module per family (the letter of their codes).

F ``files``, S ``stanzas``, O ``operations``, C ``codes``, J ``samples``,
D ``documents``.  Importing this package registers every rule.
"""

from os_api_ref_ext.lint.rules import codes, documents, files, operations, samples, stanzas

__all__ = ["codes", "documents", "files", "operations", "samples", "stanzas"]
