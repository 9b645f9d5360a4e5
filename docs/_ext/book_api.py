"""The API pages: autosummary stubs without orphans, NamedTuple fields, re-exports, napoleon.

* **Stubs** (``builder-inited``): autosummary writes one stub per public name into
  ``docs/generated/`` (gitignored) but never deletes one: a renamed or removed name would
  leave an orphan page behind and fail the build. The folder is emptied before autosummary
  writes it (priority 400; autosummary's handler has the default, 500), and a regenerated
  stub that did not change gets its old modification time back (priority 800), so that an
  incremental build does not read every API page again.
* **NamedTuple fields** (``autodoc-skip-member``) are documented in the class docstring, not a
  second time as "Alias for field number ...".
* **Re-exports** (``missing-reference``): type hints carry the defining module
  (``adam_tutorial.optimizers.adam.AdamState``); the pages document the public name.
* **napoleon** leaves the docstrings of module data and attributes alone.
* **Catalogs**: autosummary's tables (docstring summaries) stay out of the gettext catalogs.
* **Titles** (``html-page-context``): a page's title is a dotted name
  (``adam_tutorial.RMSpropState``), wider than a phone's column; it may break after a dot
  (``<wbr>``), so the line breaks there and not inside a name (book.css lets a word too wide
  for its heading break anywhere).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.ext import napoleon
from sphinx.ext.autosummary import autosummary_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

STUBS = "generated"  # autosummary_generate's folder, relative to the source folder


def _wipe_stubs(app: Sphinx) -> None:
    folder = Path(app.srcdir) / STUBS
    app._book_old_stubs = {  # type: ignore[attr-defined]
        path.name: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.glob("*.rst"))
    }
    shutil.rmtree(folder, ignore_errors=True)


def _keep_stub_mtimes(app: Sphinx) -> None:
    """After autosummary has written the stubs again: unchanged ones keep their mtime."""
    old_stubs = getattr(app, "_book_old_stubs", {})
    for path in (Path(app.srcdir) / STUBS).glob("*.rst"):
        old = old_stubs.get(path.name)
        if old is not None and path.read_bytes() == old[0]:
            os.utime(path, ns=(old[1], old[1]))


def skip_namedtuple_fields(app, what, name, obj, skip, options) -> bool | None:
    """Skip a NamedTuple's field accessors (documented in the class docstring).

    >>> from typing import NamedTuple
    >>> class State(NamedTuple):
    ...     t: int
    >>> skip_namedtuple_fields(None, "class", "t", State.t, False, {})
    True
    >>> skip_namedtuple_fields(None, "class", "State", State, False, {}) is None
    True
    """
    doc = getattr(obj, "__doc__", None) or ""
    if what == "class" and doc.startswith("Alias for field number"):
        return True
    return None


def reexport_candidates(target: str, package: str = "adam_tutorial") -> list[str]:
    """Public names a fully qualified *target* may be documented under, longest first.

    >>> reexport_candidates("adam_tutorial.optimizers.adam.AdamState")
    ['adam_tutorial.adam.AdamState', 'adam_tutorial.AdamState']
    >>> reexport_candidates("numpy.ndarray")
    []
    """
    if not target.startswith(package + "."):
        return []
    parts = target.split(".")
    return [".".join([package, *parts[i:]]) for i in range(2, len(parts))]


def resolve_reexports(app, env, node, contnode):
    """Resolve a cross-reference to a defining module's name to the documented public name."""
    if node.get("refdomain") != "py":
        return None
    domain = env.domains["py"]
    for candidate in reexport_candidates(node.get("reftarget", "")):
        if candidate in domain.objects:
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
            )
    return None


def _napoleon_skips_data(app: Sphinx) -> None:
    """Let napoleon leave docstrings of module data and attributes alone.

    napoleon reads the text before the first colon of such a docstring as its type
    (``"Beale's function: flat plateaus"`` would make a cross-reference to a class
    ``Beale's function``). autodoc already takes their types from the annotations.
    """
    for listener in list(app.events.listeners["autodoc-process-docstring"]):
        if listener.handler is napoleon._process_docstring:
            app.disconnect(listener.id)

            def process(app, what, name, obj, options, lines, _handler=listener.handler):
                if what not in {"data", "attribute"}:
                    _handler(app, what, name, obj, options, lines)

            app.connect("autodoc-process-docstring", process, priority=listener.priority)


def untranslatable_api_tables(app, doctree: nodes.Node) -> None:
    """Keep autosummary's tables (docstring summaries) out of the gettext catalogs.

    Docstrings stay English in both editions, like the code; their summaries would
    otherwise land in api.po as reST that the MyST parser of a translation can't read.
    """
    for table in doctree.findall(autosummary_table):
        for node in table.findall(nodes.TextElement):
            node["translatable"] = False


_TITLE = re.compile(r"(<h1>)([^<]+)")


def break_titles_after_dots(app: Sphinx, pagename: str, templatename: str, context, doctree):
    """``<h1>adam_tutorial.<wbr>RMSpropState``: on an API page, the title breaks after a dot.

    >>> context = {"body": '<section><h1>adam_tutorial.optimizers.set_threads<a href="#">#</a>'}
    >>> break_titles_after_dots(None, "generated/x", "page.html", context, None)
    >>> context["body"]
    '<section><h1>adam_tutorial.<wbr>optimizers.<wbr>set_threads<a href="#">#</a>'
    """
    if pagename.startswith(f"{STUBS}/") and "body" in context:
        context["body"] = _TITLE.sub(
            lambda m: m[1] + m[2].replace(".", ".<wbr>"), context["body"], count=1
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.autosummary")
    app.setup_extension("sphinx.ext.napoleon")  # before its handler is re-wired
    app.connect("builder-inited", _wipe_stubs, priority=400)  # before autosummary (500)
    app.connect("builder-inited", _keep_stub_mtimes, priority=800)  # after autosummary
    app.connect("doctree-read", untranslatable_api_tables)
    _napoleon_skips_data(app)
    app.connect("autodoc-skip-member", skip_namedtuple_fields)
    app.connect("missing-reference", resolve_reexports)
    app.connect("html-page-context", break_titles_after_dots)
    return {
        "version": __version__,
        "env_version": 2,  # 2: the titles' <wbr> (written pages need a new read)
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
