"""Figures and printed output as a reader sees them: on a phone, on a desktop, light and dark.

In every chapter (tests/chapters.py) with figures; the Adam chapter's counts calibrate the checks.

* Figure text is at least 10 CSS px as shown, on a 390 px phone and at 1280 px: the shown
  width over the figure's CSS width, times the smallest text of that figure (recorded at build
  time by docs/_ext/figure_variants.py as ``data-text-px``).
* Dark mode (the theme's switch, a stored choice, or "auto" with a dark system setting) shows
  the dark variant of each figure, undimmed, with a dark background; light mode the light one;
  the variant not shown is not downloaded.
* Printed output wider than a phone's column shows a shadow at the side where text is hidden,
  and output that fits shows none.
"""

from __future__ import annotations

import functools
import io
from urllib.parse import urljoin

import pytest
from chapters import CHAPTERS, figure_directives
from site_harness import LANGS, new_context

PHONE, DESKTOP = 390, 1280
MIN_TEXT_PX = 10
# Every chapter with figures; the Adam chapter's two or more also show that the checks see them.
FIGURE_CHAPTERS = [c for c in CHAPTERS if figure_directives(c)]
by_chapter = pytest.mark.parametrize("chapter", FIGURE_CHAPTERS)


def _expected(chapter: str) -> int:
    return max(figure_directives(chapter), 2 if chapter == "adam" else 1)


# Every figure image that is shown (not display:none), scrolled into view and loaded.
SHOWN_FIGURES = r"""async () => {
  const shown = Array.from(document.querySelectorAll(".bd-article img"))
    .filter(img => img.closest("figure, .cell_output") && img.getClientRects().length > 0);
  for (const img of shown) {
    img.scrollIntoView({block: "center"});
    if (!img.complete || img.naturalWidth === 0) {
      await new Promise((resolve, reject) => {
        img.addEventListener("load", resolve, {once: true});
        img.addEventListener("error", () => reject(new Error("failed: " + img.src)), {once: true});
      });
    }
    await img.decode();
  }
  return shown.map(img => {
    const picture = img.closest("picture");
    const sources = picture ? Array.from(picture.querySelectorAll("source")) : [];
    const current = sources.find(s => new URL(s.srcset, document.baseURI).href === img.currentSrc);
    const chosen = current || img;
    const style = (el) => getComputedStyle(el);
    const dimmed = [];
    for (let el = img; el && el !== document.documentElement; el = el.parentElement) {
      const s = style(el);
      if (s.filter !== "none" || Number(s.opacity) < 1) {
        dimmed.push(el.tagName.toLowerCase() + " filter=" + s.filter + " opacity=" + s.opacity);
      }
    }
    const box = img.getBoundingClientRect();
    // Background: the four corners of the image as drawn (same origin, so readable).
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const inset = 3;
    const corners = [[inset, inset], [canvas.width - inset, inset],
                     [inset, canvas.height - inset], [canvas.width - inset, canvas.height - inset]]
      .map(([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3)));
    return {
      src: img.getAttribute("src"),
      currentSrc: img.currentSrc,
      fromSource: !!current,
      shownWidth: box.width,
      right: box.right,
      cssWidth: Number(chosen.getAttribute("width")),
      textPx: chosen.dataset.textPx === undefined ? null : Number(chosen.dataset.textPx),
      dimmed,
      corners,
      page: getComputedStyle(document.body).backgroundColor.match(/\d+/g).slice(0, 3).map(Number),
    };
  });
}"""


@functools.cache
def _figures(browser, base_url, chapter, lang, mode, width, *, system=None):
    """The chapter's shown figures, in a fresh context; also the PNGs the page requested.

    Read once per page, mode and width: several tests look at the same visit (plain data).
    """
    if system is None:
        context = new_context(browser, base_url, mode)
    else:  # "auto": nothing stored, the system setting decides
        context = browser.new_context(base_url=base_url, color_scheme=system)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        pngs: list[str] = []
        page.on("request", lambda r: pngs.append(r.url) if r.url.endswith(".png") else None)
        page.goto(urljoin(base_url, f"{lang}/{chapter}.html"), wait_until="load")
        theme = page.evaluate("document.documentElement.dataset.theme")
        figures = page.evaluate(SHOWN_FIGURES)
        page.wait_for_load_state("networkidle")
        return theme, figures, pngs
    finally:
        context.close()


def _readable(figures, width) -> list[str]:
    problems = []
    for f in figures:
        if f["textPx"] is None or not f["cssWidth"]:
            problems.append(f"{f['currentSrc']}: no recorded text size (data-text-px/width)")
            continue
        shown = f["shownWidth"] / f["cssWidth"] * f["textPx"]
        if shown < MIN_TEXT_PX:
            problems.append(
                f"{f['currentSrc']}: text {shown:.1f} px (figure {f['cssWidth']} px shown at "
                f"{f['shownWidth']:.0f} px, smallest text {f['textPx']} px)"
            )
        if f["right"] > width + 0.5:
            problems.append(f"{f['currentSrc']}: clipped, right edge at {f['right']:.0f} px")
    return problems


@by_chapter
@pytest.mark.parametrize("lang", LANGS)
def test_figure_text_is_readable_on_a_phone(browser, base_url, lang, chapter):
    _, figures, _ = _figures(browser, base_url, chapter, lang, "light", PHONE)
    assert len(figures) >= _expected(chapter)
    problems = _readable(figures, PHONE)
    assert not problems, "\n".join(problems)
    # The phone gets the figures drawn for its width.
    assert all(f["fromSource"] and "narrow" in f["currentSrc"] for f in figures), figures


@by_chapter
@pytest.mark.parametrize("lang", LANGS)
def test_the_wide_figure_is_shown_on_a_desktop(browser, base_url, lang, chapter):
    _, figures, _ = _figures(browser, base_url, chapter, lang, "light", DESKTOP)
    assert len(figures) >= _expected(chapter)
    assert not [f for f in figures if f["fromSource"] or "narrow" in f["currentSrc"]], figures
    problems = _readable(figures, DESKTOP)
    assert not problems, "\n".join(problems)


def _luminance(rgb) -> float:
    return sum(rgb) / 3


# How a reader gets each mode: a stored choice (the theme's switch, on an earlier page), or
# "auto" (nothing stored) with the system's setting.
MODES = {
    "light-auto": ("light", None, "light"),
    "dark-stored": ("dark", None, "dark"),
    "dark-auto": ("light", "dark", "dark"),
}


@by_chapter
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("lang", LANGS)
def test_each_colour_mode_shows_its_own_figure(browser, base_url, lang, width, chapter):
    problems = []
    for how, (mode, system, expected) in MODES.items():
        theme, figures, pngs = _figures(
            browser, base_url, chapter, lang, mode, width, system=system
        )
        assert theme == expected, how
        assert len(figures) >= _expected(chapter), how
        for f in figures:
            name = f"{how}: {f['currentSrc']}"
            if ("-dark" in f["currentSrc"]) != (expected == "dark"):
                problems.append(f"{name}: not the {expected} variant")
            corners = [_luminance(c) for c in f["corners"]]
            if expected == "dark" and max(_distance(c, f["page"]) for c in f["corners"]) > 6:
                problems.append(f"{name}: background {f['corners']}, not the page's {f['page']}")
            if expected == "light" and min(corners) < 200:
                problems.append(f"{name}: background not light: {f['corners']}")
            if f["dimmed"]:
                problems.append(f"{name}: dimmed by {f['dimmed']}")
        # Only what is shown is downloaded (the other variants are lazy and hidden).
        shown = {f["currentSrc"] for f in figures}
        extra = sorted({u for u in pngs if "/_images/" in u} - shown)
        if extra:
            problems.append(f"{how}: hidden variants downloaded: {extra}")
    assert not problems, "\n".join(problems)


@by_chapter
@pytest.mark.parametrize("lang", LANGS)
def test_the_theme_switch_changes_the_figures(browser, base_url, lang, chapter):
    """A reader on the light page picks "Dark" in the theme's menu: the figures follow."""
    context = new_context(browser, base_url, "light")
    try:
        page = context.new_page()
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        page.goto(urljoin(base_url, f"{lang}/{chapter}.html"), wait_until="load")
        assert "-dark" not in " ".join(f["currentSrc"] for f in page.evaluate(SHOWN_FIGURES))
        page.click(".theme-switch-button")
        page.click(".theme-change-button[data-mode=dark]")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        figures = page.evaluate(SHOWN_FIGURES)
    finally:
        context.close()
    assert len(figures) >= _expected(chapter)
    assert all("-dark" in f["currentSrc"] and not f["dimmed"] for f in figures), figures


# Each printed output at a phone's width: does it overflow, and its pixels at both edges (in the
# padding above the text) before and after it is scrolled to its end.
OUTPUT_EDGES = """async (pre) => {
  pre.scrollIntoView({block: "center"});
  return {overflow: pre.scrollWidth - pre.clientWidth, background: getComputedStyle(pre).backgroundColor,
          text: pre.textContent.slice(0, 40)};
}"""


def _edges(png: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    from PIL import Image  # noqa: PLC0415  (matplotlib's dependency)

    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        y = 6  # in the top padding: no text there, below the rounded corners
        return rgb.getpixel((3, y)), rgb.getpixel((rgb.width - 4, y))


def _distance(a, b) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=False))


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_wide_printed_output_shows_that_it_scrolls(browser, base_url, lang, mode, chapter):
    context = new_context(browser, base_url, mode)
    problems, overflowing, fitting = [], 0, 0
    try:
        page = context.new_page()
        page.set_viewport_size({"width": PHONE, "height": 900})
        page.goto(urljoin(base_url, f"{lang}/{chapter}.html"), wait_until="load")
        for pre in page.query_selector_all(".cell_output pre"):
            if not pre.is_visible():  # in a folded solution: the reader has not opened it
                continue
            info = pre.evaluate(OUTPUT_EDGES)
            rgb = tuple(int(x) for x in info["background"][4:-1].split(",")[:3])
            left, right = _edges(pre.screenshot())
            name = f"{info['text']!r} (overflow {info['overflow']} px)"
            if info["overflow"] > 1:
                overflowing += 1
                if _distance(right, rgb) < 24 or _distance(left, rgb) > 6:
                    problems.append(f"{name}: no shadow on the right only: {left} {right} {rgb}")
                pre.evaluate("pre => { pre.scrollLeft = pre.scrollWidth; }")
                left, right = _edges(pre.screenshot())
                if _distance(left, rgb) < 24 or _distance(right, rgb) > 6:
                    problems.append(f"{name}: scrolled, no shadow on the left only: {left} {right}")
            else:
                fitting += 1
                if _distance(left, rgb) > 6 or _distance(right, rgb) > 6:
                    problems.append(f"{name}: fits, yet a shadow: {left} {right} {rgb}")
    finally:
        context.close()
    if chapter == "adam":  # its table is wider than a phone and its short lines are not
        assert overflowing >= 1, fitting
        assert fitting >= 1, overflowing
    assert not problems, "\n".join(problems)


@by_chapter
def test_auto_mode_follows_the_system_before_the_theme_script_runs(browser, base_url, chapter):
    """On a first visit (mode "auto"), the script at the top of the page (layout.html) sets
    data-theme to the system's setting before the body is parsed, so the page is styled once
    (issue 16); without JavaScript data-theme stays "auto" and book.css shows the system's
    variant. Either way only that variant shows and loads, and nothing jumps."""
    for system in ("light", "dark"):
        for javascript in (True, False):
            context = browser.new_context(
                base_url=base_url, color_scheme=system, java_script_enabled=javascript
            )
            context.route("**/scripts/pydata-sphinx-theme.js*", lambda route: route.abort())
            try:
                page = context.new_page()
                page.set_viewport_size({"width": DESKTOP, "height": 900})
                page.goto(urljoin(base_url, f"en/{chapter}.html"), wait_until="load")
                theme = page.evaluate("document.documentElement.dataset.theme")
                figures = page.evaluate(SHOWN_FIGURES)
                groups = page.evaluate("document.querySelectorAll('.figure-variants').length")
            finally:
                context.close()
            assert theme == (system if javascript else "auto"), (system, javascript)
            assert len(figures) == groups >= _expected(chapter), (
                system,
                groups,
                figures,
            )  # one shown per figure
            assert all(("-dark" in f["currentSrc"]) == (system == "dark") for f in figures), figures
