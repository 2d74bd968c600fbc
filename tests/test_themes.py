"""The reference builds warning-free and keeps its structure on each theme."""

from __future__ import annotations

import importlib.util

import pytest
from bs4 import BeautifulSoup

THEMES = {
    "alabaster": {},
    "furo": {},
    "openstackdocs": {
        "extensions": ["os_api_ref_ext", "openstackdocstheme"],
        "openstackdocs_repo_name": "openstack/example",
        "openstackdocs_auto_name": False,
        "openstackdocs_auto_version": False,
    },
}
MODULES = {"alabaster": "alabaster", "furo": "furo", "openstackdocs": "openstackdocstheme"}


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_theme_builds_clean(make_app, rootdir, tmp_path, theme: str) -> None:
    if importlib.util.find_spec(MODULES[theme]) is None:
        pytest.skip(f"theme package {MODULES[theme]} is not installed")
    from shutil import copytree

    src = tmp_path / "src"
    copytree(rootdir / "test-realistic", src)
    overrides = {"html_theme": theme, **THEMES[theme]}
    app = make_app("html", srcdir=src, confoverrides=overrides, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "v2" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert len(soup.find_all("details", class_="api-operation")) == 7
    assert len(soup.find_all("table", class_="api-parameters")) == 11
    css = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert any("os-api-ref-ext.css" in href for href in css)
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any("os-api-ref-ext.js" in src for src in scripts)
