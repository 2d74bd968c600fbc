"""``python -m os_api_ref_ext.lint``: the same as ``os-api-ref-lint``."""

from os_api_ref_ext.lint.cli import main

raise SystemExit(main())
