"""Korean full-text search for the Korean edition (``html_search_language = "ko"``).

Sphinx has no Korean search language: ``ko`` falls back to English, whose splitter keeps
every particle attached (모멘텀과, 모멘텀을 and 모멘텀은 become three unrelated terms). This
extension registers one.

Index side (Python, at build time)
    Text with Hangul is analysed by Kiwi (kiwipiepy, its model ships as a PyPI package, no
    download). Nouns, roots, verb/adjective stems and foreign words are indexed; particles,
    endings and suffixes on their own are not. A compound that Kiwi splits (학습률 → 학습 + 률)
    is *also* indexed as written (학습률), and so are two bare nouns in a row (편향 보정 →
    편향보정), because readers type words, not morphemes. Words without Hangul (Adam, RMSprop,
    code) are stemmed by Sphinx's English stemmer, as in the English edition.

Synonyms (index side)
    Readers type words the page names otherwise: 아담 for Adam, 기울기 or 그래디언트 for 경사,
    옵티마이저 for 최적화 알고리즘. ``SYNONYMS`` is the one registry of such groups: a page
    with one member of a group is indexed under every member, so any of them finds it.

Query side (JavaScript, in the reader's browser)
    Kiwi cannot run there. ``Stemmer.stemWord`` strips common particles and endings from a
    query word (모멘텀과 → 모멘텀, 학습률은 → 학습률) and keeps the first form, full word
    first, that is a term of the loaded index; so a noun that merely ends like a particle
    (결과, 평가, 속도) is not cut. Verbs and adjectives are indexed by their stem (가파르,
    빠르), which a reader never types: at the end of the build, Kiwi conjugates every such
    stem of the index with common endings (가파른, 가파르게, 가팔라, 빨라지는, ...) into
    ``_static/korean_forms.js``, which the search page loads, and a form found there stands
    for its stem. The file also holds the synonym table, for the results' lines of context
    (docs/_ext/search_summary.py). Every query word must match, as everywhere in Sphinx.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import snowballstemmer
from book_editions import HANGUL, HANGUL_LETTERS
from kiwipiepy import Kiwi, Token
from sphinx.search import _MINIFIED_JS_PATH, SearchLanguage
from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

WORD = re.compile(r"\w+")
# The part of a word before its first Hangul letter: "AdamW" in "AdamW와".
LEADING_NON_HANGUL = re.compile(rf"[^\W{HANGUL_LETTERS}]+")

# Kiwi tags (Sejong tag set) of the morphemes that are indexed on their own.
INDEXED_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "XR", "SL", "SH", "VV", "VA"})
# Morphemes that make up a compound noun as written (학습 + 률, 이동 + 평균, Adam + 식):
# the indexed nouns plus prefixes and noun-forming suffixes, but no verb stems.
COMPOUND_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "XR", "SL", "SH", "SN", "XPN", "XSN"})

# Loanwords and terms of the book that Kiwi's dictionary splits (모멘트 → 모 + 멘트).
USER_WORDS = (
    "모멘트",
    "모멘텀",
    "옵티마이저",
    "하이퍼파라미터",
    "파라미터",
    "미니배치",
    "그레이디언트",
    "그래디언트",
    "스텝",
)

# Particles and endings the query side strips, and standalone ones it ignores. Several
# can stack (모멘텀에서는 = 모멘텀 + 에서 + 는): stripping is repeated.
PARTICLES = (
    *("은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "에게서", "한테", "께"),
    *("으로", "로", "으로서", "로서", "으로써", "로써", "과", "와", "도", "만", "까지", "부터"),
    *("보다", "처럼", "같이", "마다", "밖에", "뿐", "이나", "나", "이든", "든", "이라도", "라도"),
    *("이란", "란", "이라는", "라는", "이며", "며", "이고", "고", "랑", "이랑", "하고", "께서"),
    *("조차", "마저", "요"),
)
ENDINGS = (
    *("이다", "다", "입니다", "니다", "습니다", "합니다", "한다", "하다", "하는", "하고"),
    *("하여", "해서", "했다", "했습니다", "된다", "되다", "되는", "되어", "돼", "됩니다"),
    *("되었다", "인", "이라", "라", "적", "적인", "적으로", "하게", "하며", "할", "한"),
)
SUFFIXES = tuple(sorted(set(PARTICLES + ENDINGS), key=lambda s: (-len(s), s)))

# Words that name the same thing; a page with one is indexed under all. Written as a reader
# types them; a member of two words (최적화 알고리즘) also indexes each word, so that the
# query "최적화 알고리즘" (two words, both must match) finds it as well.
SYNONYMS = (
    ("Adam", "아담"),
    ("경사", "기울기", "그래디언트", "그레이디언트", "gradient"),
    ("최적화 알고리즘", "최적화 기법", "옵티마이저", "최적화기", "optimizer"),
    ("학습률", "러닝 레이트"),
    ("하이퍼파라미터", "초매개변수", "hyperparameter"),
    ("파라미터", "매개변수", "parameter"),
)

# Endings that verbs and adjectives take in what readers type (Kiwi tags): 가파른, 빠르게,
# 가팔라, 느려지는, 줄었다. Kiwi's ``join`` conjugates, irregular stems included.
CONJUGATIONS = (
    *((e, "ETM") for e in ("ᆫ", "는", "ᆯ")),
    *((e, "EC") for e in ("게", "고", "지", "어", "어서", "면", "며", "도록")),
    *((e, "EF") for e in ("다", "ᆸ니다")),
    *((e, "ETN") for e in ("기", "ᆷ")),
    ("었", "EP", "다", "EF"),
    ("었", "EP", "습니다", "EF"),
    *(("어", "EC", "지", "VX", e, t) for e, t in (("는", "ETM"), ("ᆫ", "ETM"), ("다", "EF"))),
    ("어", "EC", "지", "VX", "어", "EC"),
    ("어", "EC", "지", "VX", "게", "EC"),
)
PREDICATE_TAGS = frozenset({"VV", "VA"})
FORMS_FILE = "korean_forms.js"
# Plus the stems of 하다, 되다, 있다, 않다: on nearly every line, they find nothing.
KOREAN_STOPWORDS = (frozenset(PARTICLES) | frozenset(ENDINGS) | {"하", "되", "있", "않"}) - {"적"}
MAX_STRIPS = 3

_english = snowballstemmer.stemmer("english")


@functools.cache
def kiwi() -> Kiwi:
    """One Kiwi per process (loading the model takes a few seconds)."""
    analyser = Kiwi()
    for word in USER_WORDS:
        analyser.add_user_word(word, "NNG", 0.0)
    return analyser


def split_korean(text: str) -> list[str]:
    """Split *text* into the words to index (before stemming and lowercasing).

    >>> split_korean("모멘텀과 학습률은 RMSprop의 편향 보정을")
    ['모멘텀', '학습', '학습률', 'RMSprop', '편향', '보정', '편향보정']
    """
    if not HANGUL.search(text):
        return WORD.findall(text)
    words: list[str] = []
    tokens = kiwi().tokenize(text)
    position = 0
    # The previous word if it was a bare noun (편향 in 편향 보정), to index 편향보정 too.
    previous: tuple[str, int] | None = None
    for match in WORD.finditer(text):
        start, end, word = match.start(), match.end(), match.group()
        if not HANGUL.search(word):
            words.append(word)
            previous = None
            continue
        while position < len(tokens) and tokens[position].start < start:
            position += 1
        inside = []
        while position < len(tokens) and tokens[position].start < end:
            inside.append(tokens[position])
            position += 1
        if only_particles(word):
            # 를 in "$m_t$를": the particle of inline math or code (a node of its own),
            # which Kiwi, seeing it alone, would take for a noun 르 + particle ㄹ.
            previous = None
            continue
        words.extend(_word_terms(word, inside, start))
        compound = _leading_compound(text, inside, start)
        if compound and previous and text[previous[1] : start].isspace():
            words.append(previous[0] + compound)
        bare = compound and start + len(compound) == end
        previous = (compound, end) if bare else None
    return words


def _word_terms(word: str, tokens: list[Token], start: int) -> list[str]:
    """Terms of one written word (eojeol): its content morphemes and its compound."""
    terms = []
    prefix = LEADING_NON_HANGUL.match(word)
    if prefix and not prefix.group().isdigit():
        terms.append(prefix.group())  # adam_update in adam_update는, kept whole
    for token in tokens:
        tag = token.tag.partition("-")[0]  # VV-R, VA-I: regular/irregular stems
        if tag in INDEXED_TAGS and not (prefix and tag in {"SL", "SH"}):
            terms.append(token.form)
    run = _compound_run(tokens, start)
    if len(run) > 1:
        terms.append(word[: run[-1].end - start])
    return terms


def _compound_run(tokens: list[Token], start: int) -> list[Token]:
    """The leading morphemes of a word that form a noun as written (학습 + 률 in 학습률은)."""
    run: list[Token] = []
    for token in tokens:
        if token.tag not in COMPOUND_TAGS or token.start != (run[-1].end if run else start):
            break
        run.append(token)
    return run


def _leading_compound(text: str, tokens: list[Token], start: int) -> str:
    """The written noun a word starts with, if it has Hangul (보정 in 보정을), else ''."""
    run = _compound_run(tokens, start)
    surface = text[start : run[-1].end] if run else ""
    return surface if HANGUL.search(surface) else ""


@functools.cache
def only_particles(word: str) -> bool:
    """Whether *word* is nothing but particles and endings (를, 으로, 에서는, 입니다).

    >>> only_particles("에서는"), only_particles("모멘텀은")
    (True, False)
    """
    return any(
        word.endswith(suffix) and (word == suffix or only_particles(word[: -len(suffix)]))
        for suffix in SUFFIXES
    )


@functools.cache
def synonym_table() -> dict[str, tuple[str, ...]]:
    """Index term (stemmed, spaces removed) -> the words to index as well.

    >>> synonym_table()["아담"]
    ('Adam',)
    """
    table: dict[str, tuple[str, ...]] = {}
    for group in SYNONYMS:
        for member in group:
            words: list[str] = []
            for other in group:
                if other != member:
                    parts = other.split()
                    words.extend(parts if len(parts) == 1 else [*parts, "".join(parts)])
            table[stem_word(member.replace(" ", ""))] = tuple(words)
    return table


def with_synonyms(words: list[str]) -> list[str]:
    """*words* and, after them, the synonyms of each (see ``SYNONYMS``).

    >>> with_synonyms(["기울기", "값"])
    ['기울기', '값', '경사', '그래디언트', '그레이디언트', 'gradient']
    """
    table = synonym_table()
    extra = [s for word in words for s in table.get(stem_word(word), ())]
    return [*words, *extra]


def predicate_stems(terms: set[str]) -> dict[str, str]:
    """The index terms that are verb or adjective stems, with Kiwi's tag (가깝 -> VA-I)."""
    stems = {}
    for term in sorted(terms):
        if not HANGUL.search(term):
            continue
        # Kiwi reads a stem plus one ending as the two (쓰 + 다, 보 + 고); one probe may fail
        # where another works (보다 is also an adverb, 되게 too).
        for probe in ("다", "고", "는"):
            tokens = kiwi().tokenize(term + probe)
            if (
                len(tokens) == 2
                and tokens[0].form == term
                and tokens[0].tag.partition("-")[0] in PREDICATE_TAGS
                and tokens[1].tag.startswith("E")
            ):
                stems[term] = tokens[0].tag
                break
    return stems


def inflected_forms(terms: set[str]) -> dict[str, str]:
    """Conjugated form -> stem, for every verb/adjective stem among *terms*.

    >>> forms = inflected_forms({"가파르", "빠르", "모멘텀"})
    >>> forms["가파른"], forms["빠르게"], forms["빨라지는"], "모멘텀은" in forms
    ('가파르', '빠르', '빠르', False)
    """
    forms: dict[str, str] = {}
    for stem, tag in predicate_stems(terms).items():
        for ending in CONJUGATIONS:
            morphemes = [(stem, tag), *zip(ending[::2], ending[1::2], strict=True)]
            form = kiwi().join(morphemes)
            if form != stem and form not in terms:
                forms.setdefault(form, stem)
    return dict(sorted(forms.items()))


def stem_word(word: str) -> str:
    """Words without Hangul get Sphinx's English stemming; Korean words stay as they are."""
    if HANGUL.search(word):
        return word.lower()
    return _english.stemWord(word.lower())


def query_forms(word: str) -> list[str]:
    """The forms the browser tries for one query word, in order (mirrors the JavaScript).

    >>> query_forms("모멘텀에서는")
    ['모멘텀에서는', '모멘텀에서', '모멘텀']
    """
    word = word.lower()
    forms = {word}
    frontier = [word]
    for _ in range(MAX_STRIPS):
        frontier = [
            w[: -len(s)] for w in frontier for s in SUFFIXES if w.endswith(s) and len(w) > len(s)
        ]
        forms.update(frontier)
    ordered = sorted(forms, key=lambda w: (-len(w), w))
    return [w if HANGUL.search(w) else stem_word(w) for w in ordered]


def indexed_terms(index: dict) -> set[str]:
    """The terms of a loaded search index that find a page (mirrors the browser's ``known``).

    After an incremental build, a word removed from every page stays in the index with an
    empty page list (Sphinx's ``IndexBuilder.prune`` keeps the term; ``get_terms`` writes
    ``[]``): such a term is not known, or a query word would stem to it and find nothing.

    >>> sorted(indexed_terms({"terms": {"작은": [], "작": 3}, "titleterms": {"경사": [1, 2]}}))
    ['경사', '작']
    """
    return {
        term
        for mapping in (index["terms"], index["titleterms"])
        for term, pages in mapping.items()
        if pages != []
    }


def query_term(word: str, terms: set[str], forms: dict[str, str]) -> str:
    """The index term the browser looks up for one query word (mirrors ``stemWord``).

    >>> query_term("가파른", {"가파르", "경사"}, {"가파른": "가파르"})
    '가파르'
    """
    if not HANGUL.search(word):
        return stem_word(word)
    candidates = query_forms(word)
    for form in candidates:
        if form in terms:
            return form
        if forms.get(form) in terms:
            return forms[form]
    return candidates[1] if len(candidates) > 1 else candidates[0]


_JS_STEMMER = """
/* Korean query words for the index built by docs/_ext/korean_search.py. */
var KoreanStemmer = function () {
  const suffixes = %(suffixes)s;
  const maxStrips = %(max_strips)d;
  const hangul = /[\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7a3]/;
  const english = new EnglishStemmer();
  const englishStem = (w) => (hangul.test(w) ? w : english.stemWord(w));
  const known = (w) => {
    const index = typeof Search === "undefined" ? null : Search._index;
    if (!index) return false;
    // A term with an empty page list is a word an incremental build removed from every page
    // (Sphinx's IndexBuilder.prune keeps the term, get_terms writes []): not known.
    const has = (map) => {
      const pages = Object.prototype.hasOwnProperty.call(map || {}, w) ? map[w] : [];
      return !(Array.isArray(pages) && pages.length === 0);
    };
    return has(index.terms) || has(index.titleterms);
  };
  // The full word and every form with particles/endings stripped, longest first.
  this.forms = function (word) {
    const forms = new Set([word]);
    let frontier = [word];
    for (let i = 0; i < maxStrips; i++) {
      const next = [];
      for (const w of frontier)
        for (const s of suffixes)
          if (w.endsWith(s) && w.length > s.length) next.push(w.slice(0, -s.length));
      next.forEach((w) => forms.add(w));
      frontier = next;
    }
    return [...forms]
      .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
      .map(englishStem);
  };
  // Conjugated verbs/adjectives -> their indexed stem (_static/%(forms_file)s).
  const stemOf = (w) => {
    const table = window.KoreanSearchForms || {};
    return Object.prototype.hasOwnProperty.call(table, w) ? table[w] : undefined;
  };
  this.stemWord = function (word) {
    if (!hangul.test(word)) return english.stemWord(word);
    const forms = this.forms(word);
    for (const form of forms) {
      if (known(form)) return form;
      const stem = stemOf(form);
      if (stem !== undefined && known(stem)) return stem;
    }
    // Nothing matches exactly: the least stripped form still finds longer terms.
    return forms.length > 1 ? forms[1] : forms[0];
  };
};
window.Stemmer = KoreanStemmer;
"""


def _js_stemmer_code() -> str:
    english = [
        (_MINIFIED_JS_PATH / name).read_text(encoding="utf-8")
        for name in ("base-stemmer.js", "english-stemmer.js")
    ]
    code = _JS_STEMMER % {
        "suffixes": json.dumps(list(SUFFIXES), ensure_ascii=False),
        "max_strips": MAX_STRIPS,
        "forms_file": FORMS_FILE,
    }
    return "\n".join([*english, code])


class SearchKorean(SearchLanguage):
    """Korean search: Kiwi morphemes (plus compounds as written) in, particles out."""

    lang = "ko"
    language_name = "Korean"
    stopwords = ENGLISH_STOPWORDS | KOREAN_STOPWORDS
    js_stemmer_code = _js_stemmer_code()

    def split(self, input: str) -> list[str]:
        return with_synonyms(split_korean(input))

    def stem(self, word: str) -> str:
        return stem_word(word)

    def word_filter(self, word: str) -> bool:
        return bool(word) and not word.isdigit() and word not in self.stopwords


def _index_terms(outdir: Path) -> set[str]:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return set(index["terms"]) | set(index["titleterms"])


def _write_forms(app: Sphinx, exception: Exception | None) -> None:
    """After the search index is written: the conjugated forms of its Korean stems."""
    if exception is not None or app.builder.format != "html" or not _is_korean(app):
        return
    forms = inflected_forms(_index_terms(Path(app.outdir)))
    code = json.dumps(forms, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # The synonyms too, for the results' lines of context (_static/search-summary.js): a
    # page found through 기울기 shows where it says 경사.
    words = json.dumps(synonym_table(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    target = Path(app.outdir) / "_static" / FORMS_FILE
    target.write_text(
        "/* Generated by docs/_ext/korean_search.py. */\n"
        f"window.KoreanSearchForms = {code};\nwindow.KoreanSearchSynonyms = {words};\n",
        encoding="utf-8",
    )


def _forms_on_search_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if pagename == "search" and _is_korean(app):
        app.add_js_file(FORMS_FILE)  # on this page only (called from html-page-context)


def _is_korean(app: Sphinx) -> bool:
    return (app.config.html_search_language or app.config.language) == "ko"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchKorean)
    app.connect("html-page-context", _forms_on_search_page)
    app.connect("build-finished", _write_forms)
    return {
        "version": __version__,
        # A change of the analysis must re-read every page, or old terms stay indexed.
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
