"""Lint findings as Sphinx warnings, once per build, over the whole tree.

The handler runs on ``env-check-consistency``: after every document has
been read (and, under ``-j N``, merged), so whole-tree rules such as
unused entries see every stanza, and an incremental build reports exactly
what a clean build would.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from os_api_ref_ext.collector import get_domain, source_cache
from os_api_ref_ext.lint.context import LintOptions
from os_api_ref_ext.lint.engine import run_lint
from os_api_ref_ext.lint.registry import unknown_selectors

logger = logging.getLogger(__name__)

WARNING_TYPE = "os-api-ref"


def check_reference(app: Sphinx, env: BuildEnvironment) -> None:
    options = LintOptions.from_config(app.config.os_api_ref_lint)
    for selector in unknown_selectors((options.select or []) + (options.ignore or [])):
        logger.warning(
            "os_api_ref_lint: %r matches no rule",
            selector,
            type=WARNING_TYPE,
            subtype="config",
        )
    cache = source_cache(env)
    cache.new_pass()
    findings = run_lint(
        get_domain(env).all_documents(),
        cache,
        str(app.srcdir),
        options,
    )
    # Sphinx 8+ already ends each warning with "[os-api-ref.<code>]".
    template = "%s" if getattr(app.config, "show_warning_types", False) else "%s [%s]"
    for finding in findings:
        logger.warning(
            template,
            finding.message,
            *(() if template == "%s" else (finding.code,)),
            location=f"{finding.path}:{finding.line}",
            type=WARNING_TYPE,
            subtype=finding.code,
        )
