"""KaTeX, rendered to HTML at build time by node: staged assets, strict prerender, font preloads.

* **Assets** (``builder-inited``): npm's KaTeX (the folder of ``katex_js_path``) is staged as
  ``_static/katex/`` of the build (its CSS and fonts, the same version as the prerenderer):
  nothing comes from a CDN and no KaTeX JavaScript is sent to the reader.
* **Prerender** (``builder-inited``): sphinxcontrib-katex is made as strict and complete as
  Sphinx's own math: a LaTeX error fails the build; display math is wrapped the way Sphinx
  wraps it for MathJax; its node server is started with a connect that retries.
* **Font preloads** (``html-page-context``): ``book_preload_fonts``, the KaTeX fonts that the
  page's prerendered math uses, so they arrive with the stylesheets.

The patches of sphinxcontrib-katex (``get_latex``, the timeouts, ``start_server_process``)
are written against 0.9.x, the version pyproject.toml pins.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.math import wrap_displaymath
from sphinxcontrib import katex

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

# KaTeX font files by what in the prerendered HTML needs them. Preloading the ones a page uses
# lets them arrive with the stylesheets: without it the formulas are laid out again when the
# fonts come in, which moves the text (Lighthouse: cumulative layout shift up to 0.4).
KATEX_FONTS = {
    "KaTeX_Main-Regular.woff2": re.compile(r'class="katex"'),
    "KaTeX_Math-Italic.woff2": re.compile(r'class="mord mathnormal'),
    "KaTeX_Main-Bold.woff2": re.compile(r"mathbf|boldsymbol"),
    "KaTeX_Size1-Regular.woff2": re.compile(r"delimsizing size1|small-op"),
    "KaTeX_Size2-Regular.woff2": re.compile(r"delimsizing size2|large-op"),
    "KaTeX_AMS-Regular.woff2": re.compile(r"amsrm"),
}


def katex_fonts(body: str) -> list[str]:
    """The KaTeX fonts that the HTML *body* uses, in a fixed order.

    >>> katex_fonts('<span class="katex"><span class="mord mathnormal">x</span></span>')
    ['KaTeX_Main-Regular.woff2', 'KaTeX_Math-Italic.woff2']
    >>> katex_fonts("<p>no math</p>")
    []
    """
    return [name for name, used in KATEX_FONTS.items() if used.search(body)]


def get_latex(node: nodes.Element) -> str:
    """The LaTeX that KaTeX renders for a math node, display math wrapped as Sphinx does.

    ``equation*`` with ``split`` (or ``align*`` for blank-line separated parts), so the
    multi-line ``.. math::`` blocks of the docstrings, with ``&`` and ``\\\\``, render. Blocks
    marked ``nowrap`` (e.g. a MyST ``amsmath`` environment) are passed as they are.
    """
    latex = node.astext()
    if isinstance(node, nodes.math_block) and not node.get("nowrap"):
        return wrap_displaymath(latex, None, numbering=False)
    return latex


def start_server_process(cls, rundir: Path, timeout: float):
    """Start the KaTeX node server and connect, retrying while it is not listening yet.

    sphinxcontrib-katex connects as soon as the socket file exists; node creates it
    just before it listens, so under load the one attempt can be refused and the build
    fails at random. Same contract as ``KaTeXServer.start_server_process``.
    """
    socket_path = rundir / "katex.sock"
    process = subprocess.Popen(
        cls.build_command(socket=socket_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=rundir,
    )
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            msg = f"the KaTeX server exited with status {process.returncode}"
            raise katex.KaTeXError(msg)
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(max(deadline - time.monotonic(), 0.1))
                sock.connect(str(socket_path))
            except (ConnectionRefusedError, FileNotFoundError):
                sock.close()
            else:
                sock.settimeout(None)
                return process, sock
        if time.monotonic() > deadline:
            process.kill()
            raise cls.timeout_error(timeout)
        time.sleep(0.01)


def _stage_assets(app: Sphinx) -> None:
    """Stage KaTeX's CSS and fonts as ``_static/katex/`` of this build."""
    if app.builder.format != "html":
        return
    dist = Path(app.config.katex_js_path).parent
    css = dist / "katex.min.css"
    if not css.exists():
        msg = f"{css} is missing: run `npm ci` (the Makefile's setup target does)"
        raise FileNotFoundError(msg)
    staging = Path(app.config.book_build_dir) / "katex-static"
    target = staging / "katex"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(css, target / "katex.min.css")
    shutil.copytree(dist / "fonts", target / "fonts")
    app.config.html_static_path.append(str(staging))


def _strict_prerender(app: Sphinx) -> None:
    katex.KATEX_DEFAULT_OPTIONS["throwOnError"] = True
    katex.get_latex = get_latex
    katex.STARTUP_TIMEOUT = 60.0  # node starts slowly on a busy 2-core machine
    katex.RENDER_TIMEOUT = 30.0
    katex.KaTeXServer.start_server_process = classmethod(start_server_process)


def _preload_fonts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    context["book_preload_fonts"] = katex_fonts(context.get("body", ""))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.katex")
    app.setup_extension("book_notebooks")  # book_build_dir
    app.connect("builder-inited", _stage_assets)
    app.connect("builder-inited", _strict_prerender)
    app.connect("html-page-context", _preload_fonts, priority=600)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
