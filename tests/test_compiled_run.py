"""A long ``run`` as one compiled loop gives bit for bit what the Python loop gives.

``adam_tutorial._compiled_run`` takes long runs (``MIN_STEPS``) when numba is installed; here
the threshold is lowered so short runs take it, and each run is compared with the same run in
the Python loop: every recorded array, equal bit for bit, of the same shape and dtype.
"""

import dataclasses
import subprocess
import sys
import warnings

import numpy as np
import pytest
from optimizer_cases import VARIANTS

from adam_tutorial import SGD, Adam, NAdam, run
from adam_tutorial import _compiled_run as compiled
from adam_tutorial import trajectory as trajectory_module
from adam_tutorial.objectives import (
    OBJECTIVES,
    beale,
    noisy,
    quadratic,
    rosenbrock,
    rotated_quadratic,
)
from adam_tutorial.optimizers import _fast
from adam_tutorial.schedules import CosineAnnealingLR

pytest.importorskip("numba", reason="the optional extra 'fast' (numba) is not installed")
if _fast.jit() is None:
    pytest.skip("ADAM_TUTORIAL_JIT=0 turns the compiled kernels off", allow_module_level=True)

STEPS = 60
every_case = pytest.mark.parametrize("opt", VARIANTS.values(), ids=VARIANTS.keys())


class WarmAdam(Adam):
    """A subclass that starts from a state of its own (the compiled loop does not know it)."""

    def init(self, params):
        state = super().init(params)
        return state._replace(v=np.full_like(state.v, 0.5))


class BadInit(Adam):
    """A subclass whose state does not fit the parameters: the readable step says so."""

    def init(self, params):
        return super().init(params)._replace(m=np.zeros(1))


class Named:
    """A problem with a gradient, a value, and a name that is a list."""

    def __init__(self):
        self.name = ["quadratic"]

    def __call__(self, w):
        return quadratic(w)

    def grad(self, w):
        return quadratic.grad(w)


@pytest.fixture
def taken(monkeypatch):
    """Short runs take the compiled loop; the list says, for each run, whether it did."""
    monkeypatch.setattr(compiled, "MIN_STEPS", 1)
    calls = []

    def spy(*args, **kwargs):
        result = compiled.compiled_run(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(trajectory_module, "compiled_run", spy)
    return calls


def python_loop(monkeypatch, *args, **kwargs):
    """The same run in the Python loop."""
    with monkeypatch.context() as m:
        m.setattr(trajectory_module, "compiled_run", lambda *args: None)
        return run(*args, **kwargs)


def assert_same(got, want):
    pairs = {
        "params": (got.params, want.params),
        "grads": (got.grads, want.grads),
        "losses": (got.losses, want.losses),
        "t": (got.t, want.t),
    }
    assert type(got.states) is type(want.states)
    for name, a, b in zip(want.states._fields, got.states, want.states, strict=True):
        pairs[f"states.{name}"] = (a, b)
    for name, (a, b) in pairs.items():
        if b is None:
            assert a is None, name
            continue
        x, y = np.asarray(a), np.asarray(b)
        assert (x.dtype, x.shape) == (y.dtype, y.shape), name
        assert np.array_equal(x, y), name


def outcome(fn):
    """``fn()``'s trajectory or error message, and the warnings it gave (each one, every time)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn()
        except ValueError as error:
            result = str(error)
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]


@every_case
@pytest.mark.parametrize("name", sorted(compiled.COMPILABLE))
def test_every_optimizer_on_every_compiled_objective(opt, name, taken, monkeypatch):
    """Same records; and where the Python loop warns or raises (some runs diverge), the same."""
    args = (opt, OBJECTIVES[name], OBJECTIVES[name].start, STEPS)
    want, want_warnings = outcome(lambda: python_loop(monkeypatch, *args))
    got, got_warnings = outcome(lambda: run(*args))
    assert got_warnings == want_warnings
    if isinstance(want, str):
        assert got == want
    else:
        assert_same(got, want)
    # the compiled loop hands a run that is not finite all the way to the Python loop
    assert taken == [not want_warnings and not isinstance(want, str)]


@every_case
def test_a_batch_recorded_every_few_steps_with_a_schedule(opt, taken, monkeypatch):
    starts = np.array([[-8.1, -6.0], [0.5, -0.5], [3.0, 1.0]])
    schedule = CosineAnnealingLR(lr=0.01, T_max=STEPS)
    args = (opt, rotated_quadratic, starts, STEPS)
    got = run(*args, every=7, schedule=schedule)
    assert taken == [True]
    assert got.t.tolist() == [*range(0, STEPS, 7), STEPS]
    assert_same(got, python_loop(monkeypatch, *args, every=7, schedule=schedule))


def test_a_schedule_function_is_left_to_the_python_loop(taken, monkeypatch):
    """Called step by step, so its errors and side effects come when they come there: the
    compiled loop would need all its rates first (here: a rate below 0 after step 40, which the
    Python loop never reaches because the run diverges at step 6)."""
    seen = []

    def falling(t):
        seen.append(t)
        return 1.0 * (1 - t / 40)

    args = (SGD(lr=1.0), rosenbrock, rosenbrock.start, STEPS)
    got, got_warnings = outcome(lambda: run(*args, schedule=falling))
    assert taken == []  # not even asked
    assert got == "grad must be finite, got NaN or inf at index (0,)"
    assert seen == list(range(6))
    assert got_warnings


def test_runs_longer_than_a_chunk(taken, monkeypatch):
    monkeypatch.setattr(compiled, "CHUNK", 16)
    opt = NAdam(lr=0.01)  # a state scalar (mu_product) carried across chunks
    got = run(opt, rosenbrock, rosenbrock.start, STEPS, every=5)
    assert taken == [True]
    assert_same(got, python_loop(monkeypatch, opt, rosenbrock, rosenbrock.start, STEPS, every=5))


def test_an_every_beyond_any_integer_of_numba(taken, monkeypatch):
    got = run(Adam(), quadratic, quadratic.start, STEPS, every=10**20)
    assert taken == [True]
    assert got.t.tolist() == [0, STEPS]
    assert_same(got, python_loop(monkeypatch, Adam(), quadratic, quadratic.start, STEPS,
                                 every=10**20))  # fmt: skip


def test_the_records_are_arrays_of_their_own(taken):
    traj = run(NAdam(), quadratic, quadratic.start, STEPS)
    assert taken == [True]
    arrays = [traj.params, traj.grads, traj.t, *(a for a in traj.states if a is not None)]
    for i, a in enumerate(arrays):
        for b in arrays[i + 1 :]:
            assert not np.shares_memory(a, b)


def test_a_short_run_does_not_import_numba():
    code = (
        "import sys; from adam_tutorial import Adam, run; "
        "from adam_tutorial.objectives import quadratic; "
        "run(Adam(), quadratic, quadratic.start, 10); print('numba' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_input_is_not_modified(taken):
    w0 = np.array([-1.5, 2.0])
    traj = run(Adam(lr=0.1), rosenbrock, w0, STEPS)
    assert taken == [True]
    assert w0.tolist() == [-1.5, 2.0]
    assert traj.params[0].tolist() == [-1.5, 2.0]
    assert not np.shares_memory(traj.params, w0)


@pytest.mark.parametrize(
    ("why", "args", "kwargs"),
    [
        ("Beale's y**3 is pow in NumPy, y*y*y in numba", (Adam(), beale, beale.start), {}),
        ("float32", (Adam(), quadratic, quadratic.start.astype(np.float32)), {}),
        ("an array hyperparameter", (Adam(lr=np.array([0.1, 0.2])), quadratic, quadratic.start),
         {}),
        ("a noisy gradient", (Adam(), noisy(quadratic, 0.1), quadratic.start), {"seed": 0}),
        ("an array learning rate from a function",
         (Adam(), quadratic, quadratic.start), {"schedule": lambda t: np.array([0.1, 0.2])}),
        ("a gradient function", (Adam(), quadratic.grad, quadratic.start), {}),
        ("an objective named like a built-in one",
         (Adam(), dataclasses.replace(quadratic, gradient=lambda x, y: (x, y)), quadratic.start),
         {}),
        ("a problem whose name is not a string", (Adam(), Named(), quadratic.start), {}),
        ("a subclass with its own init", (WarmAdam(), quadratic, quadratic.start), {}),
        ("a state shaped unlike the parameters",
         (BadInit(), quadratic, np.tile(quadratic.start, (4, 1))), {}),
    ],
)  # fmt: skip
def test_what_the_compiled_loop_leaves_to_the_python_loop(why, args, kwargs, taken, monkeypatch):
    want, want_warnings = outcome(lambda: python_loop(monkeypatch, *args, STEPS, **kwargs))
    got, got_warnings = outcome(lambda: run(*args, STEPS, **kwargs))
    assert taken in ([False], []), why  # not taken (or not asked)
    assert got_warnings == want_warnings
    if isinstance(want, str):
        assert got == want
    else:
        assert_same(got, want)


def test_an_objective_put_in_objectives_by_a_user_is_left_to_the_python_loop(taken, monkeypatch):
    mine = dataclasses.replace(quadratic, gradient=lambda x, y: (0.5 * x, 0.5 * y))
    monkeypatch.setitem(OBJECTIVES, "quadratic", mine)
    got = run(Adam(lr=0.1), mine, quadratic.start, STEPS)
    assert taken == [False]
    assert_same(got, python_loop(monkeypatch, Adam(lr=0.1), mine, quadratic.start, STEPS))


def test_a_user_setting_of_numpy_floating_point_errors_is_left_to_the_python_loop(taken):
    """The compiled loop would not raise this underflow; the Python loop does."""
    with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
        run(SGD(lr=0.09), quadratic, quadratic.start, 400)
    assert taken == [False]


class Doubled(Adam):
    """A subclass with an update of its own, which the compiled kernel does not know."""

    def step(self, params, grad, state):
        return super().step(params, 2 * grad, state)


def test_a_subclass_with_its_own_step_takes_the_python_loop(taken, monkeypatch):
    got = run(Doubled(lr=0.1), quadratic, quadratic.start, STEPS)
    assert taken == [False]
    assert_same(got, python_loop(monkeypatch, Doubled(lr=0.1), quadratic, quadratic.start, STEPS))
    assert not np.array_equal(
        got.params, run(Adam(lr=0.1), quadratic, quadratic.start, STEPS).params
    )


def test_short_runs_take_the_python_loop(monkeypatch):
    calls = []
    monkeypatch.setattr(
        trajectory_module, "compiled_run", lambda *a: calls.append(compiled.compiled_run(*a))
    )
    run(Adam(), quadratic, quadratic.start, compiled.MIN_STEPS - 1)
    assert calls == [None]


def test_a_run_that_diverges_raises_as_the_python_loop_does(taken, monkeypatch):
    opt = SGD(lr=1.0)  # on Rosenbrock: overflow within ten steps, then inf - inf
    args = (opt, rosenbrock, rosenbrock.start, STEPS)
    with warnings.catch_warnings(record=True) as want_warnings:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="finite") as want:
            python_loop(monkeypatch, *args)
    with warnings.catch_warnings(record=True) as got_warnings:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="finite") as got:
            run(*args)
    assert taken == [False]
    assert str(got.value) == str(want.value)
    assert [str(w.message) for w in got_warnings] == [str(w.message) for w in want_warnings]
    assert want_warnings  # the overflow warning is given, as the Python loop gives it


def test_an_overflow_in_the_last_step_warns_as_the_python_loop_does(taken, monkeypatch):
    args = (SGD(lr=1e308), quadratic, quadratic.start, 1)  # 1e308 * 15 overflows: w = -inf
    with pytest.warns(RuntimeWarning, match="overflow"):
        want = python_loop(monkeypatch, *args)
    with pytest.warns(RuntimeWarning, match="overflow"):
        got = run(*args)
    assert taken == [False]
    assert np.isinf(got.final[1])
    assert_same(got, want)
