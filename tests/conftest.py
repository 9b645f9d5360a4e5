"""Session fixtures shared by the test files."""

from __future__ import annotations

import inspect
import os
import subprocess
from pathlib import Path

import pytest
from locks import exclusive

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def site() -> Path:
    """The built book (both editions), from the README's command: ``make html``, incremental.

    One process builds; any other waits, then finds it built (make has nothing to do).
    """
    with exclusive("make-html"):
        subprocess.run(["make", "--no-print-directory", "html"], cwd=ROOT, check=True)
    return ROOT / "_build" / "html"


def pytest_make_parametrize_id(config, val, argname):
    """Name a class parameter by its name (``Adam``) in test ids, not by position (``cls3``)."""
    return val.__name__ if inspect.isclass(val) else None
