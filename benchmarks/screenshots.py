"""Screenshots of this repository's reference for the README.

Usage (``tox -e screenshots`` runs it)::

    python benchmarks/screenshots.py [--out docs/screenshots]
                                     [--chromium /usr/bin/chromium]

Builds ``api-ref/source`` once per theme (alabaster, furo and
openstackdocstheme) into a temporary directory, opens the v2 page in
headless Chromium (through Playwright, pointed at the system Chromium) and
takes:

* ``alabaster.png``, ``furo-dark.png`` (furo in its dark mode) and
  ``openstackdocs.png``: the toolbar with a filter typed in, its count, an
  open operation and a copy button's "Copied", at 1000 px wide;
* ``narrow.png``: openstackdocstheme at 375 px wide, an operation open.

Each picture is cropped to the part of the page that shows the features
and reduced to a 256-colour palette, so the set stays small.  The files
are regenerated, never edited by hand.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "api-ref" / "source"
PAGE = Path("v2") / "index.html"

#: File name -> (theme, viewport width, colour scheme, what to show).
SHOTS = {
    "alabaster.png": ("alabaster", 1000, "light", "filter"),
    "furo-dark.png": ("furo", 1000, "dark", "filter"),
    "openstackdocs.png": ("openstackdocs", 1000, "light", "filter"),
    "narrow.png": ("openstackdocs", 375, "light", "narrow"),
}
HEIGHT = {"filter": 700, "narrow": 760}


def build(theme: str, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", "-D", f"html_theme={theme}"]
        + [str(SOURCE), str(out)],
        check=True,
    )
    return out / PAGE


def page_top(tab, selector: str) -> float:
    """Where the first element ``selector`` finds starts on the page."""
    return tab.eval_on_selector(
        selector, "element => element.getBoundingClientRect().top + window.scrollY"
    )


def show_filter(tab) -> float:
    """Filter, open the first operation left, copy its request line; the
    top of what to photograph."""
    tab.fill("input.api-filter-input", "metadata")
    first = tab.locator("section.api-operation-section:visible").first
    first.locator("summary").click()
    first.locator(":scope > button.api-copy").click()
    tab.locator("input.api-filter-input").blur()
    return page_top(tab, "div.api-toolbar") - 70


def show_narrow(tab) -> float:
    first = tab.locator("section.api-operation-section").first
    first.locator("summary").click()
    return page_top(tab, "section.api-operation-section") - 70


def shrink(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser")
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        pages = {
            theme: build(theme, Path(tmp) / theme)
            for theme in sorted({theme for theme, *_rest in SHOTS.values()})
        }
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for name, (theme, width, scheme, what) in SHOTS.items():
            context = browser.new_context(
                viewport={"width": width, "height": 900},
                color_scheme=scheme,
                device_scale_factor=1,
            )
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            tab = context.new_page()
            tab.goto(pages[theme].as_uri())
            tab.wait_for_selector("div.api-toolbar:not([hidden])")
            top = show_filter(tab) if what == "filter" else show_narrow(tab)
            tab.evaluate("top => window.scrollTo(0, top)", max(0.0, top))
            png = tab.screenshot(clip={"x": 0, "y": 0, "width": width, "height": HEIGHT[what]})
            (args.out / name).write_bytes(shrink(png))
            context.close()
            print(f"{args.out / name}: {(args.out / name).stat().st_size // 1024} KiB")
        browser.close()


if __name__ == "__main__":
    main()
