"""Record learning rates from ``torch.optim.lr_scheduler``, and runs with a scheduler, for the tests.

Run once, from the repository root, in an environment with torch
(``pip install numpy torch==2.13.0``; the package itself is not needed):

    python scripts/record_torch_schedule_goldens.py

It writes ``tests/data/torch_schedule_goldens.json``:

* ``schedules``: for every case of ``CASES`` (a scheduler class, its options and a base ``lr``),
  the learning rate of steps ``1 .. STEPS`` as the scheduler sets it when stepped once per
  optimizer step (``stepped``), and, for the classes that have one, torch's closed form
  ``_get_closed_form_lr`` at the same step counts (``closed_form``);
* ``runs``: the parameters of an optimizer with a scheduler on the problems of
  ``tests/golden_problems.py``, shape ``(RUN_STEPS + 1, ...)``.

``tests/test_schedules.py`` compares ``adam_tutorial.schedules`` and ``run(..., schedule=...)``
against the recording and never needs torch.
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch
from torch.optim import lr_scheduler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from golden_problems import PROBLEMS

STEPS = 60
RUN_STEPS = 40

#: A schedule as data: {"class": torch's class name, **its keyword arguments}; a SequentialLR
#: holds its schedules as such dicts. The base lr is the optimizer's, given per case.
WARMUP_COSINE = {
    "class": "SequentialLR",
    "schedules": [
        {"class": "LinearLR", "start_factor": 0.1, "total_iters": 10},
        {"class": "CosineAnnealingLR", "T_max": 50},
    ],
    "milestones": [10],
}
CASES = [
    ({"class": "ConstantLR"}, 0.1),
    ({"class": "ConstantLR", "factor": 0.5, "total_iters": 10}, 1.0),
    ({"class": "ConstantLR", "factor": 0.1, "total_iters": 1}, 0.003),
    ({"class": "ConstantLR", "factor": 1.0, "total_iters": 3}, 0.1),
    ({"class": "StepLR", "step_size": 10}, 0.1),
    ({"class": "StepLR", "step_size": 7, "gamma": 0.5}, 1.0),
    ({"class": "StepLR", "step_size": 1, "gamma": 0.9}, 0.003),
    ({"class": "ExponentialLR", "gamma": 0.9}, 0.1),
    ({"class": "ExponentialLR", "gamma": 0.99}, 1.0),
    ({"class": "ExponentialLR", "gamma": 1.05}, 0.003),
    ({"class": "CosineAnnealingLR", "T_max": 60}, 0.1),
    ({"class": "CosineAnnealingLR", "T_max": 50}, 1.0),
    ({"class": "CosineAnnealingLR", "T_max": 20, "eta_min": 0.001}, 0.1),  # past T_max: up again
    ({"class": "CosineAnnealingLR", "T_max": 7, "eta_min": 0.05}, 0.3),
    ({"class": "CosineAnnealingLR", "T_max": 1}, 0.1),
    ({"class": "LinearLR"}, 0.1),
    ({"class": "LinearLR", "start_factor": 0.01, "total_iters": 20}, 1.0),
    ({"class": "LinearLR", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 30}, 0.1),
    ({"class": "LinearLR", "start_factor": 0.5, "end_factor": 0.0, "total_iters": 40}, 0.003),
    (WARMUP_COSINE, 0.1),
    (
        {
            "class": "SequentialLR",
            "schedules": [
                {"class": "ConstantLR", "factor": 0.25, "total_iters": 10},
                {"class": "ExponentialLR", "gamma": 0.95},
            ],
            "milestones": [5],
        },
        1.0,
    ),
    (
        {
            "class": "SequentialLR",
            "schedules": [
                {"class": "LinearLR", "start_factor": 0.2, "total_iters": 8},
                {"class": "StepLR", "step_size": 6, "gamma": 0.5},
                {"class": "CosineAnnealingLR", "T_max": 15, "eta_min": 0.01},
            ],
            "milestones": [8, 30],
        },
        0.1,
    ),
]
#: Optimizer runs with a scheduler: (torch optimizer name, its options, schedule).
RUNS = {
    "Adam+warmup-cosine": ("Adam", {"lr": 0.3}, WARMUP_COSINE),
    "SGD+StepLR": (
        "SGD",
        {"lr": 0.05, "momentum": 0.9},
        {"class": "StepLR", "step_size": 5, "gamma": 0.7},
    ),
}


def make_scheduler(spec: dict, opt: torch.optim.Optimizer) -> lr_scheduler.LRScheduler:
    kwargs = {k: v for k, v in spec.items() if k != "class"}
    if spec["class"] == "SequentialLR":
        kwargs["schedulers"] = [make_scheduler(s, opt) for s in kwargs.pop("schedules")]
    return getattr(lr_scheduler, spec["class"])(opt, **kwargs)


def record_schedule(spec: dict, lr: float) -> dict:
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    sched = make_scheduler(spec, opt)
    stepped = []
    for _ in range(STEPS):
        stepped.append(opt.param_groups[0]["lr"])  # the rate of the step about to be taken
        p.grad = torch.zeros(1)
        opt.step()
        sched.step()
    out = {"schedule": spec, "lr": lr, "stepped": stepped}
    if hasattr(sched, "_get_closed_form_lr"):
        closed = []
        for t in range(STEPS):
            sched.last_epoch = t
            closed.append(float(sched._get_closed_form_lr()[0]))
        out["closed_form"] = closed
    return out


def record_run(name: str, options: dict, spec: dict, w0: np.ndarray, grad_fn) -> list:
    p = torch.nn.Parameter(torch.tensor(w0, dtype=torch.float64))
    opt = getattr(torch.optim, name)([p], foreach=False, **options)
    sched = make_scheduler(spec, opt)
    path = [p.detach().numpy().copy()]
    for _ in range(RUN_STEPS):
        p.grad = torch.tensor(grad_fn(p.detach().numpy().copy()), dtype=torch.float64)
        opt.step()
        sched.step()
        path.append(p.detach().numpy().copy())
    return np.stack(path).tolist()


def one_line_per_record(out: dict) -> str:
    """JSON with one line per schedule and per run: small, and a re-recording diffs by case."""
    head = {k: v for k, v in out.items() if k not in ("schedules", "runs")}
    lines = [json.dumps(head)[:-1] + ",", '"schedules": [']
    lines += [json.dumps(case) + "," for case in out["schedules"]]
    lines[-1] = lines[-1][:-1]
    lines += ["],", '"runs": {']
    lines += [f"{json.dumps(k)}: {json.dumps(v)}," for k, v in out["runs"].items()]
    lines[-1] = lines[-1][:-1]
    lines += ["}}", ""]
    return "\n".join(lines)


def main() -> None:
    torch.set_default_dtype(torch.float64)
    out = {
        "torch_version": torch.__version__,
        "steps": STEPS,
        "run_steps": RUN_STEPS,
        "schedules": [record_schedule(spec, lr) for spec, lr in CASES],
        "runs": {
            f"{key}/{problem}": {
                "optimizer": name,
                "options": options,
                "schedule": spec,
                "params": record_run(name, options, spec, w0, grad_fn),
            }
            for key, (name, options, spec) in RUNS.items()
            for problem, (w0, grad_fn) in PROBLEMS.items()
        },
    }
    target = ROOT / "tests/data/torch_schedule_goldens.json"
    target.write_text(one_line_per_record(out))
    n = len(out["schedules"])
    print(f"wrote {n} schedules and {len(out['runs'])} runs with torch {torch.__version__}")


if __name__ == "__main__":
    main()
