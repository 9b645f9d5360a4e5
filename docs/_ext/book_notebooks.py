"""Notebook execution: the kernels' figure settings, a cache that follows the code, output folder.

* **Kernel configuration** (``config-inited``): MyST-NB's kernels inherit this process's
  environment. ``BOOK_LANG`` (a chapter labels its figures in the edition's language),
  ``MATPLOTLIBRC`` (the book's figure style, ``book_mplstyle``) and ``IPYTHONDIR``, whose
  profile (written here, under ``book_build_dir``) switches on inline PNG figures at 2x pixel
  density and loads figure_variants' IPython half. No chapter cell configures plotting.
* **Cache invalidation** (``config-inited``): jupyter-cache keys a notebook on its code cells
  only. When the package (``book_code_dir``), the figure style, figure_variants or the kernel
  configuration changes, the cached outputs are stale: the cache of this edition is dropped,
  and ``book_code_fingerprint`` (an ``env`` value) makes Sphinx read every page again.
* **Output folder** (``builder-inited``): MyST-NB writes executed notebooks and their images
  to ``<outdir>/../jupyter_execute``, for our layout ``_build/html/jupyter_execute``: shared by
  both editions and published. They go to ``<book_build_dir>/jupyter_execute/<language>``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"

EXT_DIR = Path(__file__).resolve().parent
# How the kernel saves a figure for display (tests/test_reproducible.py draws with the same).
PRINT_FIGURE_KWARGS = {"bbox_inches": "tight", "metadata": {"Software": None}}


FLUSH_LINE = "import sys; sys.stdout.flush_interval = sys.stderr.flush_interval = 3600.0; del sys"


def kernel_config(ext_dir: Path = EXT_DIR) -> str:
    """The IPython kernel profile of the book's notebooks.

    >>> 'c.InlineBackend.figure_formats = {"retina"}' in kernel_config()
    True
    >>> FLUSH_LINE in kernel_config()  # one message per cell and stream
    True
    """
    path_line = f"import sys; sys.path.append({str(ext_dir)!r}); del sys"
    return (
        "# Written by docs/_ext/book_notebooks.py: figures from notebook cells as PNG at 2x\n"
        "# pixel density. The inline backend is switched on here because the Makefile exports\n"
        "# MPLBACKEND=Agg (for the tests), which the kernel inherits.\n"
        'c.IPKernelApp.matplotlib = "inline"\n'
        'c.InlineBackend.figure_formats = {"retina"}\n'
        f"c.InlineBackend.print_figure_kwargs = {PRINT_FIGURE_KWARGS!r}\n"
        "c.HistoryManager.enabled = False\n"
        "c.IPKernelApp.log_level = 40  # not the notice about unencrypted local TCP\n"
        "# Dark and narrow variants of each figure for the HTML pages (figure_variants.py).\n"
        "# A cell's printed output as one message: ipykernel sends stdout 0.2 s after a write,\n"
        "# so under load one print() could arrive in two pieces, and MyST-NB's merge of stream\n"
        "# outputs (nb_merge_streams, since MyST-NB#604) puts a newline between the pieces: the\n"
        "# page would depend on timing. The kernel flushes at the end of every cell anyway.\n"
        "# A figure given to glue() is closed once glued, not drawn again (close_glued.py).\n"
        f"c.InteractiveShellApp.exec_lines = [{path_line!r}, '%load_ext figure_variants', "
        f"'%load_ext close_glued', {FLUSH_LINE!r}]\n"
    )


def code_fingerprint(text: str, files: list[Path], root: Path) -> str:
    """Hash of *text* and of the files (by path relative to *root*, and contents)."""
    digest = hashlib.sha256(text.encode())
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _configure_kernels(app: Sphinx, config: Config) -> None:
    build = Path(config.book_build_dir)
    mplstyle = Path(config.book_mplstyle)
    os.environ["BOOK_LANG"] = config.language
    os.environ["MATPLOTLIBRC"] = str(mplstyle)
    profile = build / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    text = kernel_config()
    (profile / "ipython_kernel_config.py").write_text(text)
    os.environ["IPYTHONDIR"] = str(build / "ipython")

    root = Path(app.confdir)
    files = [mplstyle, EXT_DIR / "figure_variants.py"]
    files += sorted(Path(config.book_code_dir).rglob("*.py"))
    config.book_code_fingerprint = code_fingerprint(text, files, root)
    stamp = Path(config.nb_execution_cache_path).parent / f"{config.language}.fingerprint"
    if not stamp.exists() or stamp.read_text() != config.book_code_fingerprint:
        shutil.rmtree(config.nb_execution_cache_path, ignore_errors=True)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(config.book_code_fingerprint)


def _output_folder(app: Sphinx) -> None:
    config = getattr(app.env, "mystnb_config", None)
    if config is None:
        return
    folder = Path(app.config.book_build_dir) / "jupyter_execute" / app.config.language
    app.env.mystnb_config = config.copy(output_folder=str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")
    app.add_config_value("book_build_dir", "", "env", types=[str])
    app.add_config_value("book_mplstyle", "", "env", types=[str])
    app.add_config_value("book_code_dir", "", "env", types=[str])
    app.add_config_value("book_code_fingerprint", "", "env", types=[str])
    app.connect("config-inited", _configure_kernels)
    app.connect("builder-inited", _output_folder, priority=900)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
