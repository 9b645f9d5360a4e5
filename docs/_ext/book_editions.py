"""The book's editions: one table of languages and per-edition strings, and one Hangul pattern.

Sphinx-free, so that conf.py, the templates (through ``html_context``), the finishing script
(docs/_scripts/finish_site.py), the extensions and the tests all read the same values.
Strings of the pages themselves are translated with gettext (locale/ko/LC_MESSAGES); this
table holds only what lives outside the catalogs: settings, template strings, the root pages.

A third edition is one more row here, plus its catalogs. :func:`other_edition` (the target of
each page's language switch) and ``x-default`` (the first edition) assume that the first two
rows are the book's two editions: with a third, the language switch needs a menu.

>>> tuple(EDITIONS)
('en', 'ko')
>>> other_edition("ko")
'en'
>>> bool(HANGUL.search("Adam과")), bool(HANGUL.search("Adam"))
(True, False)
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

# Hangul syllables, jamo and compatibility jamo: the one definition of "Korean letters" for
# the build and the tests. Patterns that need the letters inside another class (a run, "not
# Hangul") are built from HANGUL_LETTERS.
HANGUL_LETTERS = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
HANGUL = re.compile(f"[{HANGUL_LETTERS}]")

# Where the site is published; the SITE_URL environment variable overrides it.
DEFAULT_SITE_URL = "https://adam-tutorial.readthedocs.io/"


@dataclass(frozen=True)
class Edition:
    """What the build says in one language outside the gettext catalogs."""

    name: str  #: the language's own name, on the language switch and the root pages
    title: str  #: the book's title (html_title: tab, sidebar, search results)
    author: str
    og_locale: str  #: OpenGraph locale
    description: str  #: meta description of a page that has no paragraph to quote
    brand_label: str  #: accessible name of the sidebar's title landmark
    search_placeholder: str
    toggle_label: str  #: accessible name of a sidebar section's expand/collapse toggle
    switch_title: str  #: tooltip of the link to a page in this edition
    exercise_label: str  #: sphinx-exercise's numbered title, "<label> 3" (numfig_format)


EDITIONS: dict[str, Edition] = {
    "en": Edition(
        name="English",
        title="Adam and Its Family",
        author="adam-tutorial contributors",
        og_locale="en_US",
        description="Adam and the adaptive-gradient optimizers, step by step: the update rule, "
        "bias correction and experiments in small, runnable NumPy.",
        brand_label="Book",
        search_placeholder="Search...",
        toggle_label="Show or hide the pages of this section",
        switch_title="Read this page in English",
        exercise_label="Exercise",
    ),
    "ko": Edition(
        name="한국어",
        title="Adam과 그 계보",
        author="adam-tutorial 기여자들",
        og_locale="ko_KR",
        description="Adam과 적응형 경사 최적화 기법을 한 걸음씩: 갱신 규칙, 편향 보정, "
        "작게 실행해 보는 NumPy 실험.",
        brand_label="책",
        search_placeholder="검색...",
        toggle_label="이 절의 페이지 펼치기/접기",
        switch_title="이 페이지를 한국어로 읽기",
        exercise_label="연습 문제",  # the chapters' heading; sphinx-exercise's own catalog says "연습"
    ),
}
LANGS = tuple(EDITIONS)
DEFAULT_LANG = LANGS[0]

# The root pages above the editions (finish_site.py) speak to readers of every edition.
ROOT_TITLE = " · ".join(edition.title for edition in EDITIONS.values())
ROOT_DESCRIPTION = (
    f"A bilingual book ({', '.join(e.name for e in EDITIONS.values())}) "
    "about the Adam optimizer, step by step, in runnable NumPy."
)


def other_edition(lang: str) -> str:
    """The edition a page's language switch links to (the book has two)."""
    return LANGS[1] if lang == LANGS[0] else LANGS[0]


def published_site_url(environ: Mapping[str, str] = os.environ) -> str:
    """The published site's root URL, ending in ``/``.

    >>> published_site_url({"SITE_URL": "https://example.org/book"})
    'https://example.org/book/'
    >>> published_site_url({}) == DEFAULT_SITE_URL
    True
    """
    url = environ.get("SITE_URL", DEFAULT_SITE_URL)
    return url if url.endswith("/") else url + "/"


def template_context() -> dict[str, dict[str, str]]:
    """The table as plain dicts, for ``html_context`` (the templates read ``.switch_title``)."""
    return {lang: asdict(edition) for lang, edition in EDITIONS.items()}
