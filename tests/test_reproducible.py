"""Two builds of one commit give the same bytes: the cheap checks, run with every `make test`.

The full check (two clean builds in temporary folders, compared file by file) is part of
``make bench-site`` (benchmarks/bench_site.py), because it executes every notebook twice.
Here: a figure drawn the way the notebook kernels draw it, in two fresh processes, is the
same PNG; and the figures of the built site carry no timestamp or software chunk.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

from book_notebooks import PRINT_FIGURE_KWARGS

ROOT = Path(__file__).resolve().parents[1]

# The kernel's figure path (book_notebooks: InlineBackend "retina", its print_figure kwargs).
DRAW = f"""
import sys
import matplotlib.pyplot as plt
import numpy as np
from IPython.core.pylabtools import print_figure
from adam_tutorial import Adam, run
from adam_tutorial.objectives import quadratic

traj = run(Adam(lr=0.3), quadratic, np.array([-10.0, 1.5]), steps=50)
fig, ax = plt.subplots()
x, y = np.meshgrid(np.linspace(-12, 12, 200), np.linspace(-2, 2, 200))
ax.contourf(x, y, 0.1 * x**2 + 5 * y**2, levels=12)
ax.plot(*traj.params.T, marker="o", label="Adam 모멘텀")
ax.set_xlabel("$w_1$")
ax.legend()
png = print_figure(fig, "retina", **{PRINT_FIGURE_KWARGS!r})
sys.stdout.buffer.write(png)
"""


def png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append(data[pos + 4 : pos + 8].decode("ascii"))
        pos += 12 + length
    return chunks


def test_a_figure_is_the_same_png_in_two_processes():
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "MATPLOTLIBRC": str(ROOT / "src" / "adam_tutorial" / "book.mplstyle"),
        "SOURCE_DATE_EPOCH": "1767225600",
    }
    first, second = (
        subprocess.run(
            [sys.executable, "-c", DRAW], env=env, check=True, capture_output=True
        ).stdout
        for _ in range(2)
    )
    assert len(first) > 10_000
    assert first == second
    assert not {"tIME", "tEXt", "iTXt", "zTXt"} & set(png_chunks(first))


def test_built_figures_have_no_time_or_text_chunks(site):
    pngs = sorted(site.glob("*/_images/*.png"))
    assert pngs
    for path in pngs:
        chunks = png_chunks(path.read_bytes())
        assert not {"tIME", "tEXt", "iTXt", "zTXt"} & set(chunks), (path, chunks)
        assert "PLTE" in chunks, f"{path.name}: not quantized to a palette"
