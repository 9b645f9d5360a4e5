"""Screenshots of built pages in light and dark mode, for a person to look at.

Usage: .venv/bin/python tools/screenshots.py [--out DIR] [--width PX]
       [--open primary|secondary] [PAGE ...]

PAGE is a path under _build/html (default: the Adam chapter of both editions and the home
pages). Writes DIR/<lang>-<page>-<mode>-<width>.png (full page; default DIR is
_build/screenshots). With --open, the page's visible ☰ (primary) or Contents (secondary) toggle
is clicked first and the screen with the open sidebar is taken (<...>-<width>-<open>.png). Uses the site as built (run `make html` first), Debian's Chromium and a
loopback server, like the browser tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_harness import LOAD_SHOWN_IMAGES, MODES, ROOT, launch, new_context, serve

DEFAULT_PAGES = ("en/adam.html", "ko/adam.html", "en/index.html", "ko/index.html")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "screenshots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--viewport-only", action="store_true", help="not the full page")
    parser.add_argument("--open", choices=("primary", "secondary"), help="open a sidebar")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    args.out.mkdir(parents=True, exist_ok=True)
    with serve(args.site) as base_url, sync_playwright() as playwright:
        browser = launch(playwright)
        for mode in MODES:
            context = new_context(browser, base_url, mode)
            page = context.new_page()
            page.set_viewport_size({"width": args.width, "height": 900})
            for name in args.pages:
                page.goto(base_url + name, wait_until="load")
                page.evaluate("document.fonts.ready")
                page.evaluate(LOAD_SHOWN_IMAGES)
                stem = name.removesuffix(".html").replace("/", "-")
                path = args.out / f"{stem}-{mode}-{args.width}.png"
                if args.open:
                    page.locator(f".{args.open}-toggle").filter(visible=True).click()
                    # Opened: the drawer (narrow) or the sidebar (wide) holds its navigation.
                    nav = {"primary": "nav.bd-docs-nav", "secondary": "#pst-page-toc-nav"}
                    page.locator(nav[args.open]).wait_for(state="visible")
                    # ... and has finished sliding in.
                    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")
                    path = path.with_stem(f"{path.stem}-{args.open}")
                page.screenshot(path=path, full_page=not args.viewport_only and not args.open)
                print(path)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
