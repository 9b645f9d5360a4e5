"""Sphinx configuration for the adam-tutorial book (one build per language).

The Makefile runs ``sphinx-build -c . docs _build/html/$BOOK_LANG`` once for each
language in ``BOOK_LANG`` (``en`` is the source, ``ko`` comes from the gettext
catalogs in ``locale/ko/LC_MESSAGES``).  Every path below is absolute, so the
build does not depend on the working directory or on where Sphinx resolves
relative paths (for sphinxcontrib-katex that would be its own package folder).
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
BUILD = ROOT / "_build"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"

# Local extensions (docs/_ext): one build concern each; book_editions is their table of editions.
sys.path.insert(0, str(DOCS / "_ext"))
from book_editions import (
    DEFAULT_LANG,
    EDITIONS,
    LANGS,
    other_edition,
    published_site_url,
    template_context,
)

# --- Language -----------------------------------------------------------------
BOOK_LANG = os.environ.get("BOOK_LANG", DEFAULT_LANG)
if BOOK_LANG not in EDITIONS:
    msg = f"BOOK_LANG must be one of {LANGS}, got {BOOK_LANG!r}"
    raise ValueError(msg)
EDITION = EDITIONS[BOOK_LANG]
OTHER_LANG = other_edition(BOOK_LANG)

language = BOOK_LANG
locale_dirs = [str(ROOT / "locale")]
# One catalog per page (locale/ko/LC_MESSAGES/<page>.po): a chapter and its
# translation are reviewed together and two people rarely edit the same file.
gettext_compact = False
# Stable catalogs: no random uuids, no "#: file:line" churn on every edit.
gettext_uuid = False
gettext_location = False
gettext_auto_build = True  # Sphinx compiles the .po into (gitignored) .mo itself.

# --- Project ------------------------------------------------------------------
project = "adam-tutorial"
author = EDITION.author
copyright = f"2025, {author}"
release = importlib.metadata.version("adam-tutorial")  # one version: pyproject.toml
# The book's title (the home page's H1), not any chapter's: the chapter "Adam, step by step"
# would otherwise be shown twice in the browser tab, the sidebar and the search results.
html_title = EDITION.title
html_last_updated_fmt = None  # a build-time date would break reproducible output

root_doc = "index"
exclude_patterns = [
    "_build",
    "_scripts",
    "_templates",
    "_static",
    "**.ipynb_checkpoints",
    ".DS_Store",
]
templates_path = [str(DOCS / "_templates")]
html_static_path = [str(DOCS / "_static")]

extensions = [
    "myst_nb",  # includes myst_parser
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinxcontrib.katex",
    "sphinxcontrib.bibtex",
    "sphinx_sitemap",
    "sphinx_exercise",  # exercises and folded, executed solutions in every chapter
    "sphinx_togglebutton",  # folds the solutions (`:class: dropdown`) until a reader opens them
    "korean_search",
    "search_summary",  # search results: context from the article, from a word that matched
    "notebook_downloads",  # the download menu's notebooks run where only the package is
    "quiet_cells",  # a warning or stderr output of any executed cell fails the build
    "theme_catalog",  # our sphinx.po in front of the theme's own Korean catalog
    "inline_glue",  # punctuation, Korean particles stay on the line of the math/code before
    "figure_variants",  # dark and narrow variants of every notebook figure
    "book_notebooks",  # kernels' figure settings, a notebook cache that follows the code
    "book_katex",  # KaTeX prerendered at build time, strict; its CSS and fonts staged
    "book_api",  # autosummary stubs without orphans, re-exports, NamedTuple fields
    "book_html",  # lang="ko" parts, meta description, named sidebar toggles, citation roles
    "book_assets",  # Font Awesome trimmed from the theme, figures quantized
    "playground",  # the optimizer playground: its directive and its figure without JavaScript
]

# Every cross-reference must resolve (-n); the few external types that cannot be
# linked without intersphinx (which would fetch inventories from the network)
# are listed here on purpose.
# "Exercise 3" / "연습 문제 3" (sphinx-exercise merges this over its own translated default).
numfig_format = {"exercise": f"{EDITION.exercise_label} %s"}

nitpicky = True
nitpick_ignore_regex = [
    ("py:class", r"(numpy|np|numpy\.typing|npt)\..*"),
    ("py:class", r"(NDArray|ArrayLike|DTypeLike)(\[.*\])?"),
    ("py:class", r"(matplotlib|mpl)\..*"),
    ("py:class", r"(Axes|Figure|Line2D|Artist|Colormap|QuadContourSet)"),
    ("py:class", r"(collections\.abc|typing|typing_extensions|pathlib)\..*"),
    # numpydoc's descriptive type words ("array_like", "callable", "mapping", ...)
    (
        "py:class",
        r"(optional|default: .*|array_like|array-like|callable|sequence|mapping|iterable)",
    ),
]

# --- MyST / MyST-NB --------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

nb_execution_mode = "cache"
nb_execution_cache_path = str(BUILD / ".jupyter_cache" / BOOK_LANG)
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300  # seconds per cell; the chapters run in well under a second
nb_merge_streams = True
# A rendered cell's stderr is a warning (-W: a failure); quiet_cells checks every cell,
# hidden ones included, which MyST-NB does not see.
nb_output_stderr = "warn"
# A figure keeps its intrinsic size at 2x pixel density ("retina", book_notebooks).
nb_render_image_options = {"align": "center"}
# The gettext builder has no mime priority of its own, so glued figures were dropped from
# its doctree and their alt text never reached the catalogs. With PNG allowed there, the
# ``:alt:`` of every ``{glue:figure}`` is extracted and translated like any other message.
nb_mime_priority_overrides = [("gettext", "image/png", 10)]

# --- Figures: one style for every chapter, set outside the notebooks (book_notebooks) ---
book_build_dir = str(BUILD)
book_mplstyle = str(ROOT / "src" / "adam_tutorial" / "book.mplstyle")
# Notebook outputs are cached; the cache is dropped when any module of this folder changes.
book_code_dir = str(ROOT / "src")

# --- Math: KaTeX, rendered to HTML at build time by node -------------------------
html_math_renderer = "katex"
katex_prerender = True
katex_js_path = str(KATEX_DIST / "katex.min.js")  # npm's katex (package-lock.json)
# The same KaTeX version's CSS and fonts are served from the site (_static/katex/),
# never from a CDN; no KaTeX JavaScript is sent to the reader.
katex_css_path = "katex/katex.min.css"
katex_inline = [r"\(", r"\)"]
katex_display = [r"\[", r"\]"]

# --- API reference ----------------------------------------------------------------
# One stub per public name in docs/generated/, written afresh by every build (book_api).
autosummary_generate = True
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
# "Attributes" sections become linkable attribute entries; NamedTuple fields are not
# documented a second time (book_api).
napoleon_use_ivar = False
napoleon_use_rtype = False
python_use_unqualified_type_names = True
add_module_names = False

# --- Bibliography -------------------------------------------------------------------
bibtex_bibfiles = [str(DOCS / "references.bib")]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
bibtex_encoding = "utf-8"

# --- HTML ---------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_theme_options = {
    # No repository, launch or issue buttons: nothing links out of the book.
    "repository_url": "",
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "use_source_button": False,
    "use_download_button": True,
    "use_fullscreen_button": True,
    "launch_buttons": {},
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "article_header_end": ["lang-switch.html", "article-header-buttons.html"],
    "icon_links": [],
    "extra_footer": "",
    "search_bar_text": EDITION.search_placeholder,
}
html_context = {
    "book_lang": BOOK_LANG,
    "book_other_lang": OTHER_LANG,
    "book_languages": LANGS,
    "book_editions": template_context(),  # per-edition strings of the templates
    # pydata-sphinx-theme starts a first-time reader (nothing in localStorage) in the mode
    # named here; left empty, every page logs "Got invalid theme mode" as a console error.
    "default_mode": "auto",
}
# The theme's sidebar, with the book's title link inside a landmark (book-brand.html) and
# no (empty) icon-links block.
html_sidebars = {"**": ["book-brand.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
html_favicon = str(DOCS / "_static" / "favicon.svg")
html_css_files = ["book-icons.css", "book.css"]
# The sidebar toggles work (pydata-sphinx-theme#2451, sphinx-book-theme#988); a formula that
# scrolls sideways is a tab stop (the theme does it for code and tables, not for math).
html_js_files = [
    ("sidebar-toggles.js", {"defer": "defer"}),
    ("math-tab-stops.js", {"defer": "defer"}),
]
html_copy_source = True
# No Python module index page: the API page lists the modules, and Sphinx's index page uses
# "-"/"+" images as its only toggle labels.
html_domain_indices = False
html_show_sourcelink = False
html_sourcelink_suffix = ""
html_baseurl_root = published_site_url()  # SITE_URL, else the default in book_editions
# Canonical URLs and hreflang alternates are absolute; everything the browser
# loads (scripts, styles, fonts, images) stays relative.
html_baseurl = f"{html_baseurl_root}{BOOK_LANG}/"
site_url = html_baseurl_root
sitemap_url_scheme = "{lang}{link}"
sitemap_locales = list(LANGS)
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
html_context["book_site_url"] = html_baseurl_root
