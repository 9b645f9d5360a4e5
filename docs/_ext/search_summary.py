"""Search results' lines of context, in both editions (``_static/search-summary.js``).

Sphinx 9.0's ``Search.makeSearchSummary`` reads the text of ``[role="main"]``, which in
sphinx-book-theme begins with the article's header buttons, and when no search term occurs
in it as typed (a stem, a Korean synonym or verb form found the page) it shows that header's
first words: "...English" under every such result. The script takes the article's text and
starts at the first word that stands for a term. It is loaded, deferred, on the search page
only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SCRIPT = "search-summary.js"


def _on_search_page(app: Sphinx, pagename: str, templatename, context, doctree) -> None:
    if pagename == "search":
        # defer: after searchtools.js (a blocking script of the search page) defines Search,
        # before DOMContentLoaded runs the query.
        app.add_js_file(SCRIPT, defer="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _on_search_page)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
