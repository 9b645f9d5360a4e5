"""Folded solutions, as a reader meets them: sphinx-togglebutton folds them, book.css keeps a
folded one out of the layout (``display: none``), from before the extension's deferred script
runs; without JavaScript every solution is open. Uses the shared ``browser`` and ``base_url``.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

PAGES = ["en/adam.html", "ko/momentum.html"]

# For each solution: whether its title is shown and how many of the elements after the title
# (its text, formulas, executed cells) are laid out.
SOLUTIONS = """() => Array.from(document.querySelectorAll(".admonition.dropdown"), a => ({
  id: a.id,
  title: a.querySelector(".admonition-title").getClientRects().length,
  laidOut: Array.from(a.querySelectorAll(".admonition-title ~ *"))
    .filter(e => e.getClientRects().length).length,
  body: a.querySelectorAll(".admonition-title ~ *").length,
}))"""

TOGGLES_READY = """() => {
  const all = document.querySelectorAll(".admonition.dropdown");
  return all.length > 0
    && Array.from(all).every(a => a.querySelector(".admonition-title button.toggle-button"));
}"""


@pytest.mark.parametrize("path", PAGES)
def test_a_folded_solution_is_not_laid_out_until_the_reader_opens_it(browser, base_url, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(urljoin(base_url, path))
        page.wait_for_function(TOGGLES_READY)
        solutions = page.evaluate(SOLUTIONS)
        assert len(solutions) >= 3, solutions
        for solution in solutions:
            assert solution["title"], solution
            assert solution["body"] > 0, solution
            assert solution["laidOut"] == 0, solution
        # Open one with an executed cell: its cell is shown; close it: hidden again.
        folded = page.locator(".admonition.dropdown:has(div.cell)").first
        cell = folded.locator("div.cell").first
        button = folded.locator("button.toggle-button")
        button.click()  # (the title's middle is a link to the exercise)
        expect(cell).to_be_visible()
        expect(button).to_have_attribute("aria-expanded", "true")
        button.click()
        expect(cell).to_be_hidden()
        expect(button).to_have_attribute("aria-expanded", "false")
    finally:
        page.close()


def test_solutions_are_folded_before_the_toggle_script_runs(browser, base_url):
    """The page is laid out with its solutions folded from the first paint: here the
    extension's script never comes, and still no solution is laid out."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.route("**/togglebutton.js*", lambda route: route.abort())
        page.goto(urljoin(base_url, "en/adam.html"), wait_until="load")
        solutions = page.evaluate(SOLUTIONS)
    finally:
        page.close()
    assert len(solutions) >= 3, solutions
    assert all(s["title"] and s["laidOut"] == 0 for s in solutions), solutions


def test_without_javascript_every_solution_is_open(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(urljoin(base_url, "en/adam.html"), wait_until="load")
        solutions = page.evaluate(SOLUTIONS)
    finally:
        context.close()
    assert len(solutions) >= 3, solutions
    assert all(s["laidOut"] == s["body"] > 0 for s in solutions), solutions
