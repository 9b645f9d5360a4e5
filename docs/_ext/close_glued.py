"""IPython extension for the book's kernel: a matplotlib figure passed to ``glue`` is closed.

MyST-NB's ``glue(name, fig, display=False)`` renders the figure once, into the glued output.
The figure stays open, and at the end of the cell matplotlib-inline draws every open figure
again (with its dark and narrow variants, see figure_variants.py) into an output that a
``remove-cell`` tag then throws away: half the drawing time of a chapter, wasted. Loaded by
the kernel profile that book_notebooks.py writes, so downloads are unaffected (they have no
``glue``).
"""

from __future__ import annotations

import functools

__version__ = "1.0"


def load_ipython_extension(ipython) -> None:  # IPython passes the shell; unused
    import myst_nb  # noqa: PLC0415

    myst_nb.glue = closing(myst_nb.glue)


def closing(glue):
    """``glue`` that closes a matplotlib figure once it is glued (idempotent)."""
    if getattr(glue, "closes_figures", False):
        return glue

    @functools.wraps(glue)
    def wrapper(name, variable, display=True):
        result = glue(name, variable, display)
        from matplotlib.figure import Figure  # noqa: PLC0415

        if isinstance(variable, Figure):
            import matplotlib.pyplot as plt  # noqa: PLC0415

            plt.close(variable)
        return result

    wrapper.closes_figures = True
    return wrapper
