"""Optimizer benchmarks for this machine; prints numbers, asserts nothing.

0. Small problems: microseconds per ``step`` of each optimizer on 2 float64 parameters
   (goal <= 20 us), and per step of ``run`` on the seed's bowl, gradient, loss and recording
   included (goal <= 30 us).
1. A sweep: 10,000 hyperparameter settings x 500 Adam steps on the seed's 2-D objective, as
   one broadcast ``run`` versus a Python loop of ``run`` over the settings (the loop is timed
   on a subset and scaled to 10,000; goal: broadcast >= 100x faster).
2. Throughput: Adam steps per second on 10**7 float32 parameters, against a memory-bandwidth
   bound measured in the same run: the bytes one step must move (read w, g, m, v; write w, m,
   v: 7 arrays) at the speed of a large ``np.add`` (read 2, write 1). Goal: within 3x.

Run with ``make bench``.
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from adam_tutorial import SGD, Adagrad, Adam, Adamax, AdamW, NAdam, RMSprop, run
from adam_tutorial.objectives import quadratic

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


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def small(steps: int = 10_000) -> None:
    w = np.array([-10.0, 1.5])
    g = np.array([-2.0, 15.0])
    print("[small] 2 float64 parameters, microseconds per step (min over 5 repeats)")
    print(f"  {'optimizer':9s} {'step':>7s} {'run':>7s}   (goals: step <= 20, run <= 30)")
    for name, opt in OPTIMIZERS.items():
        w1, state = opt.step(w, g, opt.init(w))
        t_step = best_of(lambda opt=opt, w1=w1, state=state: [
            opt.step(w1, g, state) for _ in range(steps)], 5) / steps  # fmt: skip
        t_run = best_of(lambda opt=opt: run(opt, quadratic, w, steps), 3) / steps
        print(f"  {name:9s} {t_step * 1e6:7.1f} {t_run * 1e6:7.1f}")


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

    t_broadcast = best_of(broadcast, 3)
    t_loop = best_of(lambda: loop(loop_subset), 1) * n_settings / loop_subset
    same = np.allclose(broadcast().params[:, :loop_subset], np.stack(
        [t.params for t in loop(loop_subset)], axis=1), rtol=1e-12, atol=1e-12)  # fmt: skip
    print(f"[sweep] {n_settings} settings x {steps} Adam steps on the 2-D quadratic")
    print(f"  one broadcast run         : {t_broadcast:8.3f} s")
    print(f"  Python loop (scaled from {loop_subset}): {t_loop:8.1f} s")
    print(f"  speed-up                  : {t_loop / t_broadcast:8.0f}x   (goal >= 100x)")
    print(f"  same trajectories         : {same}")


def throughput(n: int = 10**7, steps: int = 20) -> None:
    rng = np.random.default_rng(0)
    w = rng.standard_normal(n, dtype=np.float32)
    g = rng.standard_normal(n, dtype=np.float32)
    opt = Adam(lr=1e-3)
    state = opt.init(w)
    w, state = opt.step(w, g, state)

    def adam_steps():
        nonlocal w, state
        for _ in range(steps):
            w, state = opt.step(w, g, state)

    t_step = best_of(adam_steps, 3) / steps

    a, b = rng.standard_normal((2, n), dtype=np.float32)
    out = np.empty_like(a)
    t_add = best_of(lambda: np.add(a, b, out=out), 20)
    bandwidth = 3 * a.nbytes / t_add  # bytes per second: read 2 arrays, write 1
    bound = 7 * a.nbytes / bandwidth  # one Adam step: read w, g, m, v; write w, m, v
    print(f"[throughput] Adam on {n:.0e} float32 parameters")
    print(f"  measured bandwidth (np.add): {bandwidth / 1e9:6.1f} GB/s")
    print(f"  bandwidth bound per step   : {bound * 1e3:6.1f} ms ({1 / bound:6.1f} steps/s)")
    print(f"  Adam step                  : {t_step * 1e3:6.1f} ms ({1 / t_step:6.1f} steps/s)")
    print(f"  ratio to the bound         : {t_step / bound:6.2f}x   (goal <= 3x)")
    print(f"  params stay float32        : {w.dtype == np.float32}")


if __name__ == "__main__":
    print(f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    small()
    sweep()
    throughput()
