"""Both editions in Chromium: no line starts with the punctuation or particle after math/code.

docs/_ext/inline_glue.py wraps "$x$.", "`run()`은", "0.999이면" in ``span.book-nowrap``
(tests/test_inline_glue.py and tests/test_korean_edition.py check that every such pair is
wrapped). Here each wrapper of each chapter, read at 390 px, is copied into a column 1 px wide,
where the browser breaks wherever it may: the punctuation or particle must stay on the line of
the code or formula. The same copy without the class breaks, so the check can fail.

And in the page itself, at 390 and 360 px: the text of every wrapper is drawn right after the
last box of its formula or code, on that box's line (Chromium drew it at the end of the
formula's first line when the formula wrapped inside the wrapper: 20 Korean particles at
390 px before docs/_ext/inline_glue.py split such formulas), and no wrapper sticks out of its
paragraph.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from chapters import CHAPTERS

# Folded solutions are not laid out (book.css): open them, as a reader does, before a check.
OPEN_SOLUTIONS = r"""
() => document.querySelectorAll('.admonition.dropdown').forEach((solution) => {
  solution.classList.remove('toggle-hidden');
  solution.classList.add('toggle-shown');
})
"""

# [code/math text end, punctuation or particle, same line?] for every wrapper, with or without its class.
SPLIT_CHECK = r"""
(keepClass) => {
  // All the copies first, then all the measurements: one layout of the page, not one per
  // wrapper (a chapter has hundreds, and each layout of a long page costs a second or more).
  const copies = [...document.querySelectorAll('.bd-article .book-nowrap')].map((wrap) => {
    const column = document.createElement('p');
    column.style.cssText = 'width: 1px; position: absolute; left: 0; top: 0;';
    const copy = wrap.cloneNode(true);
    if (!keepClass) copy.classList.remove('book-nowrap');
    column.appendChild(copy);
    wrap.parentElement.appendChild(column);  // same fonts and styles as in the text
    return copy;
  });
  const results = copies.map((copy) => {
    const rects = copy.firstElementChild.getClientRects();
    const last = rects[rects.length - 1];
    const range = document.createRange();
    range.setStart(copy.lastChild, 0);
    range.setEnd(copy.lastChild, 1);
    const particle = range.getBoundingClientRect();
    const middle = (r) => (r.top + r.bottom) / 2;
    const sameLine = Math.abs(middle(particle) - middle(last)) < last.height / 2;
    return [copy.textContent.slice(-12), copy.lastChild.textContent, sameLine];
  });
  copies.forEach((copy) => copy.parentElement.remove());
  return results;
}
"""


# [wrapper text, drawn after its last box on the same line?, right edge beyond its block (px)]
IN_PLACE_CHECK = r"""
() => {
  const middle = (r) => (r.top + r.bottom) / 2;
  return [...document.querySelectorAll('.bd-article .book-nowrap')].map((wrap) => {
    // a formula's last box (KaTeX's inline-blocks), else the code's last line
    const bases = wrap.querySelectorAll('.katex-base');
    const boxes = bases.length
      ? [bases[bases.length - 1].getBoundingClientRect()]
      : [...wrap.firstElementChild.getClientRects()].filter((r) => r.width > 0);
    const last = boxes[boxes.length - 1];
    const range = document.createRange();
    range.setStart(wrap.lastChild, 0);
    range.setEnd(wrap.lastChild, 1);
    const text = range.getBoundingClientRect();
    const inPlace =
      Math.abs(middle(text) - middle(last)) < last.height / 2 && text.left >= last.right - 1;
    const block = wrap.closest('p, li, dd, dt, td, th, h1, h2, h3, h4, figcaption');
    const beyond = block ? wrap.getBoundingClientRect().right - block.getBoundingClientRect().right : 0;
    return [wrap.textContent.slice(-16), inPlace, Math.round(beyond)];
  });
}
"""


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_nothing_written_against_math_or_code_starts_a_line(browser, base_url, chapter, lang):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto(urljoin(base_url, f"{lang}/{chapter}.html"), wait_until="load")
        page.evaluate("document.fonts.ready")
        page.evaluate(OPEN_SOLUTIONS)
        in_page = {390: page.evaluate(IN_PLACE_CHECK)}
        page.set_viewport_size({"width": 360, "height": 900})
        in_page[360] = page.evaluate(IN_PLACE_CHECK)
        glued = page.evaluate(SPLIT_CHECK, True)
        control = page.evaluate(SPLIT_CHECK, False)
    finally:
        page.close()
    for width, wrappers in in_page.items():
        assert len(wrappers) == len(glued)
        misplaced = [text for text, in_place, _ in wrappers if not in_place]
        assert not misplaced, (width, misplaced)
        sticking_out = [(text, px) for text, _, px in wrappers if px > 1]
        assert not sticking_out, (width, sticking_out)
    if chapter == "adam":
        assert len(glued) >= 40  # the check sees the wrappers
    separated = [text for text, _, same in glued if not same]
    assert not separated, separated
    # Without the class, the browser does break there: the check measures something.
    assert not any(same for _, _, same in control)
