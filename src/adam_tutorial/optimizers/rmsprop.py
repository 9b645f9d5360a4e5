"""RMSprop (Tieleman & Hinton, 2012), as in ``torch.optim.RMSprop``."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, NamedTuple

import numpy as np

from adam_tutorial._checks import NON_NEGATIVE, POSITIVE, UNIT, Interval
from adam_tutorial.optimizers import _fast
from adam_tutorial.optimizers._base import Optimizer, uses

__all__ = ["RMSprop", "RMSpropState"]


class RMSpropState(NamedTuple):
    """The state of :class:`RMSprop` after ``t`` steps.

    Attributes
    ----------
    t : int
        How many steps have been taken.
    v : numpy.ndarray
        The moving average of squared gradients, :math:`v_t`.
    g_avg : numpy.ndarray or None
        With ``centered=True``, the moving average of gradients :math:`\\bar g_t`; else None.
    b : numpy.ndarray or None
        With ``momentum > 0``, the momentum buffer :math:`b_t`; else None.
    """

    t: int
    v: np.ndarray
    g_avg: np.ndarray | None = None
    b: np.ndarray | None = None


@dataclasses.dataclass(frozen=True)
class RMSprop(Optimizer):
    r"""RMSprop: divide the step by a moving root-mean-square of recent gradients.

    With :math:`\alpha` = ``alpha`` (the smoothing constant), :math:`v_0 = \bar g_0 = b_0 = 0`:

    .. math::

        g_t &\leftarrow g_t + \lambda w_{t-1} \\
        v_t &= \alpha v_{t-1} + (1 - \alpha)\, g_t^2 \\
        \tilde v_t &= \begin{cases} v_t - \bar g_t^2, \quad
            \bar g_t = \alpha \bar g_{t-1} + (1 - \alpha)\, g_t & \text{centered} \\
            v_t & \text{otherwise} \end{cases} \\
        b_t &= \mu b_{t-1} + \frac{g_t}{\sqrt{\tilde v_t} + \epsilon}, \qquad
        w_t = w_{t-1} - \eta\, b_t

    With ``momentum=0`` the last line is :math:`w_t = w_{t-1} - \eta\, g_t /
    (\sqrt{\tilde v_t} + \epsilon)`. This is exactly ``torch.optim.RMSprop``: note that
    :math:`\epsilon` is added *outside* the square root (Hinton's slides put no
    :math:`\epsilon`; TensorFlow adds it inside) and there is no bias correction, so early
    steps are large while :math:`v_t` is still near 0.

    Parameters
    ----------
    lr : float or array_like
        :math:`\eta > 0`.
    alpha : float or array_like
        Smoothing constant :math:`\alpha \in [0, 1)`.
    eps : float or array_like
        :math:`\epsilon > 0`.
    weight_decay : float or array_like
        L2 penalty :math:`\lambda \ge 0`.
    momentum : float or array_like
        :math:`\mu \in [0, 1)`.
    centered : bool
        Subtract the squared mean gradient: divide by an estimate of the variance.

    Examples
    --------
    >>> import numpy as np
    >>> opt = RMSprop(lr=0.01)
    >>> w, state = opt.step(np.zeros(2), np.array([1.0, -1.0]), opt.init(np.zeros(2)))
    >>> print(np.round(w, 4))   # 0.01 / sqrt(0.01): the first step is 10x lr
    [-0.1  0.1]
    """

    lr: float | np.ndarray = 1e-2
    alpha: float | np.ndarray = 0.99
    eps: float | np.ndarray = 1e-8
    weight_decay: float | np.ndarray = 0.0
    momentum: float | np.ndarray = 0.0
    centered: bool = False

    _ranges: ClassVar[dict[str, Interval]] = {
        "lr": POSITIVE,
        "alpha": UNIT,
        "eps": POSITIVE,
        "weight_decay": NON_NEGATIVE,
        "momentum": UNIT,
    }
    _flags = ("centered",)
    _state = RMSpropState

    def init(self, params: np.ndarray) -> RMSpropState:
        """Return the state before the first step.

        Examples
        --------
        >>> RMSprop(momentum=0.9).init(np.zeros(1))
        RMSpropState(t=0, v=array([0.]), g_avg=None, b=array([0.]))
        """
        params = self._check_params(params)
        return RMSpropState(
            t=0,
            v=np.zeros_like(params),
            g_avg=np.zeros_like(params) if self.centered else None,
            b=np.zeros_like(params) if uses(self.momentum) else None,
        )

    def step(
        self, params: np.ndarray, grad: np.ndarray, state: RMSpropState
    ) -> tuple[np.ndarray, RMSpropState]:
        """Take one step; return the new parameters and state. The inputs are not modified.

        Examples
        --------
        >>> opt = RMSprop(lr=0.1, alpha=0.0)
        >>> w, _ = opt.step(np.ones(1), np.array([5.0]), opt.init(np.ones(1)))
        >>> print(np.round(w, 6))   # alpha=0: divide by |g|, a sign step of size lr
        [0.9]
        """
        params, grad = self._prepare(params, grad, state)
        lr, alpha, eps, weight_decay, momentum = self._hyper(
            params.dtype, "lr", "alpha", "eps", "weight_decay", "momentum"
        )
        t = state.t + 1
        if uses(weight_decay):
            grad = grad + weight_decay * params
        v = alpha * state.v + (1 - alpha) * grad**2
        g_avg, b = None, None
        if self.centered:
            g_avg = alpha * state.g_avg + (1 - alpha) * grad
            denom = np.sqrt(np.maximum(v - g_avg**2, 0)) + eps
        else:
            denom = np.sqrt(v) + eps
        if uses(momentum):
            b = momentum * state.b + grad / denom
            params = params - lr * b
        else:
            params = params - lr * grad / denom
        return params, RMSpropState(t, v, g_avg, b)

    def _kernel_call(self, t: int, state: RMSpropState) -> _fast.KernelCall:
        """Step `t`'s scalars and options, in the order of the compiled kernel ``_jit.rmsprop``."""
        alpha, momentum, weight_decay = self.alpha, self.momentum, self.weight_decay
        centered, heavy_ball = self.centered, uses(momentum)
        n_out = 2 + centered + heavy_ball
        slots = (0, 1, 2 if centered else None, n_out - 1 if heavy_ball else None)
        scalars = (weight_decay, alpha, 1 - alpha, self.eps, momentum, self.lr, 0.0)
        flags = (uses(weight_decay), centered, heavy_ball)
        return _fast.KernelCall("rmsprop", slots, scalars, flags, {})

    def _fast_step(
        self, params: np.ndarray, grad: np.ndarray, state: RMSpropState
    ) -> tuple[np.ndarray, RMSpropState] | None:
        """:meth:`step`'s operations, in its order, block by block (``_fast``)."""
        if self._fast_dtype(params, grad, state) is None:
            return None
        t = state.t + 1
        call = self._kernel_call(t, state)
        weight_decay, alpha, c, eps, momentum, lr, _ = call.scalars
        l2, centered, heavy_ball = call.flags

        def kernel(ins: list, outs: list, s: list) -> None:
            p, g, v, g_avg, b = ins
            v_out = outs[1]
            if l2:
                g = np.add(g, np.multiply(weight_decay, p, out=s[0]), out=s[0])
            np.multiply(alpha, v, out=v_out)
            np.add(v_out, np.multiply(c, np.square(g, out=s[1]), out=s[1]), out=v_out)
            if centered:
                g_avg_out = outs[2]
                np.multiply(alpha, g_avg, out=g_avg_out)
                np.add(g_avg_out, np.multiply(c, g, out=s[1]), out=g_avg_out)
                var = np.subtract(v_out, np.square(g_avg_out, out=s[1]), out=s[1])
                denom = np.add(np.sqrt(np.maximum(var, 0, out=s[1]), out=s[1]), eps, out=s[1])
            else:
                denom = np.add(np.sqrt(v_out, out=s[1]), eps, out=s[1])
            if heavy_ball:
                b_out = outs[-1]
                np.multiply(momentum, b, out=b_out)
                np.add(b_out, np.divide(g, denom, out=s[2]), out=b_out)
                np.subtract(p, np.multiply(lr, b_out, out=s[2]), out=outs[0])
            else:
                step = np.divide(np.multiply(lr, g, out=s[2]), denom, out=s[2])
                np.subtract(p, step, out=outs[0])

        inputs = (params, grad, state.v, state.g_avg, state.b)
        n_out = 2 + centered + heavy_ball
        outs = _fast.evaluate(kernel, inputs, n_out, 3, call)
        if outs is None:
            return None
        g_avg = outs[2] if centered else None
        return outs[0], RMSpropState(t, outs[1], g_avg, outs[-1] if heavy_ball else None)
