"""HTML finishing of every page: language of parts, meta description, named toggles, citations.

* **Language of parts** (``doctree-resolved``): in the English edition, Korean words (the
  glossary's headwords) get ``lang="ko"`` (docutils writes the class ``language-ko`` as that
  attribute), so screen readers switch voice for them (WCAG 3.1.2).
* **Meta description** (``html-page-context``): ``book_description``, the page's first
  sentence-sized paragraph without its math, else the edition's description (book_editions).
* **Sidebar toggles** (``html-page-context``): pydata-sphinx-theme's collapsible navigation
  entries are ``<summary>`` elements holding only an icon, which leaves them nameless (axe:
  summary-name, serious); they are named in the edition's language.
* **Deferred scripts** (``html-page-context``): the scripts of Sphinx and the themes that
  nothing needs while the page is parsed (:data:`DEFERRED`) load with ``defer``, in their
  order after the parse, not in the way of the first paint (issue 16: on a slow phone the
  first paint came 0.15 s sooner). ``documentation_options.js`` stays as it is (the theme's
  inline scripts set ``DOCUMENTATION_OPTIONS.pagename``), and so does the search page, whose
  ``searchtools.js``, written into the page, calls doctools' ``_ready`` as it loads.
* **Citations** (``builder-inited``): docutils marks them ``role="doc-biblioentry"`` inside a
  ``role="list"``; DPUB-ARIA 1.1 deprecated doc-biblioentry, so for axe-core the list has no
  list items (aria-required-children, critical). They become ``role="listitem"``.

This extension also declares ``book_ext_fingerprint``, a hash of every local extension
(docs/_ext/*.py): an edit of any of them reads and writes every page again.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from book_editions import EDITIONS, HANGUL_LETTERS
from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

# A run of Korean words, with the spaces and digits between them ("제 2 장").
HANGUL_RUN = re.compile(rf"[{HANGUL_LETTERS}]+(?:[\s\d]+[\uac00-\ud7a3]+)*")
DESCRIPTION_MIN, DESCRIPTION_MAX = 40, 160
EXT_DIR = Path(__file__).resolve().parent


def extensions_fingerprint(folder: Path = EXT_DIR) -> str:
    """Hash of the local extensions' source files."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def mark_korean_parts(doctree: nodes.Node) -> None:
    """Wrap every run of Korean words outside code in ``inline(classes=["language-ko"])``.

    >>> from docutils import nodes
    >>> para = nodes.paragraph("", "", nodes.Text("momentum (모멘텀) and "), nodes.literal("", "m은"))
    >>> mark_korean_parts(para)
    >>> [(type(n).__name__, n.astext()) for n in para.children]
    [('Text', 'momentum ('), ('inline', '모멘텀'), ('Text', ') and '), ('literal', 'm은')]
    """
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if isinstance(parent, nodes.FixedTextElement | nodes.literal | nodes.raw):
            continue
        value = str(text)
        if not HANGUL_RUN.search(value):
            continue
        parts: list[nodes.Node] = []
        pos = 0
        for match in HANGUL_RUN.finditer(value):
            if match.start() > pos:
                parts.append(nodes.Text(value[pos : match.start()]))
            parts.append(nodes.inline(match.group(), match.group(), classes=["language-ko"]))
            pos = match.end()
        if pos < len(value):
            parts.append(nodes.Text(value[pos:]))
        parent.replace(text, parts[0])
        for offset, part in enumerate(parts[1:], start=1):
            parent.insert(parent.index(parts[0]) + offset, part)


def page_description(doctree: nodes.Node) -> str:
    """The first sentence-sized paragraph of a page, without its math, for meta description.

    >>> from docutils import nodes
    >>> doc = nodes.section()
    >>> doc += nodes.paragraph("", "Too short.")
    >>> doc += nodes.paragraph("", "", nodes.Text("The step size "), nodes.math("", r"\\alpha"),
    ...                        nodes.Text(" ( the learning rate ) scales every update of Adam."))
    >>> page_description(doc)
    'The step size (the learning rate) scales every update of Adam.'
    """
    for paragraph in doctree.findall(nodes.paragraph):
        words = []
        for text in paragraph.findall(nodes.Text):
            parent = text.parent
            while parent is not None and not isinstance(parent, (nodes.math, nodes.literal)):
                parent = parent.parent
            if parent is None:
                words.append(text.astext())
        plain = " ".join(" ".join(words).split())
        plain = re.sub(r"([\[(]) | ([\]),.;:])", r"\1\2", plain)
        if len(plain) >= DESCRIPTION_MIN:
            if len(plain) > DESCRIPTION_MAX:
                plain = plain[: DESCRIPTION_MAX - 3].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            return plain
    return ""


def _mark_korean_parts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.config.language == "en":
        mark_korean_parts(doctree)


def _page_meta(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Per-page context: a meta description, and named toggles in the sidebar navigation."""
    edition = EDITIONS[app.config.language]
    description = page_description(doctree) if doctree is not None else ""
    context["book_description"] = description or edition.description

    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def generate_named(*args, **kwargs):
        soup = generate(*args, **kwargs)
        for summary in getattr(soup, "find_all", lambda _: [])("summary"):
            summary["aria-label"] = edition.toggle_label
        return soup

    context["generate_toctree_html"] = generate_named


def _citation_roles(app: Sphinx) -> None:
    """Runs after pydata-sphinx-theme has installed its translator, and extends that one."""
    if app.builder.format != "html":
        return
    base = app.builder.get_translator_class()

    class BookTranslator(base):
        def visit_citation(self, node):
            super().visit_citation(node)
            self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')

    app.set_translator(app.builder.name, BookTranslator, override=True)


#: Scripts loaded with ``defer`` (the translations one: it calls doctools as it runs, so it
#: must come after it, as it does when both are deferred).
DEFERRED = {
    "_static/doctools.js",
    "_static/sphinx_highlight.js",
    "_static/translations.js",
    "_static/togglebutton.js",
    "_static/scripts/sphinx-book-theme.js",
}


def _defer_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if templatename == "search.html" or "script_files" not in context:
        return
    context["script_files"] = [
        type(js)(js.filename, priority=js.priority, defer="defer")
        if str(getattr(js, "filename", "")) in DEFERRED and not js.attributes
        else js
        for js in context["script_files"]
    ]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_ext_fingerprint", extensions_fingerprint(), "env", types=[str])
    app.connect("builder-inited", _citation_roles, priority=900)
    app.connect("html-page-context", _page_meta, priority=600)
    app.connect("html-page-context", _defer_scripts, priority=900)  # after every extension's
    app.connect("doctree-resolved", _mark_korean_parts)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
