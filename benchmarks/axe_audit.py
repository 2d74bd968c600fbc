"""Count axe-core's findings inside our elements of a built page.

Usage::

    python benchmarks/axe_audit.py PAGE.html [--furo] [--open] [--all-code]
                                   [--chromium /usr/bin/chromium]

It opens the page in headless Chromium with the OS in light and in dark
colour scheme (with ``--furo`` also furo's own light and dark switch
against the other OS scheme), runs the axe-core that
``axe-playwright-python`` bundles over our elements (operations, the
toolbar, stray operation signatures) and prints, for each mode, the number
of failing nodes per rule and impact.  ``--open`` opens every operation
first.  The colours a theme's Pygments style gives the tokens of a
highlighted sample are the theme's and left out, unless ``--all-code``.
The numbers are measured, not asserted (tests/test_browser.py asserts on
the realistic test root).
"""

from __future__ import annotations

import argparse
import shutil
from collections import Counter
from pathlib import Path

OUR_ELEMENTS = ["section.api-operation-section", "div.api-toolbar", ".api-operation-signature"]
THEIRS = ["div.highlight > pre"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--furo", action="store_true", help="also furo's own light/dark switch")
    parser.add_argument("--open", action="store_true", help="open every operation first")
    parser.add_argument("--all-code", action="store_true", help="audit sample tokens too")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser")
    )
    args = parser.parse_args()
    from axe_playwright_python.base import AXE_SCRIPT
    from playwright.sync_api import sync_playwright

    modes: list[tuple[str, str | None]] = [("light", None), ("dark", None)]
    if args.furo:
        modes = [("light", "auto"), ("dark", "auto"), ("light", "dark"), ("dark", "light")]
    exclude = [] if args.all_code else [[selector] for selector in THEIRS]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(args.page.resolve().as_uri())
        tab.evaluate(AXE_SCRIPT)
        if args.open:
            tab.evaluate(
                "() => document.querySelectorAll('details.api-operation')"
                ".forEach(details => { details.open = true; })"
            )
        for scheme, switch in modes:
            tab.emulate_media(color_scheme=scheme)
            if switch:
                tab.evaluate("switch_ => { document.body.dataset.theme = switch_; }", switch)
            result = tab.evaluate(
                """([include, exclude]) => axe.run(
                    {include: include, exclude: exclude}, {resultTypes: ["violations"]})""",
                [[[selector] for selector in OUR_ELEMENTS], exclude],
            )
            counts = Counter()
            for violation in result["violations"]:
                counts[violation["id"], violation["impact"]] += len(violation["nodes"])
            label = f"OS {scheme}" + (f", data-theme={switch}" if switch else "")
            serious = sum(
                n for (_rule, impact), n in counts.items() if impact in ("serious", "critical")
            )
            print(f"{label}: {serious} serious/critical nodes")
            for (rule, impact), number in sorted(counts.items()):
                print(f"    {rule} ({impact}): {number}")
        browser.close()


if __name__ == "__main__":
    main()
