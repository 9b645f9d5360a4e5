r"""Learning-rate schedules, with the values of ``torch.optim.lr_scheduler``'s same-named classes.

A schedule is a small immutable object: ``sched(t)`` is the learning rate :math:`\eta_t` of the
step taken after ``t`` steps, that is of step ``t + 1``. ``t`` counts the optimizer steps already
taken, PyTorch's ``last_epoch`` when the scheduler is stepped once per optimizer step (create the
scheduler, then ``optimizer.step(); scheduler.step()`` in a loop). :func:`~adam_tutorial.run`
takes a schedule as ``schedule=`` and uses ``sched(t)`` as the learning rate of step ``t + 1``.

``t`` may be an array of step counts, and every hyperparameter may be an array; all of them
broadcast together, so one call gives a whole learning-rate curve or many settings at once.

Examples
--------
>>> import numpy as np
>>> from adam_tutorial.schedules import CosineAnnealingLR, LinearLR, SequentialLR
>>> warmup = LinearLR(lr=0.1, start_factor=0.25, total_iters=3)
>>> print(warmup(np.arange(5)))
[0.025 0.05  0.075 0.1   0.1  ]
>>> sched = SequentialLR(schedules=(warmup, CosineAnnealingLR(lr=0.1, T_max=4)), milestones=(3,))
>>> print(np.round(sched(np.arange(8)), 4))
[0.025  0.05   0.075  0.1    0.0854 0.05   0.0146 0.    ]
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import numbers
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from adam_tutorial._checks import (
    NON_NEGATIVE,
    POSITIVE,
    UNIT_CLOSED,
    Interval,
    check_count,
    check_hyper,
)

__all__ = [
    "ConstantLR",
    "CosineAnnealingLR",
    "ExponentialLR",
    "LinearLR",
    "Schedule",
    "SequentialLR",
    "StepLR",
]

#: (0, 1]: multiplicative factors that may not be 0 (torch divides by them, or should).
FACTOR = Interval(0.0, 1.0, low_closed=False, high_closed=True)

Steps = int | np.ndarray


def check_t(t: object) -> Steps:
    """Return a step count ``t`` as an int, or an int64 array, each ``>= 0``; else raise.

    >>> check_t(np.arange(3))
    array([0, 1, 2])
    >>> check_t(-1)
    Traceback (most recent call last):
    ...
    ValueError: t must be an int >= 0 (the number of steps taken), got -1
    """
    if isinstance(t, bool | np.bool_):
        arr = None
    elif isinstance(t, numbers.Integral):
        arr = np.asarray(int(t))
    else:
        arr = np.asarray(t) if isinstance(t, np.ndarray | list | tuple) else None
    if arr is None or arr.dtype.kind not in "iu":
        msg = f"t must be an int >= 0 (the number of steps taken) or an array of them, got {t!r}"
        raise TypeError(msg)
    if np.any(arr < 0):
        msg = f"t must be an int >= 0 (the number of steps taken), got {t!r}"
        raise ValueError(msg)
    return int(arr) if arr.ndim == 0 else arr.astype(np.int64)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Schedule:
    """Base class: an immutable learning-rate schedule, ``sched(t) -> lr``.

    Subclasses are frozen dataclasses whose fields are the hyperparameters. They declare the
    interval of each real hyperparameter in ``_ranges``, the least value of each integer one in
    ``_counts``, and implement ``_value(t)`` for a checked ``t``. The base class validates the
    hyperparameters when a schedule is made and ``t`` when it is called.

    Examples
    --------
    >>> sched = ExponentialLR(lr=1.0, gamma=0.5)
    >>> isinstance(sched, Schedule), sched(3)
    (True, 0.125)
    """

    _ranges: ClassVar[dict[str, Interval]] = {}
    _counts: ClassVar[dict[str, int]] = {}

    def __post_init__(self) -> None:
        for name, interval in self._ranges.items():
            object.__setattr__(self, name, check_hyper(name, getattr(self, name), interval))
        for name, low in self._counts.items():
            object.__setattr__(self, name, check_count(name, getattr(self, name), low))

    def __call__(self, t: int | np.ndarray) -> float | np.ndarray:
        """The learning rate of step ``t + 1``, after ``t >= 0`` steps.

        Parameters
        ----------
        t : int or array_like of int
            Steps already taken; an array broadcasts against array hyperparameters.

        Returns
        -------
        float or numpy.ndarray
            A Python float when ``t`` and every hyperparameter are scalars, else a float64
            array of their broadcast shape.
        """
        out = self._value(check_t(t))
        return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=np.float64)

    def _value(self, t: Steps) -> float | np.ndarray:
        raise NotImplementedError


@dataclasses.dataclass(frozen=True, kw_only=True)
class ConstantLR(Schedule):
    r"""A constant factor for the first ``total_iters`` steps, then the full rate.

    .. math::

        \eta_t = \begin{cases} \eta \cdot \text{factor} & t < \text{total\_iters} \\
        \eta & t \ge \text{total\_iters} \end{cases}

    The values of ``torch.optim.lr_scheduler.ConstantLR`` (its closed form); torch's stepped
    form divides by ``factor`` at ``total_iters`` and agrees to rounding. Torch accepts
    ``factor = 0`` and ``total_iters = 0`` but its stepped form then fails (division by zero)
    or keeps the factor for ever; here they are rejected.

    Parameters
    ----------
    lr : float or array_like
        The base learning rate :math:`\eta > 0` (the optimizer's ``lr`` in torch).
    factor : float or array_like
        In :math:`(0, 1]`; default ``1/3``, torch's.
    total_iters : int or array_like of int
        Steps at the reduced rate, ``>= 1``; default 5.

    Examples
    --------
    >>> import numpy as np
    >>> print(ConstantLR(lr=0.1, factor=0.5, total_iters=2)(np.arange(4)))
    [0.05 0.05 0.1  0.1 ]
    """

    lr: float | np.ndarray
    factor: float | np.ndarray = 1.0 / 3
    total_iters: int | np.ndarray = 5

    _ranges: ClassVar[dict[str, Interval]] = {"lr": POSITIVE, "factor": FACTOR}
    _counts: ClassVar[dict[str, int]] = {"total_iters": 1}

    def _value(self, t: Steps) -> float | np.ndarray:
        reached = np.greater_equal(t, self.total_iters)
        return self.lr * (self.factor + reached * (1 - self.factor))


@dataclasses.dataclass(frozen=True, kw_only=True)
class StepLR(Schedule):
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps.

    .. math::

        \eta_t = \eta \, \gamma^{\lfloor t / \text{step\_size} \rfloor}

    The values of ``torch.optim.lr_scheduler.StepLR``.

    Parameters
    ----------
    lr : float or array_like
        The base learning rate :math:`\eta > 0`.
    step_size : int or array_like of int
        Steps between two decays, ``>= 1``.
    gamma : float or array_like
        The factor :math:`\gamma > 0` of each decay; default 0.1.

    Examples
    --------
    >>> import numpy as np
    >>> print(StepLR(lr=1.0, step_size=2, gamma=0.5)(np.arange(6)))
    [1.   1.   0.5  0.5  0.25 0.25]
    """

    lr: float | np.ndarray
    step_size: int | np.ndarray
    gamma: float | np.ndarray = 0.1

    _ranges: ClassVar[dict[str, Interval]] = {"lr": POSITIVE, "gamma": POSITIVE}
    _counts: ClassVar[dict[str, int]] = {"step_size": 1}

    def _value(self, t: Steps) -> float | np.ndarray:
        return self.lr * np.power(self.gamma, np.floor_divide(t, self.step_size))


@dataclasses.dataclass(frozen=True, kw_only=True)
class ExponentialLR(Schedule):
    r"""Multiply the rate by ``gamma`` at every step.

    .. math::

        \eta_t = \eta \, \gamma^t

    The values of ``torch.optim.lr_scheduler.ExponentialLR``.

    Parameters
    ----------
    lr : float or array_like
        The base learning rate :math:`\eta > 0`.
    gamma : float or array_like
        The factor :math:`\gamma > 0` per step.

    Examples
    --------
    >>> import numpy as np
    >>> gammas = np.array([[0.5], [0.9]])   # two settings, one call
    >>> print(ExponentialLR(lr=1.0, gamma=gammas)(np.arange(4)))
    [[1.    0.5   0.25  0.125]
     [1.    0.9   0.81  0.729]]
    """

    lr: float | np.ndarray
    gamma: float | np.ndarray

    _ranges: ClassVar[dict[str, Interval]] = {"lr": POSITIVE, "gamma": POSITIVE}

    def _value(self, t: Steps) -> float | np.ndarray:
        return self.lr * np.power(self.gamma, t)


@dataclasses.dataclass(frozen=True, kw_only=True)
class CosineAnnealingLR(Schedule):
    r"""Half a cosine from ``lr`` down to ``eta_min`` over ``T_max`` steps (Loshchilov & Hutter).

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta - \eta_{\min})
        \left(1 + \cos\frac{\pi t}{T_{\max}}\right)

    The closed form of ``torch.optim.lr_scheduler.CosineAnnealingLR``
    (``_get_closed_form_lr``), with torch's order of operations. Torch's stepped form multiplies
    the previous rate by a ratio of two cosines; it agrees with this formula to rounding, also
    for :math:`t > T_{\max}`, where both rise again (the cosine goes on; there is no restart
    and no clamp at :math:`\eta_{\min}`).

    Parameters
    ----------
    lr : float or array_like
        The starting rate :math:`\eta > 0`.
    T_max : int or array_like of int
        Steps of the half cosine, ``>= 1``.
    eta_min : float or array_like
        The rate at :math:`t = T_{\max}`, :math:`\ge 0`; default 0.

    Examples
    --------
    >>> import numpy as np
    >>> print(CosineAnnealingLR(lr=1.0, T_max=4)(np.arange(5)))
    [1.         0.85355339 0.5        0.14644661 0.        ]
    """

    lr: float | np.ndarray
    T_max: int | np.ndarray
    eta_min: float | np.ndarray = 0.0

    _ranges: ClassVar[dict[str, Interval]] = {"lr": POSITIVE, "eta_min": NON_NEGATIVE}
    _counts: ClassVar[dict[str, int]] = {"T_max": 1}

    def _value(self, t: Steps) -> float | np.ndarray:
        cosine = np.cos(np.pi * np.asarray(t, dtype=np.float64) / self.T_max)
        return self.eta_min + (self.lr - self.eta_min) * (1 + cosine) / 2


@dataclasses.dataclass(frozen=True, kw_only=True)
class LinearLR(Schedule):
    r"""A factor that moves linearly from ``start_factor`` to ``end_factor``: linear warm-up.

    .. math::

        \eta_t = \eta \left(s + (e - s)\,
        \frac{\min(t, \text{total\_iters})}{\text{total\_iters}}\right)

    with :math:`s` = ``start_factor`` and :math:`e` = ``end_factor``. The values of
    ``torch.optim.lr_scheduler.LinearLR`` (its closed form; its stepped form agrees to
    rounding). Torch accepts ``total_iters = 0``, where its closed form divides by zero; here
    it is rejected.

    Parameters
    ----------
    lr : float or array_like
        The base learning rate :math:`\eta > 0`.
    start_factor : float or array_like
        In :math:`(0, 1]`; default ``1/3``.
    end_factor : float or array_like
        In :math:`[0, 1]`; default 1.
    total_iters : int or array_like of int
        Steps until ``end_factor`` is reached, ``>= 1``; default 5.

    Examples
    --------
    >>> import numpy as np
    >>> print(LinearLR(lr=0.1, start_factor=0.5, total_iters=2)(np.arange(4)))
    [0.05  0.075 0.1   0.1  ]
    """

    lr: float | np.ndarray
    start_factor: float | np.ndarray = 1.0 / 3
    end_factor: float | np.ndarray = 1.0
    total_iters: int | np.ndarray = 5

    _ranges: ClassVar[dict[str, Interval]] = {
        "lr": POSITIVE,
        "start_factor": FACTOR,
        "end_factor": UNIT_CLOSED,
    }
    _counts: ClassVar[dict[str, int]] = {"total_iters": 1}

    def _value(self, t: Steps) -> float | np.ndarray:
        s, e, n = self.start_factor, self.end_factor, self.total_iters
        return self.lr * (s + (e - s) * np.minimum(n, t) / n)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SequentialLR(Schedule):
    r"""One schedule after another: each starts afresh (from its own ``t = 0``) at a milestone.

    With milestones :math:`m_1 < \dots < m_k` and :math:`m_0 = 0`, the :math:`i`-th schedule
    :math:`\eta^{(i)}` rules from step count :math:`m_i` on:

    .. math::

        \eta_t = \eta^{(i)}_{t - m_i} \quad \text{for } m_i \le t < m_{i+1}

    The values of ``torch.optim.lr_scheduler.SequentialLR``, e.g. a linear warm-up, then a
    cosine decay. In torch every schedule of the sequence shares the optimizer's base rate;
    here each carries its own ``lr`` (give them the same one to match torch).

    Parameters
    ----------
    schedules : sequence of Schedule
        At least one schedule.
    milestones : sequence of int
        ``len(schedules) - 1`` increasing step counts, each ``>= 1``.

    Examples
    --------
    >>> import numpy as np
    >>> warmup = LinearLR(lr=1.0, start_factor=0.5, total_iters=2)
    >>> decay = ExponentialLR(lr=1.0, gamma=0.5)
    >>> print(SequentialLR(schedules=[warmup, decay], milestones=[2])(np.arange(5)))
    [0.5  0.75 1.   0.5  0.25]
    """

    schedules: Sequence[Schedule]
    milestones: Sequence[int]

    def __post_init__(self) -> None:
        if isinstance(self.schedules, Schedule) or not isinstance(self.schedules, Sequence):
            msg = f"schedules must be a sequence of schedules, got {self.schedules!r}"
            raise TypeError(msg)
        schedules = tuple(self.schedules)
        if not schedules:
            msg = "schedules must hold at least one schedule, got none"
            raise ValueError(msg)
        for i, sched in enumerate(schedules):
            if not isinstance(sched, Schedule):
                msg = f"schedules[{i}] must be a Schedule such as LinearLR(...), got {sched!r}"
                raise TypeError(msg)
        if not isinstance(self.milestones, Sequence | np.ndarray):
            msg = f"milestones must be a sequence of ints, got {self.milestones!r}"
            raise TypeError(msg)
        milestones = tuple(check_count("milestones", m, 1) for m in self.milestones)
        if any(not isinstance(m, int) for m in milestones):
            msg = f"milestones must be ints (one milestone per entry), got {self.milestones!r}"
            raise TypeError(msg)
        if len(milestones) != len(schedules) - 1:
            msg = (
                f"milestones must hold len(schedules) - 1 = {len(schedules) - 1} step counts, "
                f"got {len(milestones)}"
            )
            raise ValueError(msg)
        if any(b <= a for a, b in itertools.pairwise(milestones)):
            msg = f"milestones must increase strictly, got {list(milestones)}"
            raise ValueError(msg)
        object.__setattr__(self, "schedules", schedules)
        object.__setattr__(self, "milestones", milestones)

    def _value(self, t: Steps) -> float | np.ndarray:
        starts = (0, *self.milestones)
        if isinstance(t, int):
            i = bisect.bisect_right(self.milestones, t)
            return self.schedules[i]._value(t - starts[i])
        out = self.schedules[0]._value(t)
        for sched, start in zip(self.schedules[1:], starts[1:], strict=True):
            out = np.where(t >= start, sched._value(np.maximum(t - start, 0)), out)
        return out
