"""docs/_ext/inline_glue.py: punctuation and particles are wrapped with the math/code before them.

On a doctree, and on the built HTML of both editions: every inline formula directly followed by
closing punctuation is wrapped with it in ``span.book-nowrap`` (the Korean particles are checked
by tests/test_korean_edition.py; what a browser does with the wrappers, at 390 px, by
tests/browser/test_inline_glue_browser.py).
"""

from __future__ import annotations

import re
import sys

import pytest
from bs4 import NavigableString
from docutils import nodes
from test_site import LANGS, ROOT, inline_unit, pages, soup

sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import inline_glue
from book_editions import HANGUL_LETTERS

CLOSING_START = re.compile(f"^[{inline_glue.CLOSING}]")
HANGUL_END = re.compile(f"[{HANGUL_LETTERS}]$")


def _as_html_like(paragraph: nodes.Element) -> list[tuple]:
    return [
        (type(c).__name__, c.astext(), c.get("classes") if isinstance(c, nodes.Element) else None)
        for c in paragraph.children
    ]


def test_particles_after_code_and_math_on_a_doctree():
    paragraph = nodes.paragraph(
        "",
        "",
        nodes.reference("", "", nodes.literal("run()", "run()")),
        nodes.Text("은 경로를, "),
        nodes.math("0.999", "0.999"),
        nodes.Text("이면 "),
        nodes.literal("x", "x"),
        nodes.Text(" 다음"),
    )
    assert inline_glue.glue(paragraph) == 2
    assert _as_html_like(paragraph) == [
        ("inline", "run()은", ["book-nowrap"]),
        ("Text", " 경로를, ", None),
        ("inline", "0.999이면", ["book-nowrap"]),
        ("Text", " ", None),
        ("literal", "x", []),
        ("Text", " 다음", None),
    ]
    assert isinstance(paragraph[0][0], nodes.reference)


def test_punctuation_after_math_on_a_doctree():
    paragraph = nodes.paragraph(
        "",
        "",
        nodes.math("x", "x"),
        nodes.Text(", then "),
        nodes.emphasis("", "", nodes.math("y", "y")),
        nodes.Text(")는 값입니다. "),
        nodes.literal("run()", "run()"),
        nodes.Text(". And "),
        nodes.math("z", "z"),
        nodes.Text(" ends."),
        nodes.math("w", "w"),
    )
    assert inline_glue.glue(paragraph) == 2
    assert _as_html_like(paragraph) == [
        ("inline", "x,", ["book-nowrap"]),
        ("Text", " then ", None),
        ("inline", "y)는", ["book-nowrap"]),
        ("Text", " 값입니다. ", None),
        # code is text: no line breaks before its full stop, so it is left alone
        ("literal", "run()", []),
        ("Text", ". And ", None),
        ("math", "z", []),
        ("Text", " ends.", None),
        ("math", "w", []),
    ]
    assert isinstance(paragraph[2][0], nodes.emphasis)


def _wrapper(unit):
    """The wrapper of a formula: its parent, or after a formula split by inline_glue.py the
    span right after it, which holds the formula's last box (a ``katex`` span) and the text."""
    if "book-nowrap" in unit.parent.get("class", []):
        return unit.parent
    tail = unit.next_sibling
    if (
        tail is not None
        and tail.name == "span"
        and "book-nowrap" in tail.get("class", [])
        and "katex" in tail.contents[0].get("class", [])
    ):
        # the last box is the formula's: the formula itself has one box fewer than KaTeX made
        assert len(tail.select(".katex-base")) == 1
        assert unit.select_one(".katex-mathml")  # the formula, whole, for screen readers
        return tail
    return None


@pytest.mark.parametrize("lang", LANGS)
def test_punctuation_after_math_is_glued(site, lang):
    glued = split = 0
    for name, path in pages(site, lang).items():
        for math in soup(path).select(".bd-article span.math"):
            if math.find_parent("pre"):
                continue
            unit = inline_unit(math)
            wrapper = _wrapper(unit)
            if wrapper is not None:
                # the wrapper holds the formula (or its last box) and what is written against
                # it, nothing else
                assert len(wrapper.contents) == 2, f"{lang}/{name}: {wrapper}"
                split += wrapper is not unit.parent
                written = str(wrapper.contents[1])
                glued += bool(CLOSING_START.match(written))
                # after a particle, text follows text: no break there to forbid
                after = None if HANGUL_END.search(written) else wrapper.next_sibling
            else:
                after = unit.next_sibling
            # nothing that closes the formula is left outside a wrapper
            assert not (isinstance(after, NavigableString) and CLOSING_START.match(str(after))), (
                f"{lang}/{name}: {math.get_text()[:30]} | {str(after)[:10]}"
            )
    # hundreds in each edition ("$\eta$.", "$\beta_1 = 0.9$,"), and dozens of formulas that
    # can wrap, whose last box only is in the wrapper
    assert glued >= 300, glued
    assert split >= 50, split
