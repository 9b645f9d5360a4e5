"""No path of the build machine in the published site (HTML, downloads, search index, ...)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import adam_tutorial

ROOT = Path(__file__).resolve().parents[1]


def _machine_paths() -> list[str]:
    """Absolute paths that name this machine, and the marks of an installed package."""
    paths = {
        ROOT,
        ROOT.resolve(),
        Path(sys.prefix),
        Path(sys.prefix).resolve(),
        Path(adam_tutorial.__file__).resolve().parents[2],  # the checkout the package is in
        Path.home(),
        Path(tempfile.gettempdir()),
    }
    found = {str(p) + "/" for p in paths if str(p) not in {"/", ""}}
    found |= {"/tmp/", "site-packages", "file://"}
    if os.environ.get("USER"):
        found.add(f"/{os.environ['USER']}/")
    return sorted(found)


def test_no_machine_path_in_any_published_file(site):
    needles = _machine_paths()
    hits = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:1024]:  # binary (images, fonts): no text to leak into
            continue
        text = data.decode("utf-8", errors="replace")
        for needle in needles:
            start = text.find(needle)
            if start >= 0:
                context = text[max(start - 60, 0) : start + len(needle) + 60]
                hits.append(f"{path.relative_to(site)}: {needle!r} in …{context}…")
    assert not hits, "\n".join(hits)
