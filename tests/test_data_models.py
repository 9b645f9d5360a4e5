"""Softmax regression and the MLP on the digits: gradients, minibatches, shapes, errors, training."""

import numpy as np
import pytest

from adam_tutorial import Adam, run
from adam_tutorial.data import Split, digits_split
from adam_tutorial.models import MLP, Classifier, Minibatches, SoftmaxRegression

SPLIT = digits_split()
SOFTMAX = SoftmaxRegression()
TANH = MLP()
RELU = MLP(activation="relu")
PROBLEMS = pytest.mark.parametrize(
    "problem", [SOFTMAX, TANH, RELU], ids=["softmax", "mlp-tanh", "mlp-relu"]
)
# The gradient's formula does not depend on how many examples there are: the MLPs' finite
# differences (hundreds of evaluations) use the first 200 training images, to stay fast.
SMALL = Split(SPLIT.x_train[:200], SPLIT.y_train[:200], SPLIT.x_test, SPLIT.y_test)
FD_PROBLEMS = pytest.mark.parametrize(
    "problem",
    [SOFTMAX, MLP(data=SMALL), MLP(activation="relu", data=SMALL)],
    ids=["softmax", "mlp-tanh", "mlp-relu"],
)
BATCH_SHAPES = pytest.mark.parametrize("batch", [(), (3,), (2, 2)], ids=str)


def central_differences(problem, w, coords, h=1e-6, chunk=25):
    """d problem(w) / d w[..., j] for each j in coords, every run at once: shape (*batch, k).

    The perturbed points are themselves a batch, so one call evaluates ``chunk`` coordinates.
    """
    out = []
    for start in range(0, len(coords), chunk):
        js = np.asarray(coords[start : start + chunk])
        points = np.repeat(w[None, None], len(js), axis=0).repeat(2, axis=1)  # (c, 2, *batch, P)
        points[np.arange(len(js)), 0, ..., js] += h
        points[np.arange(len(js)), 1, ..., js] -= h
        values = problem(points)
        out.append(np.moveaxis((values[:, 0] - values[:, 1]) / (2 * h), 0, -1))
    return np.concatenate(out, axis=-1)


def relu_kinks_crossed(problem, w, coords, h=1e-6):
    """Mask (*batch, k): does moving w[..., j] by +-h flip the sign of a hidden pre-activation?

    There the ReLU network is not differentiable within the difference's reach, and the
    difference quotient may differ from the one-sided derivative that backpropagation gives.
    """
    x = problem.data.x_train
    W1, b1, _, _ = problem.unpack(w)
    a = np.abs(x @ W1 + b1[..., None, :])  # (*batch, N, H)
    d, hidden = W1.shape[-2:]
    crossed = []
    for j in coords:
        if j < d * hidden:  # W1[i, k] moves a[:, k] by h * x[:, i]
            i, k = divmod(int(j), hidden)
            crossed.append((a[..., k] <= h * x[:, i]).any(axis=-1))
        elif j < d * hidden + hidden:  # b1[k] moves a[:, k] by h
            crossed.append((a[..., j - d * hidden] <= h).any(axis=-1))
        else:  # the output layer moves no pre-activation
            crossed.append(np.zeros(w.shape[:-1], dtype=bool))
    return np.stack(crossed, axis=-1)


# -- sizes and layout ------------------------------------------------------------------------


def test_parameter_counts_are_650_and_4810():
    assert SOFTMAX.size == 64 * 10 + 10 == 650
    assert TANH.size == 64 * 64 + 64 + 64 * 10 + 10 == 4810
    assert MLP(hidden=32).size == 64 * 32 + 32 + 32 * 10 + 10
    assert (SOFTMAX.n_features, SOFTMAX.n_classes) == (64, 10)


def test_unpack_gives_views_in_layer_order():
    w = np.arange(2 * 4810, dtype=np.float64).reshape(2, 4810)
    W1, b1, W2, b2 = TANH.unpack(w)
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((2, 64, 64), (2, 64), (2, 64, 10), (2, 10))
    assert W1[1, 0, 1] == 4810 + 1  # row-major: W1[i, j] = w[i * 64 + j]
    assert b1[0, 0] == 4096
    assert W2[0, 1, 0] == 4096 + 64 + 10
    assert b2[0, -1] == 4809
    assert np.shares_memory(W1, w)


def test_softmax_logits_are_x_times_w_plus_b():
    rng = np.random.default_rng(1)
    w = rng.normal(size=650)
    W, b = SOFTMAX.unpack(w)
    z = SPLIT.x_test @ W + b
    expected = (z.argmax(axis=1) == SPLIT.y_test).mean()
    assert SOFTMAX.accuracy(w, "test") == expected
    lse = np.log(np.exp(z).sum(axis=1))
    np.testing.assert_allclose(
        SOFTMAX.loss(w, "test"), (lse - z[np.arange(450), SPLIT.y_test]).mean(), rtol=1e-12
    )


def test_mlp_is_tanh_then_affine():
    rng = np.random.default_rng(2)
    w = TANH.init(rng)
    W1, b1, W2, b2 = TANH.unpack(w)
    z = np.tanh(SPLIT.x_train @ W1 + b1) @ W2 + b2
    zr = np.maximum(SPLIT.x_train @ W1 + b1, 0) @ W2 + b2

    def ce(z):
        return (np.log(np.exp(z).sum(1)) - z[np.arange(1347), SPLIT.y_train]).mean()

    np.testing.assert_allclose(TANH(w), ce(z), rtol=1e-12)
    np.testing.assert_allclose(RELU(w), ce(zr), rtol=1e-12)


def test_loss_at_zero_is_log_10_and_uniform_accuracy_is_share_of_class_0():
    w = np.zeros((2, 650))
    np.testing.assert_allclose(SOFTMAX(w), np.log(10), rtol=1e-15)
    np.testing.assert_allclose(SOFTMAX.loss(w, "test"), np.log(10), rtol=1e-15)
    np.testing.assert_array_equal(SOFTMAX.accuracy(w, "test"), np.mean(SPLIT.y_test == 0))


# -- gradients against finite differences ------------------------------------------------------


@FD_PROBLEMS
@BATCH_SHAPES
def test_gradient_matches_central_differences(problem, batch):
    rng = np.random.default_rng(sum(batch) + problem.size)
    w = problem.init(rng, batch) * 3  # larger than the start: far from linear
    coords = rng.choice(problem.size, size=200, replace=False)
    numeric = central_differences(problem, w, coords)
    analytic = problem.grad(w)[..., coords]
    assert np.abs(analytic).max() > 1e-3  # the check is not of zeros
    close = np.isclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    if isinstance(problem, MLP) and problem.activation == "relu":
        kinks = relu_kinks_crossed(problem, w, coords)
        assert kinks.mean() < 0.05  # few coordinates are excluded
        close |= kinks
    np.testing.assert_array_equal(close, True)


@pytest.mark.parametrize("problem", [TANH, RELU], ids=["tanh", "relu"])
def test_mlp_gradient_on_the_whole_training_set_matches_central_differences(problem):
    rng = np.random.default_rng(15)
    w = problem.init(rng)
    coords = np.concatenate([rng.choice(4096, 30, replace=False), 4096 + np.arange(0, 714, 12)])
    numeric = central_differences(problem, w, coords)
    analytic = problem.grad(w)[..., coords]
    close = np.isclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    if problem.activation == "relu":
        close |= relu_kinks_crossed(problem, w, coords)
    np.testing.assert_array_equal(close, True)


@pytest.mark.parametrize("model", [SoftmaxRegression, MLP])
def test_gradient_with_per_run_l2_matches_central_differences(model):
    l2 = np.array([[0.0], [0.01], [0.3]])
    problem = model(l2=l2, data=SMALL)
    rng = np.random.default_rng(3)
    w = problem.init(rng, (3,))
    coords = np.concatenate([rng.choice(problem.size, 100, replace=False), [problem.size - 1]])
    numeric = central_differences(problem, w, coords)
    np.testing.assert_allclose(problem.grad(w)[..., coords], numeric, rtol=1e-5, atol=1e-8)
    unpenalised = model(data=SMALL)
    np.testing.assert_allclose(
        problem(w) - unpenalised(w), 0.5 * l2[:, 0] * (w**2).sum(-1), rtol=1e-12
    )
    np.testing.assert_allclose(problem.grad(w) - unpenalised.grad(w), l2 * w, atol=1e-15)


@PROBLEMS
def test_batched_runs_equal_separate_runs(problem):
    w = problem.init(4, (2, 3))
    together = problem.grad(w)
    for i in range(2):
        for j in range(3):
            np.testing.assert_allclose(together[i, j], problem.grad(w[i, j]), rtol=1e-12)
    np.testing.assert_allclose(problem(w)[1, 2], problem(w[1, 2]), rtol=1e-14)


@PROBLEMS
def test_float32_is_kept_and_close_to_float64(problem):
    w64 = problem.init(5, (2,))
    w32 = w64.astype(np.float32)
    assert problem(w32).dtype == np.float32
    assert problem.grad(w32).dtype == np.float32
    assert problem.loss(w32, "test").dtype == np.float32
    assert problem.minibatches(8).grad(w32, np.random.default_rng(0)).dtype == np.float32
    np.testing.assert_allclose(problem.grad(w32), problem.grad(w64), rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(problem(w32), problem(w64), rtol=1e-5)


@PROBLEMS
@BATCH_SHAPES
def test_shapes(problem, batch):
    w = problem.init(0, batch)
    assert w.shape == (*batch, problem.size)
    assert problem(w).shape == batch
    assert problem.grad(w).shape == w.shape
    for split in ("train", "test"):
        assert problem.loss(w, split).shape == batch
        assert problem.accuracy(w, split).shape == batch
        assert problem.accuracy(w, split).dtype == np.float64
    assert problem.minibatches(16).grad(w, np.random.default_rng(0)).shape == w.shape


def test_log_softmax_is_stable_for_huge_logits():
    w = SOFTMAX.init(0) * 1e4
    assert np.isfinite(SOFTMAX(w))
    assert np.all(np.isfinite(SOFTMAX.grad(w)))
    assert SOFTMAX(w) > 100  # confidently wrong somewhere: a large but finite loss


@PROBLEMS
def test_inputs_are_not_modified_and_read_only_input_works(problem):
    w = problem.init(6, (2,))
    w.setflags(write=False)
    before = w.copy()
    problem(w)
    problem.grad(w)
    problem.minibatches(32).grad(w, np.random.default_rng(0))
    problem.accuracy(w, "test")
    np.testing.assert_array_equal(w, before)


# -- minibatches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "runs"), [(SOFTMAX, 4000), (TANH, 1000)], ids=["softmax", "mlp"]
)
def test_minibatch_gradient_is_unbiased(problem, runs):
    w = np.broadcast_to(problem.init(7), (runs, problem.size))
    draws = problem.minibatches(16).grad(w, np.random.default_rng(8))
    full = problem.grad(w[0])
    mean = draws.mean(axis=0)
    se = draws.std(axis=0, ddof=1) / np.sqrt(runs)
    z = (mean - full) / np.maximum(se, 1e-12)
    assert np.abs(z).max() < 5.5  # 5.5 standard errors, in every coordinate
    # A bias would add to the squared error of the mean; without one it is about the sum of
    # the squared standard errors (measured: 0.78 of it for both models).
    assert 0.5 < ((mean - full) ** 2).sum() / (se**2).sum() < 1.5
    assert draws.std(axis=0).max() > 0.1 * np.abs(full).max()  # the draws do differ


def test_minibatch_of_the_whole_set_is_the_full_gradient():
    w = SOFTMAX.init(9, (3,))
    g = SOFTMAX.minibatches(1347).grad(w, np.random.default_rng(0))
    np.testing.assert_allclose(g, SOFTMAX.grad(w), rtol=1e-10, atol=1e-15)


def test_minibatch_indices_are_distinct_independent_per_run_and_seeded():
    noisy = TANH.minibatches(64)
    idx = noisy.indices((5, 2), np.random.default_rng(0))
    assert idx.shape == (5, 2, 64)
    assert idx.dtype.kind == "i"
    assert np.all(np.diff(idx, axis=-1) > 0)  # sorted and without repeats
    assert idx.min() >= 0
    assert idx.max() < 1347
    flat = idx.reshape(10, 64)
    assert len({tuple(r) for r in flat}) == 10  # every run its own minibatch
    np.testing.assert_array_equal(idx, noisy.indices((5, 2), np.random.default_rng(0)))


def test_minibatch_gradient_is_the_gradient_on_the_drawn_examples():
    noisy = SOFTMAX.minibatches(10)
    w = SOFTMAX.init(10, (2,))
    idx = noisy.indices((2,), np.random.default_rng(11))
    g = noisy.grad(w, np.random.default_rng(11))
    for r in range(2):
        sub = SoftmaxRegression(
            data=Split(SPLIT.x_train[idx[r]], SPLIT.y_train[idx[r]], SPLIT.x_test, SPLIT.y_test)
        )
        np.testing.assert_allclose(g[r], sub.grad(w[r]), rtol=1e-12, atol=1e-17)


def test_minibatch_draws_are_reproducible_from_a_seed_and_new_each_step():
    noisy = TANH.minibatches(32)
    w = TANH.init(12, (4,))
    rng_a, rng_b = np.random.default_rng(13), np.random.default_rng(13)
    first_a, first_b = noisy.grad(w, rng_a), noisy.grad(w, rng_b)
    np.testing.assert_array_equal(first_a, first_b)
    second_a = noisy.grad(w, rng_a)
    assert not np.allclose(first_a, second_a)
    np.testing.assert_array_equal(second_a, noisy.grad(w, rng_b))


def test_minibatches_object():
    noisy = SOFTMAX.minibatches(32)
    assert isinstance(noisy, Minibatches)
    assert noisy.stochastic is True
    assert SOFTMAX.stochastic is False
    assert noisy.size == 650
    w = SOFTMAX.init(0, (2,))
    np.testing.assert_array_equal(noisy(w), SOFTMAX(w))
    with pytest.raises(AttributeError):
        noisy.batch_size = 3


# -- initialisation --------------------------------------------------------------------------


def test_init_is_pytorchs_linear_default_and_seeded():
    w = TANH.init(0, (200,))
    W1, b1, W2, b2 = TANH.unpack(w)
    for a in (W1, b1, W2, b2):  # fan_in = 64 for both layers: U(-1/8, 1/8)
        assert np.abs(a).max() <= 1 / 8
        assert np.abs(a).max() > 0.99 / 8
        assert abs(a.mean()) < 0.01
    np.testing.assert_allclose(w.std(), 1 / 8 / np.sqrt(3), rtol=0.01)
    np.testing.assert_array_equal(w, TANH.init(0, (200,)))
    np.testing.assert_array_equal(TANH.init(np.random.default_rng(0), 200), w)
    assert not np.array_equal(TANH.init(1), TANH.init(0))
    narrow = MLP(hidden=16).init(0, (500,))
    assert np.abs(MLP(hidden=16).unpack(narrow)[2]).max() <= 1 / 4  # fan_in 16
    assert np.abs(MLP(hidden=16).unpack(narrow)[2]).max() > 0.99 / 4


def test_init_in_float32():
    w = SOFTMAX.init(0, 3, dtype=np.float32)
    assert w.dtype == np.float32
    np.testing.assert_array_equal(w, SOFTMAX.init(0, 3).astype(np.float32))


def test_repr_and_immutability():
    assert repr(SOFTMAX) == "SoftmaxRegression(l2=0.0)"
    assert repr(MLP(hidden=8)) == "MLP(l2=0.0, hidden=8, activation='tanh')"
    with pytest.raises(AttributeError):
        TANH.l2 = 1.0
    assert isinstance(TANH, Classifier)


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: SoftmaxRegression(l2=-0.1), ValueError, r"l2 must be in \[0, inf\), got -0.1"),
        (lambda: SoftmaxRegression(l2="0.1"), TypeError, r"l2 must be a real number"),
        (lambda: MLP(hidden=0), ValueError, r"hidden must be an int >= 1, got 0"),
        (lambda: MLP(hidden=2.5), TypeError, r"hidden must be an int >= 1, got 2.5"),
        (lambda: MLP(activation="sigmoid"), ValueError, r"activation must be 'tanh' or 'relu'"),
        (lambda: SoftmaxRegression(data=(1, 2)), TypeError, r"data must be an adam_tutorial"),
        (
            lambda: SoftmaxRegression(data=Split(SPLIT.x_train, SPLIT.y_test, *SPLIT[2:])),
            ValueError,
            r"data.x_train must be a 2-D float array and data.y_train a 1-D array",
        ),
        (lambda: SOFTMAX.minibatches(0), ValueError, r"batch_size must be an int in \[1, 1347\]"),
        (
            lambda: SOFTMAX.minibatches(1348),
            ValueError,
            r"batch_size must be an int in \[1, 1347\]",
        ),
        (lambda: SOFTMAX.minibatches(32.0), TypeError, r"batch_size must be an int"),
        (
            lambda: Minibatches(problem=None, batch_size=3),
            TypeError,
            r"problem must be a Classifier",
        ),
    ],
)
def test_construction_errors_name_the_parameter(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: SOFTMAX(np.zeros(649)), ValueError, r"w must have a last axis of length 650"),
        (lambda: TANH.grad(np.zeros((2, 650))), ValueError, r"length 4810 .*got shape \(2, 650\)"),
        (lambda: SOFTMAX.grad(np.float64(0.0)), ValueError, r"w must have a last axis"),
        (lambda: SOFTMAX.grad(np.full(650, np.nan)), ValueError, r"w must be finite"),
        (lambda: SOFTMAX(np.array(["a"] * 650)), TypeError, r"w must be an array of real"),
        (lambda: SOFTMAX.loss(np.zeros(650), "valid"), ValueError, r"split must be 'train' or"),
        (lambda: SOFTMAX.accuracy(np.zeros(650), "Test"), ValueError, r"split must be 'train'"),
        (
            lambda: SoftmaxRegression(l2=np.array([[0.1], [0.2]]))(np.zeros(650)),
            ValueError,
            r"l2 of shape \(2, 1\) must broadcast against params of shape \(650,\)",
        ),
        (
            lambda: SOFTMAX.minibatches(4).grad(np.zeros(650), 0),
            TypeError,
            r"rng must be a numpy.random.Generator",
        ),
        (lambda: SOFTMAX.init(-1), ValueError, r"seed must be an int >= 0"),
        (lambda: SOFTMAX.init(1.5), TypeError, r"seed must be an int >= 0 or a numpy"),
        (lambda: SOFTMAX.init(0, (2, -1)), ValueError, r"batch_shape must be an int or a tuple"),
        (lambda: SOFTMAX.init(0, [2]), TypeError, r"batch_shape must be an int or a tuple"),
        (lambda: SOFTMAX.init(0, dtype=np.int32), TypeError, r"dtype must be numpy.float32"),
    ],
)
def test_call_errors_name_the_parameter(call, error, message):
    with pytest.raises(error, match=message):
        call()


# -- training -----------------------------------------------------------------------------------


def test_softmax_with_adam_reaches_test_accuracy_above_093_in_200_full_batch_steps():
    w0 = SOFTMAX.init(0, (5,))  # five seeds at once
    traj = run(Adam(lr=0.01), SOFTMAX.grad, w0, steps=200)
    test_acc = SOFTMAX.accuracy(traj.final, "test")
    train_acc = SOFTMAX.accuracy(traj.final, "train")
    # measured: test 0.947-0.949, train 0.968, training loss 0.187
    assert np.all(test_acc > 0.93)
    assert np.all(train_acc > 0.95)
    assert np.all(SOFTMAX(traj.final) < 0.25)
    losses = SOFTMAX(traj.params)  # (201, 5): falls steadily from about log(10)
    assert np.all(losses[0] > 2.0)
    assert np.all(np.diff(losses, axis=0) < 0)


def test_a_batch_of_learning_rates_trains_in_one_run():
    lrs = np.array([[1e-3], [1e-2], [1e-1]])
    traj = run(Adam(lr=lrs), SOFTMAX.grad, SOFTMAX.init(0, (3,)), steps=200)
    final = SOFTMAX(traj.final)
    # measured: 1.21, 0.187, 0.030
    assert final[0] > final[1] > final[2]
    assert final[2] < 0.05


def test_mlp_with_minibatch_adam_learns_the_digits():
    noisy = TANH.minibatches(32)
    rng = np.random.default_rng(0)
    traj = run(Adam(lr=0.003), lambda w: noisy.grad(w, rng), TANH.init(0, (3,)), steps=300)
    test_acc = TANH.accuracy(traj.final, "test")
    # measured: 0.944-0.958 test accuracy, training loss 0.117-0.124
    assert np.all(test_acc > 0.92)
    assert np.all(TANH(traj.final) < 0.2)
