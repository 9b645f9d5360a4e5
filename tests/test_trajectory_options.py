"""run's keyword options: schedule=, seed= (stochastic gradients), every=; problems by duck typing."""

import numpy as np
import pytest

from adam_tutorial import SGD, Adam, AdamW, run, trajectory
from adam_tutorial.objectives import NoisyObjective, noisy, quadratic, rosenbrock
from adam_tutorial.schedules import CosineAnnealingLR, ExponentialLR, LinearLR, SequentialLR

START = quadratic.start
WARMUP_COSINE = SequentialLR(
    schedules=[
        LinearLR(lr=0.3, start_factor=0.1, total_iters=5),
        CosineAnnealingLR(lr=0.3, T_max=25),
    ],
    milestones=[5],
)


def manual(opt_at, objective, w, steps):
    """The run a reader would write: one optimizer per step, each with its own lr."""
    state = opt_at(0).init(w)
    path = [w]
    for t in range(steps):
        w, state = opt_at(t).step(w, objective.grad(w), state)
        path.append(w)
    return np.stack(path)


# -- schedule= ----------------------------------------------------------------------------------


def test_schedule_sets_the_lr_of_step_t_plus_1():
    traj = run(Adam(), quadratic, START, 30, schedule=WARMUP_COSINE)
    expected = manual(lambda t: Adam(lr=WARMUP_COSINE(t)), quadratic, START, 30)
    np.testing.assert_array_equal(traj.params, expected)
    assert traj.optimizer == Adam()  # the optimizer given, not one of the per-step copies


def test_any_function_of_t_works_like_a_schedule():
    by_schedule = run(AdamW(weight_decay=0.1), quadratic, START, 30, schedule=WARMUP_COSINE)
    by_function = run(
        AdamW(weight_decay=0.1), quadratic, START, 30, schedule=WARMUP_COSINE.__call__
    )
    np.testing.assert_array_equal(by_schedule.params, by_function.params)


def test_schedule_of_lr_arrays_is_a_batch_of_separate_runs():
    lrs = np.array([[0.01], [0.1], [0.5]])
    starts = np.tile(START, (3, 1))
    batch = run(
        SGD(momentum=0.9), quadratic, starts, 40, schedule=ExponentialLR(lr=lrs, gamma=0.95)
    )
    for i, lr in enumerate(lrs[:, 0]):
        one = run(
            SGD(momentum=0.9), quadratic, START, 40, schedule=ExponentialLR(lr=lr, gamma=0.95)
        )
        np.testing.assert_allclose(batch.params[:, i], one.params, rtol=1e-15, atol=0)


def test_schedule_keeps_float32_runs_float32():
    traj = run(Adam(), quadratic, START.astype(np.float32), 10, schedule=WARMUP_COSINE)
    assert traj.params.dtype == np.float32
    assert traj.states.m.dtype == np.float32
    lrs = np.array([[0.1], [0.2]])
    batch = run(
        Adam(), quadratic, np.tile(START, (2, 1)).astype(np.float32), 5,
        schedule=ExponentialLR(lr=lrs, gamma=0.9),
    )  # fmt: skip
    assert batch.params.dtype == np.float32


def test_a_rate_of_zero_is_a_step_that_does_not_move():
    traj = run(SGD(lr=1.0), quadratic, START, 2, schedule=lambda t: 0.0)
    np.testing.assert_array_equal(traj.params, [START, START, START])
    cosine = run(Adam(), quadratic, START, 11, schedule=CosineAnnealingLR(lr=0.1, T_max=10))
    np.testing.assert_array_equal(cosine.params[11], cosine.params[10])  # lr(10) = 0


@pytest.mark.parametrize(
    ("schedule", "exc", "message"),
    [
        (0.1, TypeError, r"^schedule must be a Schedule or a function t -> lr, got 0.1"),
        (lambda t: -0.1, ValueError, r"^schedule\(0\) must be in \[0, inf\), got -0.1"),
        (lambda t: np.nan if t == 3 else 0.1, ValueError, r"^schedule\(3\) must be finite"),
        (lambda t: "fast", TypeError, r"^schedule\(0\) must be a real number"),
        (
            lambda t: np.ones((3, 1)),
            ValueError,
            r"^schedule\(0\) of shape \(3, 1\) must broadcast against params of shape \(2,\)",
        ),
        (
            ExponentialLR(lr=np.ones((3, 1)), gamma=0.5),
            ValueError,
            r"^schedule\(t\) of shape \(3, 1\) must broadcast against params",
        ),
    ],
)
def test_bad_schedules_are_named(schedule, exc, message):
    with pytest.raises(exc, match=message):
        run(Adam(), quadratic, START, 5, schedule=schedule)


def test_schedule_checks_every_rate_of_a_schedule_at_once():
    tiny = ExponentialLR(lr=1.0, gamma=1e-3)  # underflows to 0 (allowed), never below
    traj = run(SGD(), quadratic, START, 200, schedule=tiny)
    assert np.isfinite(traj.params).all()


# -- every= -------------------------------------------------------------------------------------


def test_every_one_is_the_default_and_records_every_step():
    a = run(Adam(lr=0.3), quadratic, START, 20)
    b = run(Adam(lr=0.3), quadratic, START, 20, every=1)
    for x, y in [(a.params, b.params), (a.grads, b.grads), (a.losses, b.losses), (a.t, b.t)]:
        np.testing.assert_array_equal(x, y)
    assert a.t.tolist() == list(range(21))
    assert a.steps == 20


@pytest.mark.parametrize(("steps", "every", "recorded"), [
    (10, 3, [0, 3, 6, 9, 10]), (9, 3, [0, 3, 6, 9]), (5, 10, [0, 5]), (0, 4, [0]), (1, 1, [0, 1]),
])  # fmt: skip
def test_every_records_multiples_and_the_last_step(steps, every, recorded):
    full = run(Adam(lr=0.3, amsgrad=True), quadratic, START, steps)
    thin = run(Adam(lr=0.3, amsgrad=True), quadratic, START, steps, every=every)
    assert thin.t.tolist() == recorded
    assert thin.steps == steps
    np.testing.assert_array_equal(thin.params, full.params[recorded])
    np.testing.assert_array_equal(thin.losses, full.losses[recorded])
    for field in ("t", "m", "v", "v_max"):
        np.testing.assert_array_equal(
            getattr(thin.states, field), getattr(full.states, field)[recorded]
        )
    # grads[i] is the gradient of step t[i + 1], as grads[t - 1] is with every step recorded
    np.testing.assert_array_equal(thin.grads, full.grads[np.array(recorded[1:], dtype=int) - 1])
    assert thin.grads.shape == (len(recorded) - 1, 2)


def test_every_with_a_batch_and_a_schedule():
    starts = np.tile(START, (4, 3, 1))
    full = run(Adam(), quadratic, starts, 30, schedule=WARMUP_COSINE)
    thin = run(Adam(), quadratic, starts, 30, schedule=WARMUP_COSINE, every=7)
    assert thin.params.shape == (6, 4, 3, 2)
    assert thin.losses.shape == (6, 4, 3)
    np.testing.assert_array_equal(thin.params, full.params[[0, 7, 14, 21, 28, 30]])


@pytest.mark.parametrize(("every", "exc"), [(0, ValueError), (1.5, TypeError), (True, TypeError)])
def test_bad_every(every, exc):
    with pytest.raises(exc, match=r"^every must be an int >= 1, got "):
        run(Adam(), quadratic, START, 5, every=every)


# -- problems by duck typing, losses --------------------------------------------------------------


class Bowl:
    """A problem over any number of parameters: f(w) = |w|^2 / 2 on the last axis."""

    def __call__(self, w):
        return 0.5 * np.sum(w**2, axis=-1)

    def grad(self, w):
        return w.copy()


def test_any_problem_with_a_value_and_grad_records_losses():
    w0 = np.linspace(-1, 1, 50).reshape(5, 10)
    traj = run(SGD(lr=0.1), Bowl(), w0, 8, every=3)
    assert traj.losses.shape == (4, 5)
    np.testing.assert_allclose(traj.losses, 0.5 * (traj.params**2).sum(axis=-1))


def test_a_problem_with_grad_but_no_value_records_no_losses():
    class GradOnly:
        def grad(self, w):
            return w

    traj = run(SGD(lr=0.1), GradOnly(), np.ones(3), 4)
    assert traj.losses is None
    np.testing.assert_allclose(traj.final, 0.9**4)


def test_losses_are_evaluated_in_blocks_with_the_same_values(monkeypatch):
    w0 = np.tile(rosenbrock.start, (20, 1))
    whole = run(Adam(lr=0.01), rosenbrock, w0, 30)
    monkeypatch.setattr(trajectory, "LOSS_BLOCK", 100)  # 2 steps x 20 x 2 numbers per call
    calls = []

    class Counting:
        def __call__(self, w):
            calls.append(w.shape)
            return rosenbrock(w)

        def grad(self, w):
            return rosenbrock.grad(w)

    blocked = run(Adam(lr=0.01), Counting(), w0, 30)
    np.testing.assert_array_equal(blocked.losses, whole.losses)
    assert calls[0] == (2, 20, 2)
    assert len(calls) == 16


# -- seed= and stochastic gradients ---------------------------------------------------------------


def test_noisy_run_is_reproducible_from_one_seed_and_seeds_differ():
    f = noisy(quadratic, sigma=0.5)
    starts = np.tile(START, (100, 1))
    a = run(Adam(lr=0.1), f, starts, 50, seed=3)
    b = run(Adam(lr=0.1), f, starts, 50, seed=3)
    c = run(Adam(lr=0.1), f, starts, 50, seed=np.random.SeedSequence(3))
    d = run(Adam(lr=0.1), f, starts, 50, seed=4)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.params, c.params)
    assert not np.array_equal(a.params, d.params)
    assert len({tuple(p) for p in a.final}) == 100  # every row of the batch draws its own noise


def test_the_noise_is_drawn_once_per_step_for_the_whole_batch():
    calls = []

    class Spy:
        stochastic = True

        def __call__(self, w):
            return quadratic(w)

        def grad(self, w, rng):
            calls.append((w.shape, rng))
            return quadratic.grad(w) + rng.standard_normal(w.shape)

    run(SGD(lr=0.01), Spy(), np.zeros((7, 5, 2)), 6, seed=0)
    assert [shape for shape, _ in calls] == [(7, 5, 2)] * 6
    assert len({id(rng) for _, rng in calls}) == 1  # one generator for the whole run


def test_the_noise_is_gaussian_with_the_given_sigma():
    sigma = np.array([[0.5], [2.0]])
    g = noisy(quadratic, sigma).grad(np.zeros((2, 2)), np.random.default_rng(0))
    assert g.shape == (2, 2)
    f = noisy(quadratic, sigma[:, :, None])
    draws = f.grad(np.zeros((2, 50_000, 2)), np.random.default_rng(1))
    np.testing.assert_allclose(draws.std(axis=(1, 2)), [0.5, 2.0], rtol=0.01)
    np.testing.assert_allclose(draws.mean(axis=(1, 2)), 0, atol=0.02)


def test_sigma_zero_is_the_deterministic_run_and_the_loss_is_the_true_one():
    det = run(Adam(lr=0.1), quadratic, START, 40)
    sto = run(Adam(lr=0.1), noisy(quadratic, 0.0), START, 40, seed=0)
    np.testing.assert_array_equal(det.params, sto.params)
    np.testing.assert_array_equal(sto.losses, quadratic(sto.params))


def test_noise_keeps_float32_and_does_not_touch_its_inputs():
    w = START.astype(np.float32)
    sigma = np.array([1.0])
    f = noisy(quadratic, sigma)
    sigma[0] = 100.0  # the objective keeps its own copy
    g = f.grad(w, np.random.default_rng(0))
    assert g.dtype == np.float32
    np.testing.assert_array_equal(w, START.astype(np.float32))
    assert np.abs(g - quadratic.grad(w)).max() < 10
    traj = run(Adam(lr=0.1), f, w, 5, seed=1)
    assert traj.params.dtype == np.float32
    assert f.name == "noisy_quadratic"
    assert isinstance(f, NoisyObjective)


@pytest.mark.parametrize(
    ("make", "exc", "message"),
    [
        (lambda: noisy(quadratic, -1.0), ValueError, r"^sigma must be in \[0, inf\), got -1.0"),
        (lambda: noisy(quadratic, "big"), TypeError, r"^sigma must be a real number"),
        (lambda: noisy(Bowl(), 1.0), TypeError, r"^objective must be an Objective"),
        (
            lambda: noisy(quadratic, np.ones((3, 1))).grad(np.zeros(2), np.random.default_rng()),
            ValueError,
            r"^sigma of shape \(3, 1\) must broadcast against params of shape \(2,\)",
        ),
        (
            lambda: noisy(quadratic, 1.0).grad(np.zeros(2), 0),
            TypeError,
            r"^rng must be a numpy.random.Generator",
        ),
    ],
)
def test_bad_noise(make, exc, message):
    with pytest.raises(exc, match=message):
        make()


@pytest.mark.parametrize(
    ("objective", "seed", "exc", "message"),
    [
        (noisy(quadratic, 1.0), None, TypeError, r"is stochastic .*: pass seed=<int> to run"),
        (quadratic, 0, TypeError, r"^seed is only for stochastic objectives"),
        (quadratic.grad, 0, TypeError, r"^seed is only for stochastic objectives"),
        (noisy(quadratic, 1.0), -1, ValueError, r"^seed must be an int >= 0"),
        (noisy(quadratic, 1.0), 1.5, TypeError, r"^seed must be an int >= 0"),
        (noisy(quadratic, 1.0), np.random.default_rng(0), TypeError, r"^seed must be an int"),
    ],
)
def test_seed_goes_with_stochastic_objectives_only(objective, seed, exc, message):
    with pytest.raises(exc, match=message):
        run(Adam(), objective, START, 3, seed=seed)
