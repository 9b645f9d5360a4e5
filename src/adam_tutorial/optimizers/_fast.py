"""The fast path for big arrays: an update evaluated block by block, in threads.

Each optimizer's ``step`` is written one formula a line, as the chapters show it. On a big array
that costs one fresh temporary per operation, each written to main memory and read back. Here
the same operations, in the same order and on the same scalars, write into preallocated outputs
and a few block-sized scratch arrays that stay in the CPU cache (``out=``), a block at a time,
with the finite checks of the parameters and the gradient done on each block while it is in
the cache. The blocks are shared among threads (NumPy releases the GIL inside its loops).

Every operation is elementwise and done on the same values in the same order, so the results
are bit for bit those of the readable ``step`` (``tests/test_fast_path.py`` checks it).

The number of threads is the number of cores this process may use, unless the environment
variable ``ADAM_TUTORIAL_THREADS`` or :func:`set_threads` says otherwise.

With the optional extra ``fast`` installed (``pip install adam-tutorial[fast]``: numba), each
block is one compiled loop instead (:mod:`adam_tutorial.optimizers._jit`), also bit for bit the
readable results; ``ADAM_TUTORIAL_JIT=0`` turns it off.

A pure step returns new arrays. A new big array costs page faults when it is first written (the
kernel hands out zeroed pages; on this machine about as long as the step's arithmetic), so the
outputs are recycled: memory of an earlier output that nothing references any more (its
reference count says so) is handed out again, up to :data:`POOL_BYTES` kept for reuse.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np

from adam_tutorial._checks import all_finite

__all__ = [
    "BLOCK",
    "MIN_SIZE",
    "KernelCall",
    "evaluate",
    "fast_dtype",
    "get_threads",
    "jit",
    "jit_kernel",
    "set_threads",
]

#: Elements per block, at most: few enough that a block's arrays stay in the CPU caches (L3 on
#: this machine), many enough that threads seldom wait for the GIL between two NumPy calls
#: (on 10**7 float32 numbers with 2 threads, 2**18 took 13.3 ms an Adam step, 2**16 16.8 ms).
BLOCK = 1 << 18
#: Arrays with fewer elements take the readable path (one call on the whole arrays).
MIN_SIZE = 1 << 17

#: At most this many bytes of finished outputs are kept to be handed out again.
POOL_BYTES = 1 << 29

_threads: int | None = None
_pool: ThreadPoolExecutor | None = None
_NOT_LOADED = ModuleType("not loaded")
_jit: ModuleType | None = _NOT_LOADED


class KernelCall(NamedTuple):
    """What one step of an optimizer hands its compiled kernel (``_jit``), as ``_kernel_call`` says.

    ``name`` is the kernel's name in ``_jit``; ``out_slots`` where each of its outputs goes
    (see :func:`jit_kernel`); ``scalars`` and ``flags`` its arguments after the arrays, in its
    order, the scalars as Python floats; ``extra`` the new state's fields that are not arrays
    (NAdam's ``mu_product``), by name.
    """

    name: str
    out_slots: tuple[int | None, ...]
    scalars: tuple[float, ...]
    flags: tuple[bool, ...]
    extra: dict[str, Any]


def jit() -> ModuleType | None:
    """The compiled kernels (``adam_tutorial.optimizers._jit``), or ``None`` without numba.

    Loaded on the first big step, not on import (numba takes about a second to import). The
    environment variable ``ADAM_TUTORIAL_JIT=0`` keeps the NumPy kernels.
    """
    global _jit  # noqa: PLW0603
    if _jit is _NOT_LOADED:
        _jit = None
        if os.environ.get("ADAM_TUTORIAL_JIT", "1").strip() != "0":
            from adam_tutorial.optimizers import _jit as kernels  # noqa: PLC0415

            _jit = None if kernels.numba is None else kernels  # the extra "fast" is optional
    return _jit


def jit_kernel(
    fn: Callable[..., bool],
    out_slots: Sequence[int | None],
    dtype: np.dtype,
    scalars: Sequence[object],
    flags: Sequence[bool],
) -> Callable[..., bool]:
    """A kernel for :func:`evaluate` that calls the compiled `fn` on each block.

    `fn` takes the input blocks (an empty array for an input that is ``None``), then one
    block per entry of `out_slots` (the index in the outputs, or ``None``: an empty array),
    then `scalars` cast to `dtype` (as NumPy casts a Python float it multiplies an array
    of `dtype` by), then `flags`; it returns whether the block's params and grad are finite.
    """
    empty = np.empty(0, dtype)
    cast = [dtype.type(x) for x in scalars]

    def kernel(ins: list, outs: list, scratch: list) -> bool:
        blocks = [empty if a is None else a for a in ins]
        blocks += [empty if i is None else outs[i] for i in out_slots]
        return fn(*blocks, *cast, *flags)

    return kernel


def _default_threads() -> int:
    env = os.environ.get("ADAM_TUTORIAL_THREADS", "").strip()
    if env:
        return set_threads(int(env))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def get_threads() -> int:
    """How many threads the fast path of a big ``step`` uses.

    By default the cores this process may use (``os.sched_getaffinity``), or the value of
    the environment variable ``ADAM_TUTORIAL_THREADS`` when it is set.

    Examples
    --------
    >>> from adam_tutorial.optimizers import get_threads
    >>> get_threads() >= 1
    True
    """
    global _threads  # noqa: PLW0603 -- one setting for the process, like NumPy's own
    if _threads is None:
        _threads = _default_threads()
    return _threads


def set_threads(n: int) -> int:
    """Use `n` threads (``>= 1``) for the fast path of big steps; return `n`.

    Results do not depend on the number of threads: every operation is elementwise.

    Examples
    --------
    >>> from adam_tutorial.optimizers import get_threads, set_threads
    >>> before = get_threads()
    >>> set_threads(1)
    1
    >>> _ = set_threads(before)
    """
    global _threads, _pool  # noqa: PLW0603
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        msg = f"the number of threads must be an int >= 1, got {n!r}"
        raise ValueError(msg)
    if _pool is not None and n != _threads:
        _pool.shutdown(wait=True)
        _pool = None
    _threads = n
    return n


def fast_dtype(
    params: object,
    grad: object,
    state: NamedTuple,
    state_type: type,
    unshaped: Sequence[str],
    hypers: Sequence[object],
) -> np.dtype | None:
    """The dtype of a step the fast path can take, or ``None`` for the readable path.

    The fast path takes C-contiguous float32 or float64 arrays of one shape and dtype, a
    state of the right type with a Python ``int`` step count, and hyperparameters that are
    all Python floats (array hyperparameters broadcast, and take the readable path). Anything
    else, including every wrong argument, goes the readable way, which raises the promised
    errors.
    """
    if not (
        type(params) is np.ndarray
        and type(grad) is np.ndarray
        and params.dtype.type in (np.float32, np.float64)
        and params.size >= MIN_SIZE
        and grad.dtype == params.dtype
        and grad.shape == params.shape
        and type(state) is state_type
        and type(state.t) is int
        and all(type(h) is float for h in hypers)
    ):
        return None
    dtype, shape = params.dtype, params.shape
    arrays = [params, grad]
    for field, value in zip(state._fields[1:], state[1:], strict=True):
        if value is None:
            continue
        if field in unshaped:  # NAdam's mu_product: a scalar of the params' dtype
            fits = np.ndim(value) == 0 and np.asarray(value).dtype == dtype
        else:
            fits = type(value) is np.ndarray and value.shape == shape and value.dtype == dtype
            arrays.append(value)
        if not fits:
            return None
    return dtype if all(a.flags.c_contiguous for a in arrays) else None


_pool_lock = threading.Lock()
_recycled: dict[tuple[int, str], list[np.ndarray]] = {}


def _after_fork_in_child() -> None:
    """A forked child has none of the parent's threads: start afresh (pool made on demand)."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()
    _recycled.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
_IDLE = 3  # references to an unused buffer in _new: its list, the loop variable, getrefcount's
_RECYCLE = sys.implementation.name == "cpython"  # reference counts say when a buffer is free


def _new(size: int, dtype: np.dtype) -> np.ndarray:
    """A new 1-d array for an output: recycled memory no one references any more, if any.

    The array returned is a view of a buffer the pool keeps; while it (or any view of it)
    lives, the buffer's reference count stays above ``_IDLE`` and it is not handed out again.
    """
    if not _RECYCLE:
        return np.empty(size, dtype)
    key = (size, dtype.str)
    with _pool_lock:
        buffers = _recycled.setdefault(key, [])
        for buffer in buffers:
            if sys.getrefcount(buffer) == _IDLE:
                return buffer[:]
        buffer = np.empty(size, dtype)
        held = sum(b.nbytes for bs in _recycled.values() for b in bs)
        if held + buffer.nbytes <= POOL_BYTES:
            buffers.append(buffer)
        return buffer[:]


#: The floating-point errors the NumPy kernels note (``np.errstate(call=...)``) rather than
#: warn of: after one, the readable path takes the step again, and warns or raises as it does.
_NOTED = {"over": "call", "invalid": "call", "divide": "call"}


def evaluate(
    kernel: Callable[..., Any],
    inputs: Sequence[np.ndarray | None],
    n_outputs: int,
    n_scratch: int,
    call: KernelCall,
) -> list[np.ndarray] | None:
    """Run ``kernel(ins, outs, scratch)`` on every block; return the outputs, shaped like the input.

    The kernel gets the blocks of `inputs` (``None`` stays ``None``), of `n_outputs` new
    arrays, and `n_scratch` scratch arrays of the block's size. With numba installed (see
    :func:`jit`), the compiled kernel that `call` names runs instead, on the same blocks
    (:func:`jit_kernel`).

    ``inputs[0]`` and ``inputs[1]`` are the parameters and the gradient, and they must be
    finite. The compiled kernel checks each block of them and returns whether they are.
    With the NumPy kernel the first output (the new parameters) is checked, with
    :func:`~adam_tutorial._checks.all_finite` (one sum per block, exact only if the sum is not
    finite): every optimizer's update carries a NaN or an infinity of the parameters or of the
    gradient into the new parameters (often as ``inf / inf``), so one pass clears both inputs
    instead of four (``tests/test_fast_path.py`` checks it for each update, its options and
    their edge values). A new parameter that is not finite means a bad input or an overflow.
    Either way, and after any floating-point error in a kernel (an overflow, an invalid value,
    a division by zero: noted, not warned of, see :data:`_NOTED`), the step is left to the
    readable path, which raises the error, or warns as it does and returns the same values.

    Returns ``None`` if the parameters or the gradient hold a NaN or an infinity (or, with
    the NumPy kernels, the new parameters do): the caller then takes the readable path.
    """
    like = inputs[0]
    size, dtype = like.size, like.dtype
    checks = (compiled := jit()) is not None
    if checks:
        kernel = jit_kernel(
            getattr(compiled, call.name), call.out_slots, dtype, call.scalars, call.flags
        )
    flat = [None if a is None else a.reshape(-1) for a in inputs]
    outs = [_new(size, dtype) for _ in range(n_outputs)]
    block_size = min(BLOCK, -(-size // get_threads()))  # a block for each thread at least
    n_blocks = -(-size // block_size)
    n_threads = min(get_threads(), n_blocks)
    # Blocks go to whichever thread is free (next() of a count is atomic under the GIL), so a
    # thread the OS holds back on a busy machine does not hold up the step.
    next_block = itertools.count().__next__
    failed: list[int] = []

    def work() -> bool:
        scratch = [np.empty(block_size, dtype) for _ in range(n_scratch)]
        events: list[str] = []  # NumPy's floating-point errors in this thread's kernels
        with np.errstate(**_NOTED, call=lambda kind, _flag: events.append(kind)):
            while (i := next_block()) < n_blocks and not failed:
                block = slice(i * block_size, min((i + 1) * block_size, size))
                ins = [None if a is None else a[block] for a in flat]
                n = block.stop - block.start
                out_blocks = [o[block] for o in outs]
                finite = kernel(ins, out_blocks, [s[:n] for s in scratch])
                if not checks:
                    finite = not events and all_finite(out_blocks[0])  # one sum
                if not finite:
                    failed.append(i)
                    return False
        return True

    if n_threads == 1:
        ok = work()
    else:
        global _pool  # noqa: PLW0603
        if _pool is None:
            _pool = ThreadPoolExecutor(get_threads() - 1, thread_name_prefix="adam_tutorial")
        # each worker runs in a copy of the caller's context, so np.errstate applies there too
        futures = [_pool.submit(contextvars.copy_context().run, work) for _ in range(n_threads - 1)]
        ok = work()
        results = [f.result() for f in futures]  # wait for every one, raise what it raised
        ok = all(results) and ok
    if not ok:
        return None
    return [o.reshape(like.shape) for o in outs]
