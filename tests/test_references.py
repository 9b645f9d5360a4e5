"""The bibliography lists only what the book cites: every entry of references.bib is cited."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
CITE = re.compile(r"\{cite(?::[pt])?\}`([^`]+)`")


def test_every_reference_is_cited_from_a_page():
    keys = set(re.findall(r"^@\w+\{([^,]+),", (DOCS / "references.bib").read_text(), re.MULTILINE))
    cited = {
        key.strip()
        for page in DOCS.glob("*.md")
        for group in CITE.findall(page.read_text(encoding="utf-8"))
        for key in group.split(",")
    }
    assert len(keys) >= 8
    assert sorted(keys - cited) == []
    assert sorted(cited - keys) == []
