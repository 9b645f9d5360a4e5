"""Picking the tuned value of a hyperparameter sweep, the same way in every chapter."""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_index
from numpy.typing import ArrayLike

__all__ = ["best_index"]


def best_index(
    final: ArrayLike, start: ArrayLike, *, axis: int = -1, seeds: int | None = None
) -> int | np.ndarray:
    r"""The index of the tuned setting of a sweep: the lowest final loss of the runs that worked.

    A run counts only if its final loss is finite and not above the loss it started from
    (a diverged or an overflowing run is never "the best"): its score is its final loss, and
    every other run scores :math:`+\infty`. With ``seeds``, a setting's score is the mean over
    its repeated runs, so it counts only if *every* seed worked. The index is the first
    minimum along ``axis``: on an ascending grid of learning rates, of two settings with the
    same score the smaller rate.

    Parameters
    ----------
    final : array_like
        Final losses of a sweep, e.g. ``trajectory.losses[-1]`` of a broadcast
        :func:`~adam_tutorial.run` over a grid of learning rates.
    start : array_like
        The starting loss(es), broadcast against ``final``.
    axis : int
        The axis of ``final`` that holds the swept values (default: the last).
    seeds : int, optional
        An axis of ``final`` that holds repeated runs of one setting (seeds), averaged over.

    Returns
    -------
    int or numpy.ndarray
        The index along ``axis``: an ``int`` for a one-dimensional sweep, else an array of
        the shape of ``final`` without ``axis`` (and ``seeds``).

    Raises
    ------
    ValueError
        If ``axis`` and ``seeds`` are the same axis, or if along ``axis`` no setting worked.

    Examples
    --------
    >>> import numpy as np
    >>> best_index([np.nan, 0.5, 0.2, 0.2, 3.0], start=1.0)  # the first of the two 0.2
    2

    Three learning rates (rows), two seeds (columns): the second rate diverged once.

    >>> final = np.array([[0.4, 0.6], [0.1, np.inf], [0.3, 0.3]])
    >>> best_index(final, 1.0, axis=0, seeds=1)
    2
    """
    final = np.asarray(final, dtype=float)
    axis = normalize_axis_index(axis, final.ndim)
    with np.errstate(invalid="ignore"):  # NaN compares False: the run does not count
        worked = np.isfinite(final) & (final <= np.asarray(start))
    score = np.where(worked, final, np.inf)
    if seeds is not None:
        seeds = normalize_axis_index(seeds, final.ndim)
        if seeds == axis:
            msg = f"seeds and axis must be different axes of final, both are {axis}"
            raise ValueError(msg)
        score = score.mean(axis=seeds)
        axis -= seeds < axis
    if np.any(np.all(np.isinf(score), axis=axis)):
        msg = "no setting of the sweep worked: every run diverged or ended above its start"
        raise ValueError(msg)
    index = np.argmin(score, axis=axis)
    return int(index) if index.ndim == 0 else index
