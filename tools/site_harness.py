"""The browser harness: a loopback server for the built site, Debian's Chromium, page visits.

Shared by the browser tests (tests/browser/), the screenshot tool (tools/screenshots.py) and the
site benchmark (benchmarks/bench_site.py); it imports nothing from tests/. Nothing here reaches
the network: the server listens on 127.0.0.1 only, and every request for another host is
aborted and recorded. A script in tools/ imports it as ``site_harness``; the tests find it
through tests/conftest.py, the benchmarks through their own path entry for tools/.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import importlib.util
import io
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The editions' table; pytest has docs/_ext on its path, scripts that import this module not.
if str(ROOT / "docs" / "_ext") not in sys.path:
    sys.path.append(str(ROOT / "docs" / "_ext"))
from book_editions import LANGS  # noqa: F401  (the browser tests import it from here)

MODES = ("light", "dark")
WIDTHS = (1280, 768, 360)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INSTALL_HINT = (
    "The browser tests drive a system Chromium through Playwright (no browser download).\n"
    "  `make test` installs one on Debian/Ubuntu (scripts/system_deps.py); elsewhere\n"
    "  `make system-deps` names the command for this system, or set CHROMIUM_PATH=/path/to/chrome."
)


def _load_system_deps():
    """scripts/system_deps.py, the set-up step of `make test` (a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "system_deps", ROOT / "scripts" / "system_deps.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# $CHROMIUM_PATH, else the first Chromium on PATH: the same places `make system-deps` looks.
chromium_path = _load_system_deps().chromium_path


def axe_path() -> Path:
    if not AXE.is_file():
        msg = f"{AXE} is missing: run `npm ci` (the Makefile's setup target does)"
        raise FileNotFoundError(msg)
    return AXE


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012  (the base class's attribute, replaced)
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".ipynb": "application/json",
        ".md": "text/markdown; charset=utf-8",
    }

    def log_message(self, format, *args):
        pass


COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


class _GzipHandler(_QuietHandler):
    """Like a static host: text (HTML, CSS, JS, SVG, JSON) gzipped when the client accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that drops a connection mid-response (Lighthouse ends its page loads that
        # way) is no error of the site: no traceback on stderr for it.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) from a thread; yield its base URL.

    ``compress`` gzips text responses the way a static host (GitHub Pages, Read the Docs) does.
    """
    handler = functools.partial(
        _GzipHandler if compress else _QuietHandler, directory=str(directory)
    )
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright):
    """Debian's Chromium, headless (Playwright's own browser download fails on these machines)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError(INSTALL_HINT)
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


def new_context(browser, base_url: str, mode: str, **kwargs):
    """A browser context in one colour mode, that lets no request leave the loopback server.

    pydata-sphinx-theme 0.20 reads the mode from localStorage "mode" (light, dark or auto) in
    a script at the top of every page, else the html_context default_mode ("auto" here);
    "auto" follows prefers-color-scheme, which the context emulates.
    Requests for any other origin are aborted and recorded in ``context.foreign_requests``.
    """
    context = browser.new_context(
        base_url=base_url,
        color_scheme=mode,
        viewport={"width": 1280, "height": 900},
        **kwargs,
    )
    if mode != "light":
        # A reader who picked dark in the theme switcher. Light mode is left to a first-time
        # reader (empty localStorage, the theme's default "auto" with a light system setting),
        # so that path is tested too.
        context.add_init_script(
            f'try {{ localStorage.setItem("mode", "{mode}"); '
            f'localStorage.setItem("theme", "{mode}"); }} catch (e) {{}}'
        )
    origin = urlsplit(base_url)
    foreign: list[str] = []

    def route(r):
        url = urlsplit(r.request.url)
        if url.scheme in {"data", "blob"} or (url.scheme, url.netloc) == (
            origin.scheme,
            origin.netloc,
        ):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.foreign_requests = foreign
    return context


def site_pages(site: Path, lang: str) -> list[str]:
    """Every page of one edition, as paths relative to the edition's folder."""
    root = site / lang
    return [
        p.relative_to(root).as_posix()
        for p in sorted(root.rglob("*.html"))
        if not p.relative_to(root).parts[0].startswith("_")
    ]


@dataclass
class Visit:
    """What one page load did: every request, failure, console error and page error."""

    url: str
    requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)
    # Requests cut off because the caller navigated away from the document that made them
    # (e.g. the previous page's favicon, still loading when page.goto left it): not failures.
    superseded: list[str] = field(default_factory=list)


ABORTED = "net::ERR_ABORTED"  # Chromium's error text for a load cancelled by a navigation


@contextlib.contextmanager
def recording(page, url: str) -> Iterator[Visit]:
    """Record what the page does while the body of the ``with`` runs, and let it finish.

    On leaving (without an exception), waits until every request the page started meanwhile
    has finished or failed, so nothing of this visit is still loading when the caller moves on.
    Every HTTP error status and every failed request is recorded, except a request cut off
    (``net::ERR_ABORTED``) because a later document replaced the one that made it: a request
    of an earlier document (one the browser made, like the favicon, can still start after the
    ``load`` event and be cut off by the caller's next ``page.goto``) is the caller's doing,
    not a fault of the site. Those are kept in ``visit.superseded``.
    """
    visit = Visit(url)
    documents = 0  # main-frame navigations committed since the recording began
    started: dict = {}  # request -> the value of ``documents`` when it started
    pending: dict = {}  # requests started and not yet finished or failed (insertion-ordered)
    failures: list = []

    def on_request(request):
        visit.requests.append(request.url)
        started[request] = documents
        pending[request] = None

    def on_response(response):
        visit.responses.append(response)
        if response.status >= 400:
            visit.bad_responses.append(f"{response.status} {response.url}")

    def on_finished(request):
        pending.pop(request, None)

    def on_failed(request):
        pending.pop(request, None)
        failures.append((request, request.failure))

    def on_navigated(frame):
        nonlocal documents
        if frame == page.main_frame:
            documents += 1

    def on_console(message):
        # An unused <link rel=preload> is only a warning, but it is a byte wasted: count it.
        if message.type == "error" or "preload" in message.text:
            visit.console_errors.append(f"{message.text} @ {message.location.get('url')}")

    def on_error(error):
        visit.page_errors.append(str(error))

    handlers = {
        "request": on_request,
        "response": on_response,
        "requestfinished": on_finished,
        "requestfailed": on_failed,
        "framenavigated": on_navigated,
        "console": on_console,
        "pageerror": on_error,
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        yield visit
        _settle(pending)
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
        for request, failure in failures:
            # Unseen start (-1): it started before the recording, so before any navigation in it.
            replaced = started.get(request, -1) < documents
            if failure == ABORTED and replaced and not request.is_navigation_request():
                visit.superseded.append(f"{failure} {request.url}")
            else:
                visit.failed.append(f"{failure} {request.url}")


def _settle(pending: dict) -> None:
    """Wait until the listeners of ``recording`` have seen each pending request end."""
    from playwright.sync_api import Error  # noqa: PLC0415  (harness imports without Playwright)

    while pending:
        request = next(iter(pending))
        try:
            # Resolves when the response headers arrive or the request fails; the round trip
            # also delivers the events that arrived meanwhile.
            response = request.response()
            if response is not None and request in pending:
                response.body()  # returns once the body is complete; raises if it failed
        except Error:
            pass  # it failed (or was a redirect): the requestfailed listener has the details
        pending.pop(request, None)


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""

# Lazy images load when they come near the viewport: bring each shown one into view and wait
# for it, then go back to the top. (Hidden ones, e.g. the other colour mode's figure, stay
# unloaded, as for a reader.)
LOAD_SHOWN_IMAGES = """async () => {
  for (const img of document.querySelectorAll("img[loading=lazy]")) {
    if (img.getClientRects().length === 0) continue;
    img.scrollIntoView();
    if (!img.complete) await new Promise(r => img.addEventListener("load", r, {once: true}));
    await img.decode();
  }
  window.scrollTo(0, 0);
}"""
