"""Counts for the OpenAPI export of a tree:
``python benchmarks/openapi_counts.py SRCDIR OUTDIR``."""

import sys
from collections import Counter

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from os_api_ref_ext.collector import get_domain, source_cache
from os_api_ref_ext.openapi.builder import settings
from os_api_ref_ext.openapi.export import export_document

src, out = sys.argv[1], sys.argv[2]
with docutils_namespace():
    app = Sphinx(
        src, src, out, out + "/.doctrees", "openapi", status=None, warning=None, freshenv=True
    )
    app.build()
    total = Counter()
    for record in get_domain(app.env).all_documents():
        total["rest_method"] += len(record.operations)
        total["rows in stanzas"] += sum(len(s.items) for s in record.parameter_stanzas)
        total["rows outside operations"] += sum(
            len(s.items) for s in record.parameter_stanzas if s.operation is None
        )
        if record.operations:
            total.update(export_document(record, source_cache(app.env), settings(app)).counts)
for key in sorted(total):
    print(f"{key}: {total[key]}")
placed = sum(
    total[k]
    for k in ("parameters", "parameters as alternatives", "parameters unplaced", "response headers")
) + sum(v for k, v in total.items() if k.startswith("body parameters"))
print("rows accounted:", placed, "of", total["parameter rows"])
