"""Run an optimizer for a number of steps and keep everything it did."""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from adam_tutorial._checks import (
    NON_NEGATIVE,
    as_params,
    check_hyper,
    check_steps,
    hyper_broadcasts,
)
from adam_tutorial._compiled_run import compiled_run
from adam_tutorial.objectives import Problem, StochasticProblem
from adam_tutorial.optimizers._base import Optimizer
from adam_tutorial.schedules import Schedule

__all__ = ["Trajectory", "run"]

#: Losses are evaluated on at most this many parameters (recorded steps x parameters) per call.
LOSS_BLOCK = 1 << 17


@dataclasses.dataclass(frozen=True)
class Trajectory:
    """What :func:`run` recorded, stacked along a new first axis (one row per recorded step).

    By default every step is recorded; ``run(..., every=k)`` records the steps
    ``0, k, 2k, ...`` and the last one, and ``t`` says which.

    Attributes
    ----------
    params : numpy.ndarray
        Shape ``(len(t), *w0.shape)``: ``params[i]`` holds the parameters after step
        ``t[i]``; ``params[0]`` is ``w0``.
    states : NamedTuple
        The optimizer's state type, each array field stacked to ``(len(t), ...)`` and ``t``
        to ``(len(t),)``; fields that are ``None`` stay ``None``.
    grads : numpy.ndarray
        Shape ``(len(t) - 1, *w0.shape)``: ``grads[i]`` is the gradient used by step
        ``t[i + 1]`` (with every step recorded: ``grads[t - 1]`` is the gradient of step ``t``).
    losses : numpy.ndarray or None
        Shape ``(len(t), *batch)``: the objective's value at ``params``, when :func:`run` was
        given a problem with a value (an :class:`~adam_tutorial.objectives.Objective` or any
        :class:`~adam_tutorial.objectives.Problem`), else ``None``.
    optimizer : Optimizer
        The optimizer that made the run.
    t : numpy.ndarray
        The recorded step numbers, increasing from 0 to :attr:`steps`; by default
        ``0, 1, ..., steps``.

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
    t: np.ndarray = None  # type: ignore[assignment]  # filled in: 0, 1, ..., len(params) - 1

    def __post_init__(self) -> None:
        if self.t is None:
            object.__setattr__(self, "t", np.arange(self.params.shape[0]))

    @property
    def steps(self) -> int:
        """The number of steps taken (the last recorded step)."""
        return int(self.t[-1])

    @property
    def final(self) -> np.ndarray:
        """The parameters after the last step, ``params[-1]``."""
        return self.params[-1]


def run(
    optimizer: Optimizer,
    objective: Problem | StochasticProblem | Callable[[np.ndarray], np.ndarray],
    w0: np.ndarray,
    steps: int,
    *,
    schedule: Schedule | Callable[[int], float | np.ndarray] | None = None,
    seed: int | np.random.SeedSequence | None = None,
    every: int = 1,
) -> Trajectory:
    r"""Take ``steps`` steps of ``optimizer`` from ``w0`` and record the path.

    Each step computes :math:`g_t = \nabla f(w_{t-1})` and calls
    ``optimizer.step(w, g, state)``; nothing else happens in between, except what the
    keyword options ask for: a learning rate from a schedule, a random generator for a
    stochastic gradient.

    With the optional extra ``fast`` (numba) installed, a long run (200,000 steps or more) on
    one of the built-in objectives except Beale's, with float64 parameters, scalar
    hyperparameters and no schedule or a :class:`~adam_tutorial.schedules.Schedule` of scalar
    rates, is computed as one compiled loop: the same records bit for bit, a million steps in
    seconds rather than a quarter of a minute.

    Parameters
    ----------
    optimizer : Optimizer
        Any optimizer of this package, e.g. :class:`~adam_tutorial.Adam`.
    objective : Problem, StochasticProblem or callable
        A problem with a ``grad`` method, e.g. an :class:`~adam_tutorial.objectives.Objective`:
        its ``grad`` is used, and if it is callable (``objective(w)`` is the loss) its value is
        recorded in ``losses``. A stochastic problem (``stochastic = True``, see
        :func:`~adam_tutorial.objectives.noisy`) is called as ``grad(w, rng)`` and needs
        ``seed``. Or a plain function ``grad_fn(w) -> g`` returning the gradient.
    w0 : array_like
        The starting point, any shape (for 2-D objectives ``(..., 2)``: a batch of starts).
    steps : int
        How many steps, ``>= 0``.
    schedule : Schedule or callable, optional
        A learning-rate schedule (:mod:`adam_tutorial.schedules`) or any function
        ``t -> lr``: step ``t + 1`` uses ``lr = schedule(t)`` in place of the optimizer's
        ``lr``, as a torch scheduler stepped after every optimizer step. Its values may be
        arrays that broadcast against ``w0``, like the optimizer's hyperparameters, and must
        be finite and ``>= 0``.
    seed : int or numpy.random.SeedSequence, optional
        For stochastic objectives only, and required by them: ``run`` makes one
        ``numpy.random.default_rng(seed)`` and passes it to every call of ``grad``, so a
        batch of runs (the leading axes of ``w0``) draws its noise in one call per step, and
        the whole run is reproducible from the one seed.
    every : int
        Record the steps ``0, every, 2 * every, ...`` and the last step only (``>= 1``;
        default 1, every step), so long runs on many parameters fit in memory. The
        recorded step numbers are :attr:`Trajectory.t`.

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

    A schedule sets the learning rate of each step; here a cosine decay to 0 over the run,
    recorded every 25 steps:

    >>> from adam_tutorial.schedules import CosineAnnealingLR
    >>> cosine = CosineAnnealingLR(lr=0.3, T_max=100)
    >>> traj = run(Adam(), quadratic, quadratic.start, steps=100, schedule=cosine, every=25)
    >>> traj.t.tolist(), traj.params.shape
    ([0, 25, 50, 75, 100], (5, 2))
    >>> traj.losses.round(4).tolist()
    [21.25, 1.57, 0.0424, 0.0042, 0.0025]

    Noisy gradients: 1000 runs (one per row of ``w0``) with gradient noise of standard
    deviation 1, reproducible from one seed; the loss recorded is the true one:

    >>> from adam_tutorial.objectives import noisy
    >>> starts = np.tile(quadratic.start, (1000, 1))
    >>> traj = run(Adam(lr=0.1), noisy(quadratic, sigma=1.0), starts, steps=200, seed=0)
    >>> final = traj.losses[-1]
    >>> print(f"mean {final.mean():.3f}, spread {final.std():.3f}")
    mean 0.064, spread 0.056
    """
    if not isinstance(optimizer, Optimizer):
        msg = f"optimizer must be an adam_tutorial optimizer such as Adam(), got {optimizer!r}"
        raise TypeError(msg)
    grad_fn, value_fn = _gradient_and_value(objective)
    steps = check_steps(steps)
    every = _check_every(every)
    w = as_params(w0, "w0")
    rng = _generator(objective, seed)
    lr_at = None if schedule is None else _learning_rates(schedule, optimizer, steps, w.shape)

    # A long run as one compiled loop (numba, when installed): a schedule may be a Schedule,
    # whose rates are all computed and checked above, not a function called at each step.
    if (
        rng is None
        and (schedule is None or isinstance(schedule, Schedule))
        and (fast := compiled_run(optimizer, objective, w, steps, lr_at, every, _with_lr))
    ):
        return Trajectory(
            params=fast.params,
            states=fast.states,
            grads=fast.grads,
            losses=None if value_fn is None else _losses(value_fn, fast.params),
            optimizer=optimizer,
            t=fast.t,
        )
    state = optimizer.init(w)
    params, states, grads, recorded = [w], [state], [], [0]
    step_optimizer = optimizer
    for t in range(1, steps + 1):
        if lr_at is not None:
            step_optimizer = _with_lr(optimizer, lr_at(t - 1))
        g = np.asarray(grad_fn(w) if rng is None else grad_fn(w, rng))
        w, state = step_optimizer.step(w, g, state)
        if every == 1 or t % every == 0 or t == steps:
            params.append(w)
            states.append(state)
            grads.append(g.astype(w.dtype, copy=False))
            recorded.append(t)

    # np.array, not np.stack, of arrays of one shape: the same array, three times sooner
    stacked_grads = np.array(grads) if grads else np.empty((0, *w.shape), dtype=w.dtype)
    stacked_params = np.array(params)
    return Trajectory(
        params=stacked_params,
        states=_stack_states(states),
        grads=stacked_grads,
        losses=None if value_fn is None else _losses(value_fn, stacked_params),
        optimizer=optimizer,
        t=np.array(recorded),
    )


def _gradient_and_value(objective: object) -> tuple[Callable[..., Any], Callable | None]:
    """The gradient function of an objective and its value function (``None`` if it has none)."""
    grad = getattr(objective, "grad", None)
    if callable(grad):  # an Objective, or any problem: objective(w) -> loss, .grad(w) -> g
        return grad, objective if callable(objective) else None
    if callable(objective):  # a plain gradient function
        return objective, None
    msg = (
        "objective must be an Objective or a gradient function (or any problem with a grad "
        f"method), got {objective!r}"
    )
    raise TypeError(msg)


def _check_every(every: object) -> int:
    if isinstance(every, bool | np.bool_) or not isinstance(every, numbers.Integral):
        msg = f"every must be an int >= 1, got {every!r}"
        raise TypeError(msg)
    if every < 1:
        msg = f"every must be an int >= 1, got {every}"
        raise ValueError(msg)
    return int(every)


def _generator(objective: object, seed: object) -> np.random.Generator | None:
    """One generator for a stochastic objective; ``None`` for a deterministic one."""
    stochastic = bool(getattr(objective, "stochastic", False))
    if stochastic and seed is None:
        msg = (
            f"objective {objective!r} is stochastic (its grad(w, rng) draws noise): "
            "pass seed=<int> to run, so the run is reproducible"
        )
        raise TypeError(msg)
    if not stochastic:
        if seed is not None:
            msg = (
                f"seed is only for stochastic objectives (stochastic = True, grad(w, rng)); "
                f"{objective!r} is deterministic"
            )
            raise TypeError(msg)
        return None
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        msg = f"seed must be an int >= 0 or a numpy.random.SeedSequence, got {seed!r}"
        raise TypeError(msg)
    if seed < 0:
        msg = f"seed must be an int >= 0 or a numpy.random.SeedSequence, got {seed}"
        raise ValueError(msg)
    return np.random.default_rng(int(seed))


def _learning_rates(
    schedule: object, optimizer: Optimizer, steps: int, shape: tuple[int, ...]
) -> Callable[[int], float | np.ndarray]:
    """A function ``t -> lr`` for steps ``t = 0 .. steps - 1``, each value checked."""
    if not callable(schedule):
        msg = f"schedule must be a Schedule or a function t -> lr, got {schedule!r}"
        raise TypeError(msg)
    if "lr" not in optimizer._ranges:
        msg = f"schedule sets lr, but {type(optimizer).__name__} has no lr"
        raise TypeError(msg)
    if not isinstance(schedule, Schedule):  # any function: called and checked at every step

        def lr_at(t: int) -> float | np.ndarray:
            name = f"schedule({t})"
            lr = check_hyper(name, schedule(t), NON_NEGATIVE)
            hyper_broadcasts(name, lr, shape)
            return lr

        return lr_at
    # A Schedule is vectorised: all the rates in one call, checked at once.
    ndim = np.ndim(schedule(0))
    table = np.asarray(schedule(np.arange(steps).reshape(-1, *(1,) * ndim)))
    if steps:
        check_hyper("schedule(t)", table, NON_NEGATIVE)
        hyper_broadcasts("schedule(t)", table[0] if ndim else 0.0, shape)
    rates = table.tolist() if ndim == 0 else list(table)  # Python floats keep float32 runs
    return rates.__getitem__


def _with_lr(optimizer: Optimizer, lr: float | np.ndarray) -> Optimizer:
    """A copy of `optimizer` with another (already checked) ``lr``.

    Bypasses ``__post_init__``: ``dataclasses.replace`` would check every hyperparameter again,
    about 50 µs on this machine, more than one Adam step on a small problem (35 µs).
    """
    new = object.__new__(type(optimizer))
    new.__dict__.update(optimizer.__dict__)
    new.__dict__["lr"] = lr
    new.__dict__["_floats"] = optimizer._floats and type(lr) is float
    return new


def _losses(value_fn: Callable, params: np.ndarray) -> np.ndarray:
    """``value_fn(params)`` on the stacked parameters, in blocks of about LOSS_BLOCK numbers."""
    per_call = max(1, LOSS_BLOCK // max(1, params[0].size))
    if per_call >= len(params):
        return np.asarray(value_fn(params))
    return np.concatenate(
        [np.asarray(value_fn(params[i : i + per_call])) for i in range(0, len(params), per_call)]
    )


def _stack_states(states: list[NamedTuple]) -> NamedTuple:
    first = states[0]
    fields = {}
    for i, name in enumerate(first._fields):
        column = [s[i] for s in states]
        fields[name] = None if column[0] is None else np.array(column)
    return type(first)(**fields)
