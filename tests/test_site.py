"""Checks of the built book (both editions), on the HTML files themselves.

The session fixture builds the site once with the README's command, ``make html``, which is
incremental: notebooks whose code did not change come from the jupyter cache.
"""

from __future__ import annotations

import gettext
import inspect
import json
import re
import subprocess
from pathlib import Path

import polib
import pytest
import sphinx
from book_editions import HANGUL, LANGS
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SEED_LINES = (ROOT / "tests" / "data" / "seed_output.txt").read_text().splitlines()[1:]
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def pages(site: Path, lang: str) -> dict[str, Path]:
    root = site / lang
    return {
        str(p.relative_to(root)): p
        for p in sorted(root.rglob("*.html"))
        if not p.relative_to(root).parts[0].startswith("_")
    }


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def visible_text(doc: BeautifulSoup) -> str:
    """The text a reader sees: without scripts, styles and KaTeX's TeX annotations."""
    doc = BeautifulSoup(str(doc), "html.parser")
    for tag in doc(["script", "style", "annotation", "noscript", "template"]):
        tag.decompose()
    return doc.get_text(" ")


def all_pages(site: Path):
    for lang in LANGS:
        for name, path in pages(site, lang).items():
            yield lang, name, path


def test_both_editions_have_the_same_pages(site):
    en, ko = pages(site, "en"), pages(site, "ko")
    assert set(en) == set(ko)
    assert {"index.html", "adam.html", "glossary.html", "references.html", "api.html"} <= set(en)
    assert (site / "index.html").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_seed_lines_in_adam_page_digit_for_digit(site, lang):
    text = soup(site / lang / "adam.html").get_text()
    assert len(SEED_LINES) == 10
    for line in SEED_LINES:
        assert line in text


@pytest.mark.parametrize("lang", LANGS)
def test_html_lang_and_title_per_edition(site, lang):
    for name, path in pages(site, lang).items():
        html = soup(path).html
        assert html.get("lang") == lang, name


def test_every_image_has_alt_text(site):
    for lang, name, path in all_pages(site):
        for img in soup(path).find_all("img"):
            assert img.get("alt", "").strip(), f"{lang}/{name}: {img}"


def test_figures_alt_text_is_in_the_page_language(site):
    for lang in LANGS:
        imgs = [i for i in soup(site / lang / "adam.html").find_all("img") if "png" in i["src"]]
        assert len(imgs) >= 2
        for img in imgs:
            has_hangul = bool(HANGUL.search(img["alt"]))
            assert has_hangul == (lang == "ko"), img["alt"]


def test_no_external_urls_for_scripts_styles_fonts_images(site):
    for lang, name, path in all_pages(site):
        doc = soup(path)
        for tag in doc.find_all("script", src=True):
            assert not EXTERNAL.match(tag["src"]), f"{lang}/{name}: {tag}"
        for tag in doc.find_all("link", href=True):
            rel = set(tag.get("rel", []))
            if rel & {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}:
                assert not EXTERNAL.match(tag["href"]), f"{lang}/{name}: {tag}"
        for tag in doc.find_all(["img", "source", "video", "audio", "iframe"], src=True):
            assert not EXTERNAL.match(tag["src"]), f"{lang}/{name}: {tag}"
        for style in doc.find_all("style"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", style.text)
    for css in SITE.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), css


@pytest.mark.parametrize("lang", LANGS)
def test_formulas_are_prerendered_katex(site, lang):
    doc = soup(site / lang / "adam.html")
    assert len(doc.select(".katex")) > 40
    assert len(doc.select(".katex-display")) >= 5
    text = visible_text(doc)
    assert "$$" not in text
    assert "\\frac" not in text
    assert "\\beta" not in text
    # the stylesheet of the same KaTeX version is served locally
    hrefs = [link["href"] for link in doc.find_all("link", rel="stylesheet")]
    assert any("katex" in h for h in hrefs)


def test_no_raw_tex_anywhere(site):
    for lang, name, path in all_pages(site):
        text = visible_text(soup(path))
        assert "$$" not in text, f"{lang}/{name}"
        assert not re.search(r"\\(frac|hat|beta|eta|epsilon|sqrt)\b", text), f"{lang}/{name}"


def test_no_hangul_in_english_prose(site):
    for name, path in pages(site, "en").items():
        if name == "genindex.html":
            continue  # the index lists the glossary's Korean headwords by design
        doc = soup(path)
        for tag in doc.find_all(attrs={"lang": "ko"}):
            tag.decompose()  # marked Korean: glossary terms, the language switch
        for tag in doc.find_all(["pre", "code"]):
            tag.decompose()  # code is not prose (plotting.text's example shows Korean labels)
        found = HANGUL.findall(visible_text(doc))
        assert not found, f"en/{name}: {''.join(found)[:80]}"


THEME_STRINGS = ["Skip to main content", "Back to top", "On this page", "Search...", "Dark"]


def test_theme_interface_is_korean_in_the_korean_edition(site):
    for name in ["index.html", "adam.html"]:
        html = (site / "ko" / name).read_text(encoding="utf-8")
        assert "본문으로 건너뛰기" in html
        assert "검색..." in html
        for english in THEME_STRINGS:
            assert english not in visible_text(soup(site / "ko" / name)), english


def test_korean_edition_is_korean(site):
    for name, path in pages(site, "ko").items():
        if name.startswith("generated/") or name in {
            "py-modindex.html",
            "genindex.html",
            "search.html",
        }:
            continue  # docstrings and name lists stay English, like the code
        text = visible_text(soup(path).find("main") or soup(path))
        assert len(HANGUL.findall(text)) > 20, f"ko/{name}"


def test_language_switch_lands_on_the_same_page(site):
    for lang, name, path in all_pages(site):
        other = "ko" if lang == "en" else "en"
        links = [
            a for a in soup(path).find_all("a", hreflang=other) if a.get("href", "").endswith(name)
        ]
        assert links, f"{lang}/{name} has no switch to {other}"
        target = (path.parent / links[0]["href"]).resolve()
        assert target == (SITE / other / name).resolve()
        assert target.is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_chapter_offers_its_source_as_ipynb_and_md(site, lang):
    doc = soup(site / lang / "adam.html")
    hrefs = [a["href"] for a in doc.find_all("a", href=True)]
    for suffix in (".ipynb", ".md"):
        (href,) = {h for h in hrefs if h.split("#")[0].endswith("adam" + suffix)}
        assert (site / lang / href).resolve().is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_api_reference_documents_every_public_name(site, lang):
    import adam_tutorial  # noqa: PLC0415

    text = "\n".join(p.read_text(encoding="utf-8") for p in (site / lang).rglob("*.html"))
    for name in adam_tutorial.__all__:
        is_module = inspect.ismodule(getattr(adam_tutorial, name))
        anchor = f'id="module-adam_tutorial.{name}"' if is_module else f'id="adam_tutorial.{name}"'
        assert anchor in text, name
    adam_page = (site / lang / "adam.html").read_text(encoding="utf-8")
    assert "generated/adam_tutorial.Adam.html" in adam_page  # chapter links to the reference


# -- catalogs ---------------------------------------------------------------------------------

TEX_COMMAND = re.compile(r"\\[A-Za-z]+")
WORD = re.compile(r"[^\W\d_]{3,}")


def is_math_only(msgid: str) -> bool:
    """A display-math block: no word of three letters once TeX commands are removed.

    Sphinx extracts math blocks into the catalogs; translating them breaks their rendering
    (MyST-Parser issue 444), so they stay untranslated. Prose always has words.
    """
    return "$" not in msgid and not WORD.search(TEX_COMMAND.sub(" ", msgid))


def catalogs(*, pages_only: bool = False):
    """The Korean catalogs; ``sphinx.po`` holds the theme's interface strings, not a page."""
    found = sorted((ROOT / "locale" / "ko" / "LC_MESSAGES").glob("*.po"))
    return [p for p in found if p.stem != "sphinx"] if pages_only else found


def needs_translation(entry: polib.POEntry) -> bool:
    return not is_math_only(entry.msgid)


def test_math_only_rule():
    assert is_math_only("   m_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t")
    assert is_math_only(
        r"\hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}"
    )
    assert not is_math_only("$g_t$: the gradient at step $t$.")
    assert not is_math_only("First moment")


def test_korean_catalogs_are_complete():
    assert catalogs()
    for po_path in catalogs():
        po = polib.pofile(str(po_path))
        missing = [
            e.msgid[:60] for e in po if needs_translation(e) and not (e.translated() and e.msgstr)
        ]
        fuzzy = [e.msgid[:60] for e in po if "fuzzy" in e.flags]
        obsolete = [e.msgid[:60] for e in po.obsolete_entries()]
        assert not missing, f"{po_path.name}: untranslated {missing}"
        assert not fuzzy, f"{po_path.name}: fuzzy {fuzzy}"
        assert not obsolete, f"{po_path.name}: obsolete {obsolete}"


def test_korean_catalogs_match_the_english_source(tmp_path):
    """Every message of the source is in a catalog, and no catalog holds a stale one."""
    out = tmp_path / "gettext"
    subprocess.run(
        [str(ROOT / ".venv/bin/sphinx-build"), "-b", "gettext", "-q", "-c", str(ROOT),
         "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(out)],
        cwd=ROOT, check=True, env={**__import__("os").environ, "BOOK_LANG": "en"},
    )  # fmt: skip
    pots = {  # API pages come from docstrings, which stay English in both editions
        p.relative_to(out).with_suffix(""): p
        for p in out.rglob("*.pot")
        if p.relative_to(out).parts[0] != "generated"
    }
    pos = {
        p.relative_to(ROOT / "locale" / "ko" / "LC_MESSAGES").with_suffix(""): p
        for p in catalogs(pages_only=True)
    }
    # sphinx.pot: the strings of our own templates. They must be translated, by our theme
    # catalog (sphinx.po) or by Sphinx's own Korean one.
    template_pot = pots.pop(Path("sphinx"), None)
    if template_pot is not None:
        ours = {e.msgid for e in polib.pofile(str(ROOT / "locale/ko/LC_MESSAGES/sphinx.po"))}
        builtin = gettext.translation("sphinx", Path(sphinx.__file__).parent / "locale", ["ko"])
        for entry in polib.pofile(str(template_pot)):
            assert entry.msgid in ours or builtin.gettext(entry.msgid) != entry.msgid, entry.msgid
    assert set(pots) == set(pos)
    for name, pot in pots.items():
        source = {e.msgid for e in polib.pofile(str(pot))}
        catalog = {e.msgid for e in polib.pofile(str(pos[name]))}
        assert source - catalog == set(), f"{name}: not in the catalog"
        assert catalog - source == set(), f"{name}: stale in the catalog"


def test_korean_javascript_messages_are_all_translated(site):
    """The search page's messages (result summary etc.) come from translations.js."""
    text = (site / "ko" / "_static" / "translations.js").read_text(encoding="utf-8")
    catalog = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert catalog["locale"] == "ko"
    empty = [k for k, v in catalog["messages"].items() if not v or v == [""]]
    assert not empty
    assert "${resultCount}" in str(catalog["messages"])
