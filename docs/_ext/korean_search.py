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

Query side (JavaScript, in the reader's browser)
    Kiwi cannot run there. ``Stemmer.stemWord`` strips common particles and endings from a
    query word (모멘텀과 → 모멘텀, 학습률은 → 학습률) and keeps the first form, full word
    first, that is a term of the loaded index; so a noun that merely ends like a particle
    (결과, 평가, 속도) is not cut. Every query word must match, as everywhere in Sphinx.
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any

import snowballstemmer
from kiwipiepy import Kiwi, Token
from sphinx.search import _MINIFIED_JS_PATH, SearchLanguage
from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
WORD = re.compile(r"\w+")
# The part of a word before its first Hangul letter: "AdamW" in "AdamW와".
LEADING_NON_HANGUL = re.compile(r"[^\W\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")

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
    const has = (map) => Object.prototype.hasOwnProperty.call(map || {}, w);
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
  this.stemWord = function (word) {
    if (!hangul.test(word)) return english.stemWord(word);
    const forms = this.forms(word);
    const hit = forms.find(known);
    if (hit !== undefined) return hit;
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
    }
    return "\n".join([*english, code])


class SearchKorean(SearchLanguage):
    """Korean search: Kiwi morphemes (plus compounds as written) in, particles out."""

    lang = "ko"
    language_name = "Korean"
    stopwords = ENGLISH_STOPWORDS | KOREAN_STOPWORDS
    js_stemmer_code = _js_stemmer_code()

    def split(self, input: str) -> list[str]:
        return split_korean(input)

    def stem(self, word: str) -> str:
        return stem_word(word)

    def word_filter(self, word: str) -> bool:
        return bool(word) and not word.isdigit() and word not in self.stopwords


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchKorean)
    return {
        "version": __version__,
        # A change of the analysis must re-read every page, or old terms stay indexed.
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
