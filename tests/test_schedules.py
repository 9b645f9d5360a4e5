"""Learning-rate schedules against torch.optim.lr_scheduler (scripts/record_torch_schedule_goldens.py).

The goldens hold, per case, the rates torch's scheduler sets when stepped once per optimizer
step ("stepped") and torch's closed form ("closed_form"), and optimizer runs with a scheduler.
"""

import dataclasses
import inspect
import json
from pathlib import Path

import numpy as np
import pytest
from golden_problems import PROBLEMS
from hypothesis import given, settings
from hypothesis import strategies as st

import adam_tutorial
from adam_tutorial import run, schedules
from adam_tutorial.schedules import (
    ConstantLR,
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    Schedule,
    SequentialLR,
    StepLR,
)

GOLDEN = json.loads((Path(__file__).parent / "data" / "torch_schedule_goldens.json").read_text())
CLASSES = {
    name: obj
    for name in schedules.__all__
    if inspect.isclass(obj := getattr(schedules, name)) and obj is not Schedule
}


def build(spec: dict, lr: float) -> Schedule:
    """A recorded schedule spec ({"class": torch's name, **options}) as a package schedule."""
    kwargs = {k: v for k, v in spec.items() if k != "class"}
    if spec["class"] == "SequentialLR":
        kwargs["schedules"] = [build(s, lr) for s in kwargs["schedules"]]
        return SequentialLR(**kwargs)
    return CLASSES[spec["class"]](lr=lr, **kwargs)


def case_id(case: dict) -> str:
    spec = case["schedule"]
    opts = ",".join(f"{k}={v}" for k, v in spec.items() if k not in ("class", "schedules"))
    inner = "+".join(s["class"] for s in spec.get("schedules", []))
    return f"{spec['class']}({inner or opts})-lr={case['lr']}"


CASES = [pytest.param(case, id=case_id(case)) for case in GOLDEN["schedules"]]
T = np.arange(GOLDEN["steps"])


def test_goldens_are_from_torch_2_13_and_cover_every_schedule():
    assert GOLDEN["torch_version"].startswith("2.13.")
    recorded = {case["schedule"]["class"] for case in GOLDEN["schedules"]}
    assert recorded == set(CLASSES)
    assert all(len(case["stepped"]) == GOLDEN["steps"] >= 50 for case in GOLDEN["schedules"])


@pytest.mark.parametrize("case", CASES)
def test_matches_torch_scheduler_stepped_once_per_step(case):
    expected = np.array(case["stepped"])
    assert np.ptp(expected) > 0 or case["schedule"].get("factor") == 1.0  # the rate moves
    np.testing.assert_allclose(build(case["schedule"], case["lr"])(T), expected, rtol=1e-12)


@pytest.mark.parametrize("case", [c for c in CASES if "closed_form" in c.values[0]])
def test_matches_torch_closed_form_to_the_last_bits(case):
    ours = build(case["schedule"], case["lr"])(T)
    np.testing.assert_allclose(ours, case["closed_form"], rtol=4e-16, atol=0)


def test_cosine_closed_form_is_torchs_bit_for_bit():
    for case in GOLDEN["schedules"]:
        if case["schedule"]["class"] in {"CosineAnnealingLR", "LinearLR", "ConstantLR"}:
            ours = build(case["schedule"], case["lr"])(T)
            np.testing.assert_array_equal(ours, case["closed_form"])


@pytest.mark.parametrize("case", CASES)
def test_scalar_calls_agree_with_the_vectorised_call(case):
    sched = build(case["schedule"], case["lr"])
    scalars = [sched(int(t)) for t in T]
    assert all(type(x) is float for x in scalars)
    np.testing.assert_allclose(scalars, sched(T), rtol=4e-16, atol=0)


RUN_CASES = [pytest.param(key, value, id=key) for key, value in GOLDEN["runs"].items()]


@pytest.mark.parametrize(("key", "recorded"), RUN_CASES)
def test_run_with_schedule_matches_torch(key, recorded):
    w0, grad_fn = PROBLEMS[key.split("/")[1]]
    options = dict(recorded["options"])
    opt = getattr(adam_tutorial, recorded["optimizer"])(**options)
    sched = build(recorded["schedule"], options["lr"])
    traj = run(opt, grad_fn, w0, GOLDEN["run_steps"], schedule=sched)
    expected = np.array(recorded["params"])
    assert np.abs(expected[-1] - expected[0]).max() > 1e-3
    np.testing.assert_allclose(traj.params, expected, rtol=1e-10, atol=1e-12)


# -- broadcasting -------------------------------------------------------------------------------


def test_hyperparameters_broadcast_like_separate_calls():
    gammas = np.array([0.5, 0.9, 0.99])
    T_max = np.array([[10], [20]])
    batch = CosineAnnealingLR(lr=gammas, T_max=T_max, eta_min=0.01)(T[:, None, None])
    assert batch.shape == (len(T), 2, 3)
    for i, tm in enumerate(T_max[:, 0]):
        for j, lr in enumerate(gammas):
            single = CosineAnnealingLR(lr=float(lr), T_max=int(tm), eta_min=0.01)(T)
            np.testing.assert_array_equal(batch[:, i, j], single)


def test_sequential_broadcasts_its_schedules():
    warm = LinearLR(lr=np.array([[0.1], [1.0]]), start_factor=0.1, total_iters=4)
    decay = StepLR(lr=np.array([[0.1], [1.0]]), step_size=np.array([2, 3, 5]))
    out = SequentialLR(schedules=[warm, decay], milestones=[4])(np.arange(12)[:, None, None])
    assert out.shape == (12, 2, 3)
    np.testing.assert_array_equal(out[4:], decay(np.arange(8)[:, None, None]))
    np.testing.assert_array_equal(
        out[:4], np.broadcast_to(warm(np.arange(4)[:, None, None]), (4, 2, 3))
    )


def test_array_hyperparameters_are_copied_not_shared():
    lr = np.array([0.1, 0.2])
    sched = ExponentialLR(lr=lr, gamma=0.5)
    lr[0] = 5.0
    np.testing.assert_array_equal(sched(1), [0.05, 0.1])
    t = np.arange(3)[:, None]
    assert sched(t).shape == (3, 2)
    np.testing.assert_array_equal(t, [[0], [1], [2]])


def test_schedules_are_frozen_and_comparable():
    sched = StepLR(lr=0.1, step_size=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sched.lr = 1.0  # type: ignore[misc]
    assert sched == StepLR(lr=0.1, step_size=3, gamma=0.1)
    assert SequentialLR(schedules=[sched], milestones=[]).schedules == (sched,)


# -- properties ---------------------------------------------------------------------------------

lrs = st.floats(1e-6, 10.0)
factors = st.floats(1e-3, 1.0)
counts = st.integers(1, 50)
ts = st.integers(0, 500)


@given(lr=lrs, T_max=counts, eta_min=st.floats(0, 1e-3), t=ts)
@settings(max_examples=200, deadline=None)
def test_cosine_stays_between_eta_min_and_lr_and_is_periodic(lr, T_max, eta_min, t):
    sched = CosineAnnealingLR(lr=lr, T_max=T_max, eta_min=eta_min)
    value = sched(t)
    assert min(lr, eta_min) - 1e-12 <= value <= max(lr, eta_min) + 1e-12
    assert sched(t + 2 * T_max) == pytest.approx(value, rel=1e-9, abs=1e-15)
    assert sched(T_max) == pytest.approx(eta_min, abs=1e-15 * lr)


@given(lr=lrs, start=factors, end=st.floats(0, 1), n=counts, t=ts)
@settings(max_examples=200, deadline=None)
def test_linear_moves_from_start_to_end_and_stays(lr, start, end, n, t):
    sched = LinearLR(lr=lr, start_factor=start, end_factor=end, total_iters=n)
    assert sched(0) == pytest.approx(lr * start)
    assert sched(n + t) == pytest.approx(lr * end)
    values = sched(np.arange(n + 1))
    steps = np.diff(values)
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9, atol=1e-12 * lr)  # a straight line


@given(lr=lrs, gamma=st.floats(0.01, 2.0), step_size=counts, t=ts)
@settings(max_examples=200, deadline=None)
def test_step_and_exponential_decay_by_gamma(lr, gamma, step_size, t):
    step = StepLR(lr=lr, step_size=step_size, gamma=gamma)
    assert step(t) == pytest.approx(lr * gamma ** (t // step_size), rel=1e-12)
    assert step(t - t % step_size) == step(t)  # constant between two decays
    expo = ExponentialLR(lr=lr, gamma=gamma)
    assert expo(t + 1) == pytest.approx(expo(t) * gamma, rel=1e-12)


@given(lr=lrs, factor=factors, n=counts, t=ts)
@settings(max_examples=200, deadline=None)
def test_constant_is_factor_then_one(lr, factor, n, t):
    sched = ConstantLR(lr=lr, factor=factor, total_iters=n)
    assert sched(t) == pytest.approx(lr * factor if t < n else lr, rel=1e-15)


@given(m1=counts, gap=counts, t=ts)
@settings(max_examples=100, deadline=None)
def test_sequential_restarts_each_schedule_at_its_milestone(m1, gap, t):
    a, b, c = (
        LinearLR(lr=0.1, start_factor=0.2, total_iters=7),
        ExponentialLR(lr=0.1, gamma=0.9),
        CosineAnnealingLR(lr=0.1, T_max=9),
    )
    sched = SequentialLR(schedules=[a, b, c], milestones=[m1, m1 + gap])
    expected = a(t) if t < m1 else b(t - m1) if t < m1 + gap else c(t - m1 - gap)
    assert sched(t) == expected


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "exc", "message"),
    [
        (lambda: StepLR(lr=0.0, step_size=1), ValueError, r"^lr must be in \(0, inf\), got 0.0"),
        (lambda: StepLR(lr=0.1, step_size=0), ValueError, r"^step_size must be an int >= 1, got 0"),
        (lambda: StepLR(lr=0.1, step_size=2.5), TypeError, r"^step_size must be an int >= 1"),
        (lambda: StepLR(lr=0.1, step_size=True), TypeError, r"^step_size must be an int >= 1"),
        (
            lambda: StepLR(lr=0.1, step_size=2, gamma=-1),
            ValueError,
            r"^gamma must be in \(0, inf\)",
        ),
        (lambda: ExponentialLR(lr="0.1", gamma=0.9), TypeError, r"^lr must be a real number"),
        (lambda: ExponentialLR(lr=np.nan, gamma=0.9), ValueError, r"^lr must be finite"),
        (
            lambda: ConstantLR(lr=0.1, factor=0.0),
            ValueError,
            r"^factor must be in \(0, 1\], got 0.0",
        ),
        (lambda: ConstantLR(lr=0.1, factor=1.5), ValueError, r"^factor must be in \(0, 1\]"),
        (
            lambda: ConstantLR(lr=0.1, total_iters=0),
            ValueError,
            r"^total_iters must be an int >= 1",
        ),
        (
            lambda: LinearLR(lr=0.1, start_factor=0.0),
            ValueError,
            r"^start_factor must be in \(0, 1\]",
        ),
        (lambda: LinearLR(lr=0.1, end_factor=1.1), ValueError, r"^end_factor must be in \[0, 1\]"),
        (lambda: CosineAnnealingLR(lr=0.1, T_max=0), ValueError, r"^T_max must be an int >= 1"),
        (
            lambda: CosineAnnealingLR(lr=0.1, T_max=np.array([5, 0])),
            ValueError,
            r"^T_max must be an int >= 1, got array of shape \(2,\)",
        ),
        (lambda: CosineAnnealingLR(lr=0.1, T_max=10, eta_min=-1e-3), ValueError, r"^eta_min must"),
        (lambda: StepLR(0.1, 3), TypeError, r"positional"),
        (lambda: SequentialLR(schedules=[], milestones=[]), ValueError, r"^schedules must hold"),
        (
            lambda: SequentialLR(schedules=StepLR(lr=1.0, step_size=1), milestones=[]),
            TypeError,
            r"^schedules must be a sequence of schedules",
        ),
        (
            lambda: SequentialLR(schedules=[lambda t: 0.1], milestones=[]),
            TypeError,
            r"^schedules\[0\] must be a Schedule",
        ),
        (
            lambda: SequentialLR(schedules=[ExponentialLR(lr=1.0, gamma=0.5)] * 2, milestones=[]),
            ValueError,
            r"^milestones must hold len\(schedules\) - 1 = 1 step counts, got 0",
        ),
        (
            lambda: SequentialLR(
                schedules=[ExponentialLR(lr=1.0, gamma=0.5)] * 3, milestones=[5, 5]
            ),
            ValueError,
            r"^milestones must increase strictly, got \[5, 5\]",
        ),
        (
            lambda: SequentialLR(schedules=[ExponentialLR(lr=1.0, gamma=0.5)] * 2, milestones=[0]),
            ValueError,
            r"^milestones must be an int >= 1, got 0",
        ),
        (
            lambda: SequentialLR(schedules=[ExponentialLR(lr=1.0, gamma=0.5)] * 2, milestones=5),
            TypeError,
            r"^milestones must be a sequence of ints",
        ),
        (
            lambda: SequentialLR(
                schedules=[ExponentialLR(lr=1.0, gamma=0.5)] * 2, milestones=[np.array([2, 3])]
            ),
            TypeError,
            r"^milestones must be ints",
        ),
    ],
)
def test_bad_hyperparameters_are_named_with_their_range(make, exc, message):
    with pytest.raises(exc, match=message):
        make()


@pytest.mark.parametrize(
    ("t", "exc"),
    [(-1, ValueError), (np.array([0, -2]), ValueError), (1.0, TypeError), (True, TypeError),
     (np.array([0.5]), TypeError), ("3", TypeError)],
)  # fmt: skip
def test_bad_step_counts_are_rejected(t, exc):
    with pytest.raises(exc, match=r"^t must be an int >= 0 \(the number of steps taken\)"):
        StepLR(lr=0.1, step_size=2)(t)
