"""Search in the Korean edition (docs/_ext/korean_search.py), from the splitter to the browser.

(a) the Python side that builds the index: Kiwi morphemes without particles, compounds as
    written; (b) the built ``ko/searchindex.js``; (c), the search page in Chromium, is in
    tests/browser/test_search_ko.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import korean_search as ks

# --- (a) the index side, in Python -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("모멘텀과", {"모멘텀"}, {"모멘텀과", "과"}),
        ("모멘텀을", {"모멘텀"}, {"모멘텀을", "을"}),
        ("학습률은", {"학습률", "학습"}, {"학습률은", "은"}),
        ("편향 보정을", {"편향", "보정", "편향보정"}, {"보정을", "을"}),
        ("이동 평균은 0에서 출발합니다", {"이동", "평균", "이동평균", "출발"}, {"에서", "0"}),
        ("Adam은 RMSprop과", {"Adam", "RMSprop"}, {"Adam은", "은", "과"}),
        ("adam_update는", {"adam_update"}, {"는", "adam_update는"}),
        # The particle of inline math or code starts a text node of its own: not a noun 르.
        ("를 받아, 다음 값을", {"다음", "값"}, {"르", "를"}),
    ],
)
def test_splitter_drops_particles_and_keeps_compounds(text, expected, absent):
    words = set(ks.split_korean(text))
    assert expected <= words, words
    assert not absent & words, words


def test_search_language_is_korean_with_english_stemming_for_latin_words():
    lang = ks.SearchKorean({})
    assert lang.lang == "ko"
    assert lang.stem("Adam") == lang.stem("adam") == "adam"
    assert lang.stem("optimizers") == "optim"  # as in the English edition
    assert lang.stem("모멘텀") == "모멘텀"
    assert not lang.word_filter("를")
    assert lang.word_filter("학습률")
    assert not lang.word_filter("2025")
    assert lang.split("Adam, RMSprop and momentum") == ["Adam", "RMSprop", "and", "momentum"]


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("모멘텀과", "모멘텀"),
        ("학습률은", "학습률"),
        ("모멘텀에서는", "모멘텀"),
        ("adam의", "adam"),
    ],
)
def test_query_forms_strip_particles(query, form):
    forms = ks.query_forms(query)
    assert forms[0] == query
    assert form in forms


def test_query_forms_try_the_whole_word_first():
    # 결과 ends like the particle 과: the browser keeps the first form found in the index.
    assert ks.query_forms("결과")[0] == "결과"
    assert ks.query_forms("결과를")[:2] == ["결과를", "결과"]


# --- (b) the built index ---------------------------------------------------------------------


def load_index(site: Path, lang: str) -> dict:
    text = (site / lang / "searchindex.js").read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    assert text.startswith(prefix), text[:80]
    assert text.endswith(suffix), text[-80:]
    return json.loads(text[len(prefix) : -len(suffix)])


def pages_with(index: dict, term: str) -> set[str]:
    found: set[str] = set()
    for mapping in (index["terms"], index["titleterms"]):
        docs = mapping.get(term, [])
        found.update(index["docnames"][i] for i in ([docs] if isinstance(docs, int) else docs))
    return found


@pytest.mark.parametrize(
    "term", ["모멘텀", "편향", "보정", "학습률", "편향보정", "adam", "rmsprop"]
)
def test_korean_index_maps_terms_to_the_adam_page(site, term):
    index = load_index(site, "ko")
    pages = pages_with(index, term)
    assert "adam" in pages, f"{term!r} -> {sorted(pages)}"


@pytest.mark.parametrize("term", ["모멘텀", "편향", "학습률"])
def test_korean_index_maps_terms_to_the_glossary(site, term):
    assert "glossary" in pages_with(load_index(site, "ko"), term)


def test_korean_index_has_no_particles_attached(site):
    index = load_index(site, "ko")
    terms = set(index["terms"]) | set(index["titleterms"])
    attached = {"모멘텀과", "모멘텀은", "모멘텀을", "학습률은", "학습률을", "보정을", "adam은"}
    assert not attached & terms
    assert not {"를", "을", "은", "르", "으로"} & terms


def test_korean_edition_ships_the_korean_stemmer(site):
    language_data = (site / "ko" / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "window.Stemmer = KoreanStemmer" in language_data
    assert "KoreanStemmer" not in (site / "en" / "_static" / "language_data.js").read_text()
