/* The line of context under each search result, in both editions: Sphinx's
 * Search.makeSearchSummary (searchtools.js, Sphinx 9.0), changed in two ways.
 *
 * 1. The text is the article's (article.bd-article). Sphinx reads [role="main"], which in
 *    sphinx-book-theme also holds the article's header: the contents button, the language
 *    switch, the download menu, whose words are not the page's.
 * 2. When no search term occurs in the text as written, Sphinx starts the context at NaN and
 *    shows the first characters of [role="main"] after an ellipsis: "...English" under a
 *    Korean result. A page is found without its term as written when the index holds the
 *    term's stem (English "studies" -> "studi") or, in the Korean edition, a synonym or a
 *    verb's stem (기울기 finds the pages on 경사; 가파른 finds 가파르). Here the context starts
 *    at the first word in the article that stands for a search term: the term, its synonyms
 *    and its forms (window.KoreanSearchSynonyms and KoreanSearchForms, written by
 *    docs/_ext/korean_search.py); that word is highlighted like the terms themselves.
 *    With none, it starts at the beginning of the article, without an ellipsis.
 *
 * Loaded with `defer` on the search page only (docs/_ext/search_summary.py): it runs after
 * searchtools.js has defined Search and before DOMContentLoaded starts the query.
 */
"use strict";
(() => {
  const CONTEXT = 240;
  const synonyms = window.KoreanSearchSynonyms || {};
  const formsOf = new Map(); // stem -> the conjugated forms that stand for it
  for (const [form, stem] of Object.entries(window.KoreanSearchForms || {})) {
    if (!formsOf.has(stem)) formsOf.set(stem, []);
    formsOf.get(stem).push(form);
  }
  const wordsFor = (term) => [term, ...(synonyms[term] || []), ...(formsOf.get(term) || [])];

  const articleText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    for (const query of [".headerlink", "script", "style"]) {
      doc.querySelectorAll(query).forEach((el) => el.remove());
    }
    const article = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!article) return "";
    let part = null;
    if (anchor) {
      try {
        part = article.querySelector(anchor);
      } catch (error) {
        part = null; // an id that is not a valid selector: the whole article
      }
    }
    return (part || article).textContent.replace(/\s+/g, " ").trim();
  };

  Search.htmlToText = articleText;
  Search.makeSearchSummary = (htmlText, keywords, anchor) => {
    const text = articleText(htmlText, anchor);
    if (text === "") return null;
    const lower = text.toLowerCase();
    let at = -1;
    let found = "";
    for (const term of keywords) {
      for (const word of wordsFor(term)) {
        const i = lower.indexOf(word.toLowerCase());
        if (i > -1 && (at === -1 || i < at)) [at, found] = [i, word.toLowerCase()];
      }
    }
    const start = Math.max(at - CONTEXT / 2, 0);
    const summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent =
      (start > 0 ? "..." : "") +
      text.substr(start, CONTEXT).trim() +
      (start + CONTEXT < text.length ? "..." : "");
    if (found && typeof _highlightText === "function") {
      _highlightText(summary, found, "highlighted");
    }
    return summary;
  };
})();
