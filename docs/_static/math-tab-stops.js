/* Display formulas wider than the column scroll sideways (KaTeX, div.math { overflow-x: auto }):
 * a keyboard reader must be able to focus one to scroll it (WCAG 2.1.1; axe's
 * scrollable-region-focusable). pydata-sphinx-theme gives scrollable code blocks, notebook
 * outputs and tables a tab stop (its addTabStopsToScrollableElements), but not math; the same
 * gap in another theme is jupyter-book/myst-theme#858. Here, as the theme does for its
 * elements: a formula is a tab stop while it overflows, and not otherwise, rechecked on resize.
 */
"use strict";

(() => {
  const update = () => {
    for (const math of document.querySelectorAll("div.math")) {
      const scrolls = math.scrollWidth > math.clientWidth;
      if (scrolls && !math.hasAttribute("tabindex")) math.tabIndex = 0;
      if (!scrolls && math.getAttribute("tabindex") === "0") math.removeAttribute("tabindex");
    }
  };
  let pending = null;
  const later = () => {
    clearTimeout(pending);
    pending = setTimeout(update, 200);
  };
  if (document.readyState === "complete") update();
  else window.addEventListener("load", update);
  window.addEventListener("resize", later);
})();
