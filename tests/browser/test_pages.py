"""Every page of both editions, in light and dark mode, as Chromium shows it.

The ``sweep`` fixture (conftest.py) loads each page once per mode and records requests, console
and page errors, axe-core's violations, horizontal overflow at 1280/768/360 px, images and the
visible prose; the tests below assert on those records.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from book_editions import HANGUL
from browser.harness import LANGS

RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\(frac|hat|beta|eta|epsilon|sqrt|sum|mathbf|left|right)\b")


def _fail_list(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])


def test_every_page_was_visited(sweep, site):
    names = {(r.lang, r.name) for r in sweep}
    assert {("en", "adam.html"), ("ko", "adam.html"), ("ko", "index.html")} <= names
    assert len(names) >= 2 * 10


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


def test_html_lang_is_the_edition(sweep):
    problems = [f"{r.key}: lang={r.html_lang!r}" for r in sweep if r.html_lang != r.lang]
    assert not problems, _fail_list(problems)


def test_colour_mode_applies(sweep):
    problems = [f"{r.key}: data-theme={r.data_theme!r}" for r in sweep if r.data_theme != r.mode]
    # Dark mode really is dark: the body's background is dark (and light is light).
    for r in sweep:
        rgb = [int(x) for x in re.findall(r"\d+", r.background)[:3]]
        luminance = sum(rgb) / 3 if rgb else -1
        if (r.mode == "dark") != (0 <= luminance < 100):
            problems.append(f"{r.key}: body background {r.background}")
    assert not problems, _fail_list(problems)


def test_images_have_alt_text_in_the_page_language(sweep):
    problems = []
    for r in sweep:
        for img in r.images:
            alt = img["alt"].strip()
            where = f"{r.key}: <{img['tag']} src={img['src']!r} alt={alt!r}>"
            if len(alt) < 3 or re.search(r"\.(png|svg|jpe?g|gif|webp)\b", alt, re.IGNORECASE):
                problems.append(f"{where}: alt text missing or a file name")
            elif img["inFigure"] and bool(HANGUL.search(alt)) != (r.lang == "ko"):
                problems.append(f"{where}: alt text not in the page's language")
            if img["tag"] == "img" and img["shown"] and not img["naturalWidth"]:
                problems.append(f"{where}: image did not load")
    assert not problems, _fail_list(problems)


def test_figures_are_shown(sweep):
    for lang in LANGS:
        adam = next(r for r in sweep if (r.lang, r.name) == (lang, "adam.html"))
        figures = [i for i in adam.images if i["tag"] == "img" and i["inFigure"]]
        assert len(figures) >= 2, adam.key


def test_no_raw_tex_is_visible(sweep):
    problems = [
        f"{r.key}: {m.group(0)!r} in …{r.prose[max(m.start() - 40, 0) : m.end() + 40]!r}…"
        for r in sweep
        for m in [RAW_TEX.search(r.prose)]
        if m
    ]
    assert not problems, _fail_list(problems)


def test_no_client_side_math(sweep):
    problems = [
        f"{r.key}: {u}"
        for r in sweep
        for u in r.visit.requests
        if re.search(r"(katex|mathjax|tex-mml|auto-render)[^/]*\.js", u, re.IGNORECASE)
    ]
    assert not problems, _fail_list(problems)


def test_language_switch_lands_on_the_same_page(sweep, base_url):
    problems = []
    for r in sweep:
        other = "ko" if r.lang == "en" else "en"
        expected = urljoin(base_url, f"{other}/{r.name}")
        if r.switch_href != expected:
            problems.append(f"{r.key}: switch href {r.switch_href!r}, expected {expected!r}")
        if r.mode == "light" and r.switch_landed != expected:
            problems.append(f"{r.key}: clicking the switch landed on {r.switch_landed!r}")
    assert not problems, _fail_list(problems)


def test_every_icon_is_drawn(sweep):
    """Font Awesome's script is not loaded: each icon shown needs a rule in book-icons.css."""
    problems = [f"{r.key}: {icon}" for r in sweep for icon in r.blank_icons]
    assert not problems, _fail_list(problems) + "\n(add it to docs/_scripts/make_icons.py)"
