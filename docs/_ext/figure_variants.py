"""Figures for dark mode and for phones: every matplotlib figure of the book in four variants.

A notebook figure is one PNG, drawn for a white page at the width of a desktop column. On a
phone its text shrinks to ~6 CSS px, and in dark mode the theme dims it (pydata-sphinx-theme
gives every ``img`` ``filter: brightness(.8) contrast(1.2)`` and a white background). This
module draws, from the same figure, a *dark* variant (re-coloured for the theme's dark
background) and a *narrow* one (laid out again at phone width), and puts the right one on the
page. No chapter has code for it. Two halves:

* **In the kernel** (IPython extension, loaded by the kernel configuration that
  book_notebooks.py writes; book build only, so never in a downloaded notebook): IPython
  draws a figure for display with ``IPython.core.pylabtools.print_figure``. A wrapper draws, after the normal
  (light, wide) PNG, three more from a copy of the figure: dark; narrow light; narrow dark.
  They are written to ``$BOOK_FIGURE_VARIANTS/<sha256 of the light PNG>/`` (as
  ``<sha256>-dark.png`` etc.) with
  ``meta.json`` (sizes, smallest text in CSS px). MyST-NB names an output image by the same
  hash of its bytes, so glued figures and plain cell outputs find their variants. The wrapper
  prints nothing: a failure is written to ``error.txt`` and reported by the build.
* **In Sphinx** (HTML builds): each notebook PNG becomes two ``<picture>``, the light one with
  class ``only-light`` and the dark one with ``only-dark`` (the theme's classes: it shows one of
  them by ``html[data-theme]``; book.css does the same for ``auto`` before the theme's script
  has run). Each ``<picture>`` has a ``<source>`` for narrow screens. Images are ``lazy``
  with width and height, so the hidden variant is not downloaded and nothing shifts. The
  variants go through ``_images/`` like any image (and so through book_assets.py's quantizing).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import posixpath
import traceback
import urllib.parse
import warnings
from pathlib import Path
from typing import Any

__version__ = "1.0"

ENV_VAR = "BOOK_FIGURE_VARIANTS"
VARIANTS = ("dark", "narrow-light", "narrow-dark")

# The dark page: --pst-color-background of sphinx-book-theme 1.4 (it overrides pydata-sphinx-
# theme's #14181e) and --pst-color-text-base of pydata-sphinx-theme 0.20. The browser tests
# check that a dark figure's background is the page's.
DARK_BACKGROUND = "#121212"
DARK_TEXT = "#ced6dd"
# A narrow figure is this many CSS px wide: at 1:1 in the article column of a 390 px phone
# (the column is the viewport less 48 px below 900 px: 342 px), slightly scaled down at 360 px.
NARROW_CSS_WIDTH = 340
# Text at least this large (CSS px, as shown) before the wide figure is used.
MIN_TEXT_PX = 10.5
# The theme's article column below 900 px viewport width: viewport less this (padding, margin).
COLUMN_INSET = 48
COLUMN_INSET_UNTIL = 900


# --- Kernel side ------------------------------------------------------------------------------


def load_ipython_extension(ipython) -> None:
    """Wrap IPython's figure printer (retina_figure looks it up at every call)."""
    from IPython.core import pylabtools  # noqa: PLC0415

    if getattr(pylabtools.print_figure, "_book_variants", False):
        return
    original = pylabtools.print_figure

    def print_figure(fig, fmt="png", bbox_inches="tight", base64=False, **kwargs):
        data = original(fig, fmt, bbox_inches, base64, **kwargs)
        if fmt in {"png", "retina"} and data and os.environ.get(ENV_VAR):
            raw = data if isinstance(data, bytes) else _b64decode(data)
            _write_variants(original, fig, raw, fmt, bbox_inches, kwargs)
        return data

    print_figure._book_variants = True
    pylabtools.print_figure = print_figure


def _b64decode(text: str) -> bytes:
    import binascii  # noqa: PLC0415

    return binascii.a2b_base64(text)


def _write_variants(draw, fig, light: bytes, fmt, bbox_inches, kwargs) -> None:
    folder = Path(os.environ[ENV_VAR]) / hashlib.sha256(light).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a warning here is a bug: report it, print nothing
            meta = {"light": _describe(fig, light, fmt)}
            dark = _clone(fig)
            recolour_for_dark(dark)
            outputs = {"dark": draw(dark, fmt, bbox_inches, False, **kwargs)}
            narrow = _clone(fig)
            if relayout_narrow(narrow, NARROW_CSS_WIDTH / fig.dpi):
                outputs["narrow-light"] = draw(narrow, fmt, bbox_inches, False, **kwargs)
                recolour_for_dark(narrow)
                outputs["narrow-dark"] = draw(narrow, fmt, bbox_inches, False, **kwargs)
            for name, data in outputs.items():
                meta[name] = _describe(narrow if "narrow" in name else dark, data, fmt)
                _write(folder / f"{folder.name}-{name}.png", data)
        _write(folder / "meta.json", json.dumps(meta, sort_keys=True).encode())
        (folder / "error.txt").unlink(missing_ok=True)
    except Exception:  # noqa: BLE001  (reported by the Sphinx side, never printed)
        _write(folder / "error.txt", traceback.format_exc().encode())


def _write(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(path)


def _describe(fig, png: bytes, fmt: str) -> dict[str, float]:
    """CSS size of the PNG as IPython shows it (retina: half its pixels), smallest text in px."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    density = 2 if fmt == "retina" else 1
    return {
        "width": width // density,
        "height": height // density,
        "text_px": round(smallest_text_pt(fig) * fig.dpi / 72, 2),
    }


def smallest_text_pt(fig) -> float:
    """The smallest font size (pt) of any text the figure shows."""
    from matplotlib.text import Text  # noqa: PLC0415

    sizes = [
        text.get_fontsize()
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return min(sizes, default=math.inf)


def _clone(fig):
    """A copy of the figure that pyplot does not know (so it is never shown by itself)."""
    manager = fig.canvas.manager
    fig.canvas.manager = None  # else the copy registers with pyplot (Figure.__getstate__)
    try:
        blob = pickle.dumps(fig)
    finally:
        fig.canvas.manager = manager
    return pickle.loads(blob)


def _rgba(color) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba  # noqa: PLC0415

    return to_rgba(color)


def _achromatic(rgba) -> bool:
    return max(rgba[:3]) - min(rgba[:3]) < 0.08


def dark_foreground(color):
    """Text, lines, edges: black and dark greys become light; colours and light greys stay."""
    rgba = _rgba(color)
    lightness = sum(rgba[:3]) / 3
    if rgba[3] == 0 or not _achromatic(rgba) or lightness >= 0.6:
        return rgba
    text = _rgba(DARK_TEXT)
    u = lightness / 0.6  # black -> the theme's text colour, 60 % grey -> itself
    return (*(t * (1 - u) + 0.6 * u for t in text[:3]), rgba[3])


def dark_background(color):
    """White and light-grey backgrounds become the page's dark background."""
    rgba = _rgba(color)
    if rgba[3] == 0 or not _achromatic(rgba) or sum(rgba[:3]) / 3 < 0.6:
        return rgba
    return (*_rgba(DARK_BACKGROUND)[:3], rgba[3])


def recolour_for_dark(fig) -> None:
    """Re-colour a finished figure for a dark page, in place.

    Backgrounds (figure, axes, legend frame, text boxes) take the page's dark background;
    achromatic text, spines, ticks, grid and data lines are mapped to light; coloured artists
    and everything drawn from a colormap (contours, images, colorbars) keep their colours.
    """
    from matplotlib.collections import Collection  # noqa: PLC0415
    from matplotlib.image import AxesImage  # noqa: PLC0415
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415
    from matplotlib.text import Text  # noqa: PLC0415

    backgrounds, colormapped = _roles(fig)
    for artist in fig.findobj():
        if id(artist) in colormapped or isinstance(artist, AxesImage):
            continue
        if isinstance(artist, Text):
            artist.set_color(dark_foreground(artist.get_color()))
        elif isinstance(artist, Line2D):
            _recolour_line(artist)
        elif isinstance(artist, Patch):
            face = dark_background if id(artist) in backgrounds else dark_foreground
            artist.set_facecolor(face(artist.get_facecolor()))
            artist.set_edgecolor(dark_foreground(artist.get_edgecolor()))
        elif isinstance(artist, Collection) and artist.get_array() is None:
            faces, edges = artist.get_facecolor(), artist.get_edgecolor()
            if len(faces):
                artist.set_facecolor([dark_foreground(c) for c in faces])
            if len(edges):
                artist.set_edgecolor([dark_foreground(c) for c in edges])


def _roles(fig) -> tuple[set[int], set[int]]:
    """The ids of background patches, and of patches that show colormap colours."""
    from matplotlib.legend import Legend  # noqa: PLC0415
    from matplotlib.text import Text  # noqa: PLC0415

    backgrounds = {id(fig.patch)}
    colormapped = set()
    for ax in fig.axes:
        backgrounds.add(id(ax.patch))
        colorbar = getattr(ax, "_colorbar", None)  # a colorbar's axes: its extend triangles
        colormapped.update(id(patch) for patch in getattr(colorbar, "_extend_patches", []))
    for artist in fig.findobj():
        if isinstance(artist, Legend):
            backgrounds.add(id(artist.legendPatch))
        elif isinstance(artist, Text) and artist.get_bbox_patch() is not None:
            backgrounds.add(id(artist.get_bbox_patch()))
    return backgrounds, colormapped


def _recolour_line(line) -> None:
    line.set_color(dark_foreground(line.get_color()))
    for part in ("markerfacecolor", "markeredgecolor", "markerfacecoloralt"):
        value = getattr(line, f"get_{part}")()
        if not (isinstance(value, str) and value in {"none", "auto"}):
            getattr(line, f"set_{part}")(dark_foreground(value))


def relayout_narrow(fig, width_in: float) -> bool:
    """Lay the figure out again ``width_in`` inches wide (text keeps its size); False if it is
    that narrow already. Panels side by side go one below the other; a panel's height shrinks
    less than its width (a phone is tall); legends go above their axes."""
    width, height = fig.get_size_inches()
    if width <= width_in * 1.05:
        return False
    columns = _stack_columns(fig)
    panel_width, panel_height = width / columns, height
    ratio = min(width_in / panel_width, 1.0)
    extra = sum(_legend_above(ax, width_in) for ax in fig.axes)  # the legends' height, inches
    fig.set_size_inches(width_in, columns * panel_height * max(ratio**0.5, 0.6) + extra)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    return True


def _stack_columns(fig) -> int:
    """Subplots in a grid of several columns: one column, in reading order. Returns how many
    columns there were (1: left as it was, e.g. panels spanning cells or of several grids)."""
    from matplotlib.gridspec import GridSpec  # noqa: PLC0415

    panels = [(ax, ax.get_subplotspec()) for ax in fig.axes if ax.get_subplotspec() is not None]
    grids = {id(spec.get_gridspec()) for _, spec in panels}
    if len(grids) != 1:
        return 1
    rows, columns = panels[0][1].get_gridspec().get_geometry()
    if columns == 1 or any(spec.num1 != spec.num2 for _, spec in panels):
        return 1
    headers = _grid_headers(panels, rows, columns)
    stacked = GridSpec(rows * columns, 1, figure=fig)
    for ax, spec in panels:
        ax.set_subplotspec(stacked[spec.num1, 0])  # num1 counts cells row by row
    for ax, (title, ylabel, xlabel, shared_x, shared_y) in headers.items():
        # Stacked, a panel no longer sits under its column's title, beside its row's y label
        # or above its column's x label: give it its own copy, and the tick labels that
        # shared axes had hidden.
        if title and not ax.get_title():
            ax.set_title(title)
        if ylabel and not ax.get_ylabel():
            ax.set_ylabel(ylabel)
        if xlabel and not ax.get_xlabel():
            ax.set_xlabel(xlabel)
        if shared_y:
            ax.yaxis.set_tick_params(which="both", labelleft=True)
        if shared_x:
            ax.xaxis.set_tick_params(which="both", labelbottom=True)
    return columns


def _grid_headers(panels, rows: int, columns: int) -> dict:
    """For each panel of a grid: its column's title (when only the top row has titles), its
    row's y label and its column's x label (when the panel shares that axis with the panel that
    carries it), and whether it shares x or y with another panel."""
    cell = {(spec.num1 // columns, spec.num1 % columns): ax for ax, spec in panels}
    headers = {}
    for (r, c), ax in cell.items():
        top, left, bottom = cell.get((0, c)), cell.get((r, 0)), cell.get((rows - 1, c))
        titled = rows > 1 and all(not cell[k].get_title() for k in cell if k[0] > 0)
        sx = ax.get_shared_x_axes()
        sy = ax.get_shared_y_axes()
        headers[ax] = (
            top.get_title() if titled and top is not None else "",
            left.get_ylabel() if left is not None and sy.joined(ax, left) else "",
            bottom.get_xlabel() if bottom is not None and sx.joined(ax, bottom) else "",
            len(sx.get_siblings(ax)) > 1,
            len(sy.get_siblings(ax)) > 1,
        )
    return headers


def _legend_above(ax, width_in: float) -> float:
    """A legend inside a small axes hides the data: put it above the axes, in two columns, or
    in one when two columns of its longest entry would not fit in ``width_in`` inches.

    Returns the height it takes there (inches), 0 when the legend stays where it was.
    """
    legend = ax.get_legend()
    if legend is None or ax.get_title() or legend.get_bbox_to_anchor() is not ax.bbox:
        return 0.0  # no legend, a title above, or placed by hand (bbox_to_anchor): leave it
    handles, texts = legend.legend_handles, legend.get_texts()
    longest = max((t.get_window_extent().width for t in texts), default=0.0)
    entry = longest / ax.figure.dpi + 3 * legend.get_texts()[0].get_fontsize() / 72 if texts else 0
    ncols = min(2, len(texts)) if 2 * entry <= 0.9 * width_in else 1
    new = ax.legend(
        handles,
        [text.get_text() for text in texts],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=ncols,
        borderaxespad=0.3,
        columnspacing=1.2,
        handlelength=1.6,
    )
    if len(texts) == len(new.get_texts()):
        for old, text in zip(texts, new.get_texts(), strict=True):
            text.set_color(old.get_color())
    rows = math.ceil(len(texts) / ncols) if texts else 0
    return rows * new.get_texts()[0].get_fontsize() * 1.5 / 72 if texts else 0.0


# --- Sphinx side ------------------------------------------------------------------------------

try:
    from docutils import nodes
except ImportError:  # in a kernel without docutils: only the kernel half is needed there
    nodes = None


if nodes is not None:

    class figure_variants(nodes.General, nodes.Element):
        """An image with its dark and narrow variants (image children, one per variant)."""


def _folder(app) -> Path:
    cache = app.config.nb_execution_cache_path or str(Path(app.doctreedir).parent)
    return Path(cache).parent / "figure-variants"


def _notebook_output(path: Path) -> bool:
    """MyST-NB names an output image by the sha256 of its bytes."""
    stem = path.stem
    return path.suffix == ".png" and len(stem) == 64 and all(c in "0123456789abcdef" for c in stem)


def _attach_variants(app, doctree) -> None:
    """doctree-read, before Sphinx collects the images: wrap each notebook PNG and its variants."""
    from sphinx.util import logging  # noqa: PLC0415

    if app.builder.format != "html":
        return
    logger = logging.getLogger(__name__)
    docdir = posixpath.dirname(app.env.docname)
    for image in list(doctree.findall(nodes.image)):
        if isinstance(image.parent, figure_variants):
            continue
        _, path = app.env.relfn2path(image["uri"], app.env.docname)
        path = Path(path)
        if not _notebook_output(path) or not path.is_file():
            continue
        key = hashlib.sha256(path.read_bytes()).hexdigest()
        folder = _folder(app) / key
        meta_file = folder / "meta.json"
        if not meta_file.is_file():
            error = folder / "error.txt"
            reason = error.read_text() if error.is_file() else "none were drawn"
            logger.warning(
                "figure_variants: no dark/narrow variants of %s: %s\n(were the notebook "
                "outputs cached by another build? delete _build/.jupyter_cache)",
                path.name,
                reason,
                location=image,
                type="figure_variants",
                subtype="missing",
            )
            continue
        meta = json.loads(meta_file.read_text())
        container = figure_variants(meta=meta)
        container.source, container.line = image.source, image.line
        image.replace_self(container)
        image["variant"] = "light"
        container += image
        for name in VARIANTS:
            if name not in meta:
                continue
            variant_path = folder / f"{key}-{name}.png"  # unique name in _images/
            uri = os.path.relpath(variant_path, Path(app.srcdir) / docdir)
            child = nodes.image(uri=Path(uri).as_posix(), alt=image.get("alt", ""), variant=name)
            container += child


def _narrow_media(meta: dict) -> str:
    """Up to which viewport width the wide figure's text would be shown below MIN_TEXT_PX."""
    light = meta["light"]
    column = MIN_TEXT_PX * light["width"] / light["text_px"]
    viewport = min(math.ceil(column) + COLUMN_INSET, COLUMN_INSET_UNTIL - 1)
    return f"(max-width: {viewport}px)"


def visit_figure_variants(self, node) -> None:
    from html import escape  # noqa: PLC0415

    meta = node["meta"]
    images = {image["variant"]: image for image in node.findall(nodes.image)}
    alt = images["light"].get("alt", "")
    linked = isinstance(node.parent, nodes.reference)

    def src(image) -> str:
        return posixpath.join(
            self.builder.imgpath, urllib.parse.quote(self.builder.images[image["uri"]])
        )

    parts = ['<span class="figure-variants">']
    for mode in ("light", "dark"):
        wide = images["light" if mode == "light" else "dark"]
        info = meta[wide["variant"]]
        picture = ["<picture>"]
        narrow = images.get(f"narrow-{mode}")
        if narrow is not None:
            n = meta[narrow["variant"]]
            picture.append(
                f'<source media="{_narrow_media(meta)}" srcset="{src(narrow)}" '
                f'width="{n["width"]}" height="{n["height"]}" data-text-px="{n["text_px"]}">'
            )
        picture.append(
            f'<img src="{src(wide)}" alt="{escape(alt)}" class="only-{mode}" '
            f'width="{info["width"]}" height="{info["height"]}" loading="lazy" '
            f'decoding="async" data-text-px="{info["text_px"]}">'
        )
        picture.append("</picture>")
        html = "".join(picture)
        if not linked:  # the full-size figure, as Sphinx links a scaled image
            html = (
                f'<a class="reference internal image-reference only-{mode}" '
                f'href="{src(wide)}">{html}</a>'
            )
        parts.append(html)
    parts.append("</span>")
    self.body.append("".join(parts))
    raise nodes.SkipNode


def _skip(self, node) -> None:
    raise nodes.SkipNode


def setup(app) -> dict[str, Any]:
    app.add_node(
        figure_variants,
        html=(visit_figure_variants, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.connect("doctree-read", _attach_variants, priority=400)  # ImageCollector: 500
    app.connect("config-inited", _export_folder)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _export_folder(app, config) -> None:
    """The kernels that MyST-NB starts inherit this process's environment."""
    folder = _folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[ENV_VAR] = str(folder)
