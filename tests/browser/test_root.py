"""The pages above the two editions: the root page that picks one, and the 404 page."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from site_harness import AXE_RUN, axe_path, new_context, recording


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ko-KR", "ko")])
def test_root_page_sends_the_reader_to_an_edition(browser, base_url, locale, lang):
    context = new_context(browser, base_url, "light", locale=locale)
    page = context.new_page()
    try:
        page.goto(base_url, wait_until="load")
        page.wait_for_url(urljoin(base_url, f"{lang}/index.html"))
        assert page.evaluate("document.documentElement.lang") == lang
    finally:
        context.close()
    assert not context.foreign_requests


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_404_page_is_clean(browser, base_url, mode):
    context = new_context(browser, base_url, mode)
    page = context.new_page()
    try:
        with recording(page, urljoin(base_url, "404.html")) as visit:
            page.goto(visit.url, wait_until="load")
            page.add_script_tag(path=str(axe_path()))
            violations = page.evaluate(AXE_RUN)
        links = page.eval_on_selector_all("a[hreflang]", "links => links.map(a => a.href)")
    finally:
        context.close()
    assert not violations, violations
    assert not visit.console_errors + visit.page_errors + visit.bad_responses + visit.failed
    assert not context.foreign_requests
    assert {urljoin(base_url, f"{lang}/index.html") for lang in ("en", "ko")} <= set(links)


def test_search_box_on_a_chapter_finds_the_chapter(browser, base_url):
    """The search scripts load on search.html only; the box on every page still searches."""
    context = new_context(browser, base_url, "light")
    page = context.new_page()
    try:
        page.goto(urljoin(base_url, "en/adam.html"), wait_until="load")
        page.keyboard.press("Control+k")
        box = page.locator("input[name=q]:focus")
        box.wait_for(state="visible", timeout=10_000)
        box.press_sequentially("bias correction")
        with page.expect_navigation():
            box.press("Enter")
        assert page.url.startswith(urljoin(base_url, "en/search.html"))
        page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
        hrefs = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
    finally:
        context.close()
    assert any(h.split("?")[0].endswith("/en/adam.html") for h in hrefs), hrefs
