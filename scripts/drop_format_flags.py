"""Drop the ``python-format``/``python-brace-format`` flags from the Korean catalogs.

sphinx-intl writes the catalogs through Babel, which flags any message holding a ``%`` or a
``{...}`` as a Python format string. The book's messages are prose and TeX ("β₂ = 0.999 in 90 %
of runs", ``\\frac{m_t}{...}``), never formatted, and the flag makes ``msgfmt -c`` (and
translation editors) reject correct translations. Run by ``make gettext`` after the update.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

FORMAT_FLAGS = {"python-format", "python-brace-format"}


def drop_format_flags(directory: Path) -> list[Path]:
    """Remove the flags from every ``*.po`` under ``directory``; return the files changed."""
    changed = []
    for path in sorted(directory.glob("*.po")):
        po = polib.pofile(str(path), wrapwidth=0)
        flagged = [e for e in po if FORMAT_FLAGS & set(e.flags)]
        for entry in flagged:
            entry.flags = [f for f in entry.flags if f not in FORMAT_FLAGS]
        if flagged:
            po.save(str(path))
            changed.append(path)
    return changed


if __name__ == "__main__":
    for path in drop_format_flags(Path(sys.argv[1])):
        print(f"dropped format flags: {path}")
