"""Matplotlib helpers: an objective's contours, optimizer paths on them, loss curves.

Every helper takes ``ax=None`` (a new figure is made only when no Axes is given), returns
what it drew, passes ``**kwargs`` on to the matplotlib call, and never calls ``plt.show()``.
Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness. Labels are arguments, so each edition of the book labels in its own
language (:func:`text` gives the book's labels in English or Korean).

Importing this module registers the Korean font the package depends on (NanumGothic, from
koreanize-matplotlib) with matplotlib by file, so Hangul labels never depend on the fonts of
the machine or on a stale font cache. :data:`STYLE` is the book's figure style.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import font_manager, get_cachedir
from matplotlib.axes import Axes
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D

from adam_tutorial.objectives import Objective
from adam_tutorial.trajectory import Trajectory

__all__ = [
    "FONT_FILES",
    "PALETTE",
    "STYLE",
    "compare",
    "contour",
    "loss_curves",
    "path",
    "text",
]

#: The book's figure style, a matplotlibrc file: ``plt.style.use(plotting.STYLE)``.
#:
#: :meta hide-value:
STYLE: Path = Path(__file__).with_name("book.mplstyle")


def _korean_font_files() -> tuple[Path, ...]:
    # find_spec, not import: importing koreanize_matplotlib would change rcParams.
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        msg = "koreanize-matplotlib (a dependency of adam-tutorial) is not installed"
        raise ImportError(msg)
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return tuple(
        _with_minus_sign(fonts / name) for name in ("NanumGothic.ttf", "NanumGothicBold.ttf")
    )


def _with_minus_sign(source: Path) -> Path:
    """A copy of `source` whose U+2212 MINUS SIGN is its en dash (made once, then cached).

    NanumGothic has no minus sign. Mathtext draws the plain text of a label (``손실 $f$``)
    and ``\\mathdefault`` (a log axis's ``10^{-3}``) in the first family only, with no
    fallback, so a missing minus would be a box. Only the character map changes.
    """
    from fontTools.ttLib import TTFont  # noqa: PLC0415  (matplotlib's own dependency)

    folder = Path(get_cachedir()) / "adam_tutorial"
    target = folder / f"{source.stem}-{source.stat().st_size}-minus{source.suffix}"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    with TTFont(str(source), lazy=True) as font:
        for table in font["cmap"].tables:
            if table.isUnicode() and 0x2013 in table.cmap:
                table.cmap[0x2212] = table.cmap[0x2013]
        font.save(str(partial))
    partial.replace(target)  # atomic: two processes may make it at once
    return target


#: The font files registered with matplotlib on import: NanumGothic, regular and bold (from
#: koreanize-matplotlib, with a minus sign added), the family that :data:`STYLE` names first.
#:
#: :meta hide-value:
FONT_FILES: tuple[Path, ...] = _korean_font_files()
for _file in FONT_FILES:
    font_manager.fontManager.addfont(str(_file))

#: Okabe & Ito's colour-blind-safe palette (black left out: it vanishes in dark mode).
PALETTE: tuple[str, ...] = (
    "#E69F00",  # orange
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)

_TEXT = {
    "en": {
        "x": "$w_1$",
        "y": "$w_2$",
        "loss": "loss $f(w_t)$",
        "step": "step $t$",
        "start": "start",
        "end": "end",
        "minimum": "minimum",
        "lr": "learning rate $\\eta$",
        "late_loss": "largest loss, steps 41–50",
        "step_ratio": "step without / with bias correction",
        "no_momentum": "no momentum",
        "no_bias_correction": "no bias correction",
        "gd": "gradient descent",
        "momentum": "momentum",
        "rate": "factor per step $\\rho$",
        "kappa": "condition number $\\kappa$",
        "steps_to_tol": "steps to $f_t \\leq 10^{-6} f_0$",
        "theory": "theory",
        "measured": "measured",
        "mu": "momentum $\\mu$",
        "polyak": "Polyak's $(\\eta^*, \\mu^*)$",
        "grid_best": "best on the grid",
        "effective_lr": "effective learning rate",
        "with_bias_correction": "bias correction",
        "peak_loss": "largest loss, epochs 1–2",
        "after_10": "loss after 10 epochs",
        "after_100": "loss after 100 epochs",
        "train_loss": "training loss",
        "step_over_lr": "step size $|w_t - w_{t-1}| / \\eta$",
        "mu_t": "momentum weight $\\mu_t$",
        "noise_floor": "noise floor (mean loss)",
        "constant_lr": "constant",
        "cosine_lr": "cosine decay",
        "no_warmup": "no warm-up",
        "warmup": "linear warm-up",
        "step_y_over_lr": "$|\\Delta y_t| / \\eta$",
        "f_bowl": "bowl",
        "f_rotated": "rotated bowl",
        "f_rosenbrock": "Rosenbrock",
        "f_beale": "Beale",
        "f_saddle": "saddle",
        "f_himmelblau": "Himmelblau",
        "ridge_distance": "distance from the ridge $|y_t|$",
        "no_minimum": "no minimum",
        "nesterov": "Nesterov",
        "bowl": "bowl",
        "rotated_bowl": "rotated bowl",
        "rosenbrock": "Rosenbrock",
        "beale": "Beale",
        "beta1": "$\\beta_1$",
        "beta2": "$\\beta_2$",
        "loss_ratio": "$f(w_T) / f(w_0)$",
        "final_loss": "final loss $f(w_T)$",
        "mean_step": "mean $|\\Delta w_t| / \\eta$",
        "constant": "constant",
        "step_decay": "step",
        "exponential": "exponential",
        "cosine": "cosine",
        "warmup_cosine": "warm-up + cosine",
        "warmup_steps": "warm-up, {n} steps",
        "softmax": "softmax regression",
        "mlp": "MLP 64-64-10",
        "final_train_loss": "final training loss",
        "test_loss": "test loss",
        "train_acc": "training accuracy",
        "test_acc": "test accuracy",
        "epoch": "epoch",
        "grad_scale": "gradient scale $s$",
        "final_loss_100": "loss after 100 steps",
        "eps_inside": "$\\epsilon$ inside the root",
        "eps_hat": "$\\hat\\epsilon$ (paper's remark, Keras)",
        "t_frozen": "$t$ stuck at 1",
        "paper": "paper",
        "constant_grad": "constant gradient $g_t = 10^{-4}$",
        "shrinking_grad": "shrinking gradient $g_t = 1/\\sqrt{t}$",
        "test_error": "test error",
        "coordinate": "coordinate $j$",
        "weight": "weight $w_j$",
        "iterate": "iterate $x_t$",
        "avg_regret": "average regret $R_t / t$",
        "online": "online problem",
        "stochastic": "stochastic problem",
        "final_x": "$x_T$ after $T = 10^5$ steps",
        "last_iterate": "last iterate $\\theta_t$",
        "ema_average": "moving average $\\hat\\theta_t$ (§7.2)",
        "polyak_average": "Polyak–Ruppert average $\\bar\\theta_t$",
        "median_loss": "median loss",
        "weight_i": "weight $w_i$",
        "initial_lr": "initial learning rate $\\alpha$",
        "decay_lambda": "weight decay $\\lambda$",
        "decay_lambda_paper": "paper's weight decay $\\lambda$",
        "l2_adam": "Adam + L2",
        "adamw_pytorch": "AdamW, PyTorch's form",
        "adamw_paper": "AdamW, paper's form",
        "log_test_loss": "test loss",
        "best_per_lr": "best $\\lambda$ per $\\alpha$",
    },
    "ko": {
        "x": "$w_1$",
        "y": "$w_2$",
        "loss": "손실 $f(w_t)$",
        "step": "스텝 $t$",
        "start": "시작점",
        "end": "끝점",
        "minimum": "최솟점",
        "lr": "학습률 $\\eta$",
        "late_loss": "스텝 41–50의 최대 손실",
        "step_ratio": "보정 없는 스텝 / 보정한 스텝",
        "no_momentum": "모멘텀 없음",
        "no_bias_correction": "편향 보정 없음",
        "gd": "경사 하강법",
        "momentum": "모멘텀",
        "rate": "스텝당 배율 $\\rho$",
        "kappa": "조건수 $\\kappa$",
        "steps_to_tol": "$f_t \\leq 10^{-6} f_0$까지의 스텝 수",
        "theory": "이론값",
        "measured": "측정값",
        "mu": "모멘텀 $\\mu$",
        "polyak": "폴랴크의 $(\\eta^*, \\mu^*)$",
        "grid_best": "격자 최적점",
        "effective_lr": "유효 학습률",
        "with_bias_correction": "편향 보정",
        "peak_loss": "에포크 1–2의 최대 손실",
        "after_10": "10 에포크 후 손실",
        "after_100": "100 에포크 후 손실",
        "train_loss": "학습 손실",
        "step_over_lr": "스텝 크기 $|w_t - w_{t-1}| / \\eta$",
        "mu_t": "모멘텀 가중치 $\\mu_t$",
        "noise_floor": "잡음 바닥(평균 손실)",
        "constant_lr": "고정",
        "cosine_lr": "코사인 감쇠",
        "no_warmup": "워밍업 없음",
        "warmup": "선형 워밍업",
        "step_y_over_lr": "$|\\Delta y_t| / \\eta$",
        "f_bowl": "그릇",
        "f_rotated": "돌린 그릇",
        "f_rosenbrock": "로젠브록 함수",
        "f_beale": "빌 함수",
        "f_saddle": "안장",
        "f_himmelblau": "힘멜블라우 함수",
        "ridge_distance": "능선까지의 거리 $|y_t|$",
        "no_minimum": "최솟점에 못 감",
        "nesterov": "네스테로프",
        "bowl": "그릇",
        "rotated_bowl": "회전한 그릇",
        "rosenbrock": "로젠브록",
        "beale": "빌",
        "beta1": "$\\beta_1$",
        "beta2": "$\\beta_2$",
        "loss_ratio": "$f(w_T) / f(w_0)$",
        "final_loss": "최종 손실 $f(w_T)$",
        "mean_step": "평균 $|\\Delta w_t| / \\eta$",
        "constant": "상수",
        "step_decay": "계단식",
        "exponential": "지수",
        "cosine": "코사인",
        "warmup_cosine": "워밍업 + 코사인",
        "warmup_steps": "워밍업 {n}스텝",
        "softmax": "소프트맥스 회귀",
        "mlp": "다층 퍼셉트론 64-64-10",
        "final_train_loss": "최종 훈련 손실",
        "test_loss": "테스트 손실",
        "train_acc": "훈련 정확도",
        "test_acc": "테스트 정확도",
        "epoch": "에포크",
        "grad_scale": "경사 배율 $s$",
        "final_loss_100": "100스텝 후의 손실",
        "eps_inside": "제곱근 안의 $\\epsilon$",
        "eps_hat": "$\\hat\\epsilon$ (논문의 주석, Keras)",
        "t_frozen": "1에 고정된 $t$",
        "paper": "논문",
        "constant_grad": "일정한 경사 $g_t = 10^{-4}$",
        "shrinking_grad": "줄어드는 경사 $g_t = 1/\\sqrt{t}$",
        "test_error": "테스트 오류율",
        "coordinate": "좌표 $j$",
        "weight": "가중치 $w_j$",
        "iterate": "반복점 $x_t$",
        "avg_regret": "평균 후회 $R_t / t$",
        "online": "온라인 문제",
        "stochastic": "확률적 문제",
        "final_x": "$T = 10^5$스텝 후의 $x_T$",
        "last_iterate": "마지막 반복값 $\\theta_t$",
        "ema_average": "이동 평균 $\\hat\\theta_t$ (7.2절)",
        "polyak_average": "폴랴크–루퍼트 평균 $\\bar\\theta_t$",
        "median_loss": "손실의 중앙값",
        "weight_i": "가중치 $w_i$",
        "initial_lr": "초기 학습률 $\\alpha$",
        "decay_lambda": "가중치 감쇠 $\\lambda$",
        "decay_lambda_paper": "논문의 가중치 감쇠 $\\lambda$",
        "l2_adam": "Adam + L2",
        "adamw_pytorch": "AdamW, PyTorch 형태",
        "adamw_paper": "AdamW, 논문 형태",
        "log_test_loss": "테스트 손실",
        "best_per_lr": "$\\alpha$별 최적 $\\lambda$",
    },
}


def text(lang: str | None = None) -> dict[str, str]:
    """The figure labels of the book in one language (``"en"`` or ``"ko"``).

    With ``lang=None`` the language is read from the ``BOOK_LANG`` environment variable,
    which the book's build sets for each edition (default English).

    Examples
    --------
    >>> text("ko")["start"], text("en")["start"]
    ('시작점', 'start')
    """
    lang = lang or os.environ.get("BOOK_LANG", "en")
    if lang not in _TEXT:
        msg = f"lang must be one of {sorted(_TEXT)}, got {lang!r}"
        raise ValueError(msg)
    return dict(_TEXT[lang])


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - only when a figure must be made

        _, ax = plt.subplots()
    return ax


def contour(
    objective: Objective,
    ax: Axes | None = None,
    *,
    n: int = 200,
    levels: int | Sequence[float] = 20,
    log: bool = True,
    mark_minima: bool = True,
    minimum_label: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    **kwargs: Any,
) -> QuadContourSet:
    """Filled contours of `objective` over its ``window``.

    With ``log=True`` (the default) the levels are spaced geometrically, so the floor of a
    valley shows as clearly as its walls. Minima are marked with a white star. The axis
    labels default to the book's, ``text()["x"]`` and ``text()["y"]`` (see :func:`text`).

    Returns
    -------
    matplotlib.contour.QuadContourSet

    Examples
    --------
    >>> from adam_tutorial.objectives import quadratic
    >>> cs = contour(quadratic, n=40)
    >>> len(cs.levels) > 5
    True
    """
    ax = _axes(ax)
    X, Y, Z = objective.grid(n)
    if log and isinstance(levels, int):
        shift = min(Z.min(), 0.0)
        positive = Z - shift
        low = max(np.percentile(positive, 0.5), 1e-3 * positive.max(), 1e-12)
        levels = shift + np.geomspace(low, positive.max(), levels)
    kwargs.setdefault("cmap", "viridis_r")
    kwargs.setdefault("alpha", 0.85)
    cs = ax.contourf(X, Y, Z, levels=levels, extend="both", **kwargs)
    if mark_minima and len(objective.minima):
        ax.plot(
            objective.minima[:, 0],
            objective.minima[:, 1],
            linestyle="none",
            marker="*",
            markersize=14,
            markerfacecolor="white",
            markeredgecolor="black",
            label=minimum_label,
        )
    (x0, x1), (y0, y1) = objective.window
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    labels = text()
    ax.set_xlabel(labels["x"] if xlabel is None else xlabel)
    ax.set_ylabel(labels["y"] if ylabel is None else ylabel)
    return cs


def path(
    trajectory: Trajectory | np.ndarray,
    ax: Axes | None = None,
    *,
    index: int | tuple[int, ...] | None = None,
    label: str | None = None,
    mark_ends: bool = True,
    start_label: str | None = None,
    end_label: str | None = None,
    **kwargs: Any,
) -> list[Line2D]:
    """Draw the path of a 2-D run: a line through ``params[t]``, start and end marked.

    Parameters
    ----------
    trajectory : Trajectory or array_like
        A :class:`~adam_tutorial.trajectory.Trajectory`, or points of shape ``(T, 2)``.
    index : int or tuple, optional
        For a batched run (params of shape ``(T, *batch, 2)``), which member to draw.
    label, start_label, end_label : str, optional
        Legend entries for the path and its two ends.

    Returns
    -------
    list of matplotlib.lines.Line2D
        The path, then (with ``mark_ends``) the start and end markers.

    Examples
    --------
    >>> import numpy as np
    >>> lines = path(np.array([[0.0, 0.0], [1.0, 0.5], [2.0, 0.0]]), label="demo")
    >>> lines[0].get_xdata().tolist()
    [0.0, 1.0, 2.0]
    """
    ax = _axes(ax)
    points = trajectory.params if isinstance(trajectory, Trajectory) else np.asarray(trajectory)
    if index is not None:
        points = points[(slice(None), *np.atleast_1d(index))]
    if points.ndim != 2 or points.shape[1] != 2:
        msg = f"path needs points of shape (T, 2); got {points.shape} (pass index= for a batch)"
        raise ValueError(msg)
    kwargs.setdefault("marker", "o")
    kwargs.setdefault("markersize", 3)
    kwargs.setdefault("linewidth", 1.5)
    (line,) = ax.plot(points[:, 0], points[:, 1], label=label, **kwargs)
    lines = [line]
    if mark_ends:
        color = line.get_color()
        (start,) = ax.plot(
            *points[0], linestyle="none", marker="s", markersize=9, color=color,
            markeredgecolor="white", label=start_label,
        )  # fmt: skip
        (end,) = ax.plot(
            *points[-1], linestyle="none", marker="X", markersize=11, color=color,
            markeredgecolor="white", label=end_label,
        )  # fmt: skip
        lines += [start, end]
    return lines


def compare(
    objective: Objective,
    trajectories: Mapping[str, Trajectory | np.ndarray],
    ax: Axes | None = None,
    *,
    legend: bool = True,
    colors: Sequence[str] | None = None,
    contour_kwargs: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> Axes:
    """Several optimizers' paths on one contour plot, one palette colour each.

    Parameters
    ----------
    trajectories : mapping
        Legend label (str) to run (:class:`~adam_tutorial.Trajectory` or points), in order.
    colors : sequence of str, optional
        One colour per run (default: :data:`PALETTE` in order).
    contour_kwargs : mapping, optional
        Passed to :func:`contour`.
    **kwargs
        Passed to :func:`path` for every run.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial import SGD, Adam, run
    >>> from adam_tutorial.objectives import quadratic
    >>> runs = {name: run(opt, quadratic, quadratic.start, 30)
    ...         for name, opt in {"SGD": SGD(lr=0.1), "Adam": Adam(lr=0.3)}.items()}
    >>> ax = compare(quadratic, runs)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['SGD', 'Adam']
    """
    ax = _axes(ax)
    contour(objective, ax, **dict(contour_kwargs or {}))
    colors = colors or PALETTE
    for i, (name, traj) in enumerate(trajectories.items()):
        path(traj, ax, label=name, color=colors[i % len(colors)], **kwargs)
    if legend:
        ax.legend(loc="best")
    return ax


def loss_curves(
    trajectories: Mapping[str, Trajectory],
    ax: Axes | None = None,
    *,
    log: bool = True,
    xlabel: str | None = None,
    ylabel: str | None = None,
    legend: bool = True,
    colors: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[Line2D]:
    """Loss against step for runs made on an :class:`~adam_tutorial.objectives.Objective`.

    ``colors`` gives one colour per run (default: :data:`PALETTE` in order). The axis labels
    default to the book's, ``text()["step"]`` and ``text()["loss"]`` (see :func:`text`).

    Returns
    -------
    list of matplotlib.lines.Line2D
        One line per run, in order.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial import Adam, run
    >>> from adam_tutorial.objectives import quadratic
    >>> traj = run(Adam(lr=0.3), quadratic, quadratic.start, 10)
    >>> (line,) = loss_curves({"Adam": traj})
    >>> bool(np.array_equal(line.get_ydata(), traj.losses))
    True
    """
    ax = _axes(ax)
    lines = []
    colors = colors or PALETTE
    for i, (name, traj) in enumerate(trajectories.items()):
        if traj.losses is None:
            msg = f"run {name!r} has no losses: pass an Objective, not a gradient function, to run"
            raise ValueError(msg)
        steps = traj.t  # the recorded steps (run(..., every=k) keeps every k-th)
        kwargs_i = {"color": colors[i % len(colors)], **kwargs}
        (line,) = ax.plot(steps, traj.losses, label=name, **kwargs_i)
        lines.append(line)
    if log:
        ax.set_yscale("log")
    labels = text()
    ax.set_xlabel(labels["step"] if xlabel is None else xlabel)
    ax.set_ylabel(labels["loss"] if ylabel is None else ylabel)
    if legend:
        ax.legend(loc="best")
    return lines
