"""The local Sphinx extensions (docs/_ext), one function at a time, without a build.

The build as a whole is checked by test_site.py and the browser tests; here the pieces that
conf.py used to hold, importable now: the meta description, KaTeX font preloads, language
of parts, re-export resolution, the stub folder, the kernel configuration and the editions.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import book_api
import book_assets
import book_editions
import book_html
import book_katex
import book_notebooks
import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.ext.autosummary import process_generate_options

from adam_tutorial import AdamState

EXT_DIR = Path(book_html.__file__).resolve().parent


def app_for(language: str, **config) -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(language=language, **config))


# --- book_html ---------------------------------------------------------------------------------


def paragraph(*children: nodes.Node | str) -> nodes.paragraph:
    return nodes.paragraph("", "", *(nodes.Text(c) if isinstance(c, str) else c for c in children))


def test_page_description_skips_short_paragraphs_math_and_code():
    doc = nodes.section()
    doc += paragraph("See also:")
    doc += paragraph(
        "Adam divides the step ",
        nodes.math("", r"\alpha \hat m_t"),
        " by a running scale, the square root of ",
        nodes.literal("", "v_hat"),
        " ( the second moment ) .",
    )
    assert book_html.page_description(doc) == (
        "Adam divides the step by a running scale, the square root of (the second moment)."
    )


def test_page_description_is_cut_at_a_word_below_160_characters():
    words = " ".join(["bias correction"] * 20) + ", end"
    text = book_html.page_description(paragraph(words))
    assert len(text) <= 160
    assert text.endswith("bias…")
    assert words.startswith(text.removesuffix("…") + " ")  # cut between two words
    assert book_html.page_description(paragraph("short")) == ""


def test_page_meta_falls_back_to_the_editions_description_and_names_the_toggles():
    nav = '<ul><li><details><summary><i class="fa-chevron"></i></summary></details></li></ul>'
    context = {"generate_toctree_html": lambda *a, **k: BeautifulSoup(nav, "html.parser")}
    book_html._page_meta(app_for("ko"), "index", "page.html", context, nodes.section())
    assert context["book_description"] == book_editions.EDITIONS["ko"].description
    summary = context["generate_toctree_html"]("sidebar").find("summary")
    assert summary["aria-label"] == "이 절의 페이지 펼치기/접기"


def test_korean_parts_get_lang_ko_in_the_english_edition_only():
    def tree() -> nodes.paragraph:
        return paragraph(
            "momentum (모멘텀), step (제 2 장) and ",
            nodes.literal("", "m은"),
            nodes.literal_block("", "# 주석"),
        )

    english = tree()
    book_html._mark_korean_parts(app_for("en"), english, "glossary")
    marked = [n.astext() for n in english.findall(nodes.inline)]
    assert marked == ["모멘텀", "제 2 장"]
    assert all(n["classes"] == ["language-ko"] for n in english.findall(nodes.inline))
    assert english.astext() == tree().astext()  # no text lost or moved

    korean = tree()
    book_html._mark_korean_parts(app_for("ko"), korean, "glossary")
    assert not list(korean.findall(nodes.inline))


def test_extensions_fingerprint_follows_every_extension_file(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    before = book_html.extensions_fingerprint(tmp_path)
    assert before == book_html.extensions_fingerprint(tmp_path)
    (tmp_path / "b.py").write_text("y = 2\n")
    assert book_html.extensions_fingerprint(tmp_path) != before
    assert book_html.extensions_fingerprint() == book_html.extensions_fingerprint(EXT_DIR)


# --- book_katex --------------------------------------------------------------------------------


def test_katex_fonts_named_by_what_the_math_uses():
    body = (
        '<span class="katex"><span class="mord mathnormal">m</span>'
        '<span class="delimsizing size1">(</span><span class="mord mathbf">g</span></span>'
    )
    assert book_katex.katex_fonts(body) == [
        "KaTeX_Main-Regular.woff2",
        "KaTeX_Math-Italic.woff2",
        "KaTeX_Main-Bold.woff2",
        "KaTeX_Size1-Regular.woff2",
    ]
    fonts = EXT_DIR.parents[1] / "node_modules" / "katex" / "dist" / "fonts"
    for name in book_katex.KATEX_FONTS:
        assert (fonts / name).is_file(), name


def test_display_math_is_wrapped_like_sphinx_does_unless_nowrap():
    block = nodes.math_block("", "a &= b \\\\\nc &= d")
    assert book_katex.get_latex(block) == (
        "\\begin{equation*}\n\\begin{split}a &= b \\\\\nc &= d\\end{split}\n\\end{equation*}"
    )
    nowrap = nodes.math_block("", "\\begin{align}x\\end{align}", nowrap=True)
    assert book_katex.get_latex(nowrap) == "\\begin{align}x\\end{align}"
    assert book_katex.get_latex(nodes.math("", "x^2")) == "x^2"


# --- book_api ----------------------------------------------------------------------------------


def test_namedtuple_fields_are_skipped_the_class_is_not():
    assert book_api.skip_namedtuple_fields(None, "class", "m", AdamState.m, False, {}) is True
    assert book_api.skip_namedtuple_fields(None, "class", "AdamState", AdamState, False, {}) is None


def test_a_reexported_name_resolves_to_the_documented_one():
    calls = []

    class Domain:
        objects: ClassVar = {"adam_tutorial.AdamState": ("api", "id", "class")}

        def resolve_xref(self, env, fromdoc, builder, typ, target, node, contnode):
            calls.append((fromdoc, typ, target))
            return "resolved"

    env = SimpleNamespace(domains={"py": Domain()})
    node = {
        "refdomain": "py",
        "reftarget": "adam_tutorial.optimizers.adam.AdamState",
        "refdoc": "adam",
        "reftype": "class",
    }
    app = SimpleNamespace(builder=None)
    assert book_api.resolve_reexports(app, env, node, None) == "resolved"
    assert calls == [("adam", "class", "adam_tutorial.AdamState")]
    assert (
        book_api.resolve_reexports(app, env, {**node, "reftarget": "numpy.ndarray"}, None) is None
    )
    assert book_api.resolve_reexports(app, env, {**node, "refdomain": "std"}, None) is None


def test_stubs_are_written_afresh_and_unchanged_ones_keep_their_mtime(tmp_path):
    folder = tmp_path / book_api.STUBS
    folder.mkdir()
    for name in ("same.rst", "edited.rst", "orphan.rst"):
        (folder / name).write_text(name)
        os.utime(folder / name, ns=(10**18, 10**18))
    app = SimpleNamespace(srcdir=str(tmp_path))
    book_api._wipe_stubs(app)
    assert not folder.exists()
    folder.mkdir()  # what autosummary does in between
    (folder / "same.rst").write_text("same.rst")
    (folder / "edited.rst").write_text("edited, new text")
    book_api._keep_stub_mtimes(app)
    assert sorted(p.name for p in folder.iterdir()) == ["edited.rst", "same.rst"]
    assert (folder / "same.rst").stat().st_mtime_ns == 10**18
    assert (folder / "edited.rst").stat().st_mtime_ns != 10**18


def test_the_stub_wipe_runs_before_autosummary_and_the_restore_after(tmp_path):
    from sphinx.testing.util import SphinxTestApp  # noqa: PLC0415

    (tmp_path / "conf.py").write_text("extensions = ['book_api']\n")
    (tmp_path / "index.rst").write_text("Title\n=====\n")
    app = SphinxTestApp("html", srcdir=tmp_path)
    try:
        order = [
            listener.handler
            for listener in sorted(app.events.listeners["builder-inited"], key=lambda x: x.priority)
        ]
    finally:
        app.cleanup()
    wipe, generate, restore = (
        order.index(h)
        for h in (book_api._wipe_stubs, process_generate_options, book_api._keep_stub_mtimes)
    )
    assert wipe < generate < restore


# --- book_assets -------------------------------------------------------------------------------


def test_font_awesome_rules_and_faces_are_trimmed_and_nothing_else():
    css = (
        '.fa-500px:before,.fa-abacus{--fa:"\\f26e"}'
        '@font-face{font-family:"Font Awesome 6 Free";src:url(x.woff2)}'
        ".bd-sidebar{width:20%}@font-face{font-family:Lato;src:url(l.woff2)}"
    )
    assert book_assets.trim_font_awesome(css) == (
        ".bd-sidebar{width:20%}@font-face{font-family:Lato;src:url(l.woff2)}"
    )


# --- book_notebooks ----------------------------------------------------------------------------


def test_the_kernel_loads_figure_variants_from_the_extensions_folder():
    config = book_notebooks.kernel_config()
    namespace = {"c": _Recorder()}
    exec(config, namespace)  # noqa: S102  (the profile is Python, as IPython reads it)
    recorded = namespace["c"].values
    assert recorded["InlineBackend.figure_formats"] == {"retina"}
    assert recorded["InlineBackend.print_figure_kwargs"] == book_notebooks.PRINT_FIGURE_KWARGS
    path_line, load, close, flush = recorded["InteractiveShellApp.exec_lines"]
    assert repr(str(EXT_DIR)) in path_line
    assert load == "%load_ext figure_variants"
    assert close == "%load_ext close_glued"
    assert flush == book_notebooks.FLUSH_LINE


class _Recorder:
    """Stands in for IPython's config object ``c``: records ``c.Section.name = value``."""

    def __init__(self, prefix: str = "", values: dict | None = None):
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "values", {} if values is None else values)

    def __getattr__(self, name):
        return _Recorder(f"{self.prefix}{name}.", self.values)

    def __setattr__(self, name, value):
        self.values[f"{self.prefix}{name}"] = value


def test_code_fingerprint_follows_contents_and_names(tmp_path):
    (tmp_path / "a.py").write_text("a = 1\n")
    files = [tmp_path / "a.py"]
    first = book_notebooks.code_fingerprint("config", files, tmp_path)
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert book_notebooks.code_fingerprint("config", files, tmp_path) == first
    assert book_notebooks.code_fingerprint("other config", files, tmp_path) != first
    (tmp_path / "a.py").write_text("a = 2\n")
    assert book_notebooks.code_fingerprint("config", files, tmp_path) != first


# --- book_editions -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", book_editions.LANGS)
def test_every_string_of_an_edition_is_in_its_language(lang):
    edition = book_editions.EDITIONS[lang]
    for field, value in vars(edition).items():
        if field in {"og_locale", "author"}:
            continue
        assert value.strip(), field
        assert bool(book_editions.HANGUL.search(value)) == (lang == "ko"), (field, value)
    assert edition.og_locale.startswith(f"{lang}_")


def test_the_switch_links_the_other_edition_and_the_site_url_ends_in_a_slash():
    assert book_editions.other_edition("en") == "ko"
    assert book_editions.other_edition("ko") == "en"
    assert book_editions.published_site_url({"SITE_URL": "http://x.test"}) == "http://x.test/"
    assert book_editions.ROOT_TITLE == "Adam and Its Family · Adam과 그 계보"


def test_one_hangul_pattern_letters_jamo_and_compatibility_jamo():
    assert book_editions.HANGUL.findall("Adam과 ㄱ ᄀ, β") == ["과", "ㄱ", "ᄀ"]


def test_a_glued_figure_is_closed_so_the_inline_backend_does_not_draw_it_again():
    import close_glued  # noqa: PLC0415
    import matplotlib.pyplot as plt  # noqa: PLC0415

    calls = []
    glue = close_glued.closing(lambda name, variable, display=True: calls.append(name))
    assert close_glued.closing(glue) is glue  # loading twice wraps once
    fig, _ = plt.subplots()
    kept, _ = plt.subplots()
    glue("fig", fig, display=False)
    glue("number", 3)
    assert calls == ["fig", "number"]
    assert not plt.fignum_exists(fig.number)
    assert plt.fignum_exists(kept.number)
    plt.close(kept)
