"""The optimizer playground: redraw time, page weight, Lighthouse (issue 12's goals, printed).

Prints numbers, asserts nothing:

1. Redraw: the playground page of each edition in headless Chromium, set to all ten optimizers
   and 500 steps; then 100 moves of a learning-rate slider, each as a reader's (an ``input``
   event on the range). One move's time is the input handler (every run recomputed, every path,
   loss curve, marker and the step table redrawn) plus the style and layout it forces, measured
   in the page with ``performance.now()``; a frame passes between moves. Median and 95th
   percentile (goal < 16 ms, one frame).
2. Page weight of the playground page, as Chromium loads it: bytes and gzip size (text types; what
   a static host sends), requests, JavaScript (goal <= 150 KB gzipped, its JavaScript included).
3. Lighthouse (npm, package-lock.json), desktop preset, the playground page of each edition
   served gzipped (goal: 100 in all four categories).

Run with ``make bench-site`` (after the site benchmark) or ``.venv/bin/python
benchmarks/bench_playground.py`` on a built site. Options: --skip-lighthouse, --moves N.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_site import LIGHTHOUSE, compressed_size, lighthouse_once
from book_editions import LANGS
from site_harness import chromium_path, launch, serve

SITE = ROOT / "_build" / "html"
PAGE = "playground.html"

MOVES = """async (moves) => {
  const root = document.querySelector("div.pg.pg-ready");
  const pg = root.playground;
  pg.state.opt = Object.keys(pg.setup.defaults);
  pg.state.steps = 500;
  pg.changed();
  const range = root.querySelector(".pg-opt[data-opt=adam] input[type=range]");
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const times = [];
  for (let i = 0; i < moves; i++) {
    await frame();
    const t0 = performance.now();
    range.value = String(120 + (i % 120));
    range.dispatchEvent(new Event("input", {bubbles: true}));
    document.body.getBoundingClientRect();  // the style and layout the redraw needs
    times.push(performance.now() - t0);
  }
  const drawn = root.querySelectorAll(".pg-contour polyline[points]").length;
  const points = root.querySelector(".pg-contour g[data-opt=sgd] polyline")
    .getAttribute("points").trim().split(" ").length;
  return {times, drawn, points};
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = q / 100 * (len(ordered) - 1)
    low = int(index)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


def bench_redraw(browser, base_url: str, moves: int) -> None:
    print(f"== Redraw: 10 optimizers x 500 steps, {moves} slider moves (headless Chromium) ==")
    for lang in LANGS:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base_url}{lang}/{PAGE}", wait_until="load")
        page.wait_for_selector("div.pg.pg-ready")
        result = page.evaluate(MOVES, moves)
        context.close()
        times = result["times"]
        print(
            f"{lang}/{PAGE}: median {statistics.median(times):.2f} ms, 95th percentile "
            f"{percentile(times, 95):.2f} ms, max {max(times):.2f} ms (goal < 16 ms); "
            f"{result['drawn']} paths of {result['points']} points each"
        )
    print()


def bench_weight(browser, base_url: str) -> None:
    print("== Page weight (Chromium, loopback server, empty cache) ==")
    for lang in LANGS:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        responses: list = []

        def record(response, into=responses):  # a function: Playwright cannot wrap a builtin
            into.append(response)

        page.on("response", record)
        page.goto(f"{base_url}{lang}/{PAGE}", wait_until="load")
        page.wait_for_selector("div.pg.pg-ready")
        page.wait_for_load_state("networkidle")
        total = gz = js_gz = js_n = 0
        for response in responses:
            body = response.body() if response.status < 300 else b""
            ctype = (response.headers.get("content-type") or "").split(";")[0]
            size = compressed_size(body, ctype)
            total += len(body)
            gz += size
            if response.request.resource_type == "script":
                js_gz += size
                js_n += 1
        context.close()
        print(
            f"{lang}/{PAGE}: {len(responses)} requests, {total / 1024:.1f} KB raw, "
            f"{gz / 1024:.1f} KB gzipped (goal <= 150 KB); JavaScript {js_gz / 1024:.1f} KB "
            f"gzipped in {js_n} files"
        )
    print()


def bench_lighthouse(site: Path) -> None:
    print("== Lighthouse, desktop and mobile presets (served gzipped) ==")
    if not LIGHTHOUSE.exists():
        print("lighthouse is not installed: run `npm ci`")
        return
    keys = ("performance", "accessibility", "best-practices", "seo")
    with serve(site, compress=True) as base_url, tempfile.TemporaryDirectory() as tmp:
        for lang, preset in itertools.product(LANGS, ("desktop", "mobile")):
            report = Path(tmp) / f"{lang}-{preset}.json"
            data = lighthouse_once(f"{base_url}{lang}/{PAGE}", report, preset)
            scores = {key: round(100 * (data["categories"][key]["score"] or 0)) for key in keys}
            print(f"{lang}/{PAGE} ({preset}): " + ", ".join(f"{k} {v}" for k, v in scores.items()))
            for category in data["categories"].values():
                for ref in category["auditRefs"]:
                    audit = data["audits"][ref["id"]]
                    if (
                        ref.get("weight", 0) > 0
                        and audit["score"] is not None
                        and audit["score"] < 1
                    ):
                        print(f"    below 1: {category['id']}: {audit['id']} ({audit['title']})")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (_build/html)")
    args = parser.parse_args()
    if chromium_path() is None:
        print("No Chromium: `make system-deps` installs one, or names the command for this system")
        return 1
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with serve(args.site) as base_url, sync_playwright() as playwright:
        browser = launch(playwright)
        bench_redraw(browser, base_url, args.moves)
        bench_weight(browser, base_url)
        browser.close()
    if not args.skip_lighthouse:
        bench_lighthouse(args.site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
