"""Sphinx side: ``rest_expand_all``, the operation filter, Show all / Hide all and
the microversion selector.

The toolbar is hidden until the page's script shows it: without JavaScript
it could do nothing, and every operation still opens on its own.  Builders
other than HTML drop it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from os_api_ref_ext.directives._base import AnyOptions
from os_api_ref_ext.domain import current_document
from os_api_ref_ext.model import parse_version
from os_api_ref_ext.record import record_toolbar
from os_api_ref_ext.render import builder_kind, uses_html_layout
from os_api_ref_ext.walk import nodes_of


class rest_expand_all(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Where the toolbar goes; carries the microversion range."""


def microversion_options(
    min_version: str, max_version: str, releases: dict[str, str]
) -> list[tuple[str, str]]:
    """(value, label) pairs for the selector, from min to max inclusive.

    Empty when the range is not set, malformed, or spans major versions.
    """
    low, high = parse_version(min_version), parse_version(max_version)
    if low is None or high is None or low[0] != high[0] or low > high:
        return []
    options = []
    for minor in range(low[1], high[1] + 1):
        version = f"{low[0]}.{minor}"
        release = releases.get(version)
        label = f"{version} - {str(release).capitalize()}" if release else version
        options.append((version, label))
    return options


class RestExpandAllDirective(SphinxDirective):
    """``.. rest_expand_all::`` — no arguments, no content."""

    has_content = False
    option_spec = AnyOptions()

    def run(self) -> list[nodes.Node]:
        source, line = self.get_source_info()
        record_toolbar(
            current_document(self.env),
            directive=self.name,
            path=source or "",
            line=line or 0,
            options=list(self.options),
        )
        config = self.config
        releases = config.os_api_ref_release_microversions or {}
        if not isinstance(releases, dict):
            releases = {}
        node = rest_expand_all(
            min_version=str(config.os_api_ref_min_microversion or ""),
            max_version=str(config.os_api_ref_max_microversion or ""),
            releases={str(k): str(v) for k, v in releases.items()},
        )
        self.set_source_info(node)
        return [node]


class ExpandAllTransform(SphinxPostTransform):
    """Drop the toolbar for builders that cannot run the page script."""

    default_priority = 200

    def run(self, **kwargs: Any) -> None:
        if uses_html_layout(*builder_kind(self)):
            return
        for node in nodes_of(self.document, rest_expand_all):
            node.parent.remove(node)


def visit_rest_expand_all(self: HTML5Translator, node: rest_expand_all) -> None:
    options = microversion_options(node["min_version"], node["max_version"], node["releases"])
    labels = {
        "data-label-copy": _("Copy"),
        "data-label-copied": _("Copied"),
        "data-label-copy-failed": _("Copy failed"),
        "data-label-copy-request": _("Copy method and URL: "),
        "data-label-copy-sample": _("Copy sample"),
    }
    out = [self.starttag(node, "div", CLASS="api-toolbar", hidden="hidden", **labels)]
    out.append(
        self.starttag(nodes.Element(), "label", "", CLASS="api-filter-label")
        + self.encode(_("Filter"))
        + " "
        + self.starttag(
            nodes.Element(),
            "input",
            "",
            type="search",
            CLASS="api-filter-input",
            autocomplete="off",
            spellcheck="false",
            placeholder=_("Method, URL or title (press /)"),
            **{"aria-keyshortcuts": "/"},
        )
        + "</label>\n"
        + self.starttag(
            nodes.Element(),
            "span",
            "",
            CLASS="api-filter-count",
            role="status",
            **{"data-template": _("{shown} of {total} operations")},
        )
        + "</span>\n"
    )
    if options:
        out.append(self.starttag(nodes.Element(), "label", "", CLASS="api-mv-label"))
        out.append(self.encode(_("Microversion")) + " ")
        out.append(
            self.starttag(
                nodes.Element(),
                "select",
                "",
                CLASS="api-mv-select",
                **{"data-min": node["min_version"], "data-max": node["max_version"]},
            )
        )
        out.append(f'<option value="">{self.encode(_("All"))}</option>')
        for value, label in options:
            out.append(
                self.starttag(nodes.Element(), "option", "", value=value)
                + self.encode(label)
                + "</option>"
            )
        out.append("</select></label>\n")
    out.append(
        self.starttag(
            nodes.Element(),
            "button",
            "",
            CLASS="api-expand-all",
            type="button",
            **{
                "aria-pressed": "false",
                "data-show-label": _("Show all"),
                "data-hide-label": _("Hide all"),
            },
        )
        + self.encode(_("Show all"))
        + "</button>\n</div>\n"
    )
    self.body.extend(out)
    raise nodes.SkipNode
