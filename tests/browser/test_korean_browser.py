"""The Korean edition in Chromium: a particle never starts a line after inline code or math.

docs/_ext/korean_particles.py wraps "`run()`은", "0.999이면" in ``span.book-nowrap``
(tests/test_korean_edition.py checks that every such pair is wrapped). Here each wrapper of
each chapter, read at 390 px, is copied into a column 1 px wide, where the browser breaks
wherever it may: the particle must stay on the line of the code or formula. The same copy
without the class breaks, so the check can fail.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from chapters import CHAPTERS

# [code/math text end, particle, same line?] for every wrapper, with or without its class.
SPLIT_CHECK = r"""
(keepClass) => {
  // Folded solutions are not laid out (book.css): open them, as a reader does.
  document.querySelectorAll('.admonition.dropdown').forEach((solution) => {
    solution.classList.remove('toggle-hidden');
    solution.classList.add('toggle-shown');
  });
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


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_particles_stay_with_code_and_math_at_390px(browser, base_url, chapter):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto(urljoin(base_url, f"ko/{chapter}.html"), wait_until="load")
        page.evaluate("document.fonts.ready")
        glued = page.evaluate(SPLIT_CHECK, True)
        control = page.evaluate(SPLIT_CHECK, False)
    finally:
        page.close()
    if chapter == "adam":
        assert len(glued) >= 40  # the check sees the wrappers
    separated = [text for text, _, same in glued if not same]
    assert not separated, separated
    # Without the class, the browser does break there: the check measures something.
    assert not any(same for _, _, same in control)
