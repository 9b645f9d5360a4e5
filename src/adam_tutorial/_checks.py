"""Input validation shared by the optimizers and the runner.

Every check raises at the boundary with a message that names the parameter, the value received
and the allowed range, e.g. ``ValueError: beta2 must be in [0, 1), got 1.0``.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

__all__ = [
    "NON_NEGATIVE",
    "POSITIVE",
    "UNIT",
    "UNIT_CLOSED",
    "Interval",
    "all_finite",
    "as_params",
    "check_bool",
    "check_count",
    "check_grad",
    "check_hyper",
    "check_steps",
    "hyper_broadcasts",
]

INF = float("inf")


class Interval(NamedTuple):
    """The values a hyperparameter may take: from `low` to `high`, each end included or not.

    Examples
    --------
    >>> print(UNIT, POSITIVE)
    [0, 1) (0, inf)
    """

    low: float
    high: float
    low_closed: bool
    high_closed: bool

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{_fmt_bound(self.low)}, {_fmt_bound(self.high)}{right}"


#: (0, inf): learning rates and ``eps``.
POSITIVE = Interval(0.0, INF, low_closed=False, high_closed=False)
#: [0, inf): weight decay and the other rates that may be 0 (off).
NON_NEGATIVE = Interval(0.0, INF, low_closed=True, high_closed=False)
#: [0, 1): decay rates of moving averages, momentum.
UNIT = Interval(0.0, 1.0, low_closed=True, high_closed=False)
#: [0, 1]: SGD's dampening.
UNIT_CLOSED = Interval(0.0, 1.0, low_closed=True, high_closed=True)


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} with values {np.array2string(value, threshold=6)}"
    return repr(value)


def check_hyper(name: str, value: object, interval: Interval) -> float | np.ndarray:
    """Return a validated hyperparameter: a Python float, or a float64 array that broadcasts.

    Raises
    ------
    TypeError
        If `value` is not a real number or an array of real numbers (bools are rejected).
    ValueError
        If any entry is NaN, infinite or outside the interval.
    """
    if isinstance(value, bool | np.bool_) or (
        not isinstance(value, numbers.Real | np.ndarray | list | tuple)
    ):
        msg = f"{name} must be a real number or an array of real numbers, got {value!r}"
        raise TypeError(msg)
    if isinstance(value, numbers.Real):
        arr = np.asarray(float(value))
        out: float | np.ndarray = float(value)
    else:
        arr = np.asarray(value)
        if arr.dtype.kind not in "iuf":
            msg = f"{name} must contain real numbers, got dtype {arr.dtype}"
            raise TypeError(msg)
        arr = arr.astype(np.float64)
        out = float(arr) if arr.ndim == 0 else arr
    if not np.all(np.isfinite(arr)):
        msg = f"{name} must be finite and in {interval}, got {_describe(value)}"
        raise ValueError(msg)
    low, high = interval.low, interval.high
    below = arr < low if interval.low_closed else arr <= low
    above = arr > high if interval.high_closed else arr >= high
    if np.any(below | above):
        msg = f"{name} must be in {interval}, got {_describe(value)}"
        raise ValueError(msg)
    return out


def _fmt_bound(x: float) -> str:
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}"


def check_bool(name: str, value: object) -> bool:
    """Return `value` if it is a bool, else raise a `TypeError` naming `name`."""
    if not isinstance(value, bool | np.bool_):
        msg = f"{name} must be a bool, got {value!r}"
        raise TypeError(msg)
    return bool(value)


def as_params(params: object, name: str = "params") -> np.ndarray:
    """Return `params` as a floating-point array, without copying float32/float64 input.

    Integer input is promoted to float64; anything else non-real is a `TypeError`.
    Non-finite entries are a `ValueError`.
    """
    if isinstance(params, str | bytes) or params is None:
        msg = f"{name} must be an array of real numbers, got {params!r}"
        raise TypeError(msg)
    arr = np.asarray(params)
    if arr.dtype.kind == "f":
        pass
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.float64)
    else:
        msg = f"{name} must be an array of real floating-point numbers, got dtype {arr.dtype}"
        raise TypeError(msg)
    if not all_finite(arr):
        msg = f"{name} must be finite, got NaN or inf at index {_first_bad(arr)}"
        raise ValueError(msg)
    return arr


#: Up to this many numbers, :func:`all_finite` checks each one in Python: cheaper than a
#: NumPy reduction (and its ``errstate``) on the book's two-parameter problems.
SMALL = 32


def all_finite(arr: np.ndarray) -> bool:
    """True when every entry of a floating-point array is finite.

    Small arrays are checked number by number (``math.isfinite``, about 0.2 µs for two);
    big ones with one ``sum`` (a NaN or inf anywhere makes it non-finite), and exactly only
    when the sum is not finite (it may also overflow).

    >>> all_finite(np.array([1.0, 2.0])), all_finite(np.array([1.0, np.inf]))
    (True, False)
    """
    if arr.size <= SMALL:
        return all(map(math.isfinite, arr.reshape(-1).tolist()))
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isfinite(arr.sum()):  # one fast pass; exact check only if needed
            return True
    return bool(np.isfinite(arr).all())


def _first_bad(arr: np.ndarray) -> tuple[int, ...]:
    idx = np.argwhere(~np.isfinite(arr))[0]
    return tuple(int(i) for i in idx)


def check_grad(grad: object, params: np.ndarray) -> np.ndarray:
    """Return `grad` as an array of the params' dtype and shape, or raise."""
    g = as_params(grad, "grad")
    if g.shape != params.shape:
        msg = f"grad must have the shape of params {params.shape}, got {g.shape}"
        raise ValueError(msg)
    return g.astype(params.dtype, copy=False)


def hyper_broadcasts(name: str, value: float | np.ndarray, shape: tuple[int, ...]) -> None:
    """Raise if an array hyperparameter would change the parameters' shape when broadcast."""
    if isinstance(value, np.ndarray):
        try:
            out = np.broadcast_shapes(value.shape, shape)
        except ValueError:
            out = None
        if out != shape:
            msg = (
                f"{name} of shape {value.shape} must broadcast against params of shape {shape}"
                " without changing it"
            )
            raise ValueError(msg)


def check_steps(steps: object) -> int:
    """Return `steps` as an int >= 0, or raise."""
    if isinstance(steps, bool | np.bool_) or not isinstance(steps, numbers.Integral):
        msg = f"steps must be an int >= 0, got {steps!r}"
        raise TypeError(msg)
    if steps < 0:
        msg = f"steps must be an int >= 0, got {steps}"
        raise ValueError(msg)
    return int(steps)


def check_count(name: str, value: object, low: int) -> int | np.ndarray:
    """Return an integer hyperparameter (``T_max``, ``step_size``, ...) checked to be ``>= low``.

    A Python int stays an int; an array of integers becomes an int64 array that broadcasts.

    >>> check_count("T_max", np.array([10, 20]), 1)
    array([10, 20])
    >>> check_count("T_max", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: T_max must be an int >= 1, got 0
    """
    if isinstance(value, bool | np.bool_):
        arr = None
    elif isinstance(value, numbers.Integral):
        arr = np.asarray(int(value))
    else:
        arr = np.asarray(value) if isinstance(value, np.ndarray | list | tuple) else None
    if arr is None or arr.dtype.kind not in "iu":
        msg = f"{name} must be an int >= {low} or an array of such ints, got {value!r}"
        raise TypeError(msg)
    if np.any(arr < low):
        msg = f"{name} must be an int >= {low}, got {_describe(value)}"
        raise ValueError(msg)
    return int(arr) if arr.ndim == 0 else arr.astype(np.int64)
