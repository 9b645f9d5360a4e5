"""Korean edition: a particle stays on the line of the inline code or math it is attached to.

In Korean a particle or ending is written against the word before it: `run()`은, $0.999$이면.
When that word is inline code or math, the browser may still break the line between the two
(the code or formula is an element of its own, KaTeX's boxes are inline-blocks), and a line
starts with a lone "은" or "이면". In the doctree of the Korean edition, this extension wraps
each inline literal or math node (or the reference or emphasis that holds only it) together
with the run of Hangul that follows it without a space in
``<span class="book-nowrap">``; docs/_static/book.css forbids a line break at the boundary
between the two, and only there (the formula or code itself may still wrap inside).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from book_editions import HANGUL_LETTERS
from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"
NOWRAP_CLASS = "book-nowrap"
# Hangul syllables (and jamo) directly after the code or formula: the particle or ending.
LEADING_HANGUL = re.compile(f"[{HANGUL_LETTERS}]+")
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


def glue_particles(doctree: nodes.Node) -> int:
    """Wrap each inline code/math + following Hangul run; return how many were wrapped."""
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
        match = LEADING_HANGUL.match(str(following))
        if match is None:
            continue
        rest = str(following)[match.end() :]
        parent.remove(unit)
        glued = nodes.inline("", "", unit, nodes.Text(match.group()), classes=[NOWRAP_CLASS])
        parent.replace(following, glued)
        if rest:
            parent.insert(parent.index(glued) + 1, nodes.Text(rest))
        count += 1
    return count


def _glue_korean(app: Sphinx, doctree: nodes.document) -> None:
    if app.config.language == "ko":
        glue_particles(doctree)


def setup(app: Sphinx) -> dict[str, Any]:
    # On the doctree as read (translated), before the environment's collectors (priority 500)
    # copy the section titles into the tables of contents, so that the titles in the sidebars
    # and in a toctree are glued too ("`adam_tutorial`로 똑같이 실행하기").
    app.connect("doctree-read", _glue_korean, priority=400)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
