r"""Classifiers on real data as problems for the optimizers: softmax regression and an MLP.

Each model is a small immutable object whose parameters are one **flat** vector on the last
axis of ``w``; any leading axes are a batch of independent runs (different learning rates,
seeds or settings at once), evaluated together with batched matrix products, never a Python
loop over the batch. Like an :class:`~adam_tutorial.objectives.Objective`:

* ``problem(w)`` is the training objective, shape ``w.shape[:-1]``: the mean cross-entropy
  over the whole training set, plus the L2 penalty when ``l2 > 0``;
* ``problem.grad(w)`` is its full-batch gradient, the shape and dtype of ``w``;
* ``problem.minibatches(batch_size)`` is the same problem with a stochastic gradient
  ``grad(w, rng)``, a fresh minibatch for every run in the batch;
* ``problem.loss(w, split)`` and ``problem.accuracy(w, split)`` measure either part of the data,
  and ``problem.init(seed, batch_shape)`` draws starting points.

By default the data are the book's split of the 8x8 digits (:func:`adam_tutorial.data.digits_split`:
1347 training and 450 test images, 64 pixels in :math:`[0, 1]`, 10 classes). float32 ``w``
is computed in float32 and float64 in float64.

Examples
--------
>>> import numpy as np
>>> from adam_tutorial.models import SoftmaxRegression
>>> problem = SoftmaxRegression()
>>> w = np.zeros(problem.size)
>>> print(round(float(problem(w)), 6), problem.grad(w).shape)   # log(10) at w = 0
2.302585 (650,)

Three learning rates of Adam, each from its own starting point, as one run:

>>> from adam_tutorial import Adam, run
>>> lrs = np.array([[0.001], [0.01], [0.1]])
>>> traj = run(Adam(lr=lrs), problem.grad, problem.init(seed=0, batch_shape=(3,)), steps=100)
>>> traj.params.shape, problem.accuracy(traj.final, "test").round(3).tolist()
((101, 3, 650), [0.851, 0.933, 0.969])

A full-batch evaluation holds a few arrays of shape ``(*batch, n_train, hidden)``: for the
MLP, about 0.7 MB per run in float64 (1347 x 64 x 8 bytes).
"""

from __future__ import annotations

import dataclasses
import numbers
from typing import ClassVar, Literal

import numpy as np

from adam_tutorial._checks import NON_NEGATIVE, as_params, check_hyper, hyper_broadcasts
from adam_tutorial.data import Split, _check_dtype, digits_split

__all__ = ["MLP", "Classifier", "Minibatches", "SoftmaxRegression"]

SplitName = Literal["train", "test"]


def _t(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _log_softmax_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(log_sum_exp(z), exp(z - log_sum_exp(z)))`` along the last axis, without overflow."""
    top = z.max(axis=-1, keepdims=True)
    e = np.exp(z - top)
    s = e.sum(axis=-1, keepdims=True)
    return (top + np.log(s))[..., 0], e / s


@dataclasses.dataclass(frozen=True, eq=False, kw_only=True)
class Classifier:
    r"""What every model here shares: data, L2 penalty, loss, gradient, minibatches, accuracy.

    For logits :math:`z_i = f(w; x_i) \in \mathbb{R}^K` of the :math:`N` training examples with
    labels :math:`y_i`, the training objective is the mean cross-entropy plus an L2 penalty:

    .. math::

        L(w) &= \frac{1}{N} \sum_{i=1}^{N} \Big( \log \sum_{k=1}^{K} e^{z_{ik}} - z_{i y_i} \Big)
               + \frac{\lambda}{2} \lVert w \rVert^2, \\
        \frac{\partial L}{\partial z_{ik}} &= \frac{\operatorname{softmax}(z_i)_k
               - [k = y_i]}{N},

    with the log-sum-exp taken after subtracting :math:`\max_k z_{ik}`, so that no logit
    overflows. The penalty covers every parameter, biases included, so its gradient
    :math:`\lambda w` is exactly ``torch.optim``'s ``weight_decay=λ``. Subclasses define the
    logits and their backward pass; this class is not used by itself.

    Parameters
    ----------
    l2 : float or array_like
        :math:`\lambda \ge 0`. An array broadcasts against ``w`` (e.g. shape ``(runs, 1)``
        for one value per run) and may not change its shape.
    data : Split, optional
        The data; default :func:`adam_tutorial.data.digits_split`.

    Examples
    --------
    >>> from adam_tutorial.models import MLP, Classifier
    >>> isinstance(MLP(), Classifier)
    True
    """

    l2: float | np.ndarray = 0.0
    data: Split = dataclasses.field(default=None, repr=False)  # type: ignore[assignment]

    #: Marks a problem whose ``grad`` is exact (the full training set).
    stochastic: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "l2", check_hyper("l2", self.l2, NON_NEGATIVE))
        data = digits_split() if self.data is None else self.data
        if not isinstance(data, Split):
            msg = f"data must be an adam_tutorial.data.Split, got {type(data).__name__}"
            raise TypeError(msg)
        for part in ("train", "test"):
            x, y = getattr(data, f"x_{part}"), getattr(data, f"y_{part}")
            if not (
                isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype.kind == "f"
                and isinstance(y, np.ndarray) and y.ndim == 1 and y.dtype.kind in "iu"
                and x.shape[0] == y.shape[0] > 0 and y.min() >= 0
            ):  # fmt: skip
                msg = (
                    f"data.x_{part} must be a 2-D float array and data.y_{part} a 1-D array of"
                    " labels >= 0 with as many rows"
                )
                raise ValueError(msg)
        if data.x_train.shape[1] != data.x_test.shape[1]:
            msg = "data.x_train and data.x_test must have the same number of features"
            raise ValueError(msg)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "_cache", {})

    # -- sizes and parameters ---------------------------------------------------------------

    @property
    def n_features(self) -> int:
        """The number of inputs per example (64 for the digits)."""
        return int(self.data.x_train.shape[1])

    @property
    def n_classes(self) -> int:
        """The number of classes :math:`K`, one more than the largest label (10 for the digits)."""
        return int(max(self.data.y_train.max(), self.data.y_test.max())) + 1

    def _layers(self) -> tuple[tuple[int, int], ...]:
        """``(fan_in, fan_out)`` of each affine layer, in order."""
        raise NotImplementedError

    @property
    def size(self) -> int:
        """The number of parameters, the length of the last axis of ``w``."""
        return sum(i * o + o for i, o in self._layers())

    def unpack(self, w: np.ndarray) -> tuple[np.ndarray, ...]:
        """Views ``(W1, b1, W2, b2, ...)`` of the flat parameters, layer by layer.

        Each weight ``W`` has shape ``(*batch, fan_in, fan_out)`` (inputs times weights, the
        transpose of ``torch.nn.Linear.weight``) and each bias ``(*batch, fan_out)``; in ``w``
        they follow one another in that order, ``W`` row-major.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import MLP
        >>> [a.shape for a in MLP().unpack(np.zeros((3, 4810)))]
        [(3, 64, 64), (3, 64), (3, 64, 10), (3, 10)]
        """
        w = self._check_w(w)
        out, start = [], 0
        for fan_in, fan_out in self._layers():
            stop = start + fan_in * fan_out
            out.append(w[..., start:stop].reshape(*w.shape[:-1], fan_in, fan_out))
            out.append(w[..., stop : stop + fan_out])
            start = stop + fan_out
        return tuple(out)

    def _check_w(self, w: object) -> np.ndarray:
        w = as_params(w, "w")
        if w.ndim == 0 or w.shape[-1] != self.size:
            msg = (
                f"w must have a last axis of length {self.size} (the flat parameters of"
                f" {type(self).__name__}), got shape {w.shape}"
            )
            raise ValueError(msg)
        hyper_broadcasts("l2", self.l2, w.shape)
        return w

    def init(
        self,
        seed: int | np.random.Generator,
        batch_shape: int | tuple[int, ...] = (),
        dtype: type | np.dtype = np.float64,
    ) -> np.ndarray:
        r"""Starting points: PyTorch's default initialisation of ``torch.nn.Linear``.

        Every weight and bias of a layer with ``fan_in`` inputs is drawn independently from
        :math:`U(-1/\sqrt{\text{fan\_in}},\ 1/\sqrt{\text{fan\_in}})` (what
        ``kaiming_uniform_(a=sqrt(5))`` and the bias rule of ``Linear.reset_parameters``
        amount to), from ``numpy.random.default_rng(seed)``.

        Parameters
        ----------
        seed : int or numpy.random.Generator
            The seed (``>= 0``), or a generator to draw from (it advances).
        batch_shape : int or tuple of int
            Leading axes: one independent starting point per entry.
        dtype : numpy.float32 or numpy.float64
            The dtype of the result.

        Returns
        -------
        numpy.ndarray
            Shape ``(*batch_shape, size)``.

        Examples
        --------
        >>> from adam_tutorial.models import MLP
        >>> w0 = MLP().init(seed=0, batch_shape=(5,))
        >>> w0.shape, bool(abs(w0).max() <= 1 / 8)   # fan_in = 64 in both layers
        ((5, 4810), True)
        """
        rng = _rng(seed)
        shape = _check_shape(batch_shape)
        dt = _check_dtype(dtype)
        bounds = np.concatenate([np.full(i * o + o, 1 / np.sqrt(i)) for i, o in self._layers()])
        return (rng.uniform(-1.0, 1.0, (*shape, self.size)) * bounds).astype(dt)

    # -- the data, in the parameters' dtype ---------------------------------------------------

    def _arrays(self, split: str, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
        key = (split, dtype)
        cache = self._cache  # type: ignore[attr-defined]
        if key not in cache:
            x = getattr(self.data, f"x_{split}").astype(dtype)
            y = getattr(self.data, f"y_{split}").astype(np.intp)
            x.setflags(write=False)
            y.setflags(write=False)
            cache[key] = (x, y)
        return cache[key]

    # -- what subclasses define ----------------------------------------------------------------

    def _forward(self, w: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        """Logits ``(*batch, n, K)`` for inputs ``(n, d)`` or ``(*batch, n, d)``, and a cache."""
        raise NotImplementedError

    def _backward(self, w: np.ndarray, x: np.ndarray, cache: tuple, dz: np.ndarray) -> np.ndarray:
        """The flat gradient ``(*batch, size)`` from the logits' gradient ``dz``."""
        raise NotImplementedError

    # -- losses and gradients -------------------------------------------------------------------

    def _cross_entropy(
        self, w: np.ndarray, x: np.ndarray, y: np.ndarray, *, grad: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        z, cache = self._forward(w, x)
        lse, p = _log_softmax_parts(z)
        yb = np.broadcast_to(y, z.shape[:-1])[..., None]
        n = z.shape[-2]
        loss = (lse - np.take_along_axis(z, yb, axis=-1)[..., 0]).mean(axis=-1)
        if not grad:
            return loss, None
        np.put_along_axis(p, yb, np.take_along_axis(p, yb, axis=-1) - 1, axis=-1)
        return loss, self._backward(w, x, cache, p / w.dtype.type(n))

    def _penalty(self, w: np.ndarray) -> np.ndarray | float:
        if isinstance(self.l2, float) and self.l2 == 0.0:
            return 0.0
        return 0.5 * (self.l2 * w * w).sum(axis=-1)

    def _penalty_grad(self, w: np.ndarray) -> np.ndarray | float:
        if isinstance(self.l2, float) and self.l2 == 0.0:
            return 0.0
        return self.l2 * w

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """The training objective :math:`L(w)`, shape ``w.shape[:-1]``, ``w``'s dtype.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> print(np.round(SoftmaxRegression(l2=0.5)(np.ones((2, 650))), 4))
        [164.8026 164.8026]
        """
        w = self._check_w(w)
        x, y = self._arrays("train", w.dtype)
        loss, _ = self._cross_entropy(w, x, y, grad=False)
        return np.asarray(loss + self._penalty(w), dtype=w.dtype)

    def grad(self, w: np.ndarray) -> np.ndarray:
        r"""The full-batch gradient :math:`\nabla L(w)`: the shape and dtype of ``w``.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> g = SoftmaxRegression().grad(np.zeros(650, dtype=np.float32))
        >>> g.dtype, round(float(g[-1]), 6), round(0.1 - 135 / 1347, 6)   # 135 nines
        (dtype('float32'), -0.000223, -0.000223)
        """
        w = self._check_w(w)
        x, y = self._arrays("train", w.dtype)
        _, g = self._cross_entropy(w, x, y, grad=True)
        return (g + self._penalty_grad(w)).astype(w.dtype, copy=False)

    def loss(self, w: np.ndarray, split: SplitName = "train") -> np.ndarray:
        """The mean cross-entropy on ``split`` (``"train"`` or ``"test"``), without the penalty.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> print(np.round(SoftmaxRegression().loss(np.zeros(650), "test"), 6))
        2.302585
        """
        w = self._check_w(w)
        x, y = self._arrays(_check_split(split), w.dtype)
        return np.asarray(self._cross_entropy(w, x, y, grad=False)[0], dtype=w.dtype)

    def accuracy(self, w: np.ndarray, split: SplitName = "train") -> np.ndarray:
        """The share of ``split``'s examples whose largest logit is the label's; float64.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> problem = SoftmaxRegression()
        >>> w = np.zeros((2, 650))
        >>> w[1, 640:] = np.eye(10)[3]        # always answer 3
        >>> print(np.round(problem.accuracy(w, "test"), 4))   # ties go to class 0
        [0.1    0.1022]
        """
        w = self._check_w(w)
        x, y = self._arrays(_check_split(split), w.dtype)
        z, _ = self._forward(w, x)
        return (z.argmax(axis=-1) == y).mean(axis=-1)

    def minibatches(self, batch_size: int) -> Minibatches:
        """This problem with a minibatch gradient of ``batch_size`` examples, see :class:`Minibatches`.

        Examples
        --------
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> SoftmaxRegression().minibatches(32)
        Minibatches(problem=SoftmaxRegression(l2=0.0), batch_size=32)
        """
        return Minibatches(problem=self, batch_size=batch_size)


@dataclasses.dataclass(frozen=True, eq=False, kw_only=True)
class SoftmaxRegression(Classifier):
    r"""Multinomial logistic regression: one affine layer, then softmax.

    .. math::

        z_i = W^\top x_i + b, \qquad W \in \mathbb{R}^{d \times K},\ b \in \mathbb{R}^K,

    so on the digits (:math:`d = 64`, :math:`K = 10`) ``w`` has :math:`640 + 10 = 650` entries:
    ``W`` row-major, then ``b`` (see :meth:`~Classifier.unpack`). The objective is convex. The
    gradient is :math:`\nabla_W L = X^\top G + \lambda W`, :math:`\nabla_b L = \mathbf{1}^\top G
    + \lambda b` with :math:`G = \partial L / \partial Z` from :class:`Classifier`.

    Parameters
    ----------
    l2 : float or array_like
        L2 coefficient :math:`\lambda \ge 0`, see :class:`Classifier`.
    data : Split, optional
        Default: the book's digits split.

    Examples
    --------
    >>> from adam_tutorial.models import SoftmaxRegression
    >>> problem = SoftmaxRegression()
    >>> problem.size, problem.n_features, problem.n_classes
    (650, 64, 10)
    """

    def _layers(self) -> tuple[tuple[int, int], ...]:
        return ((self.n_features, self.n_classes),)

    def _forward(self, w: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        W, b = self.unpack(w)
        z = x @ W
        z += b[..., None, :]
        return z, ()

    def _backward(self, w: np.ndarray, x: np.ndarray, cache: tuple, dz: np.ndarray) -> np.ndarray:
        dW = _t(x) @ dz
        return np.concatenate([dW.reshape(*dW.shape[:-2], -1), dz.sum(axis=-2)], axis=-1)


@dataclasses.dataclass(frozen=True, eq=False, kw_only=True)
class MLP(Classifier):
    r"""A multilayer perceptron with one hidden layer: affine, tanh (or ReLU), affine, softmax.

    .. math::

        h_i = \sigma(W_1^\top x_i + b_1), \qquad z_i = W_2^\top h_i + b_2,

    with :math:`\sigma = \tanh` by default (smooth, so finite differences check the gradient
    everywhere) or ReLU. On the digits with ``hidden=64`` (the 64-64-10 network) ``w`` has
    :math:`64 \cdot 64 + 64 + 64 \cdot 10 + 10 = 4810` entries in the order
    ``W1, b1, W2, b2`` (see :meth:`~Classifier.unpack`). Backpropagation, with
    :math:`G = \partial L / \partial Z`:

    .. math::

        \nabla_{W_2} L &= H^\top G, \qquad \nabla_{b_2} L = \mathbf{1}^\top G, \qquad
        D = (G W_2^\top) \odot \sigma'(A), \\
        \nabla_{W_1} L &= X^\top D, \qquad \nabla_{b_1} L = \mathbf{1}^\top D,

    plus :math:`\lambda w`, where :math:`A = X W_1 + b_1` and :math:`\sigma'(A) = 1 - H^2` for
    tanh, :math:`[A > 0]` for ReLU (0 at the kink, as in PyTorch).

    Parameters
    ----------
    hidden : int
        Width of the hidden layer, ``>= 1``.
    activation : str
        The nonlinearity :math:`\sigma`, ``"tanh"`` or ``"relu"``.
    l2 : float or array_like
        L2 coefficient :math:`\lambda \ge 0`, see :class:`Classifier`.
    data : Split, optional
        Default: the book's digits split.

    Examples
    --------
    >>> from adam_tutorial.models import MLP
    >>> MLP().size, MLP(hidden=32, activation="relu").size
    (4810, 2410)
    """

    hidden: int = 64
    activation: Literal["tanh", "relu"] = "tanh"

    def __post_init__(self) -> None:
        if isinstance(self.hidden, bool | np.bool_) or not isinstance(
            self.hidden, numbers.Integral
        ):
            msg = f"hidden must be an int >= 1, got {self.hidden!r}"
            raise TypeError(msg)
        if self.hidden < 1:
            msg = f"hidden must be an int >= 1, got {self.hidden}"
            raise ValueError(msg)
        if self.activation not in ("tanh", "relu"):
            msg = f"activation must be 'tanh' or 'relu', got {self.activation!r}"
            raise ValueError(msg)
        object.__setattr__(self, "hidden", int(self.hidden))
        super().__post_init__()

    def _layers(self) -> tuple[tuple[int, int], ...]:
        return ((self.n_features, self.hidden), (self.hidden, self.n_classes))

    def _forward(self, w: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, tuple]:
        W1, b1, W2, b2 = self.unpack(w)
        h = x @ W1  # a fresh array: the activations below are computed in place
        h += b1[..., None, :]
        if self.activation == "tanh":
            np.tanh(h, out=h)
        else:
            np.maximum(h, 0, out=h)
        z = h @ W2
        z += b2[..., None, :]
        return z, (h,)

    def _backward(self, w: np.ndarray, x: np.ndarray, cache: tuple, dz: np.ndarray) -> np.ndarray:
        _, _, W2, _ = self.unpack(w)
        (h,) = cache
        dW2 = _t(h) @ dz
        dh = dz @ _t(W2)
        if self.activation == "tanh":  # dh * (1 - h**2), in place on dh
            dh -= dh * h * h
        else:
            dh *= h > 0
        da = dh
        dW1 = _t(x) @ da
        batch = dz.shape[:-2]
        return np.concatenate(
            [
                dW1.reshape(*batch, -1),
                da.sum(axis=-2),
                dW2.reshape(*batch, -1),
                dz.sum(axis=-2),
            ],
            axis=-1,
        )


@dataclasses.dataclass(frozen=True, eq=False)
class Minibatches:
    r"""A :class:`Classifier` whose gradient is taken on a random minibatch: a stochastic problem.

    Each call of :meth:`grad` draws, for every run in the batch (every index of
    ``w.shape[:-1]``) independently, ``batch_size`` distinct training examples
    :math:`\mathcal{B}` (without replacement within a draw; draws are independent, so an
    example may return in the next one), and returns

    .. math::

        g(w) = \frac{1}{|\mathcal{B}|} \sum_{i \in \mathcal{B}} \nabla \ell_i(w) + \lambda w,
        \qquad \mathbb{E}[g(w)] = \nabla L(w),

    an unbiased estimate of the full gradient. Calling the object gives the full training
    objective, as for the problem itself.

    Parameters
    ----------
    problem : Classifier
        The model and its data.
    batch_size : int
        Examples per minibatch, in ``[1, n_train]``.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial.models import SoftmaxRegression
    >>> noisy = SoftmaxRegression().minibatches(32)
    >>> rng = np.random.default_rng(0)
    >>> noisy.stochastic, noisy.grad(np.zeros((8, 650)), rng).shape
    (True, (8, 650))
    """

    problem: Classifier
    batch_size: int

    #: Marks a problem whose ``grad(w, rng)`` is random.
    stochastic: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not isinstance(self.problem, Classifier):
            msg = f"problem must be a Classifier such as MLP(), got {self.problem!r}"
            raise TypeError(msg)
        n = self.problem.data.x_train.shape[0]
        b = self.batch_size
        if isinstance(b, bool | np.bool_) or not isinstance(b, numbers.Integral):
            msg = f"batch_size must be an int in [1, {n}], got {b!r}"
            raise TypeError(msg)
        if not 1 <= b <= n:
            msg = f"batch_size must be an int in [1, {n}], got {b}"
            raise ValueError(msg)
        object.__setattr__(self, "batch_size", int(b))

    @property
    def size(self) -> int:
        """The number of parameters, as for the problem."""
        return self.problem.size

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """The full training objective, as :meth:`Classifier.__call__`.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> print(np.round(SoftmaxRegression().minibatches(10)(np.zeros(650)), 6))
        2.302585
        """
        return self.problem(w)

    def indices(self, batch_shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """The training examples of one draw: shape ``(*batch_shape, batch_size)``, each row sorted.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> idx = SoftmaxRegression().minibatches(5).indices((2,), np.random.default_rng(0))
        >>> idx.shape, bool((np.diff(idx, axis=-1) > 0).all())
        ((2, 5), True)
        """
        if not isinstance(rng, np.random.Generator):
            msg = (
                "rng must be a numpy.random.Generator (one for the whole run, so each step"
                f" draws new minibatches), got {rng!r}"
            )
            raise TypeError(msg)
        shape = _check_shape(batch_shape)
        n = self.problem.data.x_train.shape[0]
        keys = rng.random((*shape, n))
        idx = np.argpartition(keys, self.batch_size - 1, axis=-1)[..., : self.batch_size]
        return np.sort(idx, axis=-1)

    def grad(self, w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A minibatch gradient for every run in ``w``: the shape and dtype of ``w``.

        Examples
        --------
        >>> import numpy as np
        >>> from adam_tutorial.models import SoftmaxRegression
        >>> problem = SoftmaxRegression()
        >>> full = problem.minibatches(1347).grad(np.zeros(650), np.random.default_rng(0))
        >>> bool(np.allclose(full, problem.grad(np.zeros(650))))   # the whole set: exact
        True
        """
        p = self.problem
        w = p._check_w(w)
        idx = self.indices(w.shape[:-1], rng)
        x, y = p._arrays("train", w.dtype)
        _, g = p._cross_entropy(w, x[idx], y[idx], grad=True)
        return (g + p._penalty_grad(w)).astype(w.dtype, copy=False)


def _check_split(split: object) -> str:
    if split not in ("train", "test"):
        msg = f"split must be 'train' or 'test', got {split!r}"
        raise ValueError(msg)
    return str(split)


def _check_shape(batch_shape: object) -> tuple[int, ...]:
    shape = (batch_shape,) if isinstance(batch_shape, numbers.Integral) else batch_shape
    if not isinstance(shape, tuple) or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool | np.bool_) for n in shape
    ):
        msg = f"batch_shape must be an int or a tuple of ints >= 0, got {batch_shape!r}"
        raise TypeError(msg)
    if any(n < 0 for n in shape):
        msg = f"batch_shape must be an int or a tuple of ints >= 0, got {batch_shape!r}"
        raise ValueError(msg)
    return tuple(int(n) for n in shape)


def _rng(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        msg = f"seed must be an int >= 0 or a numpy.random.Generator, got {seed!r}"
        raise TypeError(msg)
    if seed < 0:
        msg = f"seed must be an int >= 0 or a numpy.random.Generator, got {seed}"
        raise ValueError(msg)
    return np.random.default_rng(int(seed))
