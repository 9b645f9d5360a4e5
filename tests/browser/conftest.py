"""Fixtures of the browser tests: the built site on a loopback server, and Debian's Chromium.

The harness (server, browser, contexts, recorded visits) is tools/site_harness.py, shared with
the benchmarks and the screenshot tool; the every-page sweep is tests/browser/sweep.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_harness import INSTALL_HINT, chromium_path, launch, serve


@pytest.fixture(scope="session")
def base_url(site: Path):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if chromium_path() is None:
        pytest.fail(f"No Chromium found.\n{INSTALL_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
