"""The download menu's notebooks (``.ipynb`` and ``.md``) as a reader's notebooks.

A chapter's executed notebook uses book-only machinery: ``myst_nb.glue`` to place figures,
``{glue:figure}`` directives, ``{cite:p}``/``{class}``/``{doc}`` roles, ``{literalinclude}``,
and figure settings the build passes to the kernel (``MATPLOTLIBRC``, ``BOOK_LANG``, an
IPython profile). A reader who installed only the package and a Jupyter kernel could not run
it. This extension writes, for every notebook page, a notebook that runs there:

* one set-up cell first that does what the build did (figure style and fonts from the
  package, the edition's figure language, inline PNG figures);
* ``from myst_nb import glue`` and the ``glue(...)`` calls are removed; a glued figure is an
  ordinary ``image/png`` display output of its cell (``application/papermill.record/...``
  outputs become plain display data);
* markdown cells in the language of the edition (the Korean edition's text comes from the
  same gettext catalog as its HTML pages), with every role written out as the text the HTML
  page shows (links to the book's pages), ``{glue:figure}`` as an italic caption with the
  figure's description, ``{literalinclude}`` as the included code, admonitions as quotes,
  sphinx-exercise's exercises as a bold "Exercise N (title)" paragraph and their solutions
  under a "Solution" heading (folded in ``<details>`` when the book folds them; a gated
  solution's code cells stay code cells); math stays ``$...$``;
* deterministic cell ids, no build-machine metadata.

The ``.ipynb`` keeps the outputs of the build; the ``.md`` (MyST Markdown via jupytext) is the
same notebook without outputs and replaces the copy of the source that ``html_copy_source``
would publish.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from book_editions import EDITIONS
from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

# Reader-visible strings of the downloads, per edition.
TEXT = {
    "en": {
        "setup": "# Set-up: the book's figure style and fonts, and the language of the figures.",
        "figure": "Figure",
        "description": "Description of the figure",
        "exercise": EDITIONS["en"].exercise_label,
        "solution": "Solution to {exercise}",  # as sphinx-exercise titles it on the page
    },
    "ko": {
        "setup": "# 준비: 책과 같은 그림 스타일과 글꼴, 그림에 쓸 언어를 설정합니다.",
        "figure": "그림",
        "description": "그림 설명",
        "exercise": EDITIONS["ko"].exercise_label,
        "solution": "해답: {exercise}",  # as the Korean pages title it (locale/ko/.../sphinx.po)
    },
}

PAPERMILL_PREFIX = "application/papermill.record/"
ADMONITIONS = {
    "admonition",
    "attention",
    "caution",
    "danger",
    "error",
    "hint",
    "important",
    "note",
    "seealso",
    "tip",
    "warning",
}
#: Markdown for a directive of another extension, by name:
#: ``render(argument, options, body) -> str`` (options as written). An extension registers its
#: own in its ``setup`` with :func:`register_directive`, e.g. the playground as a link to it.
DIRECTIVES: dict[str, Callable[[str, dict[str, str], str], str]] = {}


def register_directive(name: str, render: Callable[[str, dict[str, str], str], str]) -> None:
    """How a reader's notebook shows directive ``name`` (which Jupyter cannot render)."""
    DIRECTIVES[name] = render


EXERCISES = {"exercise", "exercise-start"}
SOLUTIONS = {"solution", "solution-start"}
EXERCISE_DIRECTIVES = EXERCISES | SOLUTIONS | {"exercise-end", "solution-end"}
ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:+.-]*)\}`(?P<content>[^`]+)`")
PY_ROLES = {"class", "meth", "func", "attr", "data", "mod", "obj", "exc", "const"}


def _identity(message: str) -> str:
    return message


def _space(text: str) -> str:
    return " ".join(text.split())


# --- Code cells -------------------------------------------------------------------------


def setup_cell_source(lang: str) -> str:
    """The first cell of a download: what the build does outside the notebook."""
    return "\n".join(
        [
            TEXT.get(lang, TEXT["en"])["setup"],
            "%matplotlib inline",
            '%config InlineBackend.figure_formats = ["retina"]',
            "import os",
            "",
            f'os.environ.setdefault("BOOK_LANG", "{lang}")',
            "",
            "import matplotlib.pyplot as plt",
            "",
            "from adam_tutorial import plotting",
            "",
            "plt.style.use(plotting.STYLE)",
        ]
    )


def _parsable(source: str) -> str:
    """The cell's code with IPython magics and shell escapes blanked (same line numbers)."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
    )


def _is_glue_call(node: ast.AST) -> ast.Call | None:
    if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call):
        return None
    func = node.value.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return node.value if name == "glue" else None


def _imports_myst_nb(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "myst_nb"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "myst_nb" for alias in node.names)
    return False


def strip_glue(source: str) -> tuple[str, list[str]]:
    """Remove myst_nb from a code cell: its import and the ``glue(...)`` statements.

    ``glue(name, obj, display=False)`` is removed: a pyplot figure is shown by the inline
    backend at the end of the cell, as it was in the build; when ``obj`` is computed in the call
    (``glue(name, make_figure(), display=False)``) it becomes ``name = make_figure()``. ``glue(name, obj)`` (which
    displays its object) becomes ``display(obj)``. Returns the new source and the names glued.
    """
    try:
        tree = ast.parse(_parsable(source))
    except SyntaxError:
        return source, []
    lines = source.split("\n")
    edits: list[tuple[int, int, list[str]]] = []  # (first line, last line, replacement)
    names: list[str] = []
    for node in ast.walk(tree):
        indent = " " * getattr(node, "col_offset", 0)
        if _imports_myst_nb(node):
            edits.append((node.lineno, node.end_lineno or node.lineno, []))
        elif (call := _is_glue_call(node)) is not None:
            if call.args and isinstance(call.args[0], ast.Constant):
                names.append(str(call.args[0].value))
            display = next((k.value for k in call.keywords if k.arg == "display"), None)
            hidden = isinstance(display, ast.Constant) and display.value is False
            computed = len(call.args) >= 2 and not isinstance(call.args[1], ast.Name | ast.Constant)
            if hidden and computed:
                # glue(name, make_figure(), display=False): the figure is made in the call, so
                # the call's argument stays, bound to the glued name (the inline backend shows it)
                target = re.sub(r"\W", "_", names[-1]) if names and names[-1] else "_"
                target = target if target.isidentifier() else "_"
                segment = ast.get_source_segment(source, call.args[1])
                replacement = [f"{indent}{target} = {segment}"]
            elif hidden or len(call.args) < 2:
                replacement = [f"{indent}pass"] if indent else []
            else:
                replacement = [f"{indent}display({ast.get_source_segment(source, call.args[1])})"]
            edits.append((node.lineno, node.end_lineno or node.lineno, replacement))
    for first, last, replacement in sorted(edits, reverse=True):
        # No blank line left behind where a block of code was removed.
        blank_after = last < len(lines) and not lines[last].strip()
        blank_before = first == 1 or not lines[first - 2].strip()
        end = last + 1 if not replacement and blank_after and blank_before else last
        lines[first - 1 : end] = replacement
    return "\n".join(lines).strip("\n"), names


def reader_outputs(outputs: list[dict], glued: Iterable[Mapping[str, Any]] = ()) -> list[dict]:
    """A cell's outputs for a reader: glued (papermill) records become plain display data.

    ``glued`` are the outputs recorded by the cell's ``glue`` calls (MyST-NB keeps them in
    ``<page>.glue.json``); one is added when the cell shows no image of its own.
    """
    result: list[dict] = []
    for original in outputs:
        output = copy.deepcopy(original)
        data = output.get("data")
        if isinstance(data, dict) and any(key.startswith(PAPERMILL_PREFIX) for key in data):
            output["data"] = {key.removeprefix(PAPERMILL_PREFIX): v for key, v in data.items()}
            output["output_type"] = "display_data"
            output.pop("execution_count", None)
            metadata = output.get("metadata", {})
            output["metadata"] = {
                key.removeprefix(PAPERMILL_PREFIX): value
                for key, value in metadata.items()
                if key != "scrapbook"
            }
        if output.get("data") is not None and any(
            output.get("data") == other.get("data") for other in result
        ):
            continue  # the same figure twice (a glued record and the inline figure)
        result.append(output)
    has_image = any(key.startswith("image/") for o in result for key in o.get("data", {}))
    for record in glued:
        if has_image or not any(key.startswith("image/") for key in record.get("data", {})):
            continue
        result.append(reader_outputs([record])[0])
        has_image = True
    return result


# --- Markdown cells -----------------------------------------------------------------------


def markdown_parser(extensions: Iterable[str] = ()):
    """MyST's markdown-it parser (token line maps tell where each block is)."""
    from markdown_it.renderer import RendererHTML  # noqa: PLC0415
    from myst_parser.config.main import MdParserConfig  # noqa: PLC0415
    from myst_parser.parsers.mdit import create_md_parser  # noqa: PLC0415

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


def _directive_parts(content: str) -> tuple[dict[str, str], str]:
    """``:key: value`` options at the top of a directive body, and the rest."""
    options: dict[str, str] = {}
    lines = content.split("\n")
    index = 0
    if lines and lines[0].strip() == "---":  # YAML block
        end = lines.index("---", 1) if "---" in lines[1:] else 0
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        index = end + 1
    while index < len(lines) and (match := re.match(r"^:([\w-]+):\s*(.*)$", lines[index])):
        value = match.group(2).strip()
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]  # MyST reads option values as YAML scalars
        options[match.group(1)] = value
        index += 1
    return options, "\n".join(lines[index:]).strip("\n")


def role_text(name: str, content: str) -> str:
    """A role the build did not resolve, as readable text (the title the HTML would show)."""
    if name == "math":
        return f"${content}$"
    title = content
    if match := re.match(r"^(.*?)\s*<([^<>]+)>$", content, re.DOTALL):
        title = match.group(1)
    elif title.startswith("~"):
        title = title[1:].split(".")[-1]
    title = title.lstrip("!")
    if name.removeprefix("py:") in PY_ROLES:
        return f"`{title}`"
    return title


def _glue_text(name: str, content: str, glue: Mapping[str, Any]) -> str | None:
    key, _, spec = content.partition(":") if name == "glue:text" else (content, "", "")
    record = glue.get(key.strip())
    if record is None:
        return None
    plain = record.get("data", {}).get("text/plain", "")
    if isinstance(plain, list):
        plain = "".join(plain)
    if name == "glue:md":
        return record.get("data", {}).get("text/markdown", plain)
    if spec:
        try:
            return format(float(plain), spec)
        except ValueError:
            return plain
    return plain


def resolve_roles(
    text: str,
    roles: Mapping[str, str],
    glue: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Every ``{role}`content``` of `text` written out.

    `roles` maps a role as written (``{class}`~adam_tutorial.Adam```, whitespace collapsed)
    to the markdown of what the build made of it (text and link). Others: glue roles take
    the glued value; ``{ref}``/``{numref}`` to a label of `labels` (an exercise: "Exercise
    2") its text; the rest show their title.
    """

    def replace(match: re.Match[str]) -> str:
        name, content = match.group("name"), match.group("content")
        resolved = roles.get(_space(match.group(0)))
        if resolved is not None:
            return resolved
        if name in {"ref", "numref"} and labels:
            title, _, target = _space(content).rpartition("<")
            target = target.rstrip(">") if title else target
            if target in labels:
                return title.strip() or labels[target]
        if name.startswith("glue") and glue is not None:
            value = _glue_text(name, content, glue)
            if value is not None:
                return value
        return role_text(name, _space(content))

    return ROLE.sub(replace, text)


def render_markdown(
    text: str,
    *,
    lang: str = "en",
    gettext: Callable[[str], str] = _identity,
    roles: Mapping[str, str] | None = None,
    glue: Mapping[str, Any] | None = None,
    include: Callable[[str, dict[str, str]], str] | None = None,
    admonition_titles: Mapping[str, str] | None = None,
    exercises: Mapping[str, tuple[int | None, str]] | None = None,
    parser=None,
) -> str:
    """A markdown cell of the book as markdown that Jupyter renders.

    Paragraphs and headings are translated with `gettext` (messages as Sphinx extracts
    them: the paragraph's text with its lines joined by spaces) and their roles resolved
    (see :func:`resolve_roles`). Directives: ``{glue:figure}`` becomes an italic caption and
    the figure's description, ``{literalinclude}`` the included code (`include`), admonitions
    quotes, ``{math}`` a ``$$`` block, exercises and solutions (sphinx-exercise) a bold
    heading with their body (see :func:`exercise_heading`; `exercises` maps the page's exercise
    labels to their numbers and titles, :func:`exercise_numbers`). Everything else (math,
    code, lists) stays as written.
    """
    roles = roles or {}
    exercises = exercises or {}
    parser = parser or markdown_parser(["dollarmath", "amsmath", "colon_fence", "deflist"])
    labels = TEXT.get(lang, TEXT["en"])
    ref_labels = {
        label: exercise_heading(number, "", labels) for label, (number, _) in exercises.items()
    }
    lines = text.split("\n")
    tokens = parser.parse(text)
    edits: list[tuple[int, int, list[str]]] = []
    for position, token in enumerate(tokens):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in {"paragraph_open", "heading_open"}:
            inline = tokens[position + 1]
            original = inline.content
            message = gettext(_space(original))
            translated = message != _space(original)
            body = resolve_roles(message if translated else original, roles, glue, ref_labels)
            if body == original:
                continue
            if token.type == "heading_open":
                new = [f"{'#' * int(token.tag[1])} {_space(body)}"]
            else:
                first = original.split("\n", 1)[0]
                prefix = lines[start][: max(lines[start].find(first), 0)]
                indent = " " * len(prefix)
                new = [
                    (prefix if n == 0 else indent) + line for n, line in enumerate(body.split("\n"))
                ]
            edits.append((start, end, new))
        elif token.type in {"fence", "colon_fence"} and token.info.startswith("{"):
            name, _, argument = token.info[1:].partition("}")
            argument = argument.strip()
            options, body = _directive_parts(token.content)
            directive = _exercise_directive if name in EXERCISE_DIRECTIVES else _directive
            new = (
                DIRECTIVES[name](argument, options, body)
                if name in DIRECTIVES
                else directive(
                    name,
                    argument,
                    options,
                    body,
                    lang=lang,
                    labels=labels,
                    gettext=gettext,
                    roles=roles,
                    glue=glue,
                    include=include,
                    titles=admonition_titles,
                    exercises=exercises,
                    parser=parser,
                )
            )
            if new is not None:
                edits.append((start, end, new.split("\n")))
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = new
    return "\n".join(lines)


def exercise_heading(number: int | None, title: str, labels: Mapping[str, str]) -> str:
    """ "Exercise 2 (title)" in the edition's words; no number for ``:nonumber:``."""
    head = labels["exercise"] if number is None else f"{labels['exercise']} {number}"
    return f"{head} ({title})" if title else head


def exercise_numbers(sources: Iterable[str], parser=None) -> dict[str, tuple[int | None, str]]:
    """The page's exercises, label to (number, title as written), numbered in order as
    sphinx-exercise numbers them on a page (``:nonumber:`` ones get ``None``)."""
    parser = parser or markdown_parser(["dollarmath", "amsmath", "colon_fence", "deflist"])
    found: dict[str, tuple[int | None, str]] = {}
    count = 0
    for source in sources:
        for token in parser.parse(source):
            if token.type not in {"fence", "colon_fence"} or not token.info.startswith("{"):
                continue
            name, _, argument = token.info[1:].partition("}")
            if name not in EXERCISES:
                continue
            options, _ = _directive_parts(token.content)
            number = None
            if "nonumber" not in options:
                count += 1
                number = count
            found[options.get("label", f"exercise-{count}")] = (number, _space(argument))
    return found


def _exercise_directive(
    name: str,
    argument: str,
    options: Mapping[str, str],
    body: str,
    *,
    labels: Mapping[str, str],
    exercises: Mapping[str, tuple[int | None, str]],
    gettext: Callable[[str], str],
    roles: Mapping[str, str],
    glue: Mapping[str, Any] | None,
    **context: Any,
) -> str:
    """An exercise or solution of sphinx-exercise as a bold heading and its body."""

    def title_text(title: str) -> str:
        return resolve_roles(gettext(_space(title)), roles, glue) if title else ""

    def inner(source: str) -> str:
        return render_markdown(
            source,
            lang=context["lang"],
            gettext=gettext,
            roles=roles,
            glue=glue,
            include=context["include"],
            admonition_titles=context["titles"],
            exercises=exercises,
            parser=context["parser"],
        )

    if name in {"exercise-end", "solution-end"}:
        return ""  # a gated block's end: its heading came at the start
    if name in EXERCISES:
        number, title = exercises.get(options.get("label", ""), (None, ""))
        heading = exercise_heading(number, title_text(title or _space(argument)), labels)
    else:
        number, title = exercises.get(argument.strip(), (None, ""))
        exercise = exercise_heading(number, title_text(title), labels)
        heading = labels["solution"].format(exercise=exercise)
    content = inner(body) if body else ""
    if not content:
        return f"**{heading}**"
    if name == "solution" and "dropdown" in options.get("class", "").split():
        # folded as in the book; the blank lines let Jupyter render the markdown inside
        return f"<details><summary><b>{heading}</b></summary>\n\n{content}\n\n</details>"
    return f"**{heading}**\n\n{content}"


def _directive(
    name,
    argument,
    options,
    body,
    *,
    lang,
    labels,
    gettext,
    roles,
    glue,
    include,
    titles,
    exercises,
    parser,
) -> str | None:
    def text(message: str) -> str:
        return resolve_roles(gettext(_space(message)), roles, glue)

    def inner(source: str) -> str:
        return render_markdown(
            source,
            lang=lang,
            gettext=gettext,
            roles=roles,
            glue=glue,
            include=include,
            admonition_titles=titles,
            exercises=exercises,
            parser=parser,
        )

    if name == "glue:figure":
        parts = []
        if body:
            parts.append(f"*{labels['figure']}: {text(body)}*")
        if options.get("alt"):
            parts.append(
                f"<details><summary>{labels['description']}</summary>\n\n"
                f"{gettext(_space(options['alt']))}\n\n</details>"
            )
        return "\n\n".join(parts)
    if name.split(":")[0] == "glue":
        return ""  # the glued object is shown by its own cell
    if name == "literalinclude" and include is not None:
        code = include(argument, options).rstrip("\n")
        return f"```{options.get('language', '')}\n{code}\n```"
    if name == "math":
        return f"$$\n{body}\n$$"
    if name in ADMONITIONS:
        title = argument if name == "admonition" else (titles or {}).get(name, name.title())
        quoted = [f"> **{text(title)}**", ">"] + [
            f"> {line}".rstrip() for line in inner(body).split("\n")
        ]
        return "\n".join(quoted)
    return None


# --- The whole notebook ---------------------------------------------------------------------


def reader_notebook(
    notebook: Mapping[str, Any],
    *,
    lang: str = "en",
    gettext: Callable[[str], str] = _identity,
    roles: Mapping[str, str] | None = None,
    glue: Mapping[str, Any] | None = None,
    include: Callable[[str, dict[str, str]], str] | None = None,
    admonition_titles: Mapping[str, str] | None = None,
    extensions: Iterable[str] = ("dollarmath", "amsmath", "colon_fence", "deflist"),
    numbers: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The executed notebook of a page, as a reader's notebook (see the module docstring).

    `numbers` maps exercise labels to the numbers the book gives them (numbered through the
    whole book, as on the page); without it, the page's exercises are numbered from 1.
    """
    glue = glue or {}
    parser = markdown_parser(extensions)
    exercises = exercise_numbers(
        (
            "".join(cell.get("source", ""))
            for cell in notebook.get("cells", [])
            if cell.get("cell_type") == "markdown"
        ),
        parser,
    )
    for label, (number, title) in exercises.items():
        if number is not None and label in (numbers or {}):
            exercises[label] = (numbers[label], title)
    cells: list[dict[str, Any]] = [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": setup_cell_source(lang),
        }
    ]
    for cell in notebook.get("cells", []):
        source = "".join(cell.get("source", ""))
        metadata = {k: v for k, v in cell.get("metadata", {}).items() if k != "execution"}
        if cell.get("cell_type") == "code":
            source, names = strip_glue(source)
            new = {
                "cell_type": "code",
                "execution_count": cell.get("execution_count"),
                "metadata": metadata,
                "outputs": reader_outputs(
                    cell.get("outputs", []), [glue[n] for n in names if n in glue]
                ),
                "source": source,
            }
        elif cell.get("cell_type") == "markdown":
            new = {
                "cell_type": "markdown",
                "metadata": metadata,
                "source": render_markdown(
                    source,
                    lang=lang,
                    gettext=gettext,
                    roles=roles,
                    glue=glue,
                    include=include,
                    admonition_titles=admonition_titles,
                    exercises=exercises,
                    parser=parser,
                ),
            }
            if not new["source"].strip():
                continue  # e.g. only the end of a gated solution: nothing to read
            new["source"] = new["source"].strip("\n")
        else:
            new = copy.deepcopy(dict(cell))
        cells.append(new)
    # jupytext gives every cell a random id: derive them from the cells instead, so two
    # builds of one commit produce the same file.
    for index, cell in enumerate(cells):
        cell["id"] = hashlib.sha256(f"{index}:{cell['source']}".encode()).hexdigest()[:8]
    metadata = {
        key: value
        for key, value in notebook.get("metadata", {}).items()
        if key in {"kernelspec", "language_info"}
    }
    if "language_info" in metadata:  # the Python version of the build machine goes
        metadata["language_info"] = {
            k: v for k, v in metadata["language_info"].items() if k != "version"
        }
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def notebook_json(notebook: Mapping[str, Any]) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def notebook_markdown(notebook: Mapping[str, Any]) -> str:
    """The reader's notebook as a MyST Markdown notebook (what Jupytext opens)."""
    import jupytext  # noqa: PLC0415
    import nbformat  # noqa: PLC0415

    nb = nbformat.from_dict(copy.deepcopy(dict(notebook)))
    for cell in nb.cells:
        cell.pop("outputs", None)
        if "execution_count" in cell:
            cell.execution_count = None
    return jupytext.writes(nb, fmt="md:myst")


# --- Sphinx side ------------------------------------------------------------------------------


class MarkRoles(SphinxPostTransform):
    """Wrap every cross-reference of a role, before it is resolved, to see what it becomes."""

    default_priority = 5  # before ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        from sphinx import addnodes  # noqa: PLC0415

        for node in list(self.document.findall(addnodes.pending_xref)):
            raw = node.rawsource or ""
            match = re.fullmatch(r":([\w:+.-]+):`(.*)`", raw.strip(), re.DOTALL)
            if not match:
                continue
            marker = nodes.inline()
            marker["reader_role"] = _space(f"{{{match.group(1)}}}`{match.group(2)}`")
            node.replace_self(marker)
            marker += node


def _inline_markdown(node: nodes.Node, page_url: str) -> str:
    if isinstance(node, nodes.Text):
        return str(node)
    inner = "".join(_inline_markdown(child, page_url) for child in node.children)
    if isinstance(node, nodes.literal):
        return f"`{node.astext()}`"
    if isinstance(node, nodes.emphasis):
        return f"*{inner}*"
    if isinstance(node, nodes.strong):
        return f"**{inner}**"
    if isinstance(node, nodes.reference):
        target = node.get("refuri") or ("#" + node["refid"] if node.get("refid") else "")
        return f"[{inner}]({urljoin(page_url, target)})" if target else inner
    return inner


def _collect_roles(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """What each role of the page became (markdown), then the wrappers go."""
    try:
        uri = app.builder.get_target_uri(docname)
    except NotImplementedError:
        uri = ""
    page_url = urljoin(app.config.html_baseurl or "", uri)
    found: dict[str, str] = {}
    for marker in list(
        doctree.findall(lambda n: isinstance(n, nodes.inline) and "reader_role" in n)
    ):
        found.setdefault(marker["reader_role"], _inline_markdown(marker, page_url))
        marker.replace_self(marker.children)
    if not hasattr(app.builder, "reader_roles"):
        app.builder.reader_roles = {}
    app.builder.reader_roles[docname] = found


def _staging(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "notebook_downloads"


def _page_downloads(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Write the page's reader notebooks (staged) and offer the .ipynb in the menu."""
    if doctree is None or not app.env.metadata.get(pagename, {}).get("kernelspec"):
        return
    config = getattr(app.env, "mystnb_config", None)
    if config is None:
        return
    folder = Path(config.output_folder)
    executed = folder / f"{pagename}.ipynb"
    if not executed.exists():
        return
    glue_file = folder / f"{pagename}.glue.json"
    glue = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.exists() else {}

    from sphinx.directives.code import LiteralIncludeReader  # noqa: PLC0415
    from sphinx.locale import admonitionlabels, init  # noqa: PLC0415
    from sphinx.util.i18n import docname_to_domain  # noqa: PLC0415

    lang = app.config.language or "en"
    catalog, _ = init(
        [str(Path(app.srcdir, d)) for d in app.config.locale_dirs],
        lang,
        docname_to_domain(pagename, app.config.gettext_compact),
    )

    def include(argument: str, options: dict[str, str]) -> str:
        _, path = app.env.relfn2path(argument, pagename)
        numbers = {"dedent", "lineno-start", "tab-width"}
        opts: dict[str, Any] = {
            key: (int(value) if key in numbers and value else value or True)
            for key, value in options.items()
        }
        return LiteralIncludeReader(path, opts, app.config).read()[0]

    reader = reader_notebook(
        json.loads(executed.read_text(encoding="utf-8")),
        lang=lang,
        gettext=catalog.gettext,
        roles=getattr(app.builder, "reader_roles", {}).get(pagename, {}),
        glue=glue,
        include=include,
        admonition_titles={k: str(v) for k, v in admonitionlabels.items()},
        extensions=app.config.myst_enable_extensions,
        numbers={  # the page's numbers (numfig): "Exercise 26", not the 1st of this page
            label: number[0]
            for label, number in app.env.toc_fignumbers.get(pagename, {})
            .get("exercise", {})
            .items()
        },
    )
    staging = _staging(app)
    files = {f"{pagename}.ipynb": notebook_json(reader)}
    sourcename = context.get("sourcename") or ""
    if app.builder.copysource and sourcename.endswith(".md"):
        # The source the menu offers as .md: the reader's notebook, not the book's source.
        files[sourcename] = notebook_markdown(reader)
    for name, text in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def _install_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Put the staged notebooks into ``_sources/`` (after Sphinx copied the sources there)."""
    staging = _staging(app)
    if exception is not None or app.builder.format != "html" or not staging.is_dir():
        return
    pages = set(app.env.all_docs)
    for path in sorted(staging.rglob("*")):
        name = path.relative_to(staging).as_posix()
        if not path.is_file() or name.rsplit(".", 1)[0] not in pages:
            continue
        target = Path(app.outdir) / "_sources" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != path.read_bytes():
            shutil.copyfile(path, target)


def setup(app: Sphinx) -> dict[str, Any]:
    # Pages are written again when this file changes (its hash is an "html" config value).
    app.add_config_value(
        "notebook_downloads_fingerprint",
        hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16],
        "html",
    )
    app.add_post_transform(MarkRoles)
    app.connect("doctree-resolved", _collect_roles, priority=100)
    # Before sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", _page_downloads, priority=400)
    app.connect("build-finished", _install_downloads)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 1,
    }
