"""What is written against inline math or code stays on its line: particles and punctuation.

A formula's boxes are inline-blocks (KaTeX), so a browser may break the line right after one,
even before a full stop: at phone widths a line then starts with a lone "." or "," (60 such lines
in the English chapters at 360 px before this extension). In Korean a particle or ending is also
written against the word before it: `run()`은, $0.999$이면; when that word is inline code or
math, a line may start with a lone "은" or "이면".

In the doctree of each edition this extension wraps each inline math node (or the reference or
emphasis that holds only it) together with the closing punctuation and the run of Hangul that
follow it without a space, and each inline literal together with the run of Hangul after it, in
``<span class="book-nowrap">``, where docs/_static/book.css forbids a line break. Punctuation
after inline code needs nothing: code is text, and no line breaks before a full stop in text.

A formula that KaTeX lets wrap (several ``katex-base`` boxes: it breaks after a relation or an
operator) must still wrap, and Chromium misplaces what follows a ``nowrap`` span when something
inside it wraps (the particle or full stop is drawn at the end of the formula's *first* line:
25 Korean particles on a 360 px phone before this fix). So in the HTML (``html-page-context``)
such a formula keeps its boxes but the last outside the wrapper, and the wrapper holds the
formula's last box (in a ``katex`` span of its own, hidden from screen readers like all of
KaTeX's boxes: the formula's MathML, whole, stays in the first) and the text: nothing inside
the wrapper wraps, and the formula may break before its last box as before.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from book_editions import HANGUL_LETTERS
from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.1"
NOWRAP_CLASS = "book-nowrap"
#: Punctuation that closes what the formula began: a line must not start with it.
CLOSING = r".,;:!?)\]}’”…"
# Directly after code: the Hangul particle or ending. After math: closing punctuation, then
# Hangul ("$x$는", "$x$.", "$(x)$)는").
AFTER_CODE = re.compile(f"[{HANGUL_LETTERS}]+")
AFTER_MATH = re.compile(f"[{CLOSING}]*[{HANGUL_LETTERS}]*")
# Inline containers that may hold nothing but the code: a cross-reference, *emphasis*.
WRAPPERS = (addnodes.pending_xref, nodes.reference, nodes.emphasis, nodes.strong, nodes.inline)


def _unit(node: nodes.Element) -> nodes.Element:
    """The outermost inline element that holds nothing but *node* (a link around `run()`)."""
    while (
        isinstance(node.parent, WRAPPERS)
        and len(node.parent.children) == 1
        and NOWRAP_CLASS not in node.parent.get("classes", [])
    ):
        node = node.parent
    return node


def glue(doctree: nodes.Node) -> int:
    """Wrap each inline code/math with what is written against it; return how many."""
    count = 0
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.literal | nodes.math))):
        if isinstance(node.parent, nodes.FixedTextElement):
            continue
        unit = _unit(node)
        parent = unit.parent
        if parent is None:
            continue
        index = parent.index(unit)
        if index + 1 >= len(parent.children):
            continue
        following = parent.children[index + 1]
        if not isinstance(following, nodes.Text):
            continue
        pattern = AFTER_MATH if isinstance(node, nodes.math) else AFTER_CODE
        match = pattern.match(str(following))
        if match is None or not match.group():
            continue
        rest = str(following)[match.end() :]
        parent.remove(unit)
        glued = nodes.inline("", "", unit, nodes.Text(match.group()), classes=[NOWRAP_CLASS])
        parent.replace(following, glued)
        if rest:
            parent.insert(parent.index(glued) + 1, nodes.Text(rest))
        count += 1
    return count


def _glue(app: Sphinx, doctree: nodes.document) -> None:
    glue(doctree)


SPAN = re.compile(r"<span\b[^>]*>|</span>")
GLUED_MATH = f'<span class="{NOWRAP_CLASS}"><span class="math'
KATEX_HTML = '<span class="katex-html" aria-hidden="true">'
BASE = '<span class="katex-base">'


def _close(html: str, start: int) -> int:
    """The index just after the ``</span>`` that closes the ``<span`` at *start*."""
    depth = 0
    for tag in SPAN.finditer(html, start):
        depth += 1 if tag.group().startswith("<span") else -1
        if depth == 0:
            return tag.end()
    msg = f"unbalanced <span> in {html[start : start + 80]!r}"
    raise ValueError(msg)


def _boxes(html: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each ``katex-base`` child of the ``katex-html`` span at *start*."""
    if start < 0:
        return []
    boxes, child, end = [], start + len(KATEX_HTML), _close(html, start) - len("</span>")
    while child < end and html.startswith(BASE, child):
        boxes.append((child, _close(html, child)))
        child = boxes[-1][1]
    return boxes if child == end else []  # anything else there: left whole


def split_tails(html: str) -> str:
    """Wrap only the last box of each glued formula that can wrap, with the text after it.

    >>> glued = (
    ...     '<span class="book-nowrap"><span class="math"><span class="katex">'
    ...     '<span class="katex-mathml">M</span><span class="katex-html" aria-hidden="true">'
    ...     '<span class="katex-base">a=</span><span class="katex-base">b</span>'
    ...     "</span></span></span>.</span>"
    ... )
    >>> print(split_tails(glued).replace("><", ">\\n<"))
    <span class="math">
    <span class="katex">
    <span class="katex-mathml">M</span>
    <span class="katex-html" aria-hidden="true">
    <span class="katex-base">a=</span>
    </span>
    </span>
    </span>
    <span class="book-nowrap">
    <span class="katex">
    <span class="katex-html" aria-hidden="true">
    <span class="katex-base">b</span>
    </span>
    </span>.</span>
    """
    out, pos = [], 0
    while (start := html.find(GLUED_MATH, pos)) >= 0:
        end = _close(html, start)
        math_start = start + len(f'<span class="{NOWRAP_CLASS}">')
        math_end = _close(html, math_start)
        boxes = _boxes(html, html.find(KATEX_HTML, math_start, math_end))
        if len(boxes) < 2:
            out.append(html[pos:end])  # one box: it cannot wrap, the wrapper is right as it is
        else:
            last_box, box_end = boxes[-1]
            last = f'<span class="katex">{KATEX_HTML}{html[last_box:box_end]}</span></span>'
            out += [
                html[pos:start],  # what comes before the wrapper
                html[math_start:last_box],  # the formula, up to its last box
                html[box_end:math_end],  # the formula's closing tags
                f'<span class="{NOWRAP_CLASS}">{last}',  # the wrapper: the last box...
                html[math_end:end],  # ...the glued text and the wrapper's closing tag
            ]
        pos = end
    out.append(html[pos:])
    return "".join(out)


def _split_tails(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = split_tails(context["body"])


def setup(app: Sphinx) -> dict[str, Any]:
    # On the doctree as read (translated), before the environment's collectors (priority 500)
    # copy the section titles into the tables of contents, so that the titles in the sidebars
    # and in a toctree are glued too ("`adam_tutorial`로 똑같이 실행하기").
    app.connect("doctree-read", _glue, priority=400)
    app.connect("html-page-context", _split_tails)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
