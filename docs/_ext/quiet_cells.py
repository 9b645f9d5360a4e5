"""Fail the build when an executed cell writes to stderr, warns or raises, hidden or not.

MyST-NB's ``nb_output_stderr`` only sees the cells it renders: a ``remove-cell`` cell's
warnings (for example matplotlib's "Glyph ... missing from font(s)") were published in the
executed notebook and passed silently. This extension reads every executed notebook of the
build, every cell and every output, and emits a Sphinx warning (a failure with ``-W``) naming
the page, the cell index and the text for:

* a ``stderr`` stream;
* ``Warning`` or ``Traceback`` in a ``stdout`` stream (a warning printed through stdout);
* an ``error`` output (a cell allowed to raise).

The check runs on every build (``env-check-consistency``), not only when a page is read
again, so a warning keeps failing the build until it is fixed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

SUSPICIOUS = re.compile(r"\w*Warning\b|Traceback \(most recent call last\)")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def cell_problems(notebook: Mapping[str, Any]) -> Iterator[tuple[int, str]]:
    """``(cell index, text)`` for every output of `notebook` that a clean cell cannot have.

    The index counts all cells of the notebook (markdown ones too), from 0.
    """
    for index, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            kind = output.get("output_type")
            if kind == "stream":
                text = _text(output.get("text"))
                if output.get("name") == "stderr":
                    yield index, f"stderr: {text.strip()}"
                elif match := SUSPICIOUS.search(text):
                    line = text[: match.end()].rsplit("\n", 1)[-1] + text[match.end() :]
                    yield index, f"stdout: {line.split(chr(10), 1)[0].strip()}"
            elif kind == "error":
                trace = ANSI.sub("", "\n".join(_text(t) for t in output.get("traceback", [])))
                yield (
                    index,
                    f"error: {output.get('ename')}: {output.get('evalue')}\n{trace}".strip(),
                )


def _check(app: Sphinx, env: BuildEnvironment) -> None:
    config = getattr(env, "mystnb_config", None)
    if config is None:
        return
    folder = Path(config.output_folder)
    for docname in sorted(env.all_docs):
        executed = folder / f"{docname}.ipynb"
        if not env.metadata.get(docname, {}).get("kernelspec") or not executed.is_file():
            continue
        notebook = json.loads(executed.read_text(encoding="utf-8"))
        for index, problem in cell_problems(notebook):
            text = problem if len(problem) <= 2000 else problem[:2000] + " ..."
            logger.warning(
                "%s: cell %d of the executed notebook: %s",
                docname,
                index,
                text,
                location=docname,
                type="quiet_cells",
                subtype="output",
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-check-consistency", _check)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 1,
    }
