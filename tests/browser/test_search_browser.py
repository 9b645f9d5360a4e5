"""Search in the Korean edition, in Chromium: the JavaScript side strips particles from what
the reader types (docs/_ext/korean_search.py; the index side is tested in
tests/test_search_ko.py). Uses the shared ``browser`` and ``base_url`` fixtures.
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlparse

import pytest

# What a Korean reader types, particles attached or not, and the page it must find.
KOREAN_QUERIES = (
    "모멘텀과",
    "모멘텀",
    "모멘텀을",
    "편향 보정",
    "편향 보정을",
    "학습률은",
    "학습률",
)


# performSearch puts a title with pulsing dots; _finishSearch, after the last result, replaces
# the whole title text. (Not the summary: Sphinx's Korean catalog leaves it empty; not
# Search._pulse_status: a pending pulse timer revives it after the stop.)
SEARCH_FINISHED = (
    "typeof Search !== 'undefined' && Search.title !== undefined"
    " && !Search.title.contains(Search.dots)"
)


def search(browser, base_url: str, lang: str, query: str, *, typed: bool = False) -> list[str]:
    """Search for *query* and return the paths the results link to.

    The search page is opened with ``?q=``, or, if *typed*, the reader opens the theme's
    search box on the Adam page (Ctrl+K), types the query and presses Enter.
    """
    page = browser.new_page()
    errors: list[str] = []  # uncaught exceptions, e.g. of the Korean Stemmer
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if typed:
            page.goto(urljoin(base_url, f"{lang}/adam.html"))
            page.keyboard.press("Control+k")
            box = page.locator("input[name=q]:focus")
            box.wait_for(state="visible", timeout=10_000)
            box.press_sequentially(query)
            with page.expect_navigation():
                box.press("Enter")
            assert urlparse(page.url).path == f"/{lang}/search.html", page.url
        else:
            page.goto(urljoin(base_url, f"{lang}/search.html?q={quote(query)}"))
        page.wait_for_function(f"() => {SEARCH_FINISHED}", timeout=30_000)
        hrefs = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
    finally:
        page.close()
    assert not errors, errors
    return [urlparse(href).path for href in hrefs]


@pytest.mark.parametrize("query", KOREAN_QUERIES)
def test_korean_search_page_finds_the_adam_page(browser, base_url, query):
    results = search(browser, base_url, "ko", query)
    assert "/ko/adam.html" in results, f"{query!r} -> {results}"


@pytest.mark.parametrize("query", ["모멘텀을", "편향 보정을", "학습률은"])
def test_korean_reader_types_into_the_search_box(browser, base_url, query):
    results = search(browser, base_url, "ko", query, typed=True)
    assert "/ko/adam.html" in results, f"{query!r} -> {results}"


@pytest.mark.parametrize("query", ["Adam", "adam", "RMSprop", "Adam의"])
def test_korean_search_page_finds_latin_words(browser, base_url, query):
    results = search(browser, base_url, "ko", query)
    assert "/ko/adam.html" in results, f"{query!r} -> {results}"


def test_korean_search_needs_every_word(browser, base_url):
    assert search(browser, base_url, "ko", "모멘텀과 낱말없음") == []


# What learners type that the pages name otherwise (synonyms, docs/_ext/korean_search.py
# SYNONYMS) or write in another form (adjectives/verbs conjugated, nouns with particles).
LEARNER_QUERIES = (
    ("아담", "adam"),
    ("기울기를", "adam"),
    ("그래디언트", "adam"),
    ("옵티마이저", "adam"),
    ("가파른", "adam"),
    ("가파르게", "adam"),
    ("작은 학습률", "adam"),
    ("줄어드는", "adam"),
    ("빠른", "glossary"),
)


@pytest.mark.parametrize(("query", "page"), LEARNER_QUERIES)
def test_korean_search_finds_what_learners_type(browser, base_url, query, page):
    results = search(browser, base_url, "ko", query)
    assert f"/ko/{page}.html" in results, f"{query!r} -> {results}"


def test_korean_no_results_message_is_korean(browser, base_url):
    page = browser.new_page()
    try:
        page.goto(urljoin(base_url, "ko/search.html?q=" + quote("낱말없음")))
        page.wait_for_function(
            "() => typeof Search !== 'undefined' && Search.status !== undefined"
            " && Search.status.innerText.length > 0 && !Search.title.contains(Search.dots)",
            timeout=30_000,
        )
        status = page.evaluate("Search.status.innerText")
    finally:
        page.close()
    assert status.startswith("검색어와 일치하는 페이지가 없습니다."), status
    assert "카테고리" not in status


@pytest.mark.parametrize("query", ["momentum", "bias correction", "learning rates"])
def test_english_search_page_still_finds_the_adam_page(browser, base_url, query):
    results = search(browser, base_url, "en", query)
    assert "/en/adam.html" in results, f"{query!r} -> {results}"


def test_korean_stemmer_skips_a_term_with_no_pages(browser, base_url):
    # An incremental build leaves a removed word in the index with an empty page list; the
    # browser's stemmer must not stop at it (the Python mirror: korean_search.indexed_terms).
    page = browser.new_page()
    try:
        page.goto(urljoin(base_url, "ko/search.html"))
        page.wait_for_function("() => typeof Search !== 'undefined' && Search._index")
        stems = page.evaluate(
            """() => {
              const saved = Search._index;
              Search._index = {terms: {"모멘텀과": [], "모멘텀": 3}, titleterms: {}};
              try {
                const stemmer = new Stemmer();
                return [stemmer.stemWord("모멘텀과"), stemmer.stemWord("모멘텀")];
              } finally {
                Search._index = saved;
              }
            }"""
        )
    finally:
        page.close()
    assert stems == ["모멘텀", "모멘텀"]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("where", ["search page", "Ctrl+K dialog"])
def test_the_magnifier_leaves_the_typed_text_free(browser, base_url, where, width):
    """The glass drawn in the search box ends before the input's text begins."""
    page = browser.new_page(viewport={"width": width, "height": 844})
    try:
        if where == "search page":
            page.goto(urljoin(base_url, "ko/search.html"))
        else:
            page.goto(urljoin(base_url, "en/adam.html"))
            page.keyboard.press("Control+k")
            page.locator("input[name=q]:focus").wait_for(state="visible", timeout=10_000)
        boxes = page.eval_on_selector_all(
            ".bd-search",
            """forms => forms.filter(f => f.getClientRects().length).map(f => {
              const glass = f.querySelector(".fa-magnifying-glass").getBoundingClientRect();
              const input = f.querySelector("input");
              const box = input.getBoundingClientRect();
              const text = box.left + parseFloat(getComputedStyle(input).paddingLeft);
              return {glass: [glass.left, glass.right], text};
            })""",
        )
    finally:
        page.close()
    assert boxes, "no search box shown"
    for box in boxes:
        left, right = box["glass"]
        assert right - left >= 12, box  # the glass is drawn
        assert right <= box["text"], box


# The results that show a line of context: pages and sections. A result for an object of the
# API (a function, a class) shows its description in a <span> instead.
PAGE_RESULTS = "'#search-results ul.search li:not(:has(> span))'"


def result_summaries(browser, base_url: str, lang: str, query: str) -> list[dict]:
    """Each result of *query*: its page, its line of context, the words highlighted in that
    line, and the text of the page's article (fetched as the search page fetches it)."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(urljoin(base_url, f"{lang}/search.html?q={quote(query)}"))
        # Every result fetches its page for its line of context; wait for all of them.
        page.wait_for_function(
            f"() => {SEARCH_FINISHED} && Array.from(document.querySelectorAll({PAGE_RESULTS}))"
            ".every(li => li.querySelector('p.context'))",
            timeout=60_000,
        )
        rows = page.evaluate(
            """async () => Promise.all(
              Array.from(document.querySelectorAll(RESULTS)).map(
                async li => {
                  const link = li.querySelector('a');
                  const html = await (await fetch(link.href)).text();
                  const doc = new DOMParser().parseFromString(html, 'text/html');
                  doc.querySelectorAll('.headerlink, script, style').forEach(e => e.remove());
                  const line = li.querySelector('p.context');
                  return {
                    path: new URL(link.href).pathname,
                    hash: new URL(link.href).hash,
                    line: line.textContent,
                    marked: Array.from(line.querySelectorAll('.highlighted'), s => s.textContent),
                    article: doc.querySelector('article.bd-article').textContent
                      .replace(/\\s+/g, ' ').trim(),
                  };
                }))""".replace("RESULTS", PAGE_RESULTS)
        )
    finally:
        page.close()
    assert not errors, errors
    return rows


# A synonym (기울기 for the pages on 경사), a verb form (가파른 for the stem 가파르), an English
# word whose stem is not written in the page (noisy -> noisi), and a plain word.
@pytest.mark.parametrize(
    ("lang", "query", "page", "words"),
    [
        ("ko", "기울기", "adam", ("경사", "기울기", "그래디언트", "그레이디언트", "gradient")),
        ("ko", "가파른", "adam", ("가파", "가팔")),
        ("en", "noisy", "noisy-gradients", ()),
        ("en", "momentum", "momentum", ("momentum",)),
    ],
)
def test_each_result_shows_its_article_where_it_matched(
    browser, base_url, lang, query, page, words
):
    rows = result_summaries(browser, base_url, lang, query)
    assert len(rows) >= 2, rows
    for row in rows:
        line = row["line"].removeprefix("...").removesuffix("...")
        # The article's own words (not the header's buttons: "...English" under every result).
        assert line, row
        assert line in row["article"], row
        # It starts where a word standing for the query is (and shows it marked), or at the
        # article's beginning.
        assert row["marked"] or not row["line"].startswith("..."), row
        assert row["marked"] or row["article"].startswith(line), row
    (chapter,) = [r for r in rows if r["path"] == f"/{lang}/{page}.html" and not r["hash"]]
    if words:
        assert any(m.lower().startswith(words) for m in chapter["marked"]), chapter["marked"]
    else:  # no word of the page stands for the stem: the line starts with the article
        assert chapter["article"].startswith(chapter["line"].removesuffix("...")), chapter
