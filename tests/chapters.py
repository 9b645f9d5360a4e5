"""The book's chapters, read from the sources, so that every chapter check covers a new one.

A chapter is a page listed in a toctree of ``docs/index.md`` other than "Reference" and
"Playground" (the book's parts), or a page whose
source is a notebook (a MyST Markdown page with a ``kernelspec`` in its front matter, or an
``.ipynb``). The static checks (tests/test_site.py) and the browser checks
(tests/browser/test_pages.py, test_figures.py) are parametrized over :data:`CHAPTERS`; adding a
chapter needs no edit of a test.

>>> "adam" in CHAPTERS
True
>>> CHAPTERS == sorted(set(CHAPTERS), key=CHAPTERS.index)  # each once, in the book's order
True
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Folders of docs/ that hold no pages (build code, templates, generated API pages).
NOT_PAGES = {"_ext", "_scripts", "_static", "_templates", "generated"}
# Toctrees of docs/index.md that list pages, not chapters.
NOT_PARTS = {"Reference", "Playground"}

_TOCTREE = re.compile(
    r"^(```+|:::+)\{toctree\}[^\n]*\n(?P<body>.*?)^\1\s*$", re.MULTILINE | re.DOTALL
)
_FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)
_FIGURE = re.compile(r"^(```+|:::+)\{(glue:figure|figure)\}", re.MULTILINE)


def toctree_pages(index: Path, caption: str) -> list[str]:
    """The documents of the toctree of ``index`` with this ``:caption:``, in order."""
    for match in _TOCTREE.finditer(index.read_text(encoding="utf-8")):
        lines = [line.strip() for line in match["body"].splitlines()]
        if f":caption: {caption}" not in lines:
            continue
        return [line for line in lines if line and not line.startswith(":")]
    return []


def source(docname: str) -> Path:
    """The source file of a page: ``docs/<docname>.md`` or ``.ipynb``."""
    for suffix in (".md", ".ipynb"):
        path = DOCS / f"{docname}{suffix}"
        if path.is_file():
            return path
    msg = f"no source for {docname!r} in {DOCS}"
    raise FileNotFoundError(msg)


def is_notebook(path: Path) -> bool:
    if path.suffix == ".ipynb":
        return True
    front = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    return bool(front and re.search(r"^kernelspec:", front["yaml"], re.MULTILINE))


def _pages() -> list[str]:
    found = []
    for path in sorted(DOCS.rglob("*")):
        rel = path.relative_to(DOCS)
        if path.suffix in {".md", ".ipynb"} and not set(rel.parts[:-1]) & NOT_PAGES:
            found.append(rel.with_suffix("").as_posix())
    return found


def toctree_captions(index: Path) -> list[str]:
    """The ``:caption:`` of every toctree of ``index``, in order."""
    found = []
    for match in _TOCTREE.finditer(index.read_text(encoding="utf-8")):
        for line in match["body"].splitlines():
            if line.strip().startswith(":caption:"):
                found.append(line.split(":caption:", 1)[1].strip())
    return found


def chapters() -> list[str]:
    """Docnames of the chapters: the parts' toctrees in order, then any other notebook page."""
    index = DOCS / "index.md"
    listed = [
        page
        for caption in toctree_captions(index)
        if caption not in NOT_PARTS
        for page in toctree_pages(index, caption)
    ]
    notebooks = [name for name in _pages() if is_notebook(source(name))]
    return listed + [name for name in notebooks if name not in listed]


def figure_directives(docname: str) -> int:
    """How many ``{figure}`` / ``{glue:figure}`` directives the chapter's source has."""
    return len(_FIGURE.findall(source(docname).read_text(encoding="utf-8")))


CHAPTERS = chapters()
