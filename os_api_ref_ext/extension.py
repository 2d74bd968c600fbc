"""Sphinx side: the single ``setup()`` hub that registers the directives,
nodes, transforms, events, configuration values and assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from os_api_ref_ext import bodies, code_blocks, tables
from os_api_ref_ext.build_lint import check_reference, suppressions_changed
from os_api_ref_ext.directives import rest_expand_all, rest_method
from os_api_ref_ext.directives.includes import BoundedInclude, SampleLiteralInclude, note_include
from os_api_ref_ext.directives.rest_parameters import RestParametersDirective
from os_api_ref_ext.directives.rest_status_code import RestStatusCodeDirective
from os_api_ref_ext.disarm import UnsafeMarkupTransform
from os_api_ref_ext.domain import ApiRefDomain, source_cache
from os_api_ref_ext.model import LINE_LENGTH_LIMIT
from os_api_ref_ext.openapi import builder as openapi
from os_api_ref_ext.reads import DEFAULT_MAX_FILE_SIZE
from os_api_ref_ext.release import RELEASE_PRIORITY, release_written_page
from os_api_ref_ext.root_toctrees import (
    NOTE_PRIORITY,
    RootToctreesTransform,
    forget_root_toctrees,
    note_root_toctrees,
)

STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "os-api-ref-ext.css"
JS_FILE = "os-api-ref-ext.js"


def _add_static_path(app: Sphinx) -> None:
    # After the builder has hashed the configuration into .buildinfo, so
    # where the package is installed does not force full rebuilds.
    if app.builder.format == "html" and str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def _line_length_limit(app: Sphinx) -> None:
    """Let a long line (a pasted URL) reach the linter instead of docutils
    dropping its whole file; the limit stays bounded."""
    app.env.settings.setdefault("line_length_limit", LINE_LENGTH_LIMIT)


def _new_pass(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Files may have changed since the last build: check them again."""
    source_cache(env).new_pass()


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("os_api_ref_min_microversion", "", "env", types=(str,))
    app.add_config_value("os_api_ref_max_microversion", "", "env", types=(str,))
    app.add_config_value("os_api_ref_release_microversions", {}, "env", types=(dict, str))
    app.add_config_value("os_api_ref_lint", {}, "env", types=(dict,))
    app.add_config_value("os_api_ref_max_file_size", DEFAULT_MAX_FILE_SIZE, "env", types=(int,))
    app.add_config_value("os_api_ref_openapi", {}, "html", types=(dict,))
    app.add_config_value("os_api_ref_release_written_pages", True, "", types=(bool,))
    app.add_config_value("os_api_ref_light_root_doctree", True, "", types=(bool,))

    app.add_domain(ApiRefDomain)
    app.add_node(rest_method.rest_method)
    for node, visitors in tables.HTML_VISITORS.items():
        app.add_node(node, html=visitors)
    app.add_node(
        rest_expand_all.rest_expand_all,
        html=(rest_expand_all.visit_rest_expand_all, None),
    )
    for node, visitors in rest_method.HTML_VISITORS.items():
        app.add_node(node, html=visitors)
    code_blocks.register(app)

    app.add_directive("rest_method", rest_method.RestMethodDirective)
    app.add_directive("rest_parameters", RestParametersDirective)
    app.add_directive("rest_status_code", RestStatusCodeDirective)
    app.add_directive("rest_expand_all", rest_expand_all.RestExpandAllDirective)
    app.add_directive("literalinclude", SampleLiteralInclude, override=True)
    app.add_directive("include", BoundedInclude, override=True)

    app.add_transform(UnsafeMarkupTransform)
    app.connect("include-read", note_include)
    app.add_post_transform(rest_method.OperationTransform)
    app.add_post_transform(rest_expand_all.ExpandAllTransform)
    app.add_transform(tables.StoreBodiesTransform)
    app.add_transform(bodies.CompactBodiesTransform)
    app.add_post_transform(bodies.UnpackBodiesTransform)
    app.add_post_transform(RootToctreesTransform)
    app.add_post_transform(tables.ExpandTablesTransform)
    app.add_post_transform(tables.LatexTableWidthsTransform)

    app.connect("builder-inited", _add_static_path)
    app.connect("builder-inited", _line_length_limit)
    app.add_css_file(CSS_FILE)
    app.add_js_file(JS_FILE, loading_method="defer")
    app.connect("env-check-consistency", check_reference)
    app.connect("env-get-outdated", suppressions_changed)
    app.connect("env-before-read-docs", _new_pass)
    app.add_builder(openapi.OpenAPIBuilder)
    app.connect("doctree-resolved", openapi.add_html_link)
    app.connect("build-finished", openapi.write_for_html)
    app.connect("html-page-context", release_written_page, priority=RELEASE_PRIORITY)
    app.connect("doctree-read", note_root_toctrees, priority=NOTE_PRIORITY)
    app.connect("build-finished", forget_root_toctrees)

    return {
        # 4: bodies packed as they are parsed, one pack per pickle;
        # 5: the root page's toctrees
        "env_version": 5,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
