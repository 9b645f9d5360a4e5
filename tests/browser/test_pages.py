"""Every page of both editions, in light and dark mode, as Chromium shows it.

The ``sweep`` fixture loads each page once per mode (tests/browser/sweep.py) and records
requests, console and page errors, axe-core's violations, horizontal overflow and words cut
in headings at 1280/768/360 px, where clicking the language switch leads, and what each probe
of ``PROBES`` returned; the tests below assert on those records. Only what needs a browser is checked here: attributes and
text (html lang, alt text, the switch's link, raw TeX) are checked on the HTML files, in
tests/test_site.py.

To add a check: a probe (a JavaScript function, evaluated once the page and its shown images
have loaded) in ``PROBES``, and a test that reads ``report.probes[name]``.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from browser.sweep import sweep_site
from chapters import CHAPTERS, figure_directives
from site_harness import LANGS, MODES, site_pages

PROBES = {
    "data_theme": "document.documentElement.dataset.theme || ''",
    "background": "getComputedStyle(document.body).backgroundColor",
    # Every image that is shown: did it load?
    "images": """() => Array.from(document.querySelectorAll("img"))
      .filter(img => img.getClientRects().length > 0)
      .map(img => ({src: img.getAttribute("src") || "", naturalWidth: img.naturalWidth}))""",
    # Each figure (or cell output) with an image: how many of its images are shown and loaded.
    "figures": """() => Array.from(document.querySelectorAll("figure, .cell_output"))
      .filter(f => f.querySelector("img"))
      .map(f => {
        const shown = Array.from(f.querySelectorAll("img")).filter(i => i.getClientRects().length);
        return {id: f.id || f.className, shown: shown.length,
                loaded: shown.filter(i => i.complete && i.naturalWidth > 0).length};
      })""",
    # Icons (Font Awesome classes, drawn by _static/book-icons.css): each shown one has a shape.
    # Pseudo-element glyphs that need Font Awesome's font (not shipped): drawn as empty boxes.
    "font_glyphs": """() => Array.from(document.querySelectorAll(".admonition-title, .admonition"))
      .flatMap(el => ["::before", "::after"].map(p => [el, p, getComputedStyle(el, p)]))
      .filter(([el, p, style]) => /Font Awesome/i.test(style.fontFamily)
        && !["none", "normal", '""'].includes(style.content))
      .map(([el, p, style]) => el.className + p + " " + style.content)""",
    "blank_icons": """() => Array.from(document.querySelectorAll("[class*='fa-']"))
      .filter(el => el.getClientRects().length > 0 && /(^|\\s)(fa-solid|fas|fa-regular|far)(\\s|$)/
        .test(el.className))
      .filter(el => {
        const style = getComputedStyle(el);
        const mask = style.maskImage || style.webkitMaskImage;
        const box = el.getBoundingClientRect();
        return !mask || mask === "none" || box.width < 4 || box.height < 4;
      })
      .map(el => el.className)""",
}


# One sweep per colour mode and edition. Under pytest-xdist (make test: -n auto --dist
# loadgroup) the tests of one sweep run in one worker, so each sweep is made once, and the four
# sweeps (a minute or two each) share the workers evenly.
SWEEPS = [(mode, lang) for mode in MODES for lang in LANGS]


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(
            (mode, lang), id=f"{mode}-{lang}", marks=pytest.mark.xdist_group(f"sweep-{mode}-{lang}")
        )
        for mode, lang in SWEEPS
    ],
)
def sweep(request, browser, base_url, site):
    mode, lang = request.param
    return sweep_site(browser, base_url, site, mode, PROBES, langs=(lang,))


def _fail_list(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])


def test_every_page_was_visited(sweep, site):
    (lang,) = {r.lang for r in sweep}  # one edition per sweep
    names = [r.name for r in sweep]
    assert names == site_pages(site, lang)
    assert {"adam.html", "index.html", "search.html"} <= set(names)
    assert len(names) >= 20


def test_no_request_leaves_the_loopback_server(sweep, base_url):
    host = urlsplit(base_url).netloc
    problems = [
        f"{r.key}: {u}"
        for r in sweep
        for u in r.visit.requests
        if urlsplit(u).scheme not in {"data", "blob"} and urlsplit(u).netloc != host
    ]
    problems += [f"context: {u}" for u in sweep[0].visit.foreign]
    assert not problems, _fail_list(problems)


def test_no_console_errors_or_uncaught_exceptions(sweep):
    problems = [f"{r.key}: console: {e}" for r in sweep for e in r.visit.console_errors]
    problems += [f"{r.key}: pageerror: {e}" for r in sweep for e in r.visit.page_errors]
    assert not problems, _fail_list(problems)


def test_every_asset_loads(sweep):
    problems = [f"{r.key}: {e}" for r in sweep for e in r.visit.bad_responses + r.visit.failed]
    assert not problems, _fail_list(problems)


def test_axe_reports_no_violations(sweep):
    problems = [
        f"{r.key}: {v['id']} ({v['impact']}) {v['help']}\n      " + "\n      ".join(v["nodes"])
        for r in sweep
        for v in r.violations
    ]
    assert not problems, _fail_list(problems)


def test_no_horizontal_overflow(sweep):
    problems = [
        f"{r.key} @ {width}px: scrollWidth {o['scrollWidth']} > {o['clientWidth']}: {o['culprits']}"
        for r in sweep
        for width, o in r.overflow.items()
    ]
    assert not problems, _fail_list(problems)


def test_no_word_of_a_heading_is_cut(sweep):
    """A word too wide for the column at the heading's size is cut anywhere (overflow-wrap)."""
    problems = [
        f"{r.key} @ {width}px: {', '.join(words)}"
        for r in sweep
        for width, words in r.split_words.items()
    ]
    assert not problems, _fail_list(problems)


def test_colour_mode_applies(sweep):
    problems = [
        f"{r.key}: data-theme={r.probes['data_theme']!r}"
        for r in sweep
        if r.probes["data_theme"] != r.mode
    ]
    # Dark mode really is dark: the body's background is dark (and light is light).
    for r in sweep:
        rgb = [int(x) for x in re.findall(r"\d+", r.probes["background"])[:3]]
        luminance = sum(rgb) / 3 if rgb else -1
        if (r.mode == "dark") != (0 <= luminance < 100):
            problems.append(f"{r.key}: body background {r.probes['background']}")
    assert not problems, _fail_list(problems)


def test_every_shown_image_loads(sweep):
    problems = [
        f"{r.key}: <img src={img['src']!r}> did not load"
        for r in sweep
        for img in r.probes["images"]
        if not img["naturalWidth"]
    ]
    assert not problems, _fail_list(problems)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_figures_are_shown_and_loaded(sweep, chapter):
    (report,) = [r for r in sweep if r.name == f"{chapter}.html"]
    figures = report.probes["figures"]
    assert len(figures) >= figure_directives(chapter), report.key
    problems = [f"{report.key}: {f}" for f in figures if not f["shown"] or f["loaded"] < f["shown"]]
    assert not problems, _fail_list(problems)


def test_no_client_side_math(sweep):
    problems = [
        f"{r.key}: {u}"
        for r in sweep
        for u in r.visit.requests
        if re.search(r"(katex|mathjax|tex-mml|auto-render)[^/]*\.js", u, re.IGNORECASE)
    ]
    assert not problems, _fail_list(problems)


def test_clicking_the_language_switch_lands_on_the_same_page(sweep, base_url):
    """The switch's link is checked on the HTML (test_site.py); here a reader clicks it."""
    problems = []
    for r in sweep:
        if r.mode != MODES[0]:
            continue  # the sweep clicks in the first mode only
        other = "ko" if r.lang == "en" else "en"
        expected = urljoin(base_url, f"{other}/{r.name}")
        if r.switch_landed != expected:
            problems.append(f"{r.key}: clicking the switch landed on {r.switch_landed!r}")
    assert not problems, _fail_list(problems)


def test_no_glyph_needs_a_font_the_site_lacks(sweep):
    """Admonition titles (exercises, solutions) carry no Font Awesome glyph: its font is trimmed."""
    problems = [f"{r.key}: {glyph}" for r in sweep for glyph in r.probes["font_glyphs"]]
    assert not problems, _fail_list(problems)


def test_every_icon_is_drawn(sweep):
    """Font Awesome's script is not loaded: each icon shown needs a rule in book-icons.css."""
    problems = [f"{r.key}: {icon}" for r in sweep for icon in r.probes["blank_icons"]]
    assert not problems, _fail_list(problems) + "\n(add it to docs/_scripts/make_icons.py)"
