"""Optimizer benchmarks for this machine; prints numbers, asserts nothing.

0. Small problems: microseconds per ``step`` of each optimizer on 2 float64 parameters
   (goal <= 20 us), and per step of ``run`` on the seed's bowl, gradient, loss and recording
   included (goal <= 30 us); then seconds for a run of 10**6 steps, which takes the compiled
   loop (``adam_tutorial._compiled_run``) when numba is installed.
1. A sweep: 10,000 hyperparameter settings x 500 Adam steps on the seed's 2-D objective, as
   one broadcast ``run`` versus a Python loop of ``run`` over the settings (the loop is timed
   on a subset and scaled to 10,000; goal: broadcast >= 100x faster).
2. Throughput: milliseconds per step of each optimizer on 10**7 float32 parameters, against
   two bounds measured in the same run with the same number of threads: the traffic bound, the
   bytes one step must move (Adam: read w, g, m, v; write w, m, v) at the speed of a large
   ``np.add`` (read 2, write 1); and that bound plus the page faults of the fresh output
   arrays a pure step must allocate (filling a new array minus filling a used one). The
   bandwidth is measured in turn with each optimizer's steps (this VM's memory changes speed
   from one second to the next), the page faults before each optimizer. Goal:
   within 2.5x of the traffic bound (1.5x with the extra ``fast``, numba, whose kernels are
   timed too when it is installed). Set ``ADAM_TUTORIAL_THREADS`` to compare thread counts.
   ``cpu ms`` is the CPU time of all threads per step: on a loaded machine the wall time
   grows, the CPU time much less.

Run with ``make bench``.
"""

from __future__ import annotations

import os
import platform
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from adam_tutorial import SGD, Adagrad, Adam, Adamax, AdamW, NAdam, RMSprop, run
from adam_tutorial.objectives import quadratic
from adam_tutorial.optimizers import _fast, get_threads

#: One optimizer of each kind, as the chapters configure them.
OPTIMIZERS = {
    "SGD": SGD(lr=0.1, momentum=0.9),
    "Adagrad": Adagrad(lr=0.3),
    "RMSprop": RMSprop(lr=0.01),
    "Adam": Adam(lr=0.3),
    "AdamW": AdamW(lr=0.3),
    "Adamax": Adamax(lr=0.3),
    "NAdam": NAdam(lr=0.3),
}


def best_of(fn, repeat: int, clock=time.perf_counter) -> float:
    """The shortest of `repeat` runs of `fn`, by `clock` (wall time unless told)."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def load() -> None:
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")


def small(steps: int = 10_000) -> None:
    w = np.array([-10.0, 1.5])
    g = np.array([-2.0, 15.0])
    print("[small] 2 float64 parameters, microseconds per step (min over repeats); CPU time")
    print("  (time.thread_time: what the step costs, whatever else runs on the machine) and wall")
    print(f"  {'optimizer':9s} {'step':>7s} {'run':>7s} {'wall:':>6s} {'step':>6s} {'run':>7s}"
          "   (goals: step <= 20, run <= 30)")  # fmt: skip
    for name, opt in OPTIMIZERS.items():
        w1, state = opt.step(w, g, opt.init(w))

        def steps_of(opt=opt, w1=w1, state=state):
            for _ in range(steps):
                opt.step(w1, g, state)

        def run_of(opt=opt):
            run(opt, quadratic, w, steps)

        cpu = [best_of(f, 5, time.thread_time) / steps * 1e6 for f in (steps_of, run_of)]
        wall = [best_of(f, 5) / steps * 1e6 for f in (steps_of, run_of)]
        print(f"  {name:9s} {cpu[0]:7.1f} {cpu[1]:7.1f} {'':6s} {wall[0]:6.1f} {wall[1]:7.1f}")


def long_run(steps: int = 10**6) -> None:
    """A run of a million steps on the seed's bowl: the compiled loop, when numba is installed."""
    print(
        f"[long run] run(opt, quadratic, start, {steps:.0e}), seconds of CPU; chapter budget 20 s"
    )
    if _fast.jit() is None:
        print("  the extra 'fast' (numba) is not installed: the Python loop takes the 'run' µs"
              " of [small] times 1e6")  # fmt: skip
        return
    print(f"  {'optimizer':9s} {'first':>7s} {'again':>7s}   (first: with numba's compilation;"
          " the Python loop: the 'run' column of [small], in s)")  # fmt: skip
    for name, opt in OPTIMIZERS.items():
        first = best_of(lambda opt=opt: run(opt, quadratic, quadratic.start, steps), 1,
                        time.thread_time)  # fmt: skip
        again = best_of(lambda opt=opt: run(opt, quadratic, quadratic.start, steps), 2,
                        time.thread_time)  # fmt: skip
        print(f"  {name:9s} {first:7.2f} {again:7.2f}")


def sweep(n_settings: int = 10_000, steps: int = 500, loop_subset: int = 100) -> None:
    rng = np.random.default_rng(0)
    lr = rng.uniform(1e-3, 1.0, n_settings)
    beta1 = rng.uniform(0.0, 0.99, n_settings)
    beta2 = rng.uniform(0.9, 0.9999, n_settings)
    starts = np.tile(quadratic.start, (n_settings, 1))

    def broadcast():
        opt = Adam(lr=lr[:, None], beta1=beta1[:, None], beta2=beta2[:, None])
        return run(opt, quadratic, starts, steps)

    def loop(k):
        return [
            run(Adam(lr=lr[i], beta1=beta1[i], beta2=beta2[i]), quadratic, starts[i], steps)
            for i in range(k)
        ]

    # CPU time (both are single-threaded), so the ratio does not depend on the machine's load
    t_broadcast = best_of(broadcast, 3, time.thread_time)
    t_loop = best_of(lambda: loop(loop_subset), 1, time.thread_time) * n_settings / loop_subset
    # Bit for bit against runs given the same hyperparameters as 1-element arrays. With Python
    # floats, beta**t is Python's pow, not NumPy's vectorised power: they differ in the last bit
    # for some betas (8 of 100 here at t = 3), and the runs that oscillate drift apart from there.
    one_each = [
        run(Adam(lr=lr[i : i + 1], beta1=beta1[i : i + 1], beta2=beta2[i : i + 1]),
            quadratic, starts[i], steps).params
        for i in range(loop_subset)
    ]  # fmt: skip
    same = np.array_equal(broadcast().params[:, :loop_subset], np.stack(one_each, axis=1))
    print(f"[sweep] {n_settings} settings x {steps} Adam steps on the 2-D quadratic")
    print(f"  one broadcast run (CPU)   : {t_broadcast:8.3f} s")
    print(f"  Python loop (scaled from {loop_subset}, CPU): {t_loop:8.1f} s")
    print(f"  speed-up                  : {t_loop / t_broadcast:8.0f}x   (goal >= 100x)")
    print(f"  same trajectories         : {same}   (bit for bit, hyperparameters as arrays)")


#: The big-array configurations: (optimizer, arrays read, arrays written) per step.
BIG = {
    "SGD": (SGD(lr=1e-3, momentum=0.9), 3, 2),  # read w, g, b; write w, b
    "Adagrad": (Adagrad(lr=1e-2), 3, 2),  # w, g, state_sum
    "RMSprop": (RMSprop(lr=1e-2), 3, 2),  # w, g, v
    "Adam": (Adam(lr=1e-3), 4, 3),  # w, g, m, v
    "AdamW": (AdamW(lr=1e-3), 4, 3),
    "Adamax": (Adamax(lr=1e-3), 4, 3),  # w, g, m, u
    "NAdam": (NAdam(lr=1e-3), 4, 3),
}


def in_threads(fn, n: int, threads: int) -> None:
    """``fn(lo, hi)`` on `threads` contiguous pieces of ``range(n)``, in parallel."""
    bounds = [n * i // threads for i in range(threads + 1)]
    if threads == 1:
        fn(0, n)
        return
    with ThreadPoolExecutor(threads - 1) as pool:
        futures = [pool.submit(fn, bounds[i], bounds[i + 1]) for i in range(1, threads)]
        fn(bounds[0], bounds[1])
        for f in futures:
            f.result()


def add_time(a: np.ndarray, b: np.ndarray, out: np.ndarray, threads: int) -> float:
    """Seconds of one large ``np.add`` (read 2 arrays, write 1) in `threads` threads."""
    start = time.perf_counter()
    in_threads(lambda lo, hi: np.add(a[lo:hi], b[lo:hi], out=out[lo:hi]), a.size, threads)
    return time.perf_counter() - start


def page_faults(n: int, threads: int, repeat: int = 20) -> float:
    """Seconds of page faults in filling a fresh array: filling a new one minus a used one."""
    used = np.empty(n, np.float32)

    def fill(x):
        in_threads(lambda lo, hi: x[lo:hi].fill(1.0), n, threads)

    t_touched = best_of(lambda: fill(used), repeat)
    t_fresh = best_of(lambda: fill(np.empty(n, np.float32)), repeat)
    return max(t_fresh - t_touched, 0.0)


def kernel_paths() -> dict[str, object]:
    """The fast path's kernels to time: NumPy's always, numba's with the extra ``fast``."""
    compiled = _fast.jit()
    return {"numpy": None} | ({"numba": compiled} if compiled is not None else {})


def throughput(n: int = 10**7, steps: int = 5, repeat: int = 12) -> None:
    threads = get_threads()
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(n, dtype=np.float32)
    g = rng.standard_normal(n, dtype=np.float32)
    a, b = rng.standard_normal((2, n), dtype=np.float32)
    out = np.empty_like(a)
    paths = kernel_paths()
    print(f"[throughput] {n:.0e} float32 parameters, {threads} thread(s) (ADAM_TUTORIAL_THREADS)")
    print("  The memory of this VM changes speed from one second to the next (np.add: 40 or 70"
          " GB/s), so each optimizer's steps are timed in turn with runs of a large np.add,"
          " and each ratio divides the fastest step by the bound from the fastest np.add of"
          " the same minute (GB/s);"
          " the page faults of a fresh array (pf ms) are measured before each optimizer.")  # fmt: skip
    print(f"  {'optimizer':9s} {'kernels':7s} {'GB/s':>5s} {'ms/step':>8s} {'bound':>6s}"
          f" {'ratio':>6s} {'pf ms':>5s} {'bound+pf':>8s} {'ratio':>6s} {'cpu ms':>7s}"
          "   (goals: ratio <= 2.5; numba 1.5)")  # fmt: skip
    for name, (opt, reads, writes) in BIG.items():
        fault = page_faults(n, threads)
        for path, kernels in paths.items():
            _fast._jit = kernels
            w, state = opt.step(w0, g, opt.init(w0))  # compiles numba's kernels, if any

            def steps_of(opt=opt, w=w, state=state):
                for _ in range(steps):
                    _, _ = opt.step(w, g, state)

            t_add, t_step = float("inf"), float("inf")
            for _ in range(repeat):  # in turn, so that both see the same speeds of the memory;
                # each in a run of its own (np.add three times, the step `steps` times), as each
                # is measured alone: the next run finds part of its arrays in the L3 cache
                t_add = min(t_add, *(add_time(a, b, out, threads) for _ in range(3)))
                t_step = min(t_step, best_of(steps_of, 1) / steps)
            bandwidth = 3 * a.nbytes / t_add
            bound = (reads + writes) * w0.nbytes / bandwidth
            bound_pf = bound + writes * fault
            t_cpu = best_of(steps_of, 2, time.process_time) / steps  # all threads
            print(f"  {name:9s} {path:7s} {bandwidth / 1e9:5.1f} {t_step * 1e3:8.1f}"
                  f" {bound * 1e3:6.1f} {t_step / bound:5.2f}x {fault * 1e3:5.1f}"
                  f" {bound_pf * 1e3:8.1f} {t_step / bound_pf:5.2f}x {t_cpu * 1e3:7.1f}")  # fmt: skip
    _fast._jit = paths.get("numba")


if __name__ == "__main__":
    print(f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}")
    load()
    small()
    long_run()
    sweep()
    load()
    throughput()
    load()
