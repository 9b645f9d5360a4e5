"""Record golden trajectories from ``torch.optim`` in float64 for the tests.

Run once, from the repository root, in an environment with the package and torch
(``pip install -e . torch==2.13.0``):

    python scripts/record_torch_goldens.py

It reads ``tests/data/torch_cases.json`` and writes ``tests/data/torch_goldens.npz``: for every
optimizer, option set and problem, the parameters after each step, shape ``(steps + 1, ...)``.
It refuses to run while an optimizer of the package (the registry ``tests/optimizer_cases.py``)
has no cases in the JSON file. The tests compare ``adam_tutorial`` against the recording and
never need torch.
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from golden_problems import PROBLEMS
from optimizer_cases import CLASSES


def torch_kwargs(options: dict) -> dict:
    """Our keyword names (``beta1``, ``beta2``) to torch's (``betas``), single-tensor path."""
    kw = dict(options)
    if "beta1" in kw or "beta2" in kw:
        kw["betas"] = (kw.pop("beta1", 0.9), kw.pop("beta2", 0.999))
    kw["foreach"] = False  # torch's plain per-tensor loop, the reference implementation
    return kw


def record(name: str, options: dict, w0: np.ndarray, grad_fn, steps: int) -> np.ndarray:
    p = torch.nn.Parameter(torch.tensor(w0, dtype=torch.float64))
    opt = getattr(torch.optim, name)([p], **torch_kwargs(options))
    path = [p.detach().numpy().copy()]
    for _ in range(steps):
        g = grad_fn(p.detach().numpy().copy())
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        path.append(p.detach().numpy().copy())
    return np.stack(path)


def main() -> None:
    torch.set_default_dtype(torch.float64)
    spec = json.loads((ROOT / "tests/data/torch_cases.json").read_text())
    missing = sorted(CLASSES.keys() - spec["cases"].keys())
    if missing:
        sys.exit(f"tests/data/torch_cases.json has no cases for {', '.join(missing)}: add some")
    out = {}
    for name, cases in spec["cases"].items():
        for i, options in enumerate(cases):
            for problem, (w0, grad_fn) in PROBLEMS.items():
                out[f"{name}/{i}/{problem}"] = record(name, options, w0, grad_fn, spec["steps"])
    target = ROOT / "tests/data/torch_goldens.npz"
    np.savez_compressed(target, torch_version=np.array(torch.__version__), **out)
    print(f"wrote {len(out)} trajectories with torch {torch.__version__} to {target}")


if __name__ == "__main__":
    main()
