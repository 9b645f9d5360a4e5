"""Sphinx configuration for the adam-tutorial book (one build per language).

The Makefile runs ``sphinx-build -c . docs _build/html/$BOOK_LANG`` once for each
language in ``BOOK_LANG`` (``en`` is the source, ``ko`` comes from the gettext
catalogs in ``locale/ko/LC_MESSAGES``).  Every path below is absolute, so the
build does not depend on the working directory or on where Sphinx resolves
relative paths (for sphinxcontrib-katex that would be its own package folder).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from docutils import nodes
from sphinx.ext import napoleon
from sphinx.ext.autosummary import autosummary_table
from sphinx.util.math import wrap_displaymath
from sphinxcontrib import katex

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
BUILD = ROOT / "_build"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"

# --- Language -----------------------------------------------------------------
LANGUAGES = ("en", "ko")
BOOK_LANG = os.environ.get("BOOK_LANG", "en")
if BOOK_LANG not in LANGUAGES:
    msg = f"BOOK_LANG must be one of {LANGUAGES}, got {BOOK_LANG!r}"
    raise ValueError(msg)
OTHER_LANG = "ko" if BOOK_LANG == "en" else "en"
# Notebook kernels inherit this process's environment: a chapter labels its
# figures with os.environ["BOOK_LANG"], so set it even when it came by default.
os.environ["BOOK_LANG"] = BOOK_LANG

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
# The book's title (the home page's H1), not any chapter's: the chapter "Adam, step by step"
# would otherwise be shown twice in the browser tab, the sidebar and the search results.
TITLES = {
    "en": "Adam and Its Family",
    "ko": "Adam과 그 계보",
}
project = "adam-tutorial"
author = {"en": "adam-tutorial contributors", "ko": "adam-tutorial 기여자들"}[BOOK_LANG]
copyright = f"2025, {author}"
release = importlib.metadata.version("adam-tutorial")  # one version: pyproject.toml
html_title = TITLES[BOOK_LANG]
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

# Local extensions (docs/_ext): korean_search is the Korean edition's search language.
sys.path.insert(0, str(DOCS / "_ext"))
extensions = [
    "myst_nb",  # includes myst_parser
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinxcontrib.katex",
    "sphinxcontrib.bibtex",
    "sphinx_sitemap",
    "sphinx_exercise",  # exercises and folded, executed solutions in every chapter
    "korean_search",
    "notebook_downloads",  # the download menu's notebooks run where only the package is
    "quiet_cells",  # a warning or stderr output of any executed cell fails the build
    "theme_catalog",  # our sphinx.po in front of the theme's own Korean catalog
    "korean_particles",  # Korean particles stay on the line of the code/math before them
    "figure_variants",  # dark and narrow variants of every notebook figure
]

# Every cross-reference must resolve (-n); the few external types that cannot be
# linked without intersphinx (which would fetch inventories from the network)
# are listed here on purpose.
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
# A figure keeps its intrinsic size at 2x pixel density ("retina", see below).
nb_render_image_options = {"align": "center"}
# The gettext builder has no mime priority of its own, so glued figures were dropped from
# its doctree and their alt text never reached the catalogs. With PNG allowed there, the
# ``:alt:`` of every ``{glue:figure}`` is extracted and translated like any other message.
nb_mime_priority_overrides = [("gettext", "image/png", 10)]

# --- Figures: one style for every chapter, set outside the notebooks -----------
# matplotlib in the kernel reads MATPLOTLIBRC, IPython reads IPYTHONDIR: both are
# inherited from this process, so no cell has to configure plotting.
MPLSTYLE = ROOT / "src" / "adam_tutorial" / "book.mplstyle"
os.environ["MATPLOTLIBRC"] = str(MPLSTYLE)
IPYTHON_DIR = BUILD / "ipython"
_kernel_path = f"import sys; sys.path.append({str(DOCS / '_ext')!r}); del sys"
_kernel_config = (
    "# Written by conf.py: figures from notebook cells as PNG at 2x pixel density.\n"
    "# The inline backend is switched on here because the Makefile exports\n"
    "# MPLBACKEND=Agg (for the tests), which the kernel inherits.\n"
    'c.IPKernelApp.matplotlib = "inline"\n'
    'c.InlineBackend.figure_formats = {"retina"}\n'
    'c.InlineBackend.print_figure_kwargs = {"bbox_inches": "tight",'
    ' "metadata": {"Software": None}}\n'
    "c.HistoryManager.enabled = False\n"
    "c.IPKernelApp.log_level = 40  # not the notice about unencrypted local TCP\n"
    "# Dark and narrow variants of each figure for the HTML pages (docs/_ext/figure_variants.py)\n"
    f"c.InteractiveShellApp.exec_lines = [{_kernel_path!r}, '%load_ext figure_variants']\n"
)
(IPYTHON_DIR / "profile_default").mkdir(parents=True, exist_ok=True)
(IPYTHON_DIR / "profile_default" / "ipython_kernel_config.py").write_text(_kernel_config)
os.environ["IPYTHONDIR"] = str(IPYTHON_DIR)


def _fingerprint() -> str:
    """Hash of what notebook outputs depend on beyond their own cells.

    jupyter-cache keys a notebook on its code cells only.  When the package or the
    figure style changes, the cached outputs are stale, so the cache of this
    language is dropped and (via the ``env`` rebuild flag below) every page is
    read again.
    """
    digest = hashlib.sha256(_kernel_config.encode())
    files = [MPLSTYLE, DOCS / "_ext" / "figure_variants.py", *sorted((ROOT / "src").rglob("*.py"))]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


book_code_fingerprint = _fingerprint()
# Code in this file shapes every page (hooks below) without changing any config value, so
# an incremental build would not rewrite the pages: name its hash as an "html" value.
book_conf_fingerprint = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
_stamp = BUILD / ".jupyter_cache" / f"{BOOK_LANG}.fingerprint"
if not _stamp.exists() or _stamp.read_text() != book_code_fingerprint:
    shutil.rmtree(nb_execution_cache_path, ignore_errors=True)
    _stamp.parent.mkdir(parents=True, exist_ok=True)
    _stamp.write_text(book_code_fingerprint)

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
# autosummary writes one stub per public name into docs/generated/ (gitignored) but
# never deletes one: a renamed or removed name would leave an orphan page behind and
# fail the build. Start from an empty folder every time, but give a regenerated stub
# that did not change its old modification time back (_keep_stub_mtimes), so that an
# incremental build does not read every API page again (no-op rebuild in seconds).
_OLD_STUBS = {
    path.name: (path.read_bytes(), path.stat().st_mtime_ns)
    for path in sorted((DOCS / "generated").glob("*.rst"))
}
shutil.rmtree(DOCS / "generated", ignore_errors=True)
autosummary_generate = True
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
# "Attributes" sections become linkable attribute entries; NamedTuple fields are not
# documented a second time (see _skip_namedtuple_fields).
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
    "search_bar_text": {"en": "Search...", "ko": "검색..."}[BOOK_LANG],
}
html_context = {
    "book_lang": BOOK_LANG,
    "book_other_lang": OTHER_LANG,
    "book_languages": LANGUAGES,
    "book_language_names": {"en": "English", "ko": "한국어"},
    "book_og_locales": {"en": "en_US", "ko": "ko_KR"},
    "book_brand_label": {"en": "Book", "ko": "책"}[BOOK_LANG],
    # pydata-sphinx-theme starts a first-time reader (nothing in localStorage) in the mode
    # named here; left empty, every page logs "Got invalid theme mode" as a console error.
    "default_mode": "auto",
}
# The theme's sidebar, with the book's title link inside a landmark (book-brand.html) and
# no (empty) icon-links block.
html_sidebars = {"**": ["book-brand.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
html_favicon = str(DOCS / "_static" / "favicon.svg")
html_css_files = ["book-icons.css", "book.css"]
# The sidebar toggles work (pydata-sphinx-theme#2451, sphinx-book-theme#988).
html_js_files = [("sidebar-toggles.js", {"defer": "defer"})]
SITE_DESCRIPTIONS = {
    "en": "Adam and the adaptive-gradient optimizers, step by step: the update rule, "
    "bias correction and experiments in small, runnable NumPy.",
    "ko": "Adam과 적응형 경사 최적화 기법을 한 걸음씩: 갱신 규칙, 편향 보정, "
    "작게 실행해 보는 NumPy 실험.",
}
html_copy_source = True
# No Python module index page: the API page lists the modules, and Sphinx's index page uses
# "-"/"+" images as its only toggle labels.
html_domain_indices = False
html_show_sourcelink = False
html_sourcelink_suffix = ""
html_baseurl_root = os.environ.get("SITE_URL", "https://adam-tutorial.readthedocs.io/")
if not html_baseurl_root.endswith("/"):
    html_baseurl_root += "/"
# Canonical URLs and hreflang alternates are absolute; everything the browser
# loads (scripts, styles, fonts, images) stays relative.
html_baseurl = f"{html_baseurl_root}{BOOK_LANG}/"
site_url = html_baseurl_root
sitemap_url_scheme = "{lang}{link}"
sitemap_locales = list(LANGUAGES)
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
html_context["book_site_url"] = html_baseurl_root


def _katex_assets(app):
    """Stage KaTeX's CSS and fonts as ``_static/katex/`` of this build."""
    if app.builder.format != "html":
        return
    css = KATEX_DIST / "katex.min.css"
    if not css.exists():
        msg = f"{css} is missing: run `npm ci` (the Makefile's setup target does)"
        raise FileNotFoundError(msg)
    staging = BUILD / "katex-static"
    target = staging / "katex"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(css, target / "katex.min.css")
    shutil.copytree(KATEX_DIST / "fonts", target / "fonts")
    app.config.html_static_path.append(str(staging))


def _mystnb_output_folder(app):
    """Keep MyST-NB's executed notebooks and images out of the published tree.

    MyST-NB writes them to ``<outdir>/../jupyter_execute``, which for our layout
    is ``_build/html/jupyter_execute``: shared by both languages and published.
    """
    config = getattr(app.env, "mystnb_config", None)
    if config is None:
        return
    folder = BUILD / "jupyter_execute" / BOOK_LANG
    app.env.mystnb_config = config.copy(output_folder=str(folder))


def _configure_katex(app):
    """Make sphinxcontrib-katex's prerendering as strict and as complete as Sphinx's math.

    * A LaTeX error fails the build instead of showing up in red on the page.
    * Display math is wrapped the way Sphinx wraps it for MathJax (``equation*`` with
      ``split``, or ``align*`` for blank-line separated parts), so the multi-line
      ``.. math::`` blocks of the docstrings, with ``&`` and ``\\``, render.  Blocks
      marked ``nowrap`` (e.g. a MyST ``amsmath`` environment) are passed as they are.
    """

    katex.KATEX_DEFAULT_OPTIONS["throwOnError"] = True

    def get_latex(node):
        latex = node.astext()
        if isinstance(node, nodes.math_block) and not node.get("nowrap"):
            return wrap_displaymath(latex, None, numbering=False)
        return latex

    katex.get_latex = get_latex
    katex.STARTUP_TIMEOUT = 60.0  # node starts slowly on a busy 2-core machine
    katex.RENDER_TIMEOUT = 30.0
    katex.KaTeXServer.start_server_process = classmethod(_start_katex_server)


def _start_katex_server(cls, rundir, timeout):
    """Start the KaTeX node server and connect, retrying while it is not listening yet.

    sphinxcontrib-katex connects as soon as the socket file exists; node creates it
    just before it listens, so under load the one attempt can be refused and the build
    fails at random. Same contract as ``KaTeXServer.start_server_process``.
    """
    socket_path = rundir / "katex.sock"
    process = subprocess.Popen(
        cls.build_command(socket=socket_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=rundir,
    )
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            msg = f"the KaTeX server exited with status {process.returncode}"
            raise katex.KaTeXError(msg)
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(max(deadline - time.monotonic(), 0.1))
                sock.connect(str(socket_path))
            except (ConnectionRefusedError, FileNotFoundError):
                sock.close()
            else:
                sock.settimeout(None)
                return process, sock
        if time.monotonic() > deadline:
            process.kill()
            raise cls.timeout_error(timeout)
        time.sleep(0.01)


def _skip_namedtuple_fields(app, what, name, obj, skip, options):
    """NamedTuple fields are documented in the class docstring, not as "Alias for field"."""
    doc = getattr(obj, "__doc__", None) or ""
    if what == "class" and doc.startswith("Alias for field number"):
        return True
    return None


def _resolve_reexports(app, env, node, contnode):
    """Resolve ``adam_tutorial.optimizers.adam.AdamState`` to the documented public name.

    Type hints carry the defining module; the API reference documents the names that
    ``adam_tutorial`` (or a public submodule) re-exports.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    if not target.startswith("adam_tutorial."):
        return None
    domain = env.domains["py"]
    parts = target.split(".")
    for i in range(2, len(parts)):
        candidate = ".".join(["adam_tutorial", *parts[i:]])
        if candidate in domain.objects:
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
            )
    return None


def _napoleon_skips_data(app):
    """Let napoleon leave docstrings of module data and attributes alone.

    napoleon reads the text before the first colon of such a docstring as its type
    (``"Beale's function: flat plateaus"`` would make a cross-reference to a class
    ``Beale's function``). autodoc already takes their types from the annotations.
    """

    for listener in list(app.events.listeners["autodoc-process-docstring"]):
        if listener.handler is napoleon._process_docstring:
            app.disconnect(listener.id)

            def process(app, what, name, obj, options, lines, _handler=listener.handler):
                if what not in {"data", "attribute"}:
                    _handler(app, what, name, obj, options, lines)

            app.connect("autodoc-process-docstring", process, priority=listener.priority)


def _untranslatable_api_tables(app, doctree):
    """Keep autosummary's tables (docstring summaries) out of the gettext catalogs.

    Docstrings stay English in both editions, like the code; their summaries would
    otherwise land in api.po as reST that the MyST parser of a translation can't read.
    """

    for table in doctree.findall(autosummary_table):
        for node in table.findall(nodes.TextElement):
            node["translatable"] = False


_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+(?:[\s\d]+[\uac00-\ud7a3]+)*")


def _mark_korean_parts(app, doctree, docname):
    """In the English edition, give Korean words (glossary headwords) ``lang="ko"``.

    docutils writes the class ``language-ko`` as the HTML attribute ``lang="ko"``, so screen
    readers switch voice for them (WCAG 3.1.2, language of parts).
    """
    if app.config.language != "en":
        return
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if isinstance(parent, nodes.FixedTextElement | nodes.literal | nodes.raw):
            continue
        value = str(text)
        if not _HANGUL_RUN.search(value):
            continue
        parts: list[nodes.Node] = []
        pos = 0
        for match in _HANGUL_RUN.finditer(value):
            if match.start() > pos:
                parts.append(nodes.Text(value[pos : match.start()]))
            parts.append(nodes.inline(match.group(), match.group(), classes=["language-ko"]))
            pos = match.end()
        if pos < len(value):
            parts.append(nodes.Text(value[pos:]))
        parent.replace(text, parts[0])
        for offset, part in enumerate(parts[1:], start=1):
            parent.insert(parent.index(parts[0]) + offset, part)


def _page_description(doctree) -> str:
    """The first sentence-sized paragraph of a page, without its math, for meta description."""
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
        if len(plain) >= 40:
            if len(plain) > 160:
                plain = plain[:157].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            return plain
    return ""


# KaTeX font files by what in the prerendered HTML needs them. Preloading the ones a page uses
# lets them arrive with the stylesheets: without it the formulas are laid out again when the
# fonts come in, which moves the text (Lighthouse: cumulative layout shift up to 0.4).
KATEX_FONTS = {
    "KaTeX_Main-Regular.woff2": re.compile(r'class="katex"'),
    "KaTeX_Math-Italic.woff2": re.compile(r'class="mord mathnormal'),
    "KaTeX_Main-Bold.woff2": re.compile(r"mathbf|boldsymbol"),
    "KaTeX_Size1-Regular.woff2": re.compile(r"delimsizing size1|small-op"),
    "KaTeX_Size2-Regular.woff2": re.compile(r"delimsizing size2|large-op"),
    "KaTeX_AMS-Regular.woff2": re.compile(r"amsrm"),
}


def _katex_fonts(body: str) -> list[str]:
    return [name for name, used in KATEX_FONTS.items() if used.search(body)]


def _page_meta(app, pagename, templatename, context, doctree):
    """Per-page context: a meta description, and named toggles in the sidebar navigation."""
    description = _page_description(doctree) if doctree is not None else ""
    context["book_description"] = description or SITE_DESCRIPTIONS[BOOK_LANG]
    context["book_preload_fonts"] = _katex_fonts(context.get("body", ""))

    # pydata-sphinx-theme's collapsible navigation entries are <summary> elements holding
    # only an icon, which leaves them nameless (axe: summary-name, serious). Name them.
    generate = context.get("generate_toctree_html")
    if generate is None:
        return
    label = {"en": "Show or hide the pages of this section", "ko": "이 절의 페이지 펼치기/접기"}

    def generate_named(*args, **kwargs):
        soup = generate(*args, **kwargs)
        for summary in getattr(soup, "find_all", lambda _: [])("summary"):
            summary["aria-label"] = label[BOOK_LANG]
        return soup

    context["generate_toctree_html"] = generate_named


FA_ICON_RULE = re.compile(r'(?:\.fa-[a-z0-9-]+(?::before)?,?)+\{--fa:"[^"]*"\}')
FA_FONT_FACE = re.compile(r"@font-face\{[^}]*Font Awesome[^}]*\}")


def _trim_theme_assets(app, exception):
    """Drop what the theme ships but the book does not load, and shrink the figures.

    * The layout no longer loads fontawesome.js (1.5 MB) and the icons are CSS masks
      (_static/book-icons.css): remove the script, the icon fonts and the ~2000 per-icon rules
      of pydata-sphinx-theme.css that would point at them (63 KB -> 45 KB gzipped).
    * Figures: notebook PNGs are true-colour RGBA at 2x; 256 colours without dithering look
      the same for line and contour plots at a third of the size. The result is cached by the
      hash of the original, so a rebuild does not redo the work; the output is deterministic.
    """
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    if not app.config.html_domain_indices:  # left behind by an earlier build that had it
        (Path(app.outdir) / "py-modindex.html").unlink(missing_ok=True)
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (static / "scripts" / name).unlink(missing_ok=True)
    shutil.rmtree(static / "vendor" / "fontawesome", ignore_errors=True)
    css = static / "styles" / "pydata-sphinx-theme.css"
    if css.exists():
        text = css.read_text(encoding="utf-8")
        trimmed = FA_FONT_FACE.sub("", FA_ICON_RULE.sub("", text))
        if trimmed != text:
            css.write_text(trimmed, encoding="utf-8")
    _quantize_figures(Path(app.outdir) / "_images")


def _quantize_figures(folder: Path) -> None:
    from PIL import Image  # noqa: PLC0415  (matplotlib's dependency; only needed here)

    cache = BUILD / "png-cache"
    cache.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.glob("*.png")):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        cached = cache / f"{digest}.png"
        if cached.exists():
            if cached.read_bytes() != data:
                path.write_bytes(cached.read_bytes())
            continue
        with Image.open(path) as image:
            if image.mode == "P":  # already ours
                cached.write_bytes(data)
                continue
            quantized = image.convert("RGB").quantize(
                colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
            )
            quantized.info = {}
            buffer = io.BytesIO()
            quantized.save(buffer, "PNG", optimize=True, dpi=image.info.get("dpi", (200, 200)))
        result = buffer.getvalue()
        if len(result) < len(data):
            path.write_bytes(result)
            (cache / f"{hashlib.sha256(result).hexdigest()}.png").write_bytes(result)
        else:
            result = data
        cached.write_bytes(result)


def _keep_stub_mtimes(app):
    """After autosummary has written docs/generated/ again: unchanged stubs keep their mtime."""
    for path in (DOCS / "generated").glob("*.rst"):
        old = _OLD_STUBS.get(path.name)
        if old is not None and path.read_bytes() == old[0]:
            os.utime(path, ns=(old[1], old[1]))


def _citation_roles(app):
    """Citations as list items: docutils marks them role="doc-biblioentry" inside a role="list".

    DPUB-ARIA 1.1 deprecated doc-biblioentry, so for axe-core the list has no list items
    (aria-required-children, critical; aria-deprecated-role). Runs after pydata-sphinx-theme
    has installed its translator, and extends that one.
    """
    if app.builder.format != "html":
        return
    base = app.builder.get_translator_class()

    class BookTranslator(base):
        def visit_citation(self, node):
            super().visit_citation(node)
            self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')

    app.set_translator(app.builder.name, BookTranslator, override=True)


def setup(app):
    app.connect("builder-inited", _keep_stub_mtimes, priority=800)  # after autosummary (500)
    app.connect("builder-inited", _citation_roles, priority=900)
    app.connect("html-page-context", _page_meta, priority=600)
    app.connect("build-finished", _trim_theme_assets)
    app.connect("doctree-read", _untranslatable_api_tables)
    app.connect("doctree-resolved", _mark_korean_parts)
    _napoleon_skips_data(app)
    app.connect("autodoc-skip-member", _skip_namedtuple_fields)
    app.connect("missing-reference", _resolve_reexports)
    app.add_config_value("book_code_fingerprint", "", "env")
    app.add_config_value("book_conf_fingerprint", "", "html")
    app.connect("builder-inited", _katex_assets)
    app.connect("builder-inited", _configure_katex)
    app.connect("builder-inited", _mystnb_output_folder, priority=900)
