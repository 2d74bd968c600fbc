"""Sphinx side: the build's lint hook, findings as warnings once per build.

The handler runs on ``env-check-consistency``: after every document has
been read (and, under ``-j N``, merged), so whole-tree rules such as
unused entries see every stanza, and an incremental build reports exactly
what a clean build would.

Without ``select`` in ``os_api_ref_lint`` the build runs the ``compat``
rule set.  The bulk suppressions file (see
:mod:`os_api_ref_ext.lint.suppressions`) is read on every check: a file
that cannot be used is a warning, and then nothing is suppressed.  Sphinx
checks consistency only when a document was read, so a build whose only
change is to the suppressions file re-reads the root document.
"""

from __future__ import annotations

import hashlib
import os

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from os_api_ref_ext.domain import get_domain, source_cache
from os_api_ref_ext.lint import suppressions
from os_api_ref_ext.lint.context import LintOptions, source_relative
from os_api_ref_ext.lint.engine import run_lint
from os_api_ref_ext.lint.project import WARNING_TYPE
from os_api_ref_ext.lint.registry import select_rules, unknown_selectors
from os_api_ref_ext.model import Problem
from os_api_ref_ext.openapi import html_link_on

logger = logging.getLogger(__name__)


#: The environment attribute holding the fingerprint of the suppressions
#: file when the last build started.
_FINGERPRINT = "_apiref_suppressions_fingerprint"


def _fingerprint(app: Sphinx) -> str:
    """What the suppressions file holds now (empty when it cannot be read)."""
    try:
        path, _named = suppressions.configured_file(app.config.os_api_ref_lint, str(app.confdir))
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest()
    except (OSError, suppressions.SuppressionsError):
        return ""


def suppressions_changed(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: the root document when only the suppressions
    file changed, so that the findings are checked again.

    The fingerprint is kept on the environment here, before Sphinx pickles
    it (it pickles before the consistency check).
    """
    current = _fingerprint(app)
    before = getattr(env, _FINGERPRINT, "")
    setattr(env, _FINGERPRINT, current)
    if added or changed or removed or before == current:
        return []
    root = app.config.root_doc
    return [root] if root in env.found_docs else []


def _warn_suppressions(message: str) -> None:
    logger.warning(
        "os_api_ref_lint: %s; nothing suppressed",
        message,
        type=WARNING_TYPE,
        subtype="suppressions",
    )


def _suppress(app: Sphinx, findings: list[Problem], options: LintOptions) -> list[Problem]:
    """The findings the suppressions file does not cover."""
    srcdir = str(app.srcdir)
    try:
        path, named = suppressions.configured_file(app.config.os_api_ref_lint, str(app.confdir))
    except suppressions.SuppressionsError as error:
        _warn_suppressions(str(error))
        return findings
    if not named and not os.path.lexists(path):
        return findings
    name = source_relative(path, srcdir)
    try:
        counts = suppressions.load(path)
    except suppressions.SuppressionsError as error:
        _warn_suppressions(f"suppressions file {name!r} {error}")
        return findings
    selected = {rule.code for rule in select_rules(options.select, options.ignore)}
    applied = suppressions.apply(findings, srcdir, counts, lambda _file, code: code in selected)
    if applied.suppressed:
        logger.info("os-api-ref-ext: %d findings suppressed by %s", applied.suppressed, name)
    if applied.fixed:
        logger.info(
            "os-api-ref-ext: %d suppressed findings no longer occur; "
            "run os-api-ref-lint --prune-suppressions",
            applied.fixed,
        )
    return applied.findings


def _reads_sources_later(app: Sphinx) -> bool:
    """Whether the OpenAPI export reads the loaded files after the lint."""
    return app.builder.name == "openapi" or html_link_on(app.config.os_api_ref_openapi)


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
    if not _reads_sources_later(app):
        # Nothing reads the files again in this build: let the write phase
        # reuse their memory.  (The cache only saves reads; what it drops
        # is read again when asked for.)
        cache.clear()
    # Sphinx 8+ already ends each warning with "[os-api-ref.<code>]".
    template = "%s" if getattr(app.config, "show_warning_types", False) else "%s [%s]"
    for finding in _suppress(app, findings, options):
        logger.warning(
            template,
            finding.message,
            *(() if template == "%s" else (finding.code,)),
            location=f"{finding.path}:{finding.line}",
            type=WARNING_TYPE,
            subtype=finding.code,
        )
