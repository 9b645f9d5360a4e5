"""benchmarks/bench_site.py: which pages of which edition ``--pages`` asks Lighthouse for."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_site


def test_pages_name_one_edition_or_both():
    assert bench_site._editions(["adam.html", "ko/index.html", "en/api.html"]) == [
        ("en", "adam.html"),
        ("en", "api.html"),
        ("ko", "adam.html"),
        ("ko", "index.html"),
    ]
    # a folder that is not an edition is part of the page's name
    assert bench_site._editions(["generated/x.html"]) == [
        ("en", "generated/x.html"),
        ("ko", "generated/x.html"),
    ]
