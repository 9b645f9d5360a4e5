"""Every optimizer against trajectories recorded from torch.optim (scripts/record_torch_goldens.py)."""

import json
from pathlib import Path

import numpy as np
import pytest
from golden_problems import PROBLEMS
from optimizer_cases import CLASSES

import adam_tutorial

DATA = Path(__file__).parent / "data"
SPEC = json.loads((DATA / "torch_cases.json").read_text())
GOLDEN = dict(np.load(DATA / "torch_goldens.npz"))

CASES = [
    pytest.param(name, i, options, problem, id=f"{name}-{i}-{problem}")
    for name, cases in SPEC["cases"].items()
    for i, options in enumerate(cases)
    for problem in PROBLEMS
]


@pytest.mark.parametrize("name", CLASSES)
def test_every_optimizer_has_golden_trajectories(name):
    assert SPEC["cases"].get(name), f"no torch cases for {name} in {DATA / 'torch_cases.json'}"
    for i in range(len(SPEC["cases"][name])):
        for problem in PROBLEMS:
            assert f"{name}/{i}/{problem}" in GOLDEN, "run scripts/record_torch_goldens.py"


def test_goldens_are_of_the_package_optimizers_and_torch_2():
    assert SPEC["cases"].keys() <= CLASSES.keys()
    assert str(GOLDEN["torch_version"]).startswith("2.")


@pytest.mark.parametrize(("name", "i", "options", "problem"), CASES)
def test_matches_torch_optim(name, i, options, problem):
    w0, grad_fn = PROBLEMS[problem]
    opt = getattr(adam_tutorial, name)(**options)
    traj = adam_tutorial.run(opt, grad_fn, w0, SPEC["steps"])
    expected = GOLDEN[f"{name}/{i}/{problem}"]
    assert traj.params.shape == expected.shape
    # the path moves: the comparison is not between two standing points
    assert np.abs(expected[-1] - expected[0]).max() > 1e-3
    np.testing.assert_allclose(traj.params, expected, rtol=1e-10, atol=1e-12)
