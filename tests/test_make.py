"""The Makefile's `make html`: an edit made while the book builds is built by the next call.

The build is replaced by stand-ins (``BIN``, ``PY`` and ``BUILDDIR`` are make variables), in a
copy of the Makefile with a small tree of inputs, so this runs in a fraction of a second and
leaves the real book alone. The stand-in for sphinx-build edits an input while it "builds",
as a contributor saving a file during a long build does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OLD = 946_684_800  # 2000-01-01: the inputs and the installed environment are older than any build

# Edits docs/page.md while it runs, until the edit is strictly newer than the build's start
# (file times tick in steps of a few milliseconds; the loop waits for the next step, no sleep).
FAKE_SPHINX_BUILD = """#!/bin/sh
mkdir -p "$BOOK_TEST_DIR/_build/html"
touch "$BOOK_TEST_DIR/started"
touch "$BOOK_TEST_DIR/docs/page.md"
while [ ! "$BOOK_TEST_DIR/docs/page.md" -nt "$BOOK_TEST_DIR/started" ]; do
  touch "$BOOK_TEST_DIR/docs/page.md"
done
"""


def _tree(tmp_path: Path) -> Path:
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("conf.py", "pyproject.toml", "package.json", "package-lock.json"):
        (tmp_path / name).write_text("")
    for folder in ("docs", "src", "locale"):
        (tmp_path / folder).mkdir()
    (tmp_path / "docs" / "page.md").write_text("# A page\n")
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "sphinx-build").write_text(FAKE_SPHINX_BUILD)
    (fake / "python").write_text("#!/bin/sh\nexit 0\n")  # finish_site.py's stand-in
    for script in fake.iterdir():
        script.chmod(0o755)
    for marker in (".venv/.installed", "node_modules/.installed"):
        (tmp_path / marker).parent.mkdir()
        (tmp_path / marker).touch()
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.parent.name != "fakebin":
            os.utime(path, (OLD, OLD + (path.name == ".installed")))
    return tmp_path


def _make(tree: Path, *args: str) -> subprocess.CompletedProcess:
    fake = tree / "fakebin"
    variables = [f"BIN={fake}", f"PY={fake}/python", "BUILDDIR=_build", "LANGS=en"]
    return subprocess.run(
        ["make", "--no-print-directory", *args, "html", *variables],
        cwd=tree,
        env={**os.environ, "BOOK_TEST_DIR": str(tree)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_an_edit_during_the_build_is_built_next_time(tmp_path):
    tree = _tree(tmp_path)
    built = _make(tree)
    assert built.returncode == 0, built.stderr
    assert "sphinx-build [en]" in built.stdout
    stamp = tree / "_build" / "html" / ".built"
    edited = tree / "docs" / "page.md"
    assert stamp.exists()
    assert edited.stat().st_mtime_ns > stamp.stat().st_mtime_ns  # edited after the build began
    # `make -q` answers whether the target is up to date (0) or would be built (1)
    assert _make(tree, "-q").returncode == 1
    rebuilt = _make(tree)
    assert "sphinx-build [en]" in rebuilt.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_nothing_edited_nothing_built(tmp_path):
    tree = _tree(tmp_path)
    # builds, and edits nothing
    (tree / "fakebin" / "sphinx-build").write_text(
        '#!/bin/sh\nmkdir -p "$BOOK_TEST_DIR/_build/html"\n'
    )
    assert _make(tree).returncode == 0
    assert _make(tree, "-q").returncode == 0
    assert "sphinx-build" not in _make(tree).stdout
