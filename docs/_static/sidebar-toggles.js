/* The ☰ (site navigation) and "Contents" (page outline) toggles of the article header.
 *
 * Workaround for pydata-sphinx-theme#2451 and sphinx-book-theme#988: each page has two
 * .primary-toggle and two .secondary-toggle buttons, a hidden pair in the theme's top header
 * and the visible pair in the article header. pydata-sphinx-theme (open the sidebar as a
 * <dialog> on a narrow screen) and sphinx-book-theme (collapse the primary sidebar on a wide
 * one) attach their click handlers with document.querySelector, that is to the first, hidden,
 * button of each pair, so the visible buttons do nothing.
 *
 * Fix: a click on a visible toggle that no theme handler took (theirs stop the event, so it
 * never reaches the document) is passed on to the button the theme listens on. The themes'
 * own code then does the rest: the drawer, the overlay and Escape to close it, focus back to
 * the toggle, the collapse on a wide screen. Once the themes listen on the visible buttons,
 * this does nothing (tests/browser/test_sidebar_toggles.py guards either way).
 */
"use strict";

document.addEventListener("click", (event) => {
  const toggle = event.target instanceof Element && event.target.closest(".sidebar-toggle");
  if (!toggle) return;
  for (const kind of ["primary-toggle", "secondary-toggle"]) {
    const handled = document.querySelector("." + kind); // what the themes listen on
    if (toggle.classList.contains(kind) && handled && handled !== toggle) {
      event.preventDefault();
      toggle.focus(); // the theme gives focus back to the active element when the drawer closes
      handled.click();
      return;
    }
  }
});
