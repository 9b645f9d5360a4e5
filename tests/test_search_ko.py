"""Search in the Korean edition (docs/_ext/korean_search.py), from the splitter to the browser.

(a) the Python side that builds the index: Kiwi morphemes without particles, compounds as
    written; (b) the built ``ko/searchindex.js``; (c), the search page in Chromium, is in
    tests/browser/test_search_browser.py.
"""

from __future__ import annotations

import json
import re
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
    # the words as written, then their synonyms (ks.SYNONYMS)
    words = lang.split("Adam, RMSprop and momentum")
    assert words == ["Adam", "RMSprop", "and", "momentum", "아담"]


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
    terms = ks.indexed_terms(index)
    attached = {"모멘텀과", "모멘텀은", "모멘텀을", "학습률은", "학습률을", "보정을", "adam은"}
    assert not attached & terms
    assert not {"를", "을", "은", "르", "으로"} & terms


def test_korean_edition_ships_the_korean_stemmer(site):
    language_data = (site / "ko" / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "window.Stemmer = KoreanStemmer" in language_data
    assert "KoreanStemmer" not in (site / "en" / "_static" / "language_data.js").read_text()


# --- synonyms and conjugated forms (what learners type) --------------------------------------


def test_synonyms_index_every_member_of_a_group():
    lang = ks.SearchKorean({})
    assert "아담" in lang.split("Adam은 RMSprop과")
    assert {"기울기", "그래디언트", "gradient"} <= set(lang.split("경사를 따라"))
    assert {"옵티마이저", "최적화", "기법"} <= set(lang.split("최적화 알고리즘(optimizer)입니다"))
    assert {"경사", "기울기"} <= set(lang.split("그래디언트"))
    # every group is symmetric: each member brings every other one
    for group in ks.SYNONYMS:
        for member in group:
            expected = {w for other in group if other != member for w in other.split()}
            assert expected <= set(ks.with_synonyms([member.replace(" ", "")])), member


def test_inflected_forms_map_to_kiwi_stems():
    forms = ks.inflected_forms({"가파르", "빠르", "가깝", "느리", "작", "모멘텀"})
    assert forms["가파른"] == forms["가파르게"] == forms["가팔라"] == "가파르"
    assert forms["빠른"] == forms["빨라지는"] == "빠르"  # 르-irregular
    assert forms["가까운"] == forms["가까워"] == "가깝"  # ㅂ-irregular
    assert forms["느려지는"] == forms["느린"] == "느리"
    assert forms["작은"] == "작"
    assert not any(stem == "모멘텀" for stem in forms.values())  # nouns are not conjugated


@pytest.fixture(scope="module")
def ko_search(site):
    index = load_index(site, "ko")
    forms = forms_file(site)["KoreanSearchForms"]
    terms = ks.indexed_terms(index)
    return index, terms, forms


def forms_file(site) -> dict:
    """The objects that _static/korean_forms.js assigns, by name (window.<name> = {...};)."""
    text = (site / "ko" / "_static" / ks.FORMS_FILE).read_text(encoding="utf-8")
    return {
        name: json.loads(value)
        for name, value in re.findall(r"^window\.(\w+) = (.*);$", text, re.MULTILINE)
    }


def test_the_forms_file_holds_the_synonyms_for_the_results_context(site):
    # _static/search-summary.js shows a page found through 기울기 where it says 경사.
    synonyms = forms_file(site)["KoreanSearchSynonyms"]
    assert synonyms == {term: list(words) for term, words in ks.synonym_table().items()}
    assert "경사" in synonyms["기울기"]
    assert "Adam" in synonyms["아담"]


# (query as a learner types it, page it must find): synonyms from ks.SYNONYMS, words with
# particles, and adjectives/verbs in the forms the pages use them (-ㄴ/-은/-는/-게).
LEARNER_QUERIES = [
    ("아담", "adam"),
    ("아담의", "adam"),
    ("기울기", "adam"),
    ("기울기를", "adam"),
    ("그래디언트", "adam"),
    ("그레이디언트가", "glossary"),
    ("옵티마이저", "adam"),
    ("옵티마이저는", "index"),
    ("초매개변수", "adam"),
    ("가파른", "adam"),
    ("가파르게", "adam"),
    ("작은", "adam"),
    ("느리게", "adam"),
    ("지나치게", "adam"),
    ("줄어드는", "adam"),
    ("가로지르는", "adam"),
    ("빠른", "glossary"),
    ("빠르게", "glossary"),
    ("손실을", "adam"),
]


@pytest.mark.parametrize(("query", "page"), LEARNER_QUERIES)
def test_learner_queries_find_the_page(ko_search, query, page):
    index, terms, forms = ko_search
    term = ks.query_term(query, terms, forms)
    assert page in pages_with(index, term), f"{query!r} -> {term!r} -> {pages_with(index, term)}"


def test_forms_file_is_loaded_by_the_korean_search_page_only(site):
    assert ks.FORMS_FILE in (site / "ko" / "search.html").read_text(encoding="utf-8")
    assert ks.FORMS_FILE not in (site / "ko" / "adam.html").read_text(encoding="utf-8")
    assert not (site / "en" / "_static" / ks.FORMS_FILE).exists()
    language_data = (site / "ko" / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "window.KoreanSearchForms" in language_data


def test_a_term_left_empty_by_an_incremental_build_is_not_a_query_stem():
    # '작은' was removed from the only page that had it; its stem '작' is still on a page.
    index = {"terms": {"작은": [], "작": 3}, "titleterms": {}}
    assert ks.query_term("작은", ks.indexed_terms(index), {"작은": "작"}) == "작"
    assert ks.query_term("작은", set(index["terms"]), {"작은": "작"}) == "작은"  # the old bug
