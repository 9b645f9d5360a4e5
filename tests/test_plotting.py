"""Plot helpers draw exactly the trajectory's data, take ax=None, never show or block."""

import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

from adam_tutorial import SGD, Adam, RMSprop, plotting, run
from adam_tutorial.objectives import OBJECTIVES, quadratic


@pytest.fixture(autouse=True)
def _no_show(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a helper called plt.show()")

    monkeypatch.setattr(plt, "show", forbidden)
    yield
    plt.close("all")


def test_backend_is_headless():
    assert mpl.get_backend().lower() == "agg"


def test_path_line_data_equal_the_trajectory():
    traj = run(Adam(lr=0.3), quadratic, quadratic.start, 50)
    _fig, ax = plt.subplots()
    line, start, end = plotting.path(traj, ax, label="Adam", start_label="s", end_label="e")
    np.testing.assert_array_equal(line.get_xdata(), traj.params[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), traj.params[:, 1])
    np.testing.assert_array_equal(start.get_xydata()[0], traj.params[0])
    np.testing.assert_array_equal(end.get_xydata()[0], traj.params[-1])
    assert line.axes is ax
    assert [h.get_label() for h in (line, start, end)] == ["Adam", "s", "e"]


def test_path_of_one_batch_member():
    starts = np.array([[-10.0, 1.5], [5.0, -1.0]])
    traj = run(Adam(lr=np.array([[0.1], [0.3]])), quadratic, starts, 20)
    (line,) = plotting.path(traj, index=1, mark_ends=False)
    np.testing.assert_array_equal(line.get_xdata(), traj.params[:, 1, 0])
    with pytest.raises(ValueError, match=r"pass index= for a batch"):
        plotting.path(traj)


def test_helpers_make_an_axes_only_when_none_given():
    n_before = len(plt.get_fignums())
    _fig, ax = plt.subplots()
    plotting.contour(quadratic, ax, n=30)
    assert len(plt.get_fignums()) == n_before + 1
    cs = plotting.contour(quadratic, n=30)
    assert len(plt.get_fignums()) == n_before + 2
    assert cs.axes is not ax


@pytest.mark.parametrize("f", OBJECTIVES.values(), ids=OBJECTIVES.keys())
def test_contour_covers_window_with_increasing_levels(f):
    cs = plotting.contour(f, n=50, cmap="magma")
    assert np.all(np.diff(cs.levels) > 0)
    assert cs.axes.get_xlim() == f.window[0]
    assert cs.axes.get_ylim() == f.window[1]
    assert cs.get_cmap().name == "magma"  # kwargs reach contourf


def test_compare_uses_palette_and_labels_in_order():
    runs = {
        "SGD": run(SGD(lr=0.1, momentum=0.9), quadratic, quadratic.start, 30),
        "RMSprop": run(RMSprop(lr=0.1), quadratic, quadratic.start, 30),
        "Adam": run(Adam(lr=0.3), quadratic, quadratic.start, 30),
    }
    ax = plotting.compare(quadratic, runs, mark_ends=False)
    lines = [ln for ln in ax.get_lines() if ln.get_label() in runs]
    assert [ln.get_label() for ln in lines] == list(runs)
    assert [ln.get_color() for ln in lines] == list(plotting.PALETTE[:3])
    for ln, traj in zip(lines, runs.values(), strict=True):
        np.testing.assert_array_equal(ln.get_xydata(), traj.params)


def test_loss_curves_plot_losses_against_steps():
    traj = run(Adam(lr=0.3), quadratic, quadratic.start, 40)
    (line,) = plotting.loss_curves({"Adam": traj}, xlabel="x", ylabel="y")
    np.testing.assert_array_equal(line.get_xdata(), np.arange(41))
    np.testing.assert_array_equal(line.get_ydata(), traj.losses)
    assert line.axes.get_yscale() == "log"
    assert line.axes.get_xlabel() == "x"


def test_loss_curves_put_each_recorded_loss_at_its_step():
    traj = run(Adam(lr=0.3), quadratic, quadratic.start, 45, every=10)
    (line,) = plotting.loss_curves({"Adam": traj})
    np.testing.assert_array_equal(line.get_xdata(), [0, 10, 20, 30, 40, 45])
    np.testing.assert_array_equal(line.get_ydata(), traj.losses)


def test_colors_choose_each_runs_colour():
    runs = {
        "a": run(Adam(lr=0.3), quadratic, quadratic.start, 5),
        "b": run(SGD(lr=0.1), quadratic, quadratic.start, 5),
    }
    ax = plotting.compare(quadratic, runs, colors=["black", "#CC79A7"], mark_ends=False)
    assert [ln.get_color() for ln in ax.get_lines() if ln.get_label() in runs] == [
        "black",
        "#CC79A7",
    ]
    lines = plotting.loss_curves(runs, colors=["black", "#CC79A7"])
    assert [ln.get_color() for ln in lines] == ["black", "#CC79A7"]


def test_loss_curves_need_losses():
    traj = run(Adam(), quadratic.grad, quadratic.start, 3)
    with pytest.raises(ValueError, match="has no losses"):
        plotting.loss_curves({"grad only": traj})


@pytest.mark.parametrize(
    ("lang", "labels"),
    [("en", ("$w_1$", "$w_2$", "step $t$", "loss $f(w_t)$")), ("ko", None)],
)
def test_default_axis_labels_are_the_books(monkeypatch, lang, labels):
    monkeypatch.setenv("BOOK_LANG", lang)
    text = plotting.text(lang)
    expected = labels or (text["x"], text["y"], text["step"], text["loss"])
    cs = plotting.contour(quadratic, n=20)
    (line,) = plotting.loss_curves({"Adam": run(Adam(lr=0.3), quadratic, quadratic.start, 5)})
    got = (
        cs.axes.get_xlabel(),
        cs.axes.get_ylabel(),
        line.axes.get_xlabel(),
        line.axes.get_ylabel(),
    )
    assert got == expected


def test_text_follows_book_language(monkeypatch):
    monkeypatch.setenv("BOOK_LANG", "ko")
    assert plotting.text()["loss"].startswith("손실")
    monkeypatch.setenv("BOOK_LANG", "en")
    assert plotting.text()["loss"].startswith("loss")
    with pytest.raises(ValueError, match="lang must be one of"):
        plotting.text("fr")


def test_palette_is_distinct_and_matches_the_book_style():
    assert len(set(plotting.PALETTE)) == len(plotting.PALETTE)
    mplstyle = plotting.STYLE.read_text()
    cycle = re.search(r"axes.prop_cycle: cycler\('color', \[(.*)\]\)", mplstyle).group(1)
    assert ["#" + c.strip(" '") for c in cycle.split(",")] == list(plotting.PALETTE)


def test_korean_labels_use_the_packages_font_not_the_systems():
    """The style's first family is the file plotting registered, whatever the machine has."""
    style = mpl.rc_params_from_file(str(plotting.STYLE), use_default_template=False)
    assert style["font.family"][0] == "NanumGothic"
    found = mpl.font_manager.findfont(
        mpl.font_manager.FontProperties(family=style["font.family"]), fallback_to_default=False
    )
    assert Path(found) == plotting.FONT_FILES[0]
    assert all(path.is_file() for path in plotting.FONT_FILES)


def test_hangul_labels_draw_without_missing_glyphs(caplog):
    """Every label of the Korean edition is drawn from real glyphs.

    A glyph missing from a font is a UserWarning (an error under pytest) for plain text and a
    logged warning for mathtext, such as the minus of a log axis's ``10^-3`` tick.
    """
    caplog.set_level("WARNING")
    with plt.style.context(plotting.STYLE):
        fig, ax = plt.subplots()
        labels = plotting.text("ko")
        ax.plot([0.0, 1.0], [1e-3, 10.0], label=labels["start"])
        ax.set_yscale("log")  # tick labels $\\mathdefault{10^{-3}}$ ... $\\mathdefault{10^{1}}$
        ax.set_xlabel(labels["step"])
        ax.set_ylabel(labels["loss"])
        ax.set_title(f"{labels['minimum']} {labels['end']} -1")
        ax.legend()
        fig.canvas.draw()
        plt.close(fig)
    assert [r.getMessage() for r in caplog.records] == []


def test_both_languages_have_the_same_labels():
    assert set(plotting.text("en")) == set(plotting.text("ko"))
    assert all(plotting.text("ko").values())
