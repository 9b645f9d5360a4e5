"""``recording`` (tools/site_harness.py) tells the test's own doing from the site's faults.

The sweep once failed on a busy machine with ``net::ERR_ABORTED …/ko/_static/favicon.svg``:
the browser fetched the favicon of the page the language switch had landed on after its
``load`` event, and the next ``page.goto`` cut it off. Here that is made to happen every time
(a request held open until the test navigates away), with a real fault beside it.
"""

from __future__ import annotations

from site_harness import ABORTED, new_context, recording, serve

PAGE = "<!doctype html><html lang=en><title>{0}</title><p>{0}</p>{1}</html>"


def test_a_request_cut_off_by_navigating_away_is_not_a_failure(browser, tmp_path):
    (tmp_path / "a.html").write_text(PAGE.format("a", ""))
    (tmp_path / "b.html").write_text(PAGE.format("b", '<img src="missing.png" alt="missing">'))
    held = []
    with serve(tmp_path) as base_url:
        context = new_context(browser, base_url, "light")
        page = context.new_page()
        # The "favicon": held, never answered (a bound method is no handler for Playwright).
        page.route("**/late.svg", lambda route: held.append(route))  # noqa: PLW0108
        try:
            with recording(page, base_url + "a.html") as first:
                page.goto(first.url, wait_until="load")
            # After the visit (and its waiting) is over, the page starts one more request...
            with page.expect_request("**/late.svg"):
                page.evaluate("() => { new Image().src = 'late.svg'; }")
            # ... which the next visit's navigation cuts off.
            with recording(page, base_url + "b.html") as second:
                page.goto(second.url, wait_until="load")
        finally:
            context.close()
    assert len(held) == 1
    assert second.superseded == [f"{ABORTED} {base_url}late.svg"]
    assert second.failed == []
    # A real fault is still one: b.html's missing image.
    assert second.bad_responses == [f"404 {base_url}missing.png"]
    assert first.failed == first.bad_responses == first.superseded == []
