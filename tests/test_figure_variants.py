"""The kernel half of docs/_ext/figure_variants.py, in a process drawn like the build's kernel.

A figure displayed the way the notebook kernels display it (IPython's retina printer, with the
extension loaded) leaves its dark and narrow variants next to nothing else: no output, no
warning; the same bytes in two processes; a dark background, and text no smaller than the
light figure's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

DRAW = """
import sys
import matplotlib.pyplot as plt
import numpy as np
from IPython.core import pylabtools
sys.path.insert(0, sys.argv[1])
import figure_variants
from adam_tutorial import Adam, plotting, run
from adam_tutorial.objectives import quadratic

figure_variants.load_ipython_extension(None)
traj = run(Adam(lr=0.3), quadratic, np.array([-10.0, 1.5]), steps=50)
fig, ax = plt.subplots(figsize=(7.5, 3.8))
cs = plotting.contour(quadratic, ax, minimum_label="최솟점")
fig.colorbar(cs, ax=ax, label="$f(x, y)$")
plotting.path(traj, ax, label="Adam", color="black")
ax.legend(loc="lower right")
png, meta = pylabtools.retina_figure(fig, bbox_inches="tight", metadata={"Software": None})
plt.close("all")
"""


def _draw(folder: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "MATPLOTLIBRC": str(ROOT / "src" / "adam_tutorial" / "book.mplstyle"),
        "BOOK_FIGURE_VARIANTS": str(folder),
    }
    return subprocess.run(
        [sys.executable, "-c", DRAW, str(ROOT / "docs" / "_ext")],
        env=env,
        check=True,
        capture_output=True,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def test_variants_are_drawn_silently_and_reproducibly(tmp_path):
    from PIL import Image  # noqa: PLC0415

    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        done = _draw(folder)
        assert done.stdout == b""
        assert done.stderr == b""
    files = _files(first)
    assert files == _files(second)
    (key,) = {name.split("/")[0] for name in files}
    assert sorted(files) == [
        f"{key}/{key}-{v}.png" for v in ("dark", "narrow-dark", "narrow-light")
    ] + [f"{key}/meta.json"]
    meta = json.loads(files[f"{key}/meta.json"])
    light, narrow = meta["light"], meta["narrow-light"]
    assert meta["dark"] == light  # same layout, other colours
    assert narrow["width"] < 360 < light["width"]
    assert narrow["text_px"] >= light["text_px"] >= 13  # 9.5 pt legend at 100 dpi
    with Image.open(first / key / f"{key}-dark.png") as dark:
        rgb = dark.convert("RGB")
        assert rgb.getpixel((2, 2)) == (0x12, 0x12, 0x12)  # the dark page's background
        # The path was drawn in black: in the dark variant no pixel is (near) black but the
        # background's.
        darkest = int(np.asarray(rgb, dtype=int).sum(axis=2).min())
        assert darkest >= 3 * 0x12 - 6


def test_panels_side_by_side_are_stacked_for_a_phone():
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import figure_variants  # noqa: PLC0415
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.2), layout="constrained")
    left.plot([0, 1], label="a")
    right.plot([1, 0], label="b")
    left.legend()
    assert figure_variants.relayout_narrow(fig, 3.3)
    fig.canvas.draw()
    top, bottom = left.get_position(), right.get_position()
    assert fig.get_size_inches()[0] == 3.3
    assert bottom.y1 < top.y0  # one below the other
    assert abs(top.x0 - bottom.x0) < 0.05  # in one column
    legend = left.get_legend()
    assert legend.get_window_extent().y0 >= left.get_window_extent().y1 - 1  # above its axes
    plt.close(fig)


def test_a_grid_of_shared_axes_keeps_its_headers_when_stacked():
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import figure_variants  # noqa: PLC0415
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    fig, axes = plt.subplots(2, 3, figsize=(7.5, 5), sharex=True, sharey="row")
    for r in range(2):
        axes[r, 0].set_ylabel(f"row {r}")
        for c in range(3):
            axes[r, c].plot([0, 1], [r, c])
    for c in range(3):
        axes[0, c].set_title(f"column {c}")
        axes[1, c].set_xlabel("x")
    assert figure_variants.relayout_narrow(fig, 3.3)
    fig.canvas.draw()
    for r in range(2):
        for c in range(3):
            ax = axes[r, c]
            assert (ax.get_title(), ax.get_ylabel(), ax.get_xlabel()) == (
                f"column {c}",
                f"row {r}",
                "x",
            )
            assert any(t.get_visible() and t.get_text() for t in ax.get_yticklabels())
            assert any(t.get_visible() and t.get_text() for t in ax.get_xticklabels())
    plt.close(fig)


def test_panels_that_share_nothing_keep_their_own_labels_only():
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import figure_variants  # noqa: PLC0415
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3))
    left.set(title="paths", ylabel="$w_2$", xlabel="$w_1$")
    right.set(title="loss")
    assert figure_variants.relayout_narrow(fig, 3.3)
    assert (right.get_title(), right.get_ylabel(), right.get_xlabel()) == ("loss", "", "")
    plt.close(fig)
