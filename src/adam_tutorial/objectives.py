r"""Two-dimensional test functions, each with its value, analytic gradient and minima.

A point is an array whose **last axis** holds :math:`(x, y)`; any leading axes are a batch.
``f(w)`` has shape ``w.shape[:-1]`` and ``f.grad(w)`` has the shape of ``w``, so one call
evaluates a whole contour grid or thousands of runs at once.

Examples
--------
>>> import numpy as np
>>> from adam_tutorial.objectives import quadratic
>>> print(quadratic(np.array([-10.0, 1.5])))   # 0.1 * 100 + 5 * 2.25
21.25
>>> print(quadratic.grad(np.array([-10.0, 1.5])))
[-2. 15.]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import ClassVar, Protocol

import numpy as np

from adam_tutorial._checks import NON_NEGATIVE, check_hyper, hyper_broadcasts

__all__ = [
    "OBJECTIVES",
    "NoisyObjective",
    "Objective",
    "Problem",
    "StochasticProblem",
    "beale",
    "himmelblau",
    "noisy",
    "quadratic",
    "rosenbrock",
    "rotated_quadratic",
    "saddle",
]


@dataclasses.dataclass(frozen=True)
class Objective:
    r"""A function :math:`f: \mathbb{R}^2 \to \mathbb{R}` with what a book needs to show it.

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"rosenbrock"``.
    formula : str
        The definition in LaTeX, for captions and tables.
    value : callable
        ``value(x, y)``: the function on broadcasting coordinate arrays.
    gradient : callable
        ``gradient(x, y) -> (df/dx, df/dy)``: the analytic partial derivatives.
    minima : numpy.ndarray
        Shape ``(k, 2)``: every global minimum (``k = 0`` when :math:`f` is unbounded below).
    window : tuple
        ``((x_min, x_max), (y_min, y_max))``: a plotting window that shows the interesting part.
    start : numpy.ndarray
        A customary starting point for demonstrations.

    ``minima`` and ``start`` are read-only copies, so no demonstration can move them.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial.objectives import rosenbrock
    >>> print(rosenbrock(rosenbrock.minima[0]), rosenbrock.grad(np.array([1.0, 1.0])))
    0.0 [0. 0.]
    """

    name: str
    formula: str
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    minima: np.ndarray
    window: tuple[tuple[float, float], tuple[float, float]]
    start: np.ndarray

    def __post_init__(self) -> None:
        for name in ("minima", "start"):
            frozen = np.array(getattr(self, name))
            frozen.setflags(write=False)
            object.__setattr__(self, name, frozen)

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """:math:`f(w)` for points ``w`` of shape ``(..., 2)``; returns shape ``(...)``."""
        x, y = _split(w)
        return self.value(x, y)

    def grad(self, w: np.ndarray) -> np.ndarray:
        r""":math:`\nabla f(w)` for points ``w`` of shape ``(..., 2)``; same shape and dtype."""
        w = np.asarray(w)
        x, y = _split(w)
        gx, gy = self.gradient(x, y)
        if np.shape(gx) == np.shape(gy) == x.shape:  # the usual case: fill one new array
            g = np.empty(w.shape, dtype=w.dtype)
            g[..., 0] = gx
            g[..., 1] = gy
            return g
        return np.stack(np.broadcast_arrays(gx, gy), axis=-1).astype(w.dtype, copy=False)

    def grid(self, n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(X, Y, Z)`` on an ``n`` x ``n`` grid over ``window``, ready for ``contour``.

        Examples
        --------
        >>> from adam_tutorial.objectives import quadratic
        >>> X, Y, Z = quadratic.grid(50)
        >>> Z.shape
        (50, 50)
        """
        (x0, x1), (y0, y1) = self.window
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return X, Y, self(np.stack([X, Y], axis=-1))


class Problem(Protocol):
    """What :func:`~adam_tutorial.run` needs from a problem: its loss and its gradient.

    Any object with these two methods will do (the :class:`Objective` s here are such
    problems): ``problem(w)`` is the loss, of shape ``w.shape[:-1]`` when the last axis of
    ``w`` holds the parameters and the leading axes are a batch, and ``problem.grad(w)`` the
    gradient, shaped like ``w``. ``run`` records the loss of every recorded step.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial import SGD, run
    >>> class Bowl:   # f(w) = |w|^2 / 2 over any number of parameters
    ...     def __call__(self, w):
    ...         return 0.5 * np.sum(w**2, axis=-1)
    ...     def grad(self, w):
    ...         return w
    >>> traj = run(SGD(lr=0.5), Bowl(), np.ones(4), steps=3)
    >>> print(traj.losses)
    [2.      0.5     0.125   0.03125]
    """

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """The loss at ``w``, shape ``w.shape[:-1]``."""
        ...

    def grad(self, w: np.ndarray) -> np.ndarray:
        """The gradient at ``w``, shaped like ``w``."""
        ...


class StochasticProblem(Protocol):
    """A problem whose gradient is random: ``grad(w, rng)`` draws from a NumPy ``Generator``.

    It says so with a class attribute ``stochastic = True``; :func:`~adam_tutorial.run` then
    requires ``seed=`` and passes one generator to every call of ``grad``. The loss
    ``problem(w)`` is the true (expected) loss, which ``run`` records.

    Examples
    --------
    >>> import numpy as np
    >>> from adam_tutorial import SGD, run
    >>> class NoisyBowl:
    ...     stochastic = True
    ...     def __call__(self, w):
    ...         return 0.5 * np.sum(w**2, axis=-1)
    ...     def grad(self, w, rng):
    ...         return w + 0.1 * rng.standard_normal(w.shape)
    >>> a = run(SGD(lr=0.5), NoisyBowl(), np.ones((3, 4)), steps=10, seed=7)
    >>> b = run(SGD(lr=0.5), NoisyBowl(), np.ones((3, 4)), steps=10, seed=7)
    >>> bool(np.array_equal(a.params, b.params)), a.losses.shape
    (True, (11, 3))
    """

    stochastic: ClassVar[bool]

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """The true loss at ``w``, shape ``w.shape[:-1]``."""
        ...

    def grad(self, w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random gradient at ``w``, shaped like ``w``, drawn with ``rng``."""
        ...


@dataclasses.dataclass(frozen=True)
class NoisyObjective:
    r"""An :class:`Objective` whose gradient carries Gaussian noise; made by :func:`noisy`.

    .. math::

        \tilde g(w) = \nabla f(w) + \sigma \xi, \qquad \xi \sim \mathcal N(0, I)

    ``noisy_f(w)`` is the true, noise-free :math:`f(w)`; ``noisy_f.grad(w, rng)`` draws
    :math:`\xi` with ``rng``, one number per entry of ``w``.

    Attributes
    ----------
    objective : Objective
        The noise-free function.
    sigma : float or numpy.ndarray
        The noise's standard deviation :math:`\sigma \ge 0`; an array broadcasts against
        the points ``w`` (e.g. shape ``(k, 1)`` for ``k`` noise levels on ``w`` of shape
        ``(k, 2)``) without changing their shape.

    Examples
    --------
    >>> import numpy as np
    >>> f = noisy(quadratic, sigma=0.5)
    >>> f.stochastic, f(np.array([-10.0, 1.5]))   # the loss is the true one
    (True, np.float64(21.25))
    >>> g = f.grad(np.array([-10.0, 1.5]), np.random.default_rng(0))
    >>> print(np.round(g, 3))   # [-2, 15] plus noise
    [-1.937 14.934]
    """

    objective: Objective
    sigma: float | np.ndarray

    #: The gradient is random: :func:`~adam_tutorial.run` asks for a seed.
    stochastic: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not isinstance(self.objective, Objective):
            msg = f"objective must be an Objective such as quadratic, got {self.objective!r}"
            raise TypeError(msg)
        object.__setattr__(self, "sigma", check_hyper("sigma", self.sigma, NON_NEGATIVE))

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """The true loss :math:`f(w)` for points ``w`` of shape ``(..., 2)``."""
        return self.objective(w)

    def grad(self, w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        r""":math:`\nabla f(w) + \sigma \xi` with :math:`\xi` drawn by ``rng``; shape and dtype of ``w``."""
        if not isinstance(rng, np.random.Generator):
            msg = f"rng must be a numpy.random.Generator, got {rng!r}"
            raise TypeError(msg)
        g = self.objective.grad(w)
        hyper_broadcasts("sigma", self.sigma, g.shape)
        noise = rng.standard_normal(g.shape, dtype=g.dtype if g.dtype == np.float32 else None)
        sigma = self.sigma.astype(g.dtype) if isinstance(self.sigma, np.ndarray) else self.sigma
        return (g + sigma * noise).astype(g.dtype, copy=False)

    @property
    def name(self) -> str:
        """The objective's name with ``"noisy_"`` in front, e.g. ``"noisy_quadratic"``."""
        return f"noisy_{self.objective.name}"


def noisy(objective: Objective, sigma: float | np.ndarray) -> NoisyObjective:
    r"""``objective`` with additive Gaussian gradient noise of standard deviation ``sigma``.

    The result's gradient is :math:`\nabla f(w) + \sigma \xi` with :math:`\xi \sim
    \mathcal N(0, I)`, a model of minibatch noise; its value is the true :math:`f(w)`. Pass
    it to :func:`~adam_tutorial.run` with a ``seed``.

    Parameters
    ----------
    objective : Objective
        A 2-D test function, e.g. :data:`quadratic`.
    sigma : float or array_like
        Standard deviation :math:`\sigma \ge 0`, broadcasting against the points.

    Returns
    -------
    NoisyObjective

    Examples
    --------
    Three noise levels, 500 seeds each, as one run:

    >>> import numpy as np
    >>> from adam_tutorial import SGD, run
    >>> sigma = np.array([0.0, 1.0, 4.0])[:, None, None]   # shape (3, 1, 1)
    >>> starts = np.broadcast_to(quadratic.start, (3, 500, 2))
    >>> traj = run(SGD(lr=0.15), noisy(quadratic, sigma), starts, steps=300, seed=1)
    >>> print(np.round(traj.losses[-1].mean(axis=-1), 3))   # mean final loss per level
    [0.    0.194 3.092]
    """
    return NoisyObjective(objective, sigma)


def _split(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = np.asarray(w)
    if w.ndim == 0 or w.shape[-1] != 2:
        msg = f"w must have a last axis of length 2 holding (x, y), got shape {w.shape}"
        raise ValueError(msg)
    return w[..., 0], w[..., 1]


quadratic = Objective(
    name="quadratic",
    formula=r"f(x, y) = 0.1x^2 + 5y^2",
    value=lambda x, y: 0.1 * x**2 + 5 * y**2,
    gradient=lambda x, y: (0.2 * x, 10 * y),
    minima=np.array([[0.0, 0.0]]),
    window=((-12.0, 12.0), (-2.0, 2.0)),
    start=np.array([-10.0, 1.5]),
)
"""The seed's anisotropic bowl :math:`0.1x^2 + 5y^2`: curvature 50 times larger along y."""

_R = np.sqrt(0.5)  # cos 45° = sin 45°

rotated_quadratic = Objective(
    name="rotated_quadratic",
    formula=r"f(x, y) = 0.05(x + y)^2 + 2.5(y - x)^2",
    value=lambda x, y: 0.05 * (x + y) ** 2 + 2.5 * (y - x) ** 2,
    gradient=lambda x, y: (0.1 * (x + y) - 5 * (y - x), 0.1 * (x + y) + 5 * (y - x)),
    minima=np.array([[0.0, 0.0]]),
    window=((-11.0, 11.0), (-11.0, 11.0)),
    start=np.array([_R * (-10.0 - 1.5), _R * (-10.0 + 1.5)]),
)
"""The seed's bowl rotated by 45°, :math:`0.1u^2 + 5v^2` in the rotated coordinates
:math:`u = (x + y)/\\sqrt 2`, :math:`v = (y - x)/\\sqrt 2`: its steep and flat directions are the
diagonals, so every coordinate mixes both. The start is the seed's, rotated."""

rosenbrock = Objective(
    name="rosenbrock",
    formula=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
    value=lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    gradient=lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
    minima=np.array([[1.0, 1.0]]),
    window=((-2.0, 2.0), (-1.0, 3.0)),
    start=np.array([-1.5, 2.0]),
)
"""Rosenbrock's banana valley: easy to reach, slow to follow to its minimum at (1, 1)."""


def _beale_terms(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3


def _beale_value(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    a, b, c = _beale_terms(x, y)
    return a**2 + b**2 + c**2


def _beale_gradient(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b, c = _beale_terms(x, y)
    dx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    dy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return dx, dy


beale = Objective(
    name="beale",
    formula=(r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"),
    value=_beale_value,
    gradient=_beale_gradient,
    minima=np.array([[3.0, 0.5]]),
    window=((-4.5, 4.5), (-4.5, 4.5)),
    start=np.array([1.0, 1.5]),
)
"""Beale's function: flat plateaus and steep walls, minimum 0 at (3, 0.5)."""

saddle = Objective(
    name="saddle",
    formula=r"f(x, y) = x^2 - y^2",
    value=lambda x, y: x**2 - y**2,
    gradient=lambda x, y: (2 * x, -2 * y),
    minima=np.empty((0, 2)),
    window=((-2.0, 2.0), (-2.0, 2.0)),
    start=np.array([-1.5, 1e-3]),
)
"""A saddle at the origin, unbounded below along y: which optimizers escape it, how fast."""

himmelblau = Objective(
    name="himmelblau",
    formula=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    value=lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    gradient=lambda x, y: (
        4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7),
        2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7),
    ),
    minima=np.array(
        [
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286170],
            [3.584428340330492, -1.848126526964404],
        ]
    ),
    window=((-5.0, 5.0), (-5.0, 5.0)),
    start=np.array([0.0, 0.0]),
)
"""Himmelblau's function: four minima of value 0, which one a run finds depends on the path."""

#: Every objective above, by name.
OBJECTIVES: dict[str, Objective] = {
    f.name: f for f in (quadratic, rotated_quadratic, rosenbrock, beale, saddle, himmelblau)
}
