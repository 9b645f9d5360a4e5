"""The fast path for big arrays gives bit for bit the results of the readable ``step``.

Each optimizer's ``step`` is the readable update the chapters show; on big arrays the base class
runs ``_fast_step`` instead (``adam_tutorial.optimizers._fast``). Here blocks and the size
threshold are made small, so odd sizes around block boundaries are cheap to try.
"""

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from optimizer_cases import VARIANTS

from adam_tutorial import SGD, Adagrad, Adam, Adamax, AdamW, NAdam, RMSprop
from adam_tutorial.optimizers import _fast, get_threads, set_threads

BLOCK, MIN_SIZE = 64, 200

CASES = VARIANTS
every_case = pytest.mark.parametrize("opt", CASES.values(), ids=CASES.keys())


def numba_kernels():
    """The compiled kernels, or a skip: they come with the optional extra ``fast`` (numba)."""
    pytest.importorskip("numba", reason="the optional extra 'fast' (numba) is not installed")
    kernels = _fast.jit()
    if kernels is None:
        pytest.skip("ADAM_TUTORIAL_JIT=0 turns the compiled kernels off")
    return kernels


@pytest.fixture(autouse=True, params=["numpy", "numba"])
def kernels(request, monkeypatch):
    """Every test runs with the NumPy kernels, and again with numba's when it is installed."""
    compiled = numba_kernels() if request.param == "numba" else None
    monkeypatch.setattr(_fast, "_jit", compiled)
    monkeypatch.setattr(_fast, "BLOCK", BLOCK)
    monkeypatch.setattr(_fast, "MIN_SIZE", MIN_SIZE)
    threads = get_threads()
    yield request.param
    set_threads(threads)


def readable_step(opt, params, grad, state):
    """The ``step`` the chapters show, without the fast path."""
    return type(opt).step.__wrapped__(opt, params, grad, state)


def assert_same(got, want):
    (w_got, s_got), (w_want, s_want) = got, want
    assert type(s_got) is type(s_want)
    for name, a, b in zip(
        ("params", *s_want._fields), (w_got, *s_got), (w_want, *s_want), strict=True
    ):
        if b is None:
            assert a is None, name
            continue
        assert type(a) is type(b), name
        assert np.asarray(a).dtype == np.asarray(b).dtype, name
        assert np.shape(a) == np.shape(b), name
        assert np.array_equal(a, b, equal_nan=True), name  # NaN where the other has NaN


def inputs(rng, shape, dtype, scale=3.0):
    w = (scale * rng.standard_normal(shape)).astype(dtype)
    grads = [(scale * rng.standard_normal(shape)).astype(dtype) for _ in range(4)]
    return w, grads


@every_case
@given(
    size=st.integers(MIN_SIZE, 5 * BLOCK + 3).filter(lambda n: n >= MIN_SIZE),
    dtype=st.sampled_from([np.float32, np.float64]),
    threads=st.sampled_from([1, 2, 3]),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=25, deadline=None)
def test_fast_step_equals_readable_step_bit_for_bit(opt, size, dtype, threads, seed):
    set_threads(threads)
    rng = np.random.default_rng(seed)
    w, grads = inputs(rng, (size,), dtype)
    state = opt.init(w)
    for g in grads:
        before = [w.copy(), g.copy(), *[np.copy(x) for x in state if x is not None]]
        fast = opt._fast_step(w, g, state)
        assert fast is not None  # the fast path was taken
        assert_same(fast, readable_step(opt, w, g, state))
        for b, a in zip(before, [w, g, *[x for x in state if x is not None]], strict=True):
            np.testing.assert_array_equal(a, b)  # inputs untouched
        w, state = fast


@every_case
@pytest.mark.parametrize(
    "shape",
    [(MIN_SIZE,), (BLOCK * 4,), (BLOCK * 4 + 1,), (BLOCK * 4 - 1,), (7, BLOCK - 1), (3, 5, 17)],
)
def test_step_on_big_arrays_of_any_shape_takes_the_fast_path(opt, shape):
    rng = np.random.default_rng(1)
    w, grads = inputs(rng, shape, np.float32)
    state = opt.init(w)
    for g in grads:
        assert opt._fast_step(w, g, state) is not None
        got = opt.step(w, g, state)
        assert_same(got, readable_step(opt, w, g, state))
        w, state = got


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda w: (w.T, w.T), id="non-contiguous"),
        pytest.param(lambda w: (w, w.astype(np.float64)), id="grad-of-another-dtype"),
        pytest.param(lambda w: (w.astype(np.float16), w.astype(np.float16)), id="float16"),
        pytest.param(lambda w: (w.astype(int), w), id="integer-params"),
    ],
)
@every_case
def test_unusual_arguments_take_the_readable_path_with_the_same_result(opt, make):
    w, g = make(np.random.default_rng(2).standard_normal((BLOCK, 5)).astype(np.float32))
    state = opt.init(w)
    assert opt._fast_step(w, g, state) is None
    for _ in range(2):
        got = opt.step(w, g, state)
        assert_same(got, readable_step(opt, w, g, state))
        w, state = got


@every_case
def test_broadcast_hyperparameters_take_the_readable_path(opt):
    lrs = np.linspace(0.01, 0.1, 4)[:, None]
    batch = dataclasses.replace(opt, lr=lrs)
    w = np.random.default_rng(3).standard_normal((4, BLOCK))
    state = batch.init(w)
    assert batch._fast_step(w, w, state) is None
    assert_same(batch.step(w, w, state), readable_step(batch, w, w, state))


#: Edge values of the hyperparameters where an update could lose a NaN or an infinity of its
#: inputs (a factor of 0, a maximum, a clipped square root). The NumPy kernels find a bad input
#: only from the new parameters (``_fast.evaluate``), so each must still carry it there.
EDGES = {
    "SGD-dampening-1": SGD(lr=0.1, momentum=0.9, dampening=1.0),
    "SGD-nesterov-damped": SGD(lr=0.1, momentum=0.5, dampening=1.0, nesterov=False),
    "Adam-betas-0": Adam(lr=0.1, beta1=0.0, beta2=0.0, amsgrad=True),
    "AdamW-shrink-0": AdamW(lr=0.5, weight_decay=2.0),
    "AdamW-shrink-0-raw": AdamW(lr=0.5, weight_decay=2.0, bias_correction=False),
    "NAdam-shrink-0": NAdam(lr=0.5, weight_decay=2.0, decoupled_weight_decay=True),
    "NAdam-beta1-0": NAdam(beta1=0.0, beta2=0.0),
    "RMSprop-alpha-0": RMSprop(alpha=0.0, centered=True, momentum=0.9, weight_decay=0.1),
    "Adamax-beta1-0": Adamax(beta1=0.0, beta2=0.0),
    "Adagrad-tiny-lr": Adagrad(lr=1e-30, lr_decay=1e3),
}


@pytest.mark.parametrize("opt", [*CASES.values(), *EDGES.values()], ids=[*CASES, *EDGES])
@pytest.mark.parametrize("where", ["params", "grad"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("steps_before", [0, 2])
def test_fast_path_raises_the_readable_errors(opt, where, bad, steps_before):
    rng = np.random.default_rng(5)
    w, grads = inputs(rng, (5, BLOCK), np.float64)
    state = opt.init(w)
    for g in grads[:steps_before]:
        w, state = opt.step(w, g, state)
    g = grads[steps_before].copy()
    w = w.copy()
    for a in (w, g):  # inputs as large as any finite number can be: inf * 0 = NaN elsewhere
        a[1, 7] = np.finfo(a.dtype).max
    (w if where == "params" else g)[3, BLOCK - 2] = bad
    msg = rf"^{where} must be finite, got NaN or inf at index \(3, {BLOCK - 2}\)"
    with pytest.raises(ValueError, match=msg):
        opt.step(w, g, state)


@every_case
def test_an_overflow_in_a_big_step_warns_and_returns_what_the_readable_step_does(opt, kernels):
    """As the readable step: the same values, and NumPy's warning (numba's loops give none)."""
    w = np.full(4 * BLOCK, 1.0, np.float32)
    g = np.full_like(w, 1e30)  # its square overflows float32 (the moments of the adaptive ones)
    w[BLOCK + 1] = np.finfo(np.float32).max  # and the step from here may overflow
    g[BLOCK + 1] = -np.finfo(np.float32).max
    state = opt.init(w)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        want = readable_step(opt, w, g, state)
    if all(np.isfinite(x).all() for x in (want[0], *want[1]) if isinstance(x, np.ndarray)):
        pytest.skip(f"{opt!r} does not overflow here")
    if kernels == "numba":
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = opt.step(w, g, state)
    else:
        with pytest.warns(RuntimeWarning) as caught:
            got = opt.step(w, g, state)
        assert any("overflow" in str(r.message) for r in caught)
    assert_same(got, want)


def test_outputs_alive_are_never_handed_out_again():
    opt = Adam(lr=0.1)
    w = np.ones(4 * BLOCK)
    state = opt.init(w)
    kept = []
    for _ in range(6):
        w, state = opt.step(w, np.full_like(w, 0.5), state)
        kept += [w, state.m[:10], state.v]  # the outputs, and a view of one
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            assert not np.shares_memory(a, b)


def test_recycled_memory_gives_the_same_results_as_new_memory():
    opt = Adam(lr=0.1)
    rng = np.random.default_rng(4)
    w, grads = inputs(rng, (4 * BLOCK,), np.float32)
    state = opt.init(w)
    for g in grads:  # the outputs of two steps back are free again, and reused
        want = readable_step(opt, w, g, state)
        w, state = opt.step(w, g, state)
        assert_same((w, state), want)


def test_thread_count_is_checked():
    with pytest.raises(ValueError, match=r"^the number of threads must be an int >= 1, got 0$"):
        set_threads(0)
    assert set_threads(2) == 2
    assert get_threads() == 2


def test_the_kernels_under_test_are_the_ones_a_step_uses(kernels):
    assert (_fast.jit() is not None) == (kernels == "numba")


class Doubled(Adam):
    """A subclass that writes its own update (and no fast path of its own)."""

    def step(self, params, grad, state):
        return super().step(params, 2 * grad, state)


def test_a_subclass_that_writes_its_own_step_keeps_it_on_big_arrays():
    rng = np.random.default_rng(0)
    w, g = rng.standard_normal((2, 3 * MIN_SIZE))
    opt = Doubled(lr=0.1)
    state = opt.init(w)
    got = opt.step(w, g, state)
    assert_same(got, Adam(lr=0.1).step(w, 2 * g, state))  # Adam's fast path, on 2 g
    assert not np.array_equal(got[1].m, Adam(lr=0.1).step(w, g, state)[1].m)
