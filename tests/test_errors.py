"""Bad input raises a clear error naming the parameter and the allowed range."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from optimizer_cases import CLASSES, flags, taking

from adam_tutorial import SGD, Adam, run
from adam_tutorial.objectives import quadratic

ALL = list(CLASSES.values())
#: (class, name) of every beta1 and beta2: the decay rates of Adam's two moving averages
BETAS = [(cls, name) for name in ("beta1", "beta2") for cls in taking(name)]


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("lr", [0.0, -0.1, -1e-12])
def test_non_positive_lr_rejected(cls, lr):
    with pytest.raises(ValueError, match=re.escape(f"lr must be in (0, inf), got {lr!r}")):
        cls(lr=lr)


@pytest.mark.parametrize(("cls", "name"), BETAS)
@given(value=st.one_of(st.floats(1.0, 1e9), st.floats(-1e9, -1e-300)))
@settings(max_examples=15, deadline=None)
def test_beta_outside_unit_interval_rejected(cls, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be in \[0, 1\), got "):
        cls(**{name: value})


@pytest.mark.parametrize(("cls", "name"), BETAS)
@pytest.mark.parametrize("value", [0.0, 0.5, 0.999999])
def test_beta_inside_unit_interval_accepted(cls, name, value):
    assert getattr(cls(**{name: value}), name) == value


@pytest.mark.parametrize("cls", taking("eps"))
@pytest.mark.parametrize("eps", [0.0, -1e-8])
def test_non_positive_eps_rejected(cls, eps):
    with pytest.raises(ValueError, match=re.escape(f"eps must be in (0, inf), got {eps!r}")):
        cls(eps=eps)


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_hyperparameter_rejected(cls, value):
    with pytest.raises(ValueError, match=r"^lr must be finite and in \(0, inf\), got "):
        cls(lr=value)


def test_array_hyperparameter_with_one_bad_entry_rejected():
    with pytest.raises(ValueError, match=r"^beta2 must be in \[0, 1\), got array of shape \(3,\)"):
        Adam(beta2=np.array([0.9, 0.99, 1.0]))


@pytest.mark.parametrize("value", ["0.1", None, 1j, True, [0.1, "a"]])
def test_wrong_type_hyperparameter_rejected(value):
    with pytest.raises(TypeError, match=r"^lr must "):
        Adam(lr=value)


@pytest.mark.parametrize(("cls", "flag"), flags())
def test_flags_must_be_bools(cls, flag):
    with pytest.raises(TypeError, match=rf"^{flag} must be a bool, got 1$"):
        cls(**{flag: 1})


def test_nesterov_needs_momentum():
    with pytest.raises(ValueError, match="nesterov=True needs momentum > 0 and dampening == 0"):
        SGD(nesterov=True)


@pytest.mark.parametrize(("name", "value"), [("weight_decay", -0.1), ("momentum", 1.0)])
def test_other_ranges(name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be in "):
        SGD(**{name: value})


@pytest.mark.parametrize("cls", ALL)
def test_optimizers_are_immutable(cls):
    opt = cls()
    with pytest.raises(AttributeError):
        opt.lr = 1.0


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_params_and_grad_rejected(cls, bad):
    opt = cls()
    w = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^params must be finite, got NaN or inf at index \(1,\)"):
        opt.init(np.array([1.0, bad]))
    with pytest.raises(ValueError, match=r"^grad must be finite, got NaN or inf at index \(0,\)"):
        opt.step(w, np.array([bad, 0.0]), opt.init(w))


@pytest.mark.parametrize("cls", ALL)
def test_grad_shape_must_match_params(cls):
    opt = cls()
    w = np.zeros((2, 3))
    msg = re.escape("grad must have the shape of params (2, 3), got (3, 2)")
    with pytest.raises(ValueError, match=msg):
        opt.step(w, np.zeros((3, 2)), opt.init(w))


@pytest.mark.parametrize("cls", ALL)
def test_state_must_come_from_init_for_these_params(cls):
    opt = cls()
    with pytest.raises(ValueError, match=r"has shape \(3,\) but params have shape \(2,\)"):
        opt.step(np.zeros(2), np.zeros(2), opt.init(np.zeros(3)))
    with pytest.raises(TypeError, match=r"^state must be the \w+State returned by"):
        opt.step(np.zeros(2), np.zeros(2), (0, np.zeros(2)))


@pytest.mark.parametrize("params", ["abc", None, np.array(["a"]), np.array([1 + 2j])])
def test_wrong_type_params_rejected(params):
    with pytest.raises(TypeError, match=r"^params must be an array of real"):
        Adam().init(params)


def test_integer_params_promote_to_float64():
    assert Adam().init([1, 2]).m.dtype == np.float64


def test_hyperparameter_that_would_grow_params_rejected():
    with pytest.raises(ValueError, match=r"^lr of shape \(3, 1\) must broadcast against params"):
        Adam(lr=np.ones((3, 1))).init(np.zeros(2))


@pytest.mark.parametrize(("steps", "exc"), [(-1, ValueError), (2.0, TypeError), ("3", TypeError)])
def test_run_rejects_bad_steps(steps, exc):
    with pytest.raises(exc, match=r"^steps must be an int >= 0, got "):
        run(Adam(), quadratic, np.zeros(2), steps)


def test_run_rejects_non_optimizer_and_non_callable():
    with pytest.raises(TypeError, match=r"^optimizer must be an adam_tutorial optimizer"):
        run("adam", quadratic, np.zeros(2), 1)
    with pytest.raises(TypeError, match=r"^objective must be an Objective or a gradient function"):
        run(Adam(), 3, np.zeros(2), 1)


def test_run_reports_a_gradient_that_blows_up():
    with pytest.raises(ValueError, match=r"^grad must be finite"):
        run(Adam(), lambda w: np.full_like(w, np.inf) if w[0] < 1 else w, np.ones(2), 5)


def test_zero_steps_is_just_the_start():
    traj = run(Adam(), quadratic, quadratic.start, 0)
    assert traj.params.shape == (1, 2)
    assert traj.grads.shape == (0, 2)
    assert traj.losses.tolist() == [21.25]
