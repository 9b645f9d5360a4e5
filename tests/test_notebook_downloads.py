"""The download menu's reader notebooks (docs/_ext/notebook_downloads.py) and the check that
no executed cell warns (docs/_ext/quiet_cells.py): their transformation functions, and one
throwaway Sphinx build that must fail on a hidden ``warnings.warn``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import notebook_downloads as nd
import quiet_cells as qc


def code(source, outputs=(), tags=()):
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {"tags": list(tags)} if tags else {},
        "outputs": list(outputs),
        "source": source,
    }


def markdown(source):
    return {"cell_type": "markdown", "metadata": {}, "source": source}


PNG = "iVBORw0KGgo="


# --- code cells ------------------------------------------------------------------------


def test_strip_glue_removes_the_import_and_the_hidden_glue_call():
    source = textwrap.dedent(
        """\
        import matplotlib.pyplot as plt
        from myst_nb import glue

        from adam_tutorial import plotting

        fig, ax = plt.subplots()
        glue("adam_path", fig, display=False)"""
    )
    new, names = nd.strip_glue(source)
    assert names == ["adam_path"]
    assert new == textwrap.dedent(
        """\
        import matplotlib.pyplot as plt

        from adam_tutorial import plotting

        fig, ax = plt.subplots()"""
    )


def test_strip_glue_keeps_code_layout_and_displays_a_shown_glue():
    source = 'import myst_nb\n\n\ndef f():\n    return 1\n\n\nmyst_nb.glue("x", f())\n'
    new, names = nd.strip_glue(source)
    assert names == ["x"]
    assert new == "def f():\n    return 1\n\n\ndisplay(f())"


def test_strip_glue_keeps_a_figure_made_inside_the_hidden_glue_call():
    # real-data glued `curves_figure("mlp")` directly: removing the call removed the figure
    source = 'fig = None\nglue("digits_mlp-curves", curves_figure(\n    "mlp"), display=False)'
    new, names = nd.strip_glue(source)
    assert names == ["digits_mlp-curves"]
    assert new == 'fig = None\ndigits_mlp_curves = curves_figure(\n    "mlp")'


def test_strip_glue_inside_a_block_leaves_valid_code_and_ignores_magics():
    source = '%matplotlib inline\nfor i in range(2):\n    glue(f"g{i}", i, display=False)'
    new, _ = nd.strip_glue(source)
    assert new == "%matplotlib inline\nfor i in range(2):\n    pass"


def test_papermill_records_become_plain_display_data():
    record = {
        "output_type": "display_data",
        "data": {
            "application/papermill.record/image/png": PNG,
            "application/papermill.record/text/plain": "<Figure>",
        },
        "metadata": {
            "application/papermill.record/image/png": {"width": 10},
            "scrapbook": {"name": "f", "mime_prefix": "application/papermill.record/"},
        },
    }
    (out,) = nd.reader_outputs([record])
    assert out == {
        "output_type": "display_data",
        "data": {"image/png": PNG, "text/plain": "<Figure>"},
        "metadata": {"image/png": {"width": 10}},
    }


def test_a_glued_figure_is_shown_once():
    inline = {"output_type": "display_data", "data": {"image/png": PNG}, "metadata": {}}
    glued = {"output_type": "display_data", "data": {"image/png": "other"}, "metadata": {}}
    # The cell shows its figure already (inline backend): the glue.json copy is not added.
    assert nd.reader_outputs([inline], [glued]) == [inline]
    # MyST-NB took the record out of the cell and nothing else shows it: it comes back.
    assert nd.reader_outputs([], [glued]) == [glued]
    # The same figure as a record and as inline output: once.
    record = {
        "output_type": "display_data",
        "data": {"application/papermill.record/image/png": PNG},
        "metadata": {},
    }
    assert nd.reader_outputs([inline, record]) == [inline]


# --- markdown cells ---------------------------------------------------------------------


def test_glue_figure_becomes_caption_and_description():
    text = textwrap.dedent(
        """\
        Before.

        ```{glue:figure} adam_path
        :alt: Contour plot of the bowl.
        :name: fig-adam-path

        Adam's path on $f(x, y)$, {cite:p}`kingma2015adam`.
        ```

        After."""
    )
    roles = {"{cite:p}`kingma2015adam`": "[[Kingma and Ba, 2015](https://book/en/refs.html#k)]"}
    out = nd.render_markdown(text, roles=roles)
    assert out == textwrap.dedent(
        """\
        Before.

        *Figure: Adam's path on $f(x, y)$, [[Kingma and Ba, 2015](https://book/en/refs.html#k)].*

        <details><summary>Description of the figure</summary>

        Contour plot of the bowl.

        </details>

        After."""
    )
    assert "{glue" not in out
    assert "```" not in out


def test_korean_text_comes_from_the_catalog_with_roles_resolved():
    catalog = {
        "The update rule": "업데이트 규칙",
        "The {class}`~adam_tutorial.Adam` class, with $\\eta$.": (
            "{class}`~adam_tutorial.Adam` 클래스와 $\\eta$입니다."
        ),
        "Caption.": "캡션.",
        "Alt text.": "대체 텍스트.",
    }
    text = textwrap.dedent(
        """\
        ## The update rule

        - The {class}`~adam_tutorial.Adam` class,
          with $\\eta$.

        $$
        m_t = \\beta_1 m_{t-1}
        $$

        ```{glue:figure} f
        :alt: Alt text.

        Caption.
        ```"""
    )
    roles = {"{class}`~adam_tutorial.Adam`": "[`Adam`](https://book/ko/adam.html#A)"}
    out = nd.render_markdown(text, lang="ko", gettext=lambda m: catalog.get(m, m), roles=roles)
    assert out == textwrap.dedent(
        """\
        ## 업데이트 규칙

        - [`Adam`](https://book/ko/adam.html#A) 클래스와 $\\eta$입니다.

        $$
        m_t = \\beta_1 m_{t-1}
        $$

        *그림: 캡션.*

        <details><summary>그림 설명</summary>

        대체 텍스트.

        </details>"""
    )


def test_unresolved_roles_become_readable_text():
    text = (
        "{func}`~adam_tutorial.run`, {meth}`Adam.step <adam_tutorial.Adam.step>`, "
        "{doc}`glossary`, {math}`x^2`, {glue:text}`loss:.3f`."
    )
    glue = {"loss": {"data": {"text/plain": "0.039321"}}}
    assert nd.render_markdown(text, glue=glue) == ("`run`, `Adam.step`, glossary, $x^2$, 0.039.")


def test_literalinclude_admonition_and_math_directives():
    text = textwrap.dedent(
        """\
        ```{literalinclude} ../src/x.py
        :language: python
        :pyobject: f
        :start-at: "if x:"
        ```

        ```{note}
        See {doc}`api`.
        ```

        ```{math}
        a = b
        ```"""
    )
    calls = []

    def include(argument, options):
        calls.append((argument, options))
        return "if x:\n    return 1\n"

    out = nd.render_markdown(
        text, include=include, roles={"{doc}`api`": "[API](https://book/en/api.html)"}
    )
    assert calls == [("../src/x.py", {"language": "python", "pyobject": "f", "start-at": "if x:"})]
    assert out == textwrap.dedent(
        """\
        ```python
        if x:
            return 1
        ```

        > **Note**
        >
        > See [API](https://book/en/api.html).

        $$
        a = b
        $$"""
    )


# --- the whole notebook -----------------------------------------------------------------


def test_reader_notebook_starts_with_the_setup_cell_and_keeps_tags():
    executed = {
        "cells": [
            markdown("# Title"),
            code(
                "import matplotlib.pyplot as plt\nfrom myst_nb import glue\n"
                "fig, ax = plt.subplots()\nglue('f', fig, display=False)",
                tags=["remove-cell"],
            ),
            markdown("```{glue:figure} f\n:alt: A.\n\nC.\n```"),
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python", "version": "3.11.7"},
            "source_map": [10, 20],
            "jupytext": {"text_representation": {"extension": ".md"}},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    glue = {"f": {"output_type": "display_data", "data": {"image/png": PNG}, "metadata": {}}}
    reader = nd.reader_notebook(executed, lang="ko", glue=glue)
    setup, title, figure, caption = reader["cells"]
    assert setup["source"] == nd.setup_cell_source("ko")
    assert 'os.environ.setdefault("BOOK_LANG", "ko")' in setup["source"]
    assert "plt.style.use(plotting.STYLE)" in setup["source"]
    assert setup["source"].startswith("# 준비:")  # commented in the edition's language
    assert title["source"] == "# Title"
    assert figure["metadata"] == {"tags": ["remove-cell"]}
    assert "myst_nb" not in figure["source"]
    assert "glue" not in figure["source"]
    assert figure["outputs"] == [glue["f"]]
    assert caption["source"].startswith("*그림: C.*")
    assert reader["metadata"] == {
        "kernelspec": executed["metadata"]["kernelspec"],
        "language_info": {"name": "python"},
    }
    assert len({cell["id"] for cell in reader["cells"]}) == 4
    assert nd.reader_notebook(executed, lang="ko", glue=glue) == reader  # deterministic
    nbformat.validate(nbformat.from_dict(reader))
    md = nd.notebook_markdown(reader)
    assert "myst_nb" not in md
    assert "{glue" not in md
    assert md.count("```{code-cell}") == 2


# --- quiet_cells ----------------------------------------------------------------------------


def test_a_hidden_cell_writing_to_stderr_is_reported():
    notebook = {
        "cells": [
            markdown("# Page"),
            code("print(1)", [{"output_type": "stream", "name": "stdout", "text": "1\n"}]),
            code(
                "import warnings; warnings.warn('boom')",
                [
                    {
                        "output_type": "stream",
                        "name": "stderr",
                        "text": ["<ipython>:1: UserWarning: boom\n", "  warnings.warn('boom')\n"],
                    }
                ],
                tags=["remove-cell"],
            ),
            code(
                "x",
                [
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": "ok\n/x.py:3: RuntimeWarning: overflow\n",
                    }
                ],
            ),
            code(
                "1/0",
                [
                    {
                        "output_type": "error",
                        "ename": "ZeroDivisionError",
                        "evalue": "division by zero",
                        "traceback": ["\x1b[31mZeroDivisionError\x1b[0m"],
                    }
                ],
                tags=["raises-exception", "remove-cell"],
            ),
        ]
    }
    problems = list(qc.cell_problems(notebook))
    assert problems == [
        (2, "stderr: <ipython>:1: UserWarning: boom\n  warnings.warn('boom')"),
        (3, "stdout: /x.py:3: RuntimeWarning: overflow"),
        (4, "error: ZeroDivisionError: division by zero\nZeroDivisionError"),
    ]


def test_clean_cells_are_not_reported():
    notebook = {
        "cells": [
            code("print('Warnings are fine in prose')", []),
            code("print(1)", [{"output_type": "stream", "name": "stdout", "text": "1\n"}]),
            code("fig", [{"output_type": "display_data", "data": {"image/png": PNG}}]),
        ]
    }
    assert list(qc.cell_problems(notebook)) == []


THROWAWAY_CONF = """\
import sys
sys.path.insert(0, {ext!r})
extensions = ["myst_nb", "quiet_cells", "notebook_downloads"]
nb_execution_mode = "force"
nb_output_stderr = "warn"
exclude_patterns = ["_build"]
"""

PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Page

```{{code-cell}} ipython3
print("shown")
```

```{{code-cell}} ipython3
:tags: [remove-cell]

{hidden}
```
"""


@pytest.mark.parametrize(
    ("hidden", "fails"),
    [('import warnings\nwarnings.warn("boom")', True), ("x = 1", False)],
    ids=["hidden-warning", "clean"],
)
def test_sphinx_build_fails_on_a_hidden_warning(tmp_path, hidden, fails):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(THROWAWAY_CONF.format(ext=str(ROOT / "docs" / "_ext")))
    (src / "index.md").write_text(PAGE.format(hidden=hidden))
    sphinx_build = Path(sys.executable).with_name("sphinx-build")
    result = subprocess.run(
        [
            str(sphinx_build),
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(src),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MPLBACKEND": "Agg"},
    )
    warnings = [line for line in result.stderr.splitlines() if ": WARNING: " in line]
    if not fails:
        assert result.returncode == 0, result.stderr
        assert warnings == []
        reader = json.loads((tmp_path / "out" / "_sources" / "index.ipynb").read_text())
        assert [c["metadata"] for c in reader["cells"]] == [{}, {}, {}, {"tags": ["remove-cell"]}]
        return
    assert result.returncode != 0
    assert len(warnings) == 1, result.stderr
    assert "index: cell 2 of the executed notebook: stderr:" in warnings[0]
    assert "UserWarning: boom" in warnings[0]
    assert warnings[0].startswith(str(src / "index"))


# --- exercises (sphinx-exercise) ----------------------------------------------------------

EXERCISE_PAGE = [
    markdown(
        "## Exercises\n\n```{exercise} One step\n:label: ex-one\n\nWhat is $y_1$?\n```\n\n"
        "```{solution} ex-one\n:class: dropdown\n\nIt is $0$, see {ref}`ex-two`.\n```"
    ),
    markdown("```{exercise}\n:label: ex-two\n:nonumber:\n\nNo number.\n```"),
    markdown("```{exercise} Edge\n:label: ex-three\n\nCompute.\n```"),
    markdown("```{solution-start} ex-three\n:class: dropdown\n```\n\nFirst a sentence."),
    code("print(1)", [{"output_type": "stream", "name": "stdout", "text": "1\n"}]),
    markdown("```{solution-end}\n```"),
    markdown("```{solution-end}\n```\n\nAfter the solution, {ref}`ex-three`."),
]


def test_exercises_are_numbered_in_page_order_and_unnumbered_ones_skipped():
    sources = [c["source"] for c in EXERCISE_PAGE if c["cell_type"] == "markdown"]
    assert nd.exercise_numbers(sources) == {
        "ex-one": (1, "One step"),
        "ex-two": (None, ""),
        "ex-three": (2, "Edge"),
    }


def test_an_exercise_becomes_a_bold_numbered_paragraph_and_its_solution_a_folded_block():
    exercises = nd.exercise_numbers([EXERCISE_PAGE[0]["source"]])
    md = nd.render_markdown(EXERCISE_PAGE[0]["source"], exercises=exercises)
    assert md == textwrap.dedent(
        """\
        ## Exercises

        **Exercise 1 (One step)**

        What is $y_1$?

        <details><summary><b>Solution to Exercise 1 (One step)</b></summary>

        It is $0$, see ex-two.

        </details>"""
    )


def test_exercises_in_korean_take_the_translated_title_and_body():
    catalog = {"One step": "한 스텝", "What is $y_1$?": "$y_1$은 얼마입니까?"}
    source = "```{exercise} One step\n:label: ex-one\n\nWhat is $y_1$?\n```\n\n" + (
        "```{solution} ex-one\n\nIt is $0$.\n```"
    )
    md = nd.render_markdown(
        source,
        lang="ko",
        gettext=lambda m: catalog.get(m, m),
        exercises=nd.exercise_numbers([source]),
    )
    assert (
        md
        == "**연습 문제 1 (한 스텝)**\n\n$y_1$은 얼마입니까?\n\n**해답: 연습 문제 1 (한 스텝)**\n\nIt is $0$."
    )


def test_a_reference_to_an_exercise_reads_as_its_name():
    exercises = {"ex-one": (1, "One step"), "ex-x": (None, "")}
    assert (
        nd.render_markdown("See {ref}`ex-one`, {ref}`ex-x`.", exercises=exercises)
        == "See Exercise 1, Exercise."
    )
    text = "See {ref}`the first <ex-one>`."
    assert nd.render_markdown(text, exercises=exercises) == "See the first."
    # What the build made of the role wins (a link to the exercise on the page).
    roles = {"{ref}`ex-one`": "[Exercise 1](https://book/en/p.html#ex-one)"}
    assert nd.render_markdown("{ref}`ex-one`", roles=roles, exercises=exercises) == (
        "[Exercise 1](https://book/en/p.html#ex-one)"
    )


def test_a_gated_solution_keeps_its_code_cell_and_leaves_no_directive():
    reader = nd.reader_notebook({"cells": EXERCISE_PAGE, "metadata": {}}, lang="ko")
    sources = [(c["cell_type"], c["source"]) for c in reader["cells"][1:]]
    assert sources == [
        (
            "markdown",
            (
                "## Exercises\n\n**연습 문제 1 (One step)**\n\nWhat is $y_1$?\n\n"
                "<details><summary><b>해답: 연습 문제 1 (One step)</b></summary>\n\n"
                "It is $0$, see 연습 문제.\n\n</details>"
            ),
        ),
        ("markdown", "**연습 문제**\n\nNo number."),
        ("markdown", "**연습 문제 2 (Edge)**\n\nCompute."),
        ("markdown", "**해답: 연습 문제 2 (Edge)**\n\nFirst a sentence."),
        ("code", "print(1)"),  # still code, with its output
        ("markdown", "After the solution, 연습 문제 2."),  # the end alone leaves no cell
    ]
    assert reader["cells"][5]["outputs"] == EXERCISE_PAGE[4]["outputs"]
    md = nd.notebook_markdown(reader)
    assert "```{" not in md.replace("```{code-cell}", "")
    assert md.count("```{code-cell}") == 2
