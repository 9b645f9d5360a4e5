"""One catalog for every interface string of the theme: ``locale/<lang>/LC_MESSAGES/sphinx.po``.

The interface comes from two catalogs: Sphinx's ``sphinx`` domain (Sphinx's and
pydata-sphinx-theme's strings, ours in ``sphinx.po`` first) and sphinx-book-theme's
``booktheme`` domain, whose Korean catalog has mistakes a reader sees on every page:
"By" as "으로" in the footer ("으로 adam-tutorial contributors"), "Fullscreen mode" as
"전체 화면으로보기", "Contents" as "내용" where a table of contents is meant. The same holds
for sphinx-exercise's ``exercise`` domain ("해답 연습 5" over a solution). A catalog in
``locale_dirs`` cannot correct them, because each extension registers its own folder only.

This extension puts the messages of our ``sphinx.po`` in front of those domains
too (the theme's catalog stays behind as the fallback), read from the ``.po`` itself, so no
second file and no compiled ``.mo`` are needed. A string is corrected by adding it to
``sphinx.po``.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.pofile import read_po
from sphinx import locale

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"
# sphinx_book_theme.MESSAGE_CATALOG_NAME, and sphinx_exercise.MESSAGE_CATALOG_NAME, whose Korean
# "Solution to" is "해답" before the exercise's number: "해답 연습 5" (ours: "해답: 연습 문제 5").
DOMAINS = ("booktheme", "exercise")


class PoCatalog(gettext.NullTranslations):
    """The translated messages of one ``.po`` file; anything else goes to the fallback."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        with path.open("rb") as handle:
            catalog = read_po(handle)
        self.messages = {
            m.id: m.string
            for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
        }

    def gettext(self, message: str) -> str:
        if message in self.messages:
            return self.messages[message]
        return super().gettext(message)


def catalog_path(app: Sphinx) -> Path | None:
    for folder in app.config.locale_dirs:
        path = Path(app.srcdir, folder) / app.config.language / "LC_MESSAGES" / "sphinx.po"
        if path.is_file():
            return path
    return None


def _theme_messages_from_our_catalog(app: Sphinx) -> None:
    path = catalog_path(app)
    if path is None:  # the source language (English) has no catalog
        return
    for domain in DOMAINS:
        ours = PoCatalog(path)
        key = ("general", domain)
        theirs = locale.translators.get(key)
        if theirs is not None:
            ours.add_fallback(theirs)
        locale.translators[key] = ours


def setup(app: Sphinx) -> dict[str, Any]:
    # builder-inited: after the theme (loaded with the builder) has registered its catalog.
    app.connect("builder-inited", _theme_messages_from_our_catalog)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
