"""Checks of the built book (both editions), on the HTML files themselves.

The session fixture builds the site once with the README's command, ``make html``, which is
incremental: notebooks whose code did not change come from the jupyter cache.

Three kinds of check, in this order: every page of both editions; every chapter (the
``chapter`` parameter, from tests/chapters.py: a new chapter is checked without an edit here);
the Adam chapter's own numbers. Attributes and text are checked here, on the HTML; what needs
a browser to render (overflow, axe, console, images that load, clicking the language switch)
is in tests/browser/. The catalogs are checked in tests/test_catalogs.py.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import jupytext
import pytest
from book_editions import HANGUL, LANGS
from bs4 import BeautifulSoup
from chapters import CHAPTERS, figure_directives, source

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SEED_LINES = (ROOT / "tests" / "data" / "seed_output.txt").read_text().splitlines()[1:]
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
# TeX a reader should never see: display-math delimiters and the commands the book uses.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\(frac|hat|beta|eta|epsilon|sqrt|sum|mathbf|left|right)\b")
# An image's description, not its file name.
FILE_NAME = re.compile(r"\.(png|svg|jpe?g|gif|webp)\b", re.IGNORECASE)


def pages(site: Path, lang: str) -> dict[str, Path]:
    root = site / lang
    return {
        str(p.relative_to(root)): p
        for p in sorted(root.rglob("*.html"))
        if not p.relative_to(root).parts[0].startswith("_")
    }


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def inline_unit(tag):
    """The outermost inline element that holds nothing but *tag* (a link around `run()`), not
    climbing out of a ``book-nowrap`` wrapper: the HTML side of docs/_ext/inline_glue.py's _unit."""
    unit = tag
    while (
        unit.parent is not None
        and unit.parent.name in {"a", "em", "strong", "span"}
        and len([c for c in unit.parent.contents if str(c).strip()]) == 1
        and "book-nowrap" not in unit.parent.get("class", [])
    ):
        unit = unit.parent
    return unit


def visible_text(doc: BeautifulSoup, *, code: bool = True) -> str:
    """The text a reader sees: without scripts, styles and KaTeX's TeX annotations.

    ``code=False`` leaves out code and code cells too (a code cell may show TeX on purpose).
    """
    doc = BeautifulSoup(str(doc), "html.parser")
    for tag in doc(["script", "style", "annotation", "noscript", "template"]):
        tag.decompose()
    if not code:
        for tag in doc.select("pre, code, .highlight, .cell_input"):
            tag.decompose()
    return doc.get_text(" ")


def all_pages(site: Path):
    for lang in LANGS:
        for name, path in pages(site, lang).items():
            yield lang, name, path


def images(doc: BeautifulSoup):
    """What the browser exposes as an image, with its text alternative (as axe reads it)."""
    for tag in doc.select("img, [role=img], svg[aria-label]"):
        if tag.get("aria-hidden") == "true":
            continue
        alt = tag.get("alt") if tag.has_attr("alt") else tag.get("aria-label", "")
        yield tag, (alt or "").strip()


def in_figure(tag) -> bool:
    return (
        tag.find_parent("figure") is not None or tag.find_parent(class_="cell_output") is not None
    )


# -- every page of both editions ----------------------------------------------------------------


def test_both_editions_have_the_same_pages(site):
    en, ko = pages(site, "en"), pages(site, "ko")
    assert set(en) == set(ko)
    assert {"index.html", "glossary.html", "references.html", "api.html"} <= set(en)
    assert {f"{chapter}.html" for chapter in CHAPTERS} <= set(en)
    assert (site / "index.html").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_html_lang_is_the_edition(site, lang):
    for name, path in pages(site, lang).items():
        html = soup(path).html
        assert html.get("lang") == lang, name


def test_every_image_has_alt_text_in_the_page_language(site):
    """Alt text on every image: a description (not a file name), in the page's language for
    the figures (the interface's icons and logos may keep their names)."""
    problems = []
    for lang, name, path in all_pages(site):
        for tag, alt in images(soup(path)):
            where = f"{lang}/{name}: <{tag.name} src={tag.get('src', '')!r} alt={alt!r}>"
            if len(alt) < 3 or FILE_NAME.search(alt):
                problems.append(f"{where}: alt text missing or a file name")
            elif in_figure(tag) and bool(HANGUL.search(alt)) != (lang == "ko"):
                problems.append(f"{where}: alt text not in the page's language")
    assert not problems, "\n".join(problems[:40])


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


def test_only_documentation_options_blocks_the_parse(site):
    """Every page but the search page loads its scripts with defer (or as modules), except
    documentation_options.js, which the theme's inline scripts use (book_html: issue 16)."""
    blocking = {}
    for lang in LANGS:
        for page in sorted((site / lang).glob("*.html")):
            if page.name == "search.html":
                continue
            found = {
                script["src"].split("?")[0]
                for script in soup(page).find_all("script", src=True)
                if not script.has_attr("defer")
                and not script.has_attr("async")
                and script.get("type") != "module"
            }
            if found != {"_static/documentation_options.js"}:
                blocking[f"{lang}/{page.name}"] = sorted(found)
    assert not blocking, blocking


def test_no_raw_tex_anywhere(site):
    problems = []
    for lang, name, path in all_pages(site):
        text = visible_text(soup(path), code=False)
        found = RAW_TEX.search(text)
        if found:
            context = text[max(found.start() - 40, 0) : found.end() + 40]
            problems.append(f"{lang}/{name}: {found.group(0)!r} in …{context!r}…")
    assert not problems, "\n".join(problems[:40])


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


@pytest.mark.parametrize("name", ["index.html", *(f"{c}.html" for c in CHAPTERS)])
def test_theme_interface_is_korean_in_the_korean_edition(site, name):
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
def test_api_reference_documents_every_public_name(site, lang):
    import adam_tutorial  # noqa: PLC0415

    text = "\n".join(p.read_text(encoding="utf-8") for p in (site / lang).rglob("*.html"))
    for name in adam_tutorial.__all__:
        is_module = inspect.ismodule(getattr(adam_tutorial, name))
        anchor = f'id="module-adam_tutorial.{name}"' if is_module else f'id="adam_tutorial.{name}"'
        assert anchor in text, name
    adam_page = (site / lang / "adam.html").read_text(encoding="utf-8")
    assert "generated/adam_tutorial.Adam.html" in adam_page  # chapter links to the reference


# -- every chapter ------------------------------------------------------------------------------

by_chapter = pytest.mark.parametrize("chapter", CHAPTERS)
by_lang = pytest.mark.parametrize("lang", LANGS)


def has_math(text: str) -> bool:
    return bool(re.search(r"\$[^$\n]+\$|\{math\}", text))


@by_chapter
@by_lang
def test_chapter_shows_the_figures_of_its_source_with_alt_text_in_its_language(site, lang, chapter):
    doc = soup(site / lang / f"{chapter}.html")
    figures = [f for f in doc.select("figure") if f.find("img")]
    assert len(figures) >= figure_directives(chapter), f"{lang}/{chapter}: figures missing"
    for figure in figures:
        for img in figure.find_all("img"):
            alt = img.get("alt", "").strip()
            assert len(alt) >= 3, f"{lang}/{chapter}: {img}"
            assert not FILE_NAME.search(alt), f"{lang}/{chapter}: {img}"
            assert bool(HANGUL.search(alt)) == (lang == "ko"), f"{lang}/{chapter}: {alt!r}"


@by_chapter
@by_lang
def test_chapter_formulas_are_prerendered_katex(site, lang, chapter):
    doc = soup(site / lang / f"{chapter}.html")
    if has_math(source(chapter).read_text(encoding="utf-8")):
        assert doc.select(".katex"), f"{lang}/{chapter}: no prerendered formula"
    text = visible_text(doc)
    assert "$$" not in text
    assert not re.search(r"\\(frac|beta|hat|sqrt)\b", text), f"{lang}/{chapter}"
    # the stylesheet of the same KaTeX version is served locally
    hrefs = [link["href"] for link in doc.find_all("link", rel="stylesheet")]
    assert any("katex" in h for h in hrefs)
    assert not [s["src"] for s in doc.find_all("script", src=True) if "katex" in s["src"]]


@by_chapter
@by_lang
def test_chapter_offers_its_source_as_ipynb_and_md(site, lang, chapter):
    page = site / lang / f"{chapter}.html"
    hrefs = [a["href"] for a in soup(page).find_all("a", href=True)]
    stem = chapter.rsplit("/", 1)[-1]
    for suffix in (".ipynb", ".md"):
        (href,) = {h for h in hrefs if h.split("#")[0].endswith(f"/{stem}{suffix}")}
        assert (page.parent / href).resolve().is_file()


EXERCISE_TITLES = {
    "en": ("Exercise", "Solution to Exercise"),
    "ko": ("연습 문제", "해답: 연습 문제"),
}


@by_chapter
@by_lang
def test_chapter_exercises_and_folded_solutions(site, lang, chapter):
    """Each exercise of the source is on the page, titled in the page's language; each solution
    too, folded (a reader opens it), and linked to its exercise."""
    text = source(chapter).read_text(encoding="utf-8")
    wanted = {  # a solution is a {solution} directive or a gated {solution-start} ... {solution-end}
        kind: len(re.findall(rf"^(```+|:::+)\{{{pattern}\}}", text, re.MULTILINE))
        for kind, pattern in (("exercise", "exercise"), ("solution", "solution(?:-start)?"))
    }
    doc = soup(site / lang / f"{chapter}.html")
    exercises = doc.select("div.exercise")
    solutions = doc.select("div.solution")
    assert (len(exercises), len(solutions)) == (wanted["exercise"], wanted["solution"])
    exercise_title, solution_title = EXERCISE_TITLES[lang]
    ids = {e.get("id") for e in exercises}
    for exercise in exercises:
        title = exercise.select_one(".admonition-title").get_text(" ", strip=True)
        assert title.startswith(exercise_title), f"{lang}/{chapter}: {title!r}"
    for solution in solutions:
        title = solution.select_one(".admonition-title")
        assert title.get_text(" ", strip=True).startswith(solution_title), title
        links = {a["href"].lstrip("#") for a in title.find_all("a", href=True)}
        assert links & ids, f"{lang}/{chapter}: solution not linked to an exercise: {title}"
        classes = set(solution.get("class", []))
        folded = classes & {"dropdown", "toggle"} or solution.find_parent("details")
        assert folded, f"{lang}/{chapter}: solution not folded: {sorted(classes)}"


@by_chapter
@by_lang
def test_a_downloaded_notebook_numbers_exercises_as_the_page_does(site, lang, chapter):
    """A reader with the page and its notebook side by side finds "Exercise 26" in both (the
    book numbers exercises through all its chapters), and each solution under the same title."""
    doc = soup(site / lang / f"{chapter}.html")
    page = [
        " ".join(div.select_one(".admonition-title").get_text(" ", strip=True).split())
        for div in doc.select("div.exercise, div.solution")
    ]
    notebook = json.loads((site / lang / "_sources" / f"{chapter}.ipynb").read_text("utf-8"))
    text = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    numbered = "({} \\d+|{} \\d+)".format(*map(re.escape, EXERCISE_TITLES[lang][::-1]))
    on_page = [m.group(1) for title in page if (m := re.match(numbered, title))]
    assert re.findall(rf"(?:\*\*|<b>){numbered}", text) == on_page, f"{lang}/{chapter}"


def _claim_cells(notebook) -> list:
    """The hidden cells that check the prose's claims: ``remove-cell`` code with an assert."""
    return [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code"
        and "remove-cell" in cell.metadata.get("tags", [])
        and re.search(r"^\s*(assert\b|np\.testing\.assert_)", cell.source, re.MULTILINE)
    ]


@by_chapter
@by_lang
def test_chapter_claims_were_checked_by_the_build(site, lang, chapter):
    """The chapter has hidden assert cells, and the build ran every cell of the chapter as it
    is now (the record of MyST-NB's jupyter-cache for this edition matches the source), with no
    error: a claim that no longer holds fails the build (nb_execution_raise_on_error)."""
    from jupyter_cache import get_cache  # noqa: PLC0415

    notebook = jupytext.read(source(chapter))
    assert _claim_cells(notebook), f"{chapter}: no hidden cell checks the text's claims"
    cache = get_cache(ROOT / "_build" / ".jupyter_cache" / lang)
    record = cache.match_cache_notebook(notebook)  # KeyError: this source was not executed
    executed = cache.get_cache_bundle(record.pk).nb
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert len(code) == sum(c.cell_type == "code" for c in notebook.cells)
    assert all(c.execution_count for c in code), f"{lang}/{chapter}: a cell did not run"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    assert len(_claim_cells(executed)) == len(_claim_cells(notebook))


# -- the Adam chapter ---------------------------------------------------------------------------


@by_lang
def test_seed_lines_in_adam_page_digit_for_digit(site, lang):
    text = soup(site / lang / "adam.html").get_text()
    assert len(SEED_LINES) == 10
    for line in SEED_LINES:
        assert line in text


@by_lang
def test_adam_chapter_figures_and_formulas(site, lang):
    doc = soup(site / lang / "adam.html")
    imgs = [i for i in doc.find_all("img") if "png" in i["src"]]
    assert len(imgs) >= 2
    assert len(doc.select(".katex")) > 40
    assert len(doc.select(".katex-display")) >= 5
    text = visible_text(doc)
    assert "\\beta" not in text
