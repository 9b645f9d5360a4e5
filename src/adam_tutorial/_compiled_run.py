"""A long :func:`~adam_tutorial.run` as one compiled loop (numba, the optional extra ``fast``).

A step of ``run`` on two parameters costs about 15 µs in Python and NumPy, nearly all of it the
fixed cost of each call (the update's fourteen ufuncs, the gradient, the checks, the records),
so a run of a million steps takes some 15 s. With numba installed, ``run`` hands a long run
(:data:`MIN_STEPS` steps or more) on one of the book's objectives to a single compiled loop:
each step evaluates the objective's own ``gradient`` function, compiled, then the optimizer's
compiled kernel from :mod:`adam_tutorial.optimizers._jit` on the whole array, and keeps the
records. The scalars of each step (bias corrections, a schedule's learning rate) are computed
first, in Python, by the optimizer's ``_kernel_call``: the code and the arithmetic of its fast
path. So the results are bit for bit those of the Python loop (``tests/test_compiled_run.py``).

Taken only where that holds: float64 parameters (numba computes a Python float constant times
a float32 number in float64, NumPy in float32); scalar hyperparameters, and no schedule or a
:class:`~adam_tutorial.schedules.Schedule` of scalar rates (computed and checked for every step
before the run, in both loops; a schedule function is called step by step by the Python loop,
so that its errors and side effects come when they do there); the package's own update and
state (a subclass that writes its own ``step`` or ``init`` is not taken); NumPy's default
floating-point error handling; and the objectives of :data:`COMPILABLE`, whose gradients use
nothing but ``+ - *`` and ``**2`` (numba and NumPy both multiply). Beale's gradient is not
among them: its ``y**3`` is a call of ``pow`` in NumPy and two multiplications in numba, which
differ in the last bit for about a quarter of all ``y``.

Anything else, or a run whose parameters, gradient or state stop being finite (where the
readable step raises, or warns of an overflow), returns ``None``, and ``run`` takes its Python
loop from the start, which raises or warns as it always does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from adam_tutorial.objectives import OBJECTIVES
from adam_tutorial.optimizers import _fast
from adam_tutorial.optimizers._base import Optimizer

__all__ = ["COMPILABLE", "MIN_STEPS", "compiled_run"]

#: Runs of fewer steps take the Python loop: importing numba and compiling the loop for an
#: optimizer and an objective take one to three seconds (a Python step, about 15 µs).
MIN_STEPS = 200_000
#: The objectives whose compiled gradient is bit for bit NumPy's (``+ - *`` and ``**2`` only).
COMPILABLE = frozenset({"quadratic", "rotated_quadratic", "rosenbrock", "saddle", "himmelblau"})
#: Those objectives as the package made them (``OBJECTIVES`` is a dict a user may change).
_BUILT_IN = {name: OBJECTIVES[name] for name in COMPILABLE}
#: Steps whose scalars are computed, then run compiled, at a time (bounds the memory they take).
CHUNK = 1 << 16


class Recorded(NamedTuple):
    """What the compiled loop recorded, shaped as :func:`~adam_tutorial.run` stacks it."""

    params: np.ndarray
    states: NamedTuple
    grads: np.ndarray
    t: np.ndarray


def compiled_run(
    optimizer: Optimizer,
    objective: object,
    w: np.ndarray,
    steps: int,
    lr_at: Callable[[int], float | np.ndarray] | None,
    every: int,
    with_lr: Callable[[Optimizer, float], Optimizer],
) -> Recorded | None:
    """The records of ``run(optimizer, objective, w, steps, ...)`` from one compiled loop.

    ``lr_at(t)`` is the learning rate of step ``t + 1`` (``None``: the optimizer's), and
    ``with_lr(optimizer, lr)`` the optimizer with that rate. Returns ``None`` when the run is
    not one this loop takes, or leaves finite numbers (see the module's docstring).
    """
    if not _takes(optimizer, objective, w, steps) or (jit := _fast.jit()) is None:
        return None  # (numba is imported only for a run that may use it)
    every = min(every, steps)  # the same records; numba's integers are 64-bit
    state = optimizer.init(w)
    fields = [f for f in state._fields[1:] if f not in optimizer._unshaped_state]
    arrays = [getattr(state, f) for f in fields]
    if any(a is not None and a.shape != w.shape for a in arrays):
        return None  # the readable step raises
    kept = tuple(a is not None for a in arrays)
    empty = np.empty(0)
    work = [empty if a is None else np.array(a, dtype=np.float64).reshape(-1) for a in arrays]
    p = np.array(w, dtype=np.float64).reshape(-1)  # copies: the loop updates them in place
    g = np.empty_like(p)

    recorded = [0, *range(every, steps + 1, every)]
    if recorded[-1] != steps:
        recorded.append(steps)
    n_rec = len(recorded)
    rec_p, rec_g = np.empty((n_rec, p.size)), np.empty((n_rec - 1, p.size))
    rec_s = [np.empty((n_rec, p.size)) if k else empty.reshape(0, 0) for k in kept]
    for rec, a in zip([rec_p, *rec_s], [p, *work], strict=True):
        rec[:1] = a
    unshaped = {f: [getattr(state, f)] for f in optimizer._unshaped_state}

    call = optimizer._kernel_call(1, state)
    loop = _loop(len(work), kept, len(call.scalars), len(call.flags))
    kernel, gradient = getattr(jit, call.name), _compiled(jit, objective.name)  # type: ignore[attr-defined]
    r = 1
    for start in range(1, steps + 1, CHUNK):
        stop = min(start + CHUNK, steps + 1)
        chunk = _scalars(optimizer, state, range(start, stop), lr_at, with_lr, every, steps)
        if chunk is None:
            return None
        sc, fl, state, values = chunk
        for f, column in unshaped.items():
            column.extend(values[f])
        r = loop(kernel, gradient, p, g, *work, sc, fl, start, every, steps, r,
                 rec_p, rec_g, *rec_s)  # fmt: skip
        if r < 0:  # a parameter or a gradient that is not finite: the readable step says so
            return None
    if not (np.isfinite(p).all() and all(np.isfinite(a).all() for a in work)):
        return None  # an overflow on the way: the readable step warns of it
    shape = (n_rec, *w.shape)
    t = np.array(recorded)
    columns: dict[str, Any] = {"t": t.copy()}  # two arrays, as the Python loop gives
    for f, rec, k in zip(fields, rec_s, kept, strict=True):
        columns[f] = rec.reshape(shape) if k else None
    columns |= {f: np.array(column) for f, column in unshaped.items()}
    return Recorded(
        rec_p.reshape(shape), type(state)(**columns), rec_g.reshape(shape[0] - 1, *shape[1:]), t
    )


def _takes(optimizer: Optimizer, objective: object, w: np.ndarray, steps: int) -> bool:
    """Whether the compiled loop gives this run bit for bit (see the module's docstring)."""
    name = getattr(objective, "name", None)
    cls = type(optimizer)
    return (
        steps >= MIN_STEPS
        and isinstance(name, str)
        and objective is _BUILT_IN.get(name)
        and w.dtype == np.float64
        and w.ndim > 0
        and w.shape[-1] == 2  # else the readable path raises: w must hold (x, y) pairs
        and optimizer._floats
        # the class that writes the update writes its kernel's arguments and its state (a
        # subclass may write a step or an init of its own)
        and _owner(cls, "step") is _owner(cls, "_kernel_call") is _owner(cls, "init")
        # the compiled loop gives no floating-point warning or error: NumPy's defaults only
        # (an overflow, an invalid value or a division by zero ends in a number that is not
        # finite, and the Python loop takes the run again; an underflow is ignored)
        and np.geterr() == {"divide": "warn", "over": "warn", "under": "ignore", "invalid": "warn"}
    )


def _owner(cls: type, attribute: str) -> type | None:
    """The class in `cls`'s MRO that defines `attribute`."""
    return next((c for c in cls.__mro__ if attribute in c.__dict__), None)


def _scalars(
    optimizer: Optimizer,
    state: NamedTuple,
    steps: range,
    lr_at: Callable[[int], float | np.ndarray] | None,
    with_lr: Callable[[Optimizer, float], Optimizer],
    every: int,
    last: int,
) -> tuple[np.ndarray, np.ndarray, NamedTuple, dict[str, list]] | None:
    """The kernel's scalars and flags for `steps`, a row each; the state after them; and by
    name, the values its scalar fields take at the steps ``run`` records (a multiple of
    `every`, or the `last`).

    Only the state's fields that are not arrays (NAdam's ``mu_product``) change here. ``None``
    if a learning rate is not a Python float.
    """
    scalars: list[float] = []  # flat lists of floats and bools, which the GC does not follow
    flags: list[bool] = []
    kept: dict[str, list] = {f: [] for f in optimizer._unshaped_state}
    for t in steps:
        opt = optimizer
        if lr_at is not None:
            lr = lr_at(t - 1)
            if type(lr) is not float:
                return None
            opt = with_lr(optimizer, lr)
        call = opt._kernel_call(t, state)
        scalars += call.scalars
        flags += call.flags
        if call.extra:
            state = state._replace(**call.extra)
            if t % every == 0 or t == last:
                for f, value in call.extra.items():
                    kept[f].append(value)
    n = len(steps)
    sc = np.array(scalars, dtype=np.float64).reshape(n, -1)
    return sc, np.array(flags, dtype=np.bool_).reshape(n, -1), state, kept


@functools.cache
def _compiled(jit: Any, name: str) -> Callable[..., tuple[float, float]]:
    """The objective's own ``gradient(x, y)``, compiled for float64 numbers."""
    return jit.numba.njit(error_model="numpy")(_BUILT_IN[name].gradient)


@functools.cache
def _loop(n_arrays: int, kept: tuple[bool, ...], n_scalars: int, n_flags: int) -> Callable:
    """The compiled loop for a kernel taking `n_arrays` state arrays, scalars and flags.

    Written out for each arity, since a compiled function cannot spread a row of an array
    into arguments. The kernel reads each element of its inputs before it writes the same
    element of its outputs, so it is given the same arrays as both (updated in place).
    """
    s = [f"s{i}" for i in range(n_arrays)]
    recs = [f"rec{i}" for i in range(n_arrays)]
    args = ", ".join(
        ["p", "g", *s, "p", *s]
        + [f"sc[i, {j}]" for j in range(n_scalars)]
        + [f"fl[i, {j}]" for j in range(n_flags)]
    )
    records = "".join(
        f"            {rec}[r] = {a}\n" for rec, a, k in zip(recs, s, kept, strict=True) if k
    )
    source = f"""
def loop(kernel, gradient, p, g, {", ".join(s)}, sc, fl, start, every, steps, r,
         rec_p, rec_g, {", ".join(recs)}):
    for i in range(sc.shape[0]):
        t = start + i
        for j in range(0, p.shape[0], 2):
            gx, gy = gradient(p[j], p[j + 1])
            g[j] = gx
            g[j + 1] = gy
        if not kernel({args}):
            return -1
        if t % every == 0 or t == steps:
            rec_p[r] = p
            rec_g[r - 1] = g
{records}            r += 1
    return r
"""
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<adam_tutorial compiled run loop {n_arrays}>", "exec"), namespace)  # noqa: S102
    from adam_tutorial.optimizers import _jit  # noqa: PLC0415 -- numba is imported on demand

    return _jit.numba.njit(error_model="numpy")(namespace["loop"])
