"""The ☰ (site navigation) and "Contents" (page outline) toggles open and close their sidebars.

Every page of both editions, in one tab: at 390 px each visible toggle opens its sidebar as a
drawer (by mouse and Enter; on the home and Adam pages also by touch and Space) and the drawer
goes again (a click or tap on the overlay, Escape) with focus back on the toggle; at 1280 px the
☰ toggle collapses and expands the primary sidebar. Guards the workaround in docs/_static/sidebar-toggles.js for
pydata-sphinx-theme#2451 and sphinx-book-theme#988 (the theme listens on hidden twins of the
toggles, so the visible ones did nothing).
"""

from __future__ import annotations

from urllib.parse import urljoin

from site_harness import LANGS, new_context, recording, site_pages

NARROW, WIDE = 390, 1280
HEIGHT = 800
WIDE_SIDEBAR = 992  # the theme's breakpoint: from here on the ☰ toggle collapses the sidebar
TIMEOUT = 10_000  # ms; every state here is reached by a synchronous handler or a 0.25 s transition
MAX_FAILING_PAGES = 4  # enough to see a pattern, without waiting out every timeout on every page

# What the reader is after: the site navigation and the page outline.
CONTENT = {"primary": "nav.bd-docs-nav", "secondary": "#pst-page-toc-nav"}

# Shown: rendered, not transparent or invisible (also through an ancestor), with its box on
# screen (horizontally inside the viewport; a long list may run below it).
SHOWN = """(sel) => {
  const el = document.querySelector(sel);
  if (!el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.left >= -1 && r.right <= innerWidth + 1
    && r.top < innerHeight && r.bottom > 0;
}"""
GONE = """(sel) => {
  const el = document.querySelector(sel);
  return !el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true});
}"""
# pydata-sphinx-theme moves the sidebar's content into the <dialog> on open and back on the
# dialog's "close" event, a task queued after close(). Opening again before that task ran would
# let it empty the new drawer (a race only a test is fast enough to hit): wait for it.
BACK_IN_PLACE = """(sel) => {
  const el = document.querySelector(sel);
  return !el || !el.closest("dialog");
}"""
# The box around the content that a click outside of lands on the overlay.
PANEL_BOX = """(sel) => {
  const panel = document.querySelector(sel).closest("dialog, .bd-sidebar");
  const r = panel.getBoundingClientRect();
  return {left: r.left, right: r.right};
}"""


def _wait(page, script: str, selector: str, what: str) -> None:
    try:
        page.wait_for_function(script, arg=selector, timeout=TIMEOUT)
    except Exception as error:  # a Playwright TimeoutError: say what did not happen
        raise AssertionError(what) from error


def _focused(page, toggle, what: str) -> None:
    if not toggle.evaluate("el => el === document.activeElement"):
        active = page.evaluate("document.activeElement && document.activeElement.outerHTML")
        raise AssertionError(f"{what}: focus is on {str(active)[:120]!r}, not on the toggle")


def _overlay_point(page, content: str) -> tuple[float, float]:
    """A point on the overlay: the middle of the wider strip beside the open drawer."""
    box = page.evaluate(PANEL_BOX, content)
    width = page.viewport_size["width"]
    left_gap, right_gap = box["left"], width - box["right"]
    assert max(left_gap, right_gap) > 20, f"the drawer covers the screen: {box}"
    x = left_gap / 2 if left_gap > right_gap else (box["right"] + width) / 2
    return x, HEIGHT / 2


def _open(page, toggle, how: str) -> None:
    if how == "click":
        toggle.click()
    elif how == "tap":
        toggle.tap()
    else:  # a key on the focused toggle
        toggle.focus()
        page.keyboard.press(how)


def _close(page, content: str, how: str) -> None:
    if how == "Escape":
        page.keyboard.press("Escape")
        return
    x, y = _overlay_point(page, content)
    if how == "overlay click":
        page.mouse.click(x, y)
    else:
        page.touchscreen.tap(x, y)


# Every way in and out, on a few pages with the theme's animations; the common two (mouse,
# keyboard) on every other page, for a reader who asked for reduced motion (book.css: no
# sliding, so no waiting for it).
DRAWER_CYCLES = [("click", "overlay click"), ("Enter", "Escape")]
DRAWER_CYCLES_ALL = [*DRAWER_CYCLES, ("tap", "overlay tap"), (" ", "Escape")]  # " ": Space
ALL_WAYS = {"index.html", "adam.html"}


def _drawer(page, toggle, kind: str, where: str, cycles) -> None:
    content = CONTENT[kind]
    _wait(page, GONE, content, f"{where}: the {kind} sidebar shows before the toggle is used")
    for how_open, how_close in cycles:
        label = "Space" if how_open == " " else how_open
        _open(page, toggle, how_open)
        _wait(page, SHOWN, content, f"{where}: {label} on the {kind} toggle did not open it")
        _close(page, content, how_close)
        _wait(page, GONE, content, f"{where}: {how_close} did not close the {kind} sidebar")
        _wait(page, BACK_IN_PLACE, content, f"{where}: the {kind} drawer's content stayed in it")
        _focused(page, toggle, f"{where}: after {how_close} on the {kind} sidebar")


def _collapse(page, toggle, where: str, every_way: bool) -> None:
    content = CONTENT["primary"]
    _wait(page, SHOWN, content, f"{where}: the primary sidebar is not shown at first")
    toggle.click()
    _wait(page, GONE, content, f"{where}: a click on ☰ did not collapse the primary sidebar")
    _focused(page, toggle, f"{where}: after collapsing")
    page.keyboard.press("Enter")
    _wait(page, SHOWN, content, f"{where}: Enter on ☰ did not expand the primary sidebar")
    if every_way:
        toggle.tap()
        _wait(page, GONE, content, f"{where}: a tap on ☰ did not collapse the primary sidebar")
        page.keyboard.press(" ")
        _wait(page, SHOWN, content, f"{where}: Space on ☰ did not expand the primary sidebar")


def _check_toggles(page, width: int, where: str, every_way: bool) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    visible = {kind: page.locator(f".{kind}-toggle").filter(visible=True) for kind in CONTENT}
    counts = {kind: toggles.count() for kind, toggles in visible.items()}
    assert counts["primary"] == 1, f"{where}: visible toggles: {counts}"
    if width < WIDE_SIDEBAR:
        # A phone has no other way to the page outline than its toggle.
        has_outline = page.locator("#pst-secondary-sidebar").count()
        assert counts["secondary"] == has_outline, f"{where}: visible toggles: {counts}"
    for kind, toggles in visible.items():
        assert counts[kind] <= 1, f"{where}: visible toggles: {counts}"
        if not counts[kind]:
            continue
        if kind == "primary" and width >= WIDE_SIDEBAR:
            _collapse(page, toggles, where, every_way)
        else:
            _drawer(page, toggles, kind, where, DRAWER_CYCLES_ALL if every_way else DRAWER_CYCLES)


def test_sidebar_toggles_open_and_close(browser, base_url, site):
    context = new_context(browser, base_url, "light", has_touch=True, reduced_motion="reduce")
    page = context.new_page()
    problems: list[str] = []
    checked = 0
    try:
        for lang in LANGS:
            for name in site_pages(site, lang):
                if len(problems) >= MAX_FAILING_PAGES:
                    break
                url = urljoin(base_url, f"{lang}/{name}")
                every_way = name in ALL_WAYS
                page.emulate_media(reduced_motion="no-preference" if every_way else "reduce")
                page.set_viewport_size({"width": NARROW, "height": HEIGHT})
                with recording(page, url) as visit:
                    page.goto(url, wait_until="load")
                    try:
                        for width in (NARROW, WIDE):
                            where = f"{lang}/{name} @ {width}px"
                            _check_toggles(page, width, where, every_way)
                    except AssertionError as error:
                        problems.append(str(error).split("\n")[0])
                errors = visit.console_errors + visit.page_errors
                problems += [f"{lang}/{name}: {e}" for e in errors]
                checked += 1
    finally:
        context.close()
    assert not problems, f"{len(problems)} problem(s) in the first {checked} page(s):\n" + (
        "\n".join(problems)
    )
    assert checked >= 2 * 10
    assert not context.foreign_requests
