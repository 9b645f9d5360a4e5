"""Trim what the theme ships but the book does not load, and shrink the figures (build-finished).

* The layout does not load fontawesome.js (1.5 MB) and the icons are CSS masks
  (``_static/book-icons.css``, made by docs/_scripts/make_icons.py): the script, the icon
  fonts and the ~2000 per-icon rules of pydata-sphinx-theme.css that would point at them are
  removed (63 KB -> 45 KB gzipped).
* Figures: notebook PNGs are true-colour RGBA at 2x; 256 colours without dithering look the
  same for line and contour plots at a third of the size. The result is cached by the hash of
  the original in ``<book_build_dir>/png-cache``, so a rebuild does not redo the work; the
  output is deterministic.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

FA_ICON_RULE = re.compile(r'(?:\.fa-[a-z0-9-]+(?::before)?,?)+\{--fa:"[^"]*"\}')
FA_FONT_FACE = re.compile(r"@font-face\{[^}]*Font Awesome[^}]*\}")


def trim_font_awesome(css: str) -> str:
    """The theme's CSS without Font Awesome's per-icon rules and font faces.

    >>> trim_font_awesome('.fa-a:before,.fa-b{--fa:"x"}p{margin:0}')
    'p{margin:0}'
    """
    return FA_FONT_FACE.sub("", FA_ICON_RULE.sub("", css))


def quantize_figures(folder: Path, cache: Path) -> None:
    """Every PNG in *folder* as 256 colours when that is smaller (cached by content hash)."""
    from PIL import Image  # noqa: PLC0415  (matplotlib's dependency; only needed here)

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


def _trim_theme_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    if not app.config.html_domain_indices:  # left behind by an earlier build that had it
        (outdir / "py-modindex.html").unlink(missing_ok=True)
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (static / "scripts" / name).unlink(missing_ok=True)
    shutil.rmtree(static / "vendor" / "fontawesome", ignore_errors=True)
    css = static / "styles" / "pydata-sphinx-theme.css"
    if css.exists():
        text = css.read_text(encoding="utf-8")
        trimmed = trim_font_awesome(text)
        if trimmed != text:
            css.write_text(trimmed, encoding="utf-8")
    quantize_figures(outdir / "_images", Path(app.config.book_build_dir) / "png-cache")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_notebooks")  # book_build_dir
    app.connect("build-finished", _trim_theme_assets)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
