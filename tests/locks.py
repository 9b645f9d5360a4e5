"""Locks between test processes (pytest-xdist's workers, or two runs of ``make test``)."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Hold a lock file under ``_build/``: test processes (pytest-xdist's workers) take turns.

    For what a session makes once and every process then reads (the built site, a venv).
    """
    lock = ROOT / "_build" / f".{name}.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # waits for the process that holds it
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
