"""What every optimizer shares: validated, immutable hyperparameters and a checked `step`."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

import numpy as np

from adam_tutorial._checks import (
    Interval,
    as_params,
    check_bool,
    check_grad,
    check_hyper,
    hyper_broadcasts,
)
from adam_tutorial.optimizers import _fast

__all__ = ["Optimizer"]


@dataclasses.dataclass(frozen=True)
class Optimizer:
    """Base class: an immutable bag of hyperparameters with pure ``init`` and ``step``.

    Subclasses are frozen dataclasses whose fields are the hyperparameters. Each implements
    :meth:`init` and :meth:`step` and declares, as class variables: in ``_ranges`` the interval of
    each numeric hyperparameter (``{"lr": POSITIVE, "beta1": UNIT, ...}``, intervals named
    in ``adam_tutorial._checks``), in ``_flags`` the boolean options, in ``_state`` its
    state class, and in ``_unshaped_state`` the state fields that are not shaped like the
    parameters. The base class validates the hyperparameters when an optimizer is made, and
    the arguments of ``step`` before the update.

    A subclass's ``step`` is the readable update, one formula a line. On big arrays (at least
    ``_fast.MIN_SIZE`` numbers) the base class runs instead the subclass's ``_fast_step``, if
    the class that writes ``step`` writes one too: the same operations evaluated block by
    block in threads (``adam_tutorial.optimizers._fast``), bit for bit the same results.
    """

    _ranges: ClassVar[dict[str, Interval]] = {}
    _flags: ClassVar[tuple[str, ...]] = ()
    _state: ClassVar[type[NamedTuple]]  # type: ignore[valid-type]
    _unshaped_state: ClassVar[tuple[str, ...]] = ()
    #: Set by ``__post_init__``: every numeric hyperparameter is a Python float.
    _floats: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__ and "_fast_step" in cls.__dict__:
            # only the class that writes the update knows its fast path: a subclass that
            # writes a step of its own (and no _fast_step) keeps it on arrays of every size
            cls.step = _fast_when_big(cls.__dict__["step"])  # type: ignore[method-assign]

    def __post_init__(self) -> None:
        for name, interval in self._ranges.items():
            object.__setattr__(self, name, check_hyper(name, getattr(self, name), interval))
        for name in self._flags:
            object.__setattr__(self, name, check_bool(name, getattr(self, name)))
        # Every hyperparameter a Python float (the common case): a step has nothing to
        # broadcast or cast, and skips both (a microsecond of a small problem's ten).
        object.__setattr__(
            self, "_floats", all(type(getattr(self, name)) is float for name in self._ranges)
        )

    def init(self, params: np.ndarray) -> NamedTuple:
        """Return the state before the first step, for parameters shaped like `params`.

        Parameters
        ----------
        params : array_like
            The starting parameters :math:`w_0`, any shape; they are not modified.

        Returns
        -------
        NamedTuple
            The optimizer's state (e.g. :class:`~adam_tutorial.AdamState`) at :math:`t = 0`:
            its arrays have the shape and floating-point dtype of `params`, each its own.
        """
        raise NotImplementedError

    def step(
        self, params: np.ndarray, grad: np.ndarray, state: NamedTuple
    ) -> tuple[np.ndarray, NamedTuple]:
        """Take one step; return the new parameters and state. The inputs are not modified.

        Parameters
        ----------
        params : array_like
            The parameters :math:`w_{t-1}`.
        grad : array_like
            The gradient :math:`g_t` at `params`, of the same shape.
        state : NamedTuple
            The state after step :math:`t - 1`, from :meth:`init` or the previous ``step``.

        Returns
        -------
        params : numpy.ndarray
            :math:`w_t`, with the shape and dtype of `params`.
        state : NamedTuple
            The state after step :math:`t`.
        """
        raise NotImplementedError

    # -- helpers used by the subclasses' ``init`` and ``step`` ------------------------------

    def _check_params(self, params: object) -> np.ndarray:
        p = as_params(params)
        if self._floats:
            return p
        for name in self._ranges:
            value = getattr(self, name)
            if type(value) is not float:  # only arrays can fail to broadcast
                hyper_broadcasts(name, value, p.shape)
        return p

    def _prepare(
        self, params: object, grad: object, state: object
    ) -> tuple[np.ndarray, np.ndarray]:
        """Validate the arguments of ``step`` and return ``params`` and ``grad`` as arrays."""
        p = self._check_params(params)
        g = check_grad(grad, p)
        if not isinstance(state, self._state):
            msg = (
                f"state must be the {self._state.__name__} returned by "
                f"{type(self).__name__}.init, got {type(state).__name__}"
            )
            raise TypeError(msg)
        shape = p.shape
        for field, value in zip(state._fields, state, strict=True):
            if (
                isinstance(value, np.ndarray)
                and value.shape != shape
                and field not in self._unshaped_state
            ):
                msg = (
                    f"state.{field} has shape {value.shape} but params have shape {p.shape}; "
                    "was the state made by init() for these params?"
                )
                raise ValueError(msg)
        return p, g

    def _fast_step(
        self, params: np.ndarray, grad: np.ndarray, state: NamedTuple
    ) -> tuple[np.ndarray, NamedTuple] | None:
        """``step`` on big arrays, block by block; ``None`` where the readable path must run."""
        return None

    def _fast_dtype(self, params: object, grad: object, state: NamedTuple) -> np.dtype | None:
        """The dtype of a step the fast path can take (see ``_fast.fast_dtype``), else None."""
        hypers = [getattr(self, name) for name in self._ranges]
        return _fast.fast_dtype(params, grad, state, self._state, self._unshaped_state, hypers)

    def _hyper(self, dtype: np.dtype, *names: str) -> tuple[Any, ...]:
        """The named hyperparameters, array ones cast to `dtype` (Python floats stay floats)."""
        values = tuple([getattr(self, name) for name in names])
        if self._floats:
            return values
        return tuple([v.astype(dtype) if isinstance(v, np.ndarray) else v for v in values])


def _fast_when_big(step: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a readable ``step``: big arrays go through ``self._fast_step`` when it can."""

    @functools.wraps(step)
    def step_fast_when_big(
        self: Optimizer, params: np.ndarray, grad: np.ndarray, state: NamedTuple
    ) -> tuple[np.ndarray, NamedTuple]:
        if getattr(params, "size", 0) >= _fast.MIN_SIZE:
            result = self._fast_step(params, grad, state)
            if result is not None:
                return result
        return step(self, params, grad, state)

    return step_fast_when_big


def uses(value: float | np.ndarray) -> bool:
    """True when a hyperparameter such as ``weight_decay`` is non-zero anywhere."""
    if type(value) is float:  # the common case, without a NumPy reduction (3 µs)
        return value != 0.0
    return bool(np.any(value))


def step_count(t: int | np.ndarray, like: np.ndarray) -> int | np.ndarray:
    """Reshape a (stacked) step count so it broadcasts against a (stacked) state array."""
    if np.ndim(t) == 0:
        return int(t)
    t = np.asarray(t)
    return t.reshape(t.shape + (1,) * (like.ndim - t.ndim))


def bias_correct(x: np.ndarray, beta: float | np.ndarray, t: int | np.ndarray) -> np.ndarray:
    """``x / (1 - beta**t)``, defined as 0 where ``t == 0`` (nothing has been averaged yet)."""
    t = step_count(t, x)
    if np.ndim(t) == 0 and t == 0:
        return np.zeros_like(x)
    correction = 1 - np.power(beta, t)
    safe = np.where(correction == 0, 1, correction)
    return np.where(np.asarray(t) == 0, 0, x / safe).astype(x.dtype, copy=False)
