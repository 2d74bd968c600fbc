"""Time the operation filter, keystroke by keystroke, in headless Chromium.

Usage::

    python benchmarks/filter_timing.py PAGE.html [--text volume] [--rounds 5]
                                       [--chromium /usr/bin/chromium]

For example, on cinder's v3 page (about 200 operations)::

    sphinx-build -q -b html ../shared/corpus/cinder/api-ref/source /tmp/cinder
    python benchmarks/filter_timing.py /tmp/cinder/v3/index.html

(the tree's ``conf.py`` must load ``os_api_ref_ext``).  Needs Playwright
(``pip install playwright``), pointed at the system Chromium.

Each round types ``--text`` into the filter one key at a time, then deletes
it one key at a time (the keystroke that empties the box shows every
operation again, the heaviest one), then types it and clears it with
Escape.  For every keystroke it reports two times, both from the moment
the key's ``keydown`` reaches the page:

* *update*: until the filter has run and the browser has recomputed style
  and layout for the new page (forced synchronously after the ``input``
  event);
* *frame*: until the next animation frame after that, i.e. what the reader
  waits for before the page on screen changes.

It prints the median, the 95th percentile and the maximum of each.  The
numbers are measured, not asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
from pathlib import Path

PROBE = """() => {
  window.__keystrokes = [];
  let started = null;
  document.addEventListener("keydown", () => { started = performance.now(); }, true);
  // Registered after the page script's own listener, so it runs after it.
  document.querySelector("input.api-filter-input").addEventListener("input", (event) => {
    if (started === null) { return; }
    const begin = started;
    started = null;
    const scripted = performance.now();
    document.body.getBoundingClientRect();
    const updated = performance.now();
    requestAnimationFrame(() => {
      window.__keystrokes.push({
        script: scripted - begin,
        update: updated - begin,
        frame: performance.now() - begin,
        value: event.target.value,
      });
    });
  });
}"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("page", type=Path, help="a built HTML page with a rest_expand_all toolbar")
    parser.add_argument("--text", default="volume", help="what to type (default: volume)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print every keystroke")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser")
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(args.page.resolve().as_uri())
        tab.wait_for_selector("div.api-toolbar:not([hidden])")
        operations = tab.locator("details.api-operation").count()
        tab.evaluate(PROBE)
        tab.focus("input.api-filter-input")
        for _round in range(args.rounds):
            for key in args.text:
                tab.keyboard.press(key)
                tab.wait_for_timeout(30)
            for _key in args.text:
                tab.keyboard.press("Backspace")
                tab.wait_for_timeout(30)
            tab.keyboard.type(args.text, delay=30)
            tab.keyboard.press("Escape")
            tab.wait_for_timeout(30)
        tab.wait_for_timeout(200)
        samples = tab.evaluate("() => window.__keystrokes")
        version = browser.version
        if args.verbose:
            for sample in samples:
                print(
                    f"{sample['value']!r:12} {sample['script']:6.1f}"
                    f" {sample['update']:6.1f} {sample['frame']:6.1f}"
                )
        browser.close()

    print(f"{args.page}: {operations} operations, Chromium {version}")
    print(f"{len(samples)} keystrokes ({args.rounds} rounds of {args.text!r})")
    for name in ("script", "update", "frame"):
        values = [sample[name] for sample in samples]
        print(
            f"  {name:6}  median {statistics.median(values):6.1f} ms"
            f"  p95 {percentile(values, 0.95):6.1f} ms  max {max(values):6.1f} ms"
        )


if __name__ == "__main__":
    main()
