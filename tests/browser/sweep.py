"""The sweep: every page of both editions, loaded once per colour mode, probed and recorded.

One browser context per mode, one tab. Each page is loaded (every request recorded and waited
for), its shown lazy images loaded, then each probe of the caller's ``probes`` (name -> a
JavaScript function) is evaluated and its result kept in ``report.probes[name]``; axe-core runs,
horizontal overflow and words cut in headings are measured at every width of ``WIDTHS``, and
in the first mode the
language switch is clicked. The tests (tests/browser/test_pages.py) assert on the reports: a
new check is a probe and a test there, nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from site_harness import (
    AXE_RUN,
    LANGS,
    LOAD_SHOWN_IMAGES,
    MODES,
    WIDTHS,
    Visit,
    axe_path,
    new_context,
    recording,
    site_pages,
)

SWITCH = ".book-lang-switch a[hreflang]"
# axe's rules whose outcome depends on the viewport's width, run again at the narrowest.
AXE_NARROW = AXE_RUN.replace(
    "{resultTypes:", '{runOnly: ["scrollable-region-focusable", "target-size"], resultTypes:'
)

OVERFLOW = """() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const culprits = [];
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && el.offsetParent !== null && !clipped(el)) {
      culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && el.className.baseVal === undefined ? "." +
         String(el.className).trim().split(/\\s+/).join(".") : "") +
        " right=" + Math.round(box.right));
      if (culprits.length >= 5) break;
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, culprits};
}"""


# Words of a heading drawn on two lines: a word cut where no hyphen or space is, because it
# is wider than the column at the heading's size. Words of Latin letters only (a break at an
# explicit hyphen, or between Hangul and a parenthesis, is a break a reader expects).
SPLIT_WORDS = """() => {
  const split = [];
  for (const h of document.querySelectorAll(".bd-article h1, .bd-article h2, .bd-article h3")) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[A-Za-z]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects())
          .filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(h.tagName.toLowerCase() + ": " + m[0]);
      }
    }
  }
  return split;
}"""


@dataclass
class PageReport:
    lang: str
    name: str
    mode: str
    visit: Visit
    probes: dict = field(default_factory=dict)  # probe name -> what its JavaScript returned
    violations: list = field(default_factory=list)  # axe-core's
    overflow: dict = field(default_factory=dict)  # width -> OVERFLOW's finding
    split_words: dict = field(default_factory=dict)  # width -> SPLIT_WORDS's finding
    switch_href: str | None = None
    switch_landed: str | None = None  # where clicking the language switch led (first mode)

    @property
    def key(self) -> str:
        return f"{self.mode}:{self.lang}/{self.name}"


def check_page(page, base_url: str, lang: str, name: str, mode: str, probes) -> PageReport:
    url = urljoin(base_url, f"{lang}/{name}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    with recording(page, url) as visit:
        page.goto(url, wait_until="load")
        report = PageReport(lang, name, mode, visit)
        page.evaluate(LOAD_SHOWN_IMAGES)
        for probe, script in probes.items():
            report.probes[probe] = page.evaluate(script)
        switch = page.query_selector(SWITCH)
        if switch is not None:
            report.switch_href = switch.evaluate("a => a.href")
        page.add_script_tag(path=str(axe_path()))
        report.violations = page.evaluate(AXE_RUN)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found = page.evaluate(OVERFLOW)
            if found:
                report.overflow[width] = found
            if split := page.evaluate(SPLIT_WORDS):
                report.split_words[width] = split
    if mode == MODES[0]:
        # What a phone loads: the rules whose outcome depends on the width (a formula or a
        # table that fits at 1280 px may scroll at 360), checked on a page loaded at 360 px.
        page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
        with recording(page, url) as narrow:
            page.goto(url, wait_until="load")
            page.add_script_tag(path=str(axe_path()))
            found = page.evaluate(AXE_NARROW)
        report.violations += [{**v, "id": f"{v['id']} at {WIDTHS[-1]} px"} for v in found]
        for problems in ("bad_responses", "failed", "console_errors", "page_errors"):
            getattr(report.visit, problems).extend(getattr(narrow, problems))
    if mode == MODES[0] and switch is not None:
        # Follow the switch the way a reader does: click it (at full width, where it shows).
        # What that load does is recorded (and waited for) like a visit of its own, and its
        # problems are this page's: recording() excuses only the requests cut off by the
        # navigations the test makes, such as the landed page's favicon when the next page
        # is loaded (that one used to fail the sweep on a busy machine).
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        with recording(page, report.switch_href) as followed:
            with page.expect_navigation(wait_until="load"):
                page.click(SWITCH)
            report.switch_landed = page.url
        report.visit.requests += followed.requests
        for problems in ("bad_responses", "failed", "console_errors", "page_errors"):
            found = getattr(followed, problems)
            getattr(report.visit, problems).extend(f"after the switch: {e}" for e in found)
    return report


def sweep_site(
    browser, base_url: str, site: Path, mode: str, probes, langs: tuple[str, ...] = LANGS
) -> list[PageReport]:
    """Every page of the editions ``langs`` in one colour mode, ``probes`` evaluated on each."""
    axe_path()  # fail early with the npm hint
    context = new_context(browser, base_url, mode)
    page = context.new_page()
    reports = []
    try:
        for lang in langs:
            for name in site_pages(site, lang):
                reports.append(check_page(page, base_url, lang, name, mode, probes))
    finally:
        foreign = list(context.foreign_requests)
        context.close()
    for report in reports:
        report.visit.foreign = foreign  # context-wide: any page's request to another host
    return reports
