"""The Korean edition reads as Korean: footer, titles, interface strings, line breaks.

Checks of the built HTML (the ``site`` fixture runs ``make html``). The browser half of the
line-break check is tests/browser/test_inline_glue_browser.py.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString
from test_site import LANGS, ROOT, inline_unit, pages, soup

sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from book_editions import HANGUL, HANGUL_LETTERS

HANGUL_START = re.compile(f"^[{HANGUL_LETTERS}]")

# --- 1. the footer ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_footer_names_the_authors_in_the_page_language(site, lang):
    expected = {
        "en": ("By adam-tutorial contributors", "© Copyright 2025, adam-tutorial contributors."),
        "ko": ("지은이: adam-tutorial 기여자들", "© 2025, adam-tutorial 기여자들."),
    }[lang]
    for name, path in pages(site, lang).items():
        footer = soup(path).select_one("footer.bd-footer-content")
        author = " ".join(footer.select_one(".component-author").get_text().split())
        copyright = " ".join(footer.select_one(".copyright").get_text().split())
        assert (author, copyright) == expected, f"{lang}/{name}"


# --- 2. the book's title and the chapters' titles ---------------------------------------------

SEPARATORS = (" — ", " - ")


@pytest.mark.parametrize("lang", LANGS)
def test_no_title_repeats_itself_and_the_book_has_its_own(site, lang):
    book = soup(site / lang / "index.html").find("h1").get_text().rstrip("#").strip()
    assert book == {"en": "Adam and Its Family", "ko": "Adam과 그 계보"}[lang]
    chapters = set()
    for name, path in pages(site, lang).items():
        doc = soup(path)
        title = doc.title.get_text()
        parts = next((title.split(sep) for sep in SEPARATORS if sep in title), [title])
        assert len(parts) == len(set(parts)), f"{lang}/{name}: {title!r}"
        if name == "index.html":
            assert title == book
        else:
            assert parts[-1] == book, f"{lang}/{name}: {title!r}"
        if name not in {"index.html", "search.html", "genindex.html"}:
            chapters.add(doc.find("h1").get_text().rstrip("#").strip())
    assert book not in chapters, chapters
    # The sidebar's first entry (the home page) and the chapter's entry differ too.
    entries = [a.get_text(strip=True) for a in soup(site / lang / "adam.html").select(
        "nav.bd-docs-nav a.reference")]  # fmt: skip
    assert len(entries) == len(set(entries)), entries


# --- 3. no English interface string in the Korean edition ------------------------------------

# Names that stay as they are in Korean text: methods, software, people of the references.
PROPER_NAMES = frozenset(
    (
        *("Adam", "AdamW", "Adamax", "AdaMax", "AMSGrad", "NAdam", "Adagrad", "RMSprop", "SGD"),
        *("Nesterov", "NumPy", "PyTorch", "Python", "Jupyter", "Jupytext", "MyST", "Markdown"),
        *("KaTeX", "Node", "js", "Sphinx", "Chromium", "L2", "PEP", "API", "PDF", "Ctrl"),
        *("adam", "tutorial", "torch", "optim", "ipynb", "md", "pdf", "et", "al"),
        *("Polyak", "Kingma", "Ba", "Tieleman", "Hinton", "Loshchilov", "Hutter", "Reddi"),
        *("Dozat", "Duchi", "Sutskever", "Keras", "optax", "Liu"),
        *("Hazan", "Singer", "Graves", "Riedmiller", "Braun", "Rprop"),
        *("RAdam", "SGDR", "Robbins", "Monro", "Goyal", "Liu"),
        *("MLP", "MNIST", "UCI", "Alpaydin", "Kaynak", "ReLU", "CIFAR", "NVIDIA"),
    )
)
# Words of two letters or more; a single letter is a variable (f(x, y)) in an alt text.
LATIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# Identifiers: dotted (adam_tutorial.run), snake_case, or camelCase inside (RMSpropState).
IDENTIFIER = re.compile(r"[._]|[a-z][A-Z]")
# "지수 이동 평균(exponential moving average)": the English term after its Korean name (which
# may be an element of its own: "<strong>적응적 모멘트 추정</strong>(adaptive moment ...)").
GLOSS = re.compile(r"(?:(?<=[\uac00-\ud7a3])|^)\([A-Za-z][A-Za-z0-9 ,'\-]*\)")
PYTHON_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$|^\w+_\w+$")
UI_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description", "data-bs-title")
# Content that is English by design: code, formulas, docstrings (API pages), bibliography
# entries, the glossary's English headwords, anything marked lang="en" (the language switch).
NOT_PROSE = (
    "script, style, noscript, template, pre, code, kbd, .katex, .math, annotation, "
    "[lang=en], .citation, .bibtex-citation, table.autosummary, dl.py > dd, dl.py > dt, "
    "span.sig, .sig, a[href*='references.html#']"
)


def english_words(text: str) -> list[str]:
    text = GLOSS.sub(" ", text)
    return [
        w
        for w in LATIN_WORD.findall(text)
        if len(w) > 1 and w not in PROPER_NAMES and not IDENTIFIER.search(w)
    ]


def _english_attributes(doc: BeautifulSoup) -> list[str]:
    found = []
    for tag in doc.body.find_all(True):
        if tag.get("lang") == "en" or tag.find_parent(attrs={"lang": "en"}):
            continue
        if tag.name == "a" and "references.html#" in tag.get("href", ""):
            continue  # a citation's title is its bibliography entry
        for attr in UI_ATTRIBUTES:
            value = tag.get(attr)
            # a cross-reference's title is the Python name it links to
            if value and not PYTHON_NAME.match(value) and english_words(value):
                found.append(f'{tag.name}[{attr}="{value[:60]}"]')
    return found


def english_in_korean_page(path: Path, name: str) -> list[str]:
    """UI attributes and visible text of a Korean page with English words in them."""
    doc = soup(path)
    found = _english_attributes(doc)
    api_page = name.startswith("generated/") or name == "genindex.html"
    for tag in doc.select(NOT_PROSE):
        tag.decompose()
    for term in doc.select("dl.glossary > dt"):
        if not HANGUL.search(term.get_text()):
            term.decompose()  # the English headword of a glossary entry
    scope = [doc] if not api_page else doc.select("header, .bd-sidebar-primary, footer")
    for part in scope:
        for string in part.find_all(string=True):
            if isinstance(string, Comment | Doctype):
                continue
            words = english_words(str(string))
            if words:
                found.append(f"text {' '.join(str(string).split())[:60]!r}: {words}")
    return found


def test_korean_pages_have_no_english_interface_strings(site):
    problems = {
        name: found
        for name, path in pages(site, "ko").items()
        if (found := english_in_korean_page(path, name))
    }
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)[:3000]


def test_the_english_check_finds_english(tmp_path):
    """The check above fails on what it is there to catch."""
    page = tmp_path / "page.html"
    page.write_text(
        '<html lang="ko"><body><header><button title="Toggle primary sidebar"></button>'
        '<a lang="en" title="Read this page in English">English</a></header>'
        "<p>지수 이동 평균(exponential moving average)과 <code>run()</code>은 Adam의"
        ' 것입니다. <a href="generated/x.html" title="adam_tutorial.run">x</a></p>'
        "<footer>By adam-tutorial contributors</footer></body></html>",
        encoding="utf-8",
    )
    found = english_in_korean_page(page, "adam.html")
    assert found == [
        'button[title="Toggle primary sidebar"]',
        "text 'By adam-tutorial contributors': ['By', 'contributors']",
    ]


def test_search_messages_are_korean_and_name_no_categories(site):
    """The search page's JavaScript messages (translations.js, from our sphinx.js)."""
    text = (site / "ko" / "_static" / "translations.js").read_text(encoding="utf-8")
    messages = json.loads(text[text.index("{") : text.rindex("}") + 1])["messages"]
    searchtools = (site / "ko" / "_static" / "searchtools.js").read_text(encoding="utf-8")
    used = {m for m in messages if json.dumps(m)[1:-1] in searchtools or m in searchtools}
    assert "Your search did not match any documents. Please make sure that all words are " \
        "spelled correctly and that you've selected enough categories." in used  # fmt: skip
    for msgid in used:
        msgstr = messages[msgid]
        msgstr = msgstr[0] if isinstance(msgstr, list) else msgstr
        assert HANGUL.search(msgstr), msgid
        assert "카테고리" not in msgstr, msgstr
        assert "범주" not in msgstr, msgstr
    assert messages["Contents"] == "목차"


# --- 4. particles stay with their inline code or math -----------------------------------------


def _hangul_after_inline(doc: BeautifulSoup) -> list[tuple[object, str]]:
    """(element, following text) for every inline code/math directly followed by Hangul."""
    found = []
    for tag in doc.select(".bd-article code.literal, .bd-article span.math"):
        if tag.find_parent("pre"):
            continue
        unit = inline_unit(tag)
        following = unit.next_sibling
        if isinstance(following, NavigableString) and HANGUL_START.match(str(following)):
            found.append((unit, str(following)))
    return found


def test_particles_are_glued_to_inline_code_and_math(site):
    glued = 0
    for name, path in pages(site, "ko").items():
        doc = soup(path)
        for unit, text in _hangul_after_inline(doc):
            wrapper = unit.parent
            assert "book-nowrap" in wrapper.get("class", []), f"ko/{name}: {unit}{text[:8]}"
            # the wrapper holds the code/math and the particle run, and nothing else
            assert wrapper.contents[0] is unit
            assert len(wrapper.contents) == 2
            assert not HANGUL_START.match(str(wrapper.next_sibling or "")), f"ko/{name}: {text}"
            glued += 1
    assert glued >= 40  # the Adam chapter alone has dozens ("`run()`은", "0.999이면")
    css = (site / "ko" / "_static" / "book.css").read_text(encoding="utf-8")
    assert re.search(r"\.book-nowrap\s*\{\s*white-space:\s*nowrap;", css)


# Korean of the theme's own catalogs that read wrong (sphinx-book-theme's "booktheme" catalog),
# corrected by locale/ko/LC_MESSAGES/sphinx.po through docs/_ext/theme_catalog.py.
AWKWARD = ("으로 adam-tutorial", "전체 화면으로보기", "이 페이지의 내용", "> 내용 <", "내용\n")


def test_no_awkward_theme_korean(site):
    for name, path in pages(site, "ko").items():
        text = path.read_text(encoding="utf-8")
        for phrase in AWKWARD:
            assert phrase not in text, f"ko/{name}: {phrase!r}"
        doc = soup(path)
        heading = doc.select_one(".page-toc.tocsection")
        if heading is not None:
            assert heading.get_text(strip=True) == "목차", name
