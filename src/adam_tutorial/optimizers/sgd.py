"""Stochastic gradient descent with (Nesterov) momentum, as in ``torch.optim.SGD``."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, NamedTuple

import numpy as np

from adam_tutorial._checks import NON_NEGATIVE, POSITIVE, UNIT, UNIT_CLOSED, Interval
from adam_tutorial.optimizers import _fast
from adam_tutorial.optimizers._base import Optimizer, uses

__all__ = ["SGD", "SGDState"]


class SGDState(NamedTuple):
    """The state of :class:`SGD` after ``t`` steps.

    Attributes
    ----------
    t : int
        How many steps have been taken.
    b : numpy.ndarray
        The momentum buffer :math:`b_t` (PyTorch's ``momentum_buffer``); zeros while unused.
    """

    t: int
    b: np.ndarray


@dataclasses.dataclass(frozen=True)
class SGD(Optimizer):
    r"""Gradient descent, optionally with heavy-ball or Nesterov momentum.

    With :math:`\mu` = ``momentum``, :math:`\tau` = ``dampening``, :math:`\lambda` =
    ``weight_decay``:

    .. math::

        g_t &\leftarrow g_t + \lambda w_{t-1} \\
        b_t &= \begin{cases} g_t & t = 1 \\
               \mu b_{t-1} + (1 - \tau)\, g_t & t > 1 \end{cases} \\
        d_t &= \begin{cases} g_t + \mu b_t & \text{nesterov} \\ b_t & \text{otherwise}
               \end{cases} \\
        w_t &= w_{t-1} - \eta\, d_t

    With ``momentum=0``, :math:`d_t = g_t`. This is exactly ``torch.optim.SGD``. It differs
    from Polyak's heavy ball and Sutskever et al.'s form, which put :math:`\eta` inside the
    buffer (:math:`b_t = \mu b_{t-1} + \eta g_t`); the two agree while :math:`\eta` is constant.

    Parameters
    ----------
    lr : float or array_like
        Learning rate :math:`\eta > 0`. PyTorch's default is 0.001.
    momentum : float or array_like
        :math:`\mu \in [0, 1)`.
    dampening : float or array_like
        :math:`\tau \in [0, 1]`.
    weight_decay : float or array_like
        L2 penalty :math:`\lambda \ge 0`.
    nesterov : bool
        Nesterov momentum; needs ``momentum > 0`` and ``dampening == 0``.

    Examples
    --------
    >>> import numpy as np
    >>> opt = SGD(lr=0.1, momentum=0.9)
    >>> w, state = np.array([1.0]), opt.init(np.array([1.0]))
    >>> for _ in range(2):
    ...     w, state = opt.step(w, np.array([1.0]), state)
    >>> print(w, state.b)   # steps of 0.1, then 0.1 * (0.9 + 1)
    [0.71] [1.9]
    """

    lr: float | np.ndarray = 1e-3
    momentum: float | np.ndarray = 0.0
    dampening: float | np.ndarray = 0.0
    weight_decay: float | np.ndarray = 0.0
    nesterov: bool = False

    _ranges: ClassVar[dict[str, Interval]] = {
        "lr": POSITIVE,
        "momentum": UNIT,
        "dampening": UNIT_CLOSED,
        "weight_decay": NON_NEGATIVE,
    }
    _flags = ("nesterov",)
    _state = SGDState

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.nesterov and (not np.all(np.asarray(self.momentum) > 0) or uses(self.dampening)):
            msg = "nesterov=True needs momentum > 0 and dampening == 0"
            raise ValueError(msg)

    def init(self, params: np.ndarray) -> SGDState:
        """Return the state before the first step (an empty momentum buffer).

        Examples
        --------
        >>> SGD().init(np.zeros(2))
        SGDState(t=0, b=array([0., 0.]))
        """
        params = self._check_params(params)
        return SGDState(t=0, b=np.zeros_like(params))

    def step(
        self, params: np.ndarray, grad: np.ndarray, state: SGDState
    ) -> tuple[np.ndarray, SGDState]:
        """Take one step; return the new parameters and state. The inputs are not modified.

        Examples
        --------
        >>> opt = SGD(lr=0.5)
        >>> w, _ = opt.step(np.array([1.0, 2.0]), np.array([2.0, 2.0]), opt.init(np.zeros(2)))
        >>> print(w)
        [0. 1.]
        """
        params, grad = self._prepare(params, grad, state)
        lr, momentum, dampening, weight_decay = self._hyper(
            params.dtype, "lr", "momentum", "dampening", "weight_decay"
        )
        t = state.t + 1
        if uses(weight_decay):
            grad = grad + weight_decay * params
        b = state.b
        if uses(momentum):
            b = grad if t == 1 else momentum * state.b + (1 - dampening) * grad
            direction = grad + momentum * b if self.nesterov else b
            # a batch may mix momentum 0 (plain SGD) with momentum > 0
            grad = np.where(momentum == 0, grad, direction) if np.ndim(momentum) else direction
        params = params - lr * grad
        return params, SGDState(t, b)

    def _kernel_call(self, t: int, state: SGDState) -> _fast.KernelCall:
        """Step `t`'s scalars and options, in the order of the compiled kernel ``_jit.sgd``."""
        momentum, weight_decay = self.momentum, self.weight_decay
        heavy_ball = uses(momentum)
        scalars = (weight_decay, momentum, 1 - self.dampening, self.lr)
        flags = (uses(weight_decay), heavy_ball, t == 1, self.nesterov)
        return _fast.KernelCall("sgd", (0, 1 if heavy_ball else None), scalars, flags, {})

    def _fast_step(
        self, params: np.ndarray, grad: np.ndarray, state: SGDState
    ) -> tuple[np.ndarray, SGDState] | None:
        """:meth:`step`'s operations, in its order, block by block (``_fast``)."""
        if self._fast_dtype(params, grad, state) is None:
            return None
        t = state.t + 1
        call = self._kernel_call(t, state)
        weight_decay, momentum, damped, lr = call.scalars
        l2, heavy_ball, _, nesterov = call.flags

        def kernel(ins: list, outs: list, s: list) -> None:
            p, g, b = ins
            if l2:
                g = np.add(g, np.multiply(weight_decay, p, out=s[0]), out=s[0])
            if heavy_ball:
                b_out = outs[1]
                if t == 1:
                    np.copyto(b_out, g)
                else:
                    np.multiply(momentum, b, out=b_out)
                    np.add(b_out, np.multiply(damped, g, out=s[1]), out=b_out)
                if nesterov:
                    g = np.add(g, np.multiply(momentum, b_out, out=s[1]), out=s[1])
                else:
                    g = b_out
            np.subtract(p, np.multiply(lr, g, out=s[1]), out=outs[0])

        n_out = 2 if heavy_ball else 1
        outs = _fast.evaluate(kernel, (params, grad, state.b), n_out, 2, call)
        if outs is None:
            return None
        return outs[0], SGDState(t, outs[1] if heavy_ball else state.b)
