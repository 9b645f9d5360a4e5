"""The Korean translation catalogs (locale/ko/LC_MESSAGES/*.po), checked against the sources.

Complete (no untranslated, fuzzy or obsolete entry), in step with the English pages (what
``make gettext`` extracts today), and the theme's strings covered. Only the last check reads
the built site (the search page's messages, which Sphinx writes into translations.js).
"""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import sphinx

ROOT = Path(__file__).resolve().parents[1]

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


def test_korean_catalogs_carry_no_format_flags():
    """The messages are prose and TeX, never %-formatted: Babel's guessed ``python-format``
    flags make ``msgfmt -c`` reject correct translations (``make gettext`` drops them)."""
    flagged = [
        f"{p.name}: {e.msgid[:50]}"
        for p in catalogs()
        for e in polib.pofile(str(p))
        if {"python-format", "python-brace-format"} & set(e.flags)
    ]
    assert not flagged
    msgfmt = shutil.which("msgfmt")
    if msgfmt is not None:  # GNU gettext, where installed: its own check of every catalog
        for path in catalogs():
            subprocess.run([msgfmt, "-c", "-o", os.devnull, str(path)], check=True)


def test_korean_catalogs_match_the_english_source(tmp_path):
    """Every message of the source is in a catalog, and no catalog holds a stale one."""
    out = tmp_path / "gettext"
    subprocess.run(
        [str(ROOT / ".venv/bin/sphinx-build"), "-b", "gettext", "-q", "-c", str(ROOT),
         "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(out)],
        cwd=ROOT, check=True, env={**os.environ, "BOOK_LANG": "en"},
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
