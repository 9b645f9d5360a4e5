"""Properties every optimizer must have, checked with hypothesis."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from optimizer_cases import CLASSES, CONFIGURED

from adam_tutorial import SGD, Adagrad, Adam, Adamax, AdamW, NAdam, RMSprop, run
from adam_tutorial.objectives import quadratic

all_optimizers = pytest.mark.parametrize("opt", CONFIGURED.values(), ids=CONFIGURED.keys())


def test_registry_configures_every_optimizer_once():
    assert CONFIGURED.keys() == CLASSES.keys()
    for name, opt in CONFIGURED.items():
        assert type(opt) is CLASSES[name]


@all_optimizers
def test_init_gives_every_state_field_its_own_array(opt):
    w = np.array([1.0, -2.0, 3.0])
    state = opt.init(w)
    arrays = {f: x for f, x in zip(state._fields, state, strict=True) if isinstance(x, np.ndarray)}
    for name, x in arrays.items():
        assert not np.shares_memory(x, w), name
        assert all(not np.shares_memory(x, y) for other, y in arrays.items() if other != name)
    for name, x in arrays.items():  # a reader writing one field changes only that field
        before = {other: y.copy() for other, y in arrays.items() if other != name}
        x[...] = 7.0
        for other, y in before.items():
            np.testing.assert_array_equal(arrays[other], y)


finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)


@st.composite
def params_and_grads(draw, dtype=np.float64):
    shape = draw(shapes)
    elements = st.floats(-100, 100, width=32)  # exactly representable in float32 too
    w = draw(hnp.arrays(dtype, shape, elements=elements))
    g = draw(hnp.arrays(dtype, shape, elements=elements))
    return w, g


@all_optimizers
@given(data=params_and_grads(), dtype=st.sampled_from([np.float32, np.float64]))
@settings(max_examples=30, deadline=None)
def test_step_never_mutates_inputs_and_keeps_dtype_and_shape(opt, data, dtype):
    w, g = (a.astype(dtype) for a in data)
    state = opt.init(w)
    _, state = opt.step(w, g, state)  # a state with non-zero moments
    before = [w.copy(), g.copy(), *[np.copy(x) for x in state if x is not None]]
    w2, state2 = opt.step(w, g, state)
    after = [w, g, *[x for x in state if x is not None]]
    for b, a in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)
    assert w2.dtype == dtype
    assert w2.shape == w.shape
    for field in state2:
        if isinstance(field, np.ndarray) and field.ndim:
            assert field.dtype == dtype
    assert np.all(np.isfinite(w2))


@given(data=params_and_grads(), lr=st.floats(1e-3, 1.0))
@settings(max_examples=50, deadline=None)
def test_adam_first_step_has_size_lr_per_coordinate(data, lr):
    w, g = data
    opt = Adam(lr=lr)
    w1, _ = opt.step(w, g, opt.init(w))
    # |m_hat / (sqrt(v_hat) + eps)| = |g| / (|g| + eps): lr, except where g is ~eps or 0
    expected = lr * np.abs(g) / (np.abs(g) + 1e-8)
    np.testing.assert_allclose(np.abs(w1 - w), expected, rtol=1e-9, atol=1e-12)


@given(
    data=params_and_grads(),
    scale=st.floats(1e-2, 1e3),
    steps=st.integers(1, 5),
)
@settings(max_examples=40, deadline=None)
def test_adam_update_is_invariant_to_gradient_scale(data, scale, steps):
    w, g = data
    g = np.where(np.abs(g) < 1e-3, 0.0, g)  # "up to eps": keep eps/|g| below 1e-9
    opt = Adam(lr=0.01, eps=1e-12)
    ws, wc = w, w
    s_plain, s_scaled = opt.init(w), opt.init(w)
    for _ in range(steps):  # a fixed gradient sequence, so both runs see g and c*g
        ws, s_plain = opt.step(ws, g, s_plain)
        wc, s_scaled = opt.step(wc, scale * g, s_scaled)
    np.testing.assert_allclose(wc, ws, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(
    ("name", "make", "values"),
    [
        ("Adam-lr", lambda h: Adam(lr=h), [0.01, 0.1, 0.3, 1.0]),
        ("Adam-beta1", lambda h: Adam(lr=0.1, beta1=h), [0.0, 0.5, 0.9, 0.99]),
        ("Adam-beta2", lambda h: Adam(lr=0.1, beta2=h, amsgrad=True), [0.0, 0.9, 0.999, 0.5]),
        ("AdamW-wd", lambda h: AdamW(lr=0.1, weight_decay=h), [0.0, 0.01, 0.1, 1.0]),
        ("SGD-momentum", lambda h: SGD(lr=0.01, momentum=h, dampening=0.2), [0.0, 0.5, 0.9, 0.0]),
        ("RMSprop-alpha", lambda h: RMSprop(lr=0.01, alpha=h, momentum=0.3), [0.0, 0.5, 0.9, 0.99]),
        ("Adagrad-lr", lambda h: Adagrad(lr=h, lr_decay=0.1), [0.01, 0.1, 0.5, 1.0]),
        ("Adamax-beta2", lambda h: Adamax(lr=0.1, beta2=h), [0.0, 0.5, 0.9, 0.999]),
        ("NAdam-beta1", lambda h: NAdam(lr=0.1, beta1=h), [0.0, 0.5, 0.9, 0.99]),
        *[
            (
                f"{name}-lr",
                lambda h, opt=opt: dataclasses.replace(opt, lr=h),
                [0.01, 0.05, 0.1, 0.2],
            )
            for name, opt in CONFIGURED.items()
        ],
    ],
)
def test_broadcast_batch_equals_each_member_alone(name, make, values):
    starts = np.array([[-10.0, 1.5], [3.0, -1.0], [0.5, 0.5], [-7.0, -2.0]])
    batch = run(make(np.array(values)[:, None]), quadratic, starts, 25)
    for k, value in enumerate(values):
        alone = run(make(value), quadratic, starts[k], 25)
        np.testing.assert_allclose(batch.params[:, k], alone.params, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(batch.losses[:, k], alone.losses, rtol=1e-12, atol=1e-14)


@all_optimizers
def test_float32_run_stays_float32_and_follows_float64(opt):
    w0 = np.array([[-10.0, 1.5], [2.0, -1.0]])
    t64 = run(opt, quadratic, w0, 30)
    t32 = run(opt, quadratic, w0.astype(np.float32), 30)
    assert t32.params.dtype == np.float32
    assert t32.grads.dtype == np.float32
    np.testing.assert_allclose(t32.params, t64.params, rtol=1e-3, atol=1e-3)


def test_float32_array_hyperparameters_do_not_promote():
    opt = Adam(lr=np.array([[0.1], [0.2]]), beta2=np.array([[0.99], [0.999]]))
    traj = run(opt, quadratic, np.zeros((2, 2), np.float32) + 1, 3)
    assert traj.params.dtype == np.float32
    m_hat, v_hat = opt.bias_corrected(traj.states)
    assert m_hat.dtype == v_hat.dtype == np.float32


@all_optimizers
def test_every_optimizer_descends_the_seed_bowl(opt):
    traj = run(opt, quadratic, quadratic.start, 300)
    assert traj.losses[-1] < traj.losses[0]
    assert traj.states.t.tolist() == list(range(301))


@pytest.mark.parametrize(
    "opt",
    [
        Adam(lr=0.01, amsgrad=True, weight_decay=0.1),
        AdamW(lr=0.01),
        Adam(lr=0.01, bias_correction=False),
    ],
)
def test_fast_path_for_big_arrays_equals_one_whole_array_call(opt):
    from adam_tutorial.optimizers import _fast  # noqa: PLC0415
    from adam_tutorial.optimizers.adam import adam_update  # noqa: PLC0415

    rng = np.random.default_rng(0)
    shape = (1475, 100)  # above the fast path's threshold, with a ragged last block
    assert w_size_takes_fast_path(shape, _fast)
    w = rng.standard_normal(shape, dtype=np.float32)
    g = rng.standard_normal(shape, dtype=np.float32)
    state = opt.init(w)
    for _ in range(3):
        w_next, state_next = opt.step(w, g, state)
        whole = adam_update(
            w, g, state.m, state.v, state.v_max,
            t=state.t + 1, lr=opt.lr, beta1=opt.beta1, beta2=opt.beta2, eps=opt.eps,
            weight_decay=opt.weight_decay, amsgrad=opt.amsgrad,
            decoupled=isinstance(opt, AdamW), bias_correction=opt.bias_correction,
        )  # fmt: skip
        for got, want in zip((w_next, *state_next[1:]), whole, strict=True):
            if want is None:  # v_max without amsgrad
                assert got is None
                assert not opt.amsgrad
                continue
            assert got.shape == want.shape == w.shape
            np.testing.assert_array_equal(got, want)
        w, state = w_next, state_next


def w_size_takes_fast_path(shape, fast):
    size = int(np.prod(shape))
    return size >= fast.MIN_SIZE and size % fast.BLOCK != 0


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_without_bias_correction_uses_the_raw_averages(amsgrad):
    """The ablation: w_t = w_{t-1} - lr m_t / (sqrt(v_t) + eps), nothing else changed."""
    rng = np.random.default_rng(1)
    w, grads = rng.standard_normal(3), rng.standard_normal((5, 3))
    plain = Adam(lr=0.1, amsgrad=amsgrad, bias_correction=False)
    corrected = Adam(lr=0.1, amsgrad=amsgrad)
    state, ref = plain.init(w), corrected.init(w)
    for g in grads:
        w_next, state = plain.step(w, g, state)
        _, ref = corrected.step(w, g, ref)
        for a, b in zip(state[1:], ref[1:], strict=True):  # the same averages
            np.testing.assert_array_equal(a, b)
        v = state.v_max if amsgrad else state.v
        np.testing.assert_array_equal(w_next, w - 0.1 * state.m / (np.sqrt(v) + 1e-8))
        m_hat, v_hat = plain.bias_corrected(state)
        assert m_hat is state.m
        assert v_hat is v
        w = w_next
