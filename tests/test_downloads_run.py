"""Every downloadable notebook of both editions runs where only the package is installed.

A reader installs the package (``pip install .``, not editable) and a Jupyter kernel, and
nothing of the book's build (no myst_nb, no MATPLOTLIBRC, no IPython profile, no BOOK_LANG).
The test makes exactly that environment: a virtual environment of its own with
``pip install <repo>`` and ``ipykernel``, cached under ``_build/reader-venv/<hash>`` by the
hash of pyproject.toml and src/ (so ``make test`` builds it again only when the package
changes; pip's own cache keeps a rebuild short). Each ``.ipynb`` and ``.md`` of the download
menu is executed with nbclient on a kernel whose kernelspec points at that environment's
Python, with a clean environment and a fresh matplotlib configuration folder.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from locks import exclusive

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "ko")
KERNEL = "adam-tutorial-reader"


def _package_hash() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml", ROOT / "README.md"]
    files += sorted(
        p for p in (ROOT / "src").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _make_reader_venv(base: Path, venv: Path, python: Path, source: Path) -> None:
    """``pip install`` a copy of the package's sources and ipykernel into a new `venv`."""
    for old in base.glob("*"):  # environments of earlier versions of the package
        shutil.rmtree(old, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    # A copy of the sources, so pip builds the package from them and nothing else (not
    # the worktree's .venv or _build) and leaves no build files in the checkout.
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            str(source),
            "ipykernel",
        ],
        check=True,
    )


@pytest.fixture(scope="session")
def reader_env(tmp_path_factory) -> dict[str, Path]:
    """A fresh venv with only ``pip install <repo>`` and ``ipykernel``, and its kernelspec."""
    base = ROOT / "_build" / "reader-venv"
    venv = base / _package_hash()
    python = venv / "bin" / "python"
    done = venv / ".complete"
    with exclusive("reader-venv"):  # one process makes it, any other waits and uses it
        if not done.exists():
            _make_reader_venv(base, venv, python, tmp_path_factory.mktemp("package"))
            done.write_text("ok\n")
    specs = tmp_path_factory.mktemp("jupyter")
    (specs / "kernels" / KERNEL).mkdir(parents=True)
    (specs / "kernels" / KERNEL / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "adam-tutorial reader",
                "language": "python",
            }
        )
    )
    home = tmp_path_factory.mktemp("home")
    return {"venv": venv, "python": python, "kernels": specs, "home": home}


def _downloads(site: Path) -> list[tuple[str, Path]]:
    found = []
    for lang in LANGS:
        for notebook in sorted((site / lang / "_sources").rglob("*.ipynb")):
            found.append((lang, notebook))
            md = notebook.with_suffix(".md")
            if md.exists():
                found.append((lang, md))
    return found


# nbclient runs in a process of its own: the kernel inherits that process's clean
# environment, and jupyter_client's sockets are not left to this process's garbage collector
# (pytest turns their ResourceWarnings into errors).
RUNNER = """
import sys
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

source, target, name, workdir = sys.argv[1:]
nb = nbformat.read(source, as_version=4)
KernelSpecManager().get_kernel_spec(name)  # the reader's kernel, found through JUPYTER_PATH
# nbclient starts the kernel and shuts it down when the notebook is done.
NotebookClient(nb, kernel_name=name, timeout=600, allow_errors=True).execute(cwd=workdir)
nbformat.write(nb, target)
"""


def _execute(notebook, reader_env, workdir: Path):
    """Run `notebook` on the reader's kernel; returns it executed and the kernel's Python."""
    env = {
        "PATH": f"{reader_env['venv'] / 'bin'}:/usr/bin:/bin",
        "HOME": str(reader_env["home"]),
        "LANG": "C.UTF-8",
        # A machine where matplotlib never ran: no font cache, no rc file of ours.
        "MPLCONFIGDIR": str(workdir / "mplconfig"),
        "IPYTHONDIR": str(workdir / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "JUPYTER_PATH": str(reader_env["kernels"]),  # the reader's kernelspec
    }
    nb = copy.deepcopy(notebook)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import sys, adam_tutorial\nprint(sys.executable)\nprint(adam_tutorial.__file__)"
        )
    )
    source, target = workdir / "in.ipynb", workdir / "out.ipynb"
    nbformat.write(nb, source)
    subprocess.run(
        [sys.executable, "-c", RUNNER, source, target, KERNEL, workdir],
        env=env,
        check=True,
    )
    nb = nbformat.read(target, as_version=4)
    probe = nb.cells.pop()
    executable, package = "".join(o.get("text", "") for o in probe.outputs).split()
    return nb, executable, package


def test_every_download_is_offered(site):
    names = [
        (lang, path.relative_to(site / lang / "_sources").as_posix())
        for lang, path in _downloads(site)
    ]
    assert ("en", "adam.ipynb") in names
    assert ("en", "adam.md") in names
    assert ("ko", "adam.ipynb") in names
    assert ("ko", "adam.md") in names


@pytest.mark.parametrize("lang", LANGS)
def test_downloaded_notebooks_run_in_a_fresh_environment(site, reader_env, lang, tmp_path):
    downloads = [path for edition, path in _downloads(site) if edition == lang]
    assert downloads
    for path in downloads:
        published = None
        if path.suffix == ".ipynb":
            notebook = nbformat.read(path, as_version=4)
            published = notebook
        else:
            notebook = jupytext.read(path)
            published = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        text = path.read_text(encoding="utf-8")
        assert "myst_nb" not in text
        assert "{glue" not in text
        prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert not re.findall(r"\{[a-z][\w:+.-]*\}`[^`]*`", prose)  # MyST roles: written out
        assert "```{" not in prose  # directives: written out
        workdir = tmp_path / path.name
        workdir.mkdir()
        executed, executable, package = _execute(notebook, reader_env, workdir)
        assert Path(executable) == reader_env["python"]
        assert Path(package).is_relative_to(reader_env["venv"])  # installed, not editable
        figure_cells = {
            i
            for i, cell in enumerate(published.cells)
            if any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        }
        assert figure_cells, f"{path}: no figure in the published notebook"
        code_cells = [i for i, c in enumerate(executed.cells) if c.cell_type == "code"]
        assert code_cells == [i for i, c in enumerate(published.cells) if c.cell_type == "code"]
        for index in code_cells:
            cell = executed.cells[index]
            where = f"{lang}/{path.name} cell {index}"
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"{where}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
            stderr = [o.text for o in cell.outputs if o.get("name") == "stderr"]
            assert not stderr, f"{where} wrote to stderr: {stderr}"
            pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
            if index in figure_cells:
                assert len(pngs) == 1, f"{where}: {len(pngs)} figures, expected 1"
            else:
                assert not pngs, f"{where}: an unexpected figure"
