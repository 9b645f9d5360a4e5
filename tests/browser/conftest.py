"""Fixtures of the browser tests: the built site on a loopback server, and Debian's Chromium.

``sweep`` visits every page of both editions once per colour mode (one browser, one context per
mode, one tab) and records everything the tests assert on, so each check is a cheap look-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browser.harness import (
    AXE_RUN,
    ICONS,
    IMAGES,
    INSTALL_HINT,
    LANGS,
    LOAD_SHOWN_IMAGES,
    MODES,
    OVERFLOW,
    VISIBLE_PROSE,
    WIDTHS,
    Visit,
    axe_path,
    chromium_path,
    launch,
    new_context,
    recording,
    serve,
    site_pages,
)


@dataclass
class PageReport:
    lang: str
    name: str
    mode: str
    visit: Visit
    html_lang: str = ""
    data_theme: str = ""
    background: str = ""
    violations: list = field(default_factory=list)
    overflow: dict = field(default_factory=dict)
    images: list = field(default_factory=list)
    blank_icons: list = field(default_factory=list)
    prose: str = ""
    switch_href: str | None = None
    switch_landed: str | None = None

    @property
    def key(self) -> str:
        return f"{self.mode}:{self.lang}/{self.name}"


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


def _check_page(page, base_url: str, lang: str, name: str, mode: str) -> PageReport:
    url = urljoin(base_url, f"{lang}/{name}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    with recording(page, url) as visit:
        page.goto(url, wait_until="load")
        report = PageReport(lang, name, mode, visit)
        report.html_lang = page.evaluate("document.documentElement.lang")
        report.data_theme = page.evaluate("document.documentElement.dataset.theme || ''")
        report.background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.evaluate(LOAD_SHOWN_IMAGES)
        report.images = page.evaluate(IMAGES)
        report.blank_icons = page.evaluate(ICONS)
        report.prose = page.evaluate(VISIBLE_PROSE)
        switch = page.query_selector(".book-lang-switch a[hreflang]")
        if switch is not None:
            report.switch_href = switch.evaluate("a => a.href")
        page.add_script_tag(path=str(axe_path()))
        report.violations = page.evaluate(AXE_RUN)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found = page.evaluate(OVERFLOW)
            if found:
                report.overflow[width] = found
    if mode == MODES[0] and switch is not None:
        # Follow the switch the way a reader does: click it (at full width, where it shows).
        # What that load does is recorded (and waited for) like a visit of its own, and its
        # problems are this page's: recording() excuses only the requests cut off by the
        # navigations the test makes, such as the landed page's favicon when the next page
        # is loaded (that one used to fail the sweep on a busy machine).
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        with recording(page, report.switch_href) as followed:
            with page.expect_navigation(wait_until="load"):
                page.click(".book-lang-switch a[hreflang]")
            report.switch_landed = page.url
        report.visit.requests += followed.requests
        for problems in ("bad_responses", "failed", "console_errors", "page_errors"):
            found = getattr(followed, problems)
            getattr(report.visit, problems).extend(f"after the switch: {e}" for e in found)
    return report


@pytest.fixture(scope="session", params=MODES)
def sweep(request, browser, base_url, site) -> list[PageReport]:
    mode = request.param
    axe_path()  # fail early with the npm hint
    context = new_context(browser, base_url, mode)
    page = context.new_page()
    reports = []
    try:
        for lang in LANGS:
            for name in site_pages(site, lang):
                reports.append(_check_page(page, base_url, lang, name, mode))
    finally:
        foreign = list(context.foreign_requests)
        context.close()
    for report in reports:
        report.visit.foreign = foreign  # context-wide: any page's request to another host
    return reports
