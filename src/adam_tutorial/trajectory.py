"""Run an optimizer for a number of steps and keep everything it did."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from adam_tutorial._checks import as_params, check_steps
from adam_tutorial.objectives import Objective
from adam_tutorial.optimizers._base import Optimizer

__all__ = ["Trajectory", "run"]


@dataclasses.dataclass(frozen=True)
class Trajectory:
    """What :func:`run` recorded, stacked along a new first axis (one row per step).

    Attributes
    ----------
    params : numpy.ndarray
        Shape ``(steps + 1, *w0.shape)``: ``params[0]`` is ``w0``, ``params[t]`` the
        parameters after step ``t``.
    states : NamedTuple
        The optimizer's state type, each array field stacked to ``(steps + 1, ...)`` and ``t``
        to ``(steps + 1,)``; fields that are ``None`` stay ``None``.
    grads : numpy.ndarray
        Shape ``(steps, *w0.shape)``: ``grads[t - 1]`` is the gradient used by step ``t``.
    losses : numpy.ndarray or None
        Shape ``(steps + 1, *batch)`` when :func:`run` was given an
        :class:`~adam_tutorial.objectives.Objective`, else ``None``.
    optimizer : Optimizer
        The optimizer that made the run.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial import Adam, run
    >>> from adam_tutorial.objectives import quadratic
    >>> traj = run(Adam(lr=0.3), quadratic, quadratic.start, steps=5)
    >>> traj.steps, traj.states.t.tolist()
    (5, [0, 1, 2, 3, 4, 5])
    >>> m_hat, v_hat = traj.optimizer.bias_corrected(traj.states)
    >>> print(np.round(m_hat[5], 3))   # the seed's first printed m_hat
    [-1.868  8.505]
    """

    params: np.ndarray
    states: NamedTuple
    grads: np.ndarray
    losses: np.ndarray | None
    optimizer: Optimizer

    @property
    def steps(self) -> int:
        """The number of steps taken."""
        return self.params.shape[0] - 1

    @property
    def final(self) -> np.ndarray:
        """The parameters after the last step, ``params[-1]``."""
        return self.params[-1]


def run(
    optimizer: Optimizer,
    objective: Objective | Callable[[np.ndarray], np.ndarray],
    w0: np.ndarray,
    steps: int,
) -> Trajectory:
    r"""Take ``steps`` steps of ``optimizer`` from ``w0`` and record the path.

    Each step computes :math:`g_t = \nabla f(w_{t-1})` and calls
    ``optimizer.step(w, g, state)``; nothing else happens in between.

    Parameters
    ----------
    optimizer : Optimizer
        Any optimizer of this package, e.g. :class:`~adam_tutorial.Adam`.
    objective : Objective or callable
        An :class:`~adam_tutorial.objectives.Objective` (its ``grad`` is used and its value is
        recorded in ``losses``), or a function ``grad_fn(w) -> g`` returning the gradient.
    w0 : array_like
        The starting point, any shape (for 2-D objectives ``(..., 2)``: a batch of starts).
    steps : int
        How many steps, ``>= 0``.

    Returns
    -------
    Trajectory

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial import Adam, run
    >>> from adam_tutorial.objectives import quadratic
    >>> traj = run(Adam(lr=0.3), quadratic, np.array([-10.0, 1.5]), steps=50)
    >>> traj.params.shape, traj.states.m.shape, traj.losses.shape
    ((51, 2), (51, 2), (51,))
    >>> print(np.round(traj.final, 3))
    [0.24  0.082]

    Hyperparameters broadcast, so one run can try three learning rates at once:

    >>> lrs = np.array([[0.01], [0.1], [1.0]])
    >>> batch = run(Adam(lr=lrs), quadratic, np.tile([-10.0, 1.5], (3, 1)), steps=100)
    >>> print(np.round(batch.losses[-1], 3))
    [10.164  0.504  0.   ]
    """
    if not isinstance(optimizer, Optimizer):
        msg = f"optimizer must be an adam_tutorial optimizer such as Adam(), got {optimizer!r}"
        raise TypeError(msg)
    if isinstance(objective, Objective):
        grad_fn, value_fn = objective.grad, objective
    elif callable(objective):
        grad_fn, value_fn = objective, None
    else:
        msg = f"objective must be an Objective or a gradient function, got {objective!r}"
        raise TypeError(msg)
    steps = check_steps(steps)
    w = as_params(w0, "w0")

    state = optimizer.init(w)
    params, states, grads = [w], [state], []
    for _ in range(steps):
        g = np.asarray(grad_fn(w))
        w, state = optimizer.step(w, g, state)
        params.append(w)
        states.append(state)
        grads.append(g.astype(w.dtype, copy=False))

    stacked_grads = np.stack(grads) if grads else np.empty((0, *w.shape), dtype=w.dtype)
    return Trajectory(
        params=np.stack(params),
        states=_stack_states(states),
        grads=stacked_grads,
        losses=None if value_fn is None else np.asarray(value_fn(np.stack(params))),
        optimizer=optimizer,
    )


def _stack_states(states: list[NamedTuple]) -> NamedTuple:
    first = states[0]
    fields = {}
    for i, name in enumerate(first._fields):
        column = [s[i] for s in states]
        fields[name] = None if column[0] is None else np.stack([np.asarray(c) for c in column])
    return type(first)(**fields)
