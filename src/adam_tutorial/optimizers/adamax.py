"""Adamax (Kingma & Ba, 2015, section 7.1), as in ``torch.optim.Adamax``."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, NamedTuple

import numpy as np

from adam_tutorial._checks import Interval
from adam_tutorial.optimizers import _fast
from adam_tutorial.optimizers._base import Optimizer, uses
from adam_tutorial.optimizers.adam import Adam

__all__ = ["Adamax", "AdamaxState"]


class AdamaxState(NamedTuple):
    """The state of :class:`Adamax` after ``t`` steps.

    Attributes
    ----------
    t : int
        How many steps have been taken.
    m : numpy.ndarray
        First moment :math:`m_t`, as in :class:`Adam`.
    u : numpy.ndarray
        The exponentially weighted infinity norm :math:`u_t` (PyTorch's ``exp_inf``).
    """

    t: int
    m: np.ndarray
    u: np.ndarray


@dataclasses.dataclass(frozen=True)
class Adamax(Optimizer):
    r"""Adamax: Adam with the root-mean-square replaced by a decaying maximum.

    .. math::

        g_t &\leftarrow g_t + \lambda w_{t-1} \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        u_t &= \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \\
        w_t &= w_{t-1} - \frac{\eta}{1 - \beta_1^t}\, \frac{m_t}{u_t}

    This is exactly ``torch.optim.Adamax``. The paper's Algorithm 2 takes
    :math:`u_t = \max(\beta_2 u_{t-1}, |g_t|)` and has no :math:`\epsilon`; PyTorch adds
    :math:`\epsilon` inside the maximum so that :math:`u_t > 0`.

    Parameters
    ----------
    lr : float or array_like
        :math:`\eta > 0` (default 0.002, the paper's).
    beta1, beta2 : float or array_like
        In :math:`[0, 1)`.
    eps : float or array_like
        :math:`\epsilon > 0`.
    weight_decay : float or array_like
        L2 penalty :math:`\lambda \ge 0`.

    Examples
    --------
    >>> import numpy as np
    >>> opt = Adamax(lr=0.1)
    >>> w, state = opt.step(np.zeros(2), np.array([3.0, -0.5]), opt.init(np.zeros(2)))
    >>> print(np.round(w, 6))   # the first step has size lr, like Adam's
    [-0.1  0.1]
    """

    lr: float | np.ndarray = 2e-3
    beta1: float | np.ndarray = 0.9
    beta2: float | np.ndarray = 0.999
    eps: float | np.ndarray = 1e-8
    weight_decay: float | np.ndarray = 0.0

    _ranges: ClassVar[dict[str, Interval]] = Adam._ranges  # Adam's, in the same intervals
    _state = AdamaxState

    def init(self, params: np.ndarray) -> AdamaxState:
        """Return the state before the first step: :math:`m_0 = u_0 = 0`.

        Examples
        --------
        >>> Adamax().init(np.zeros(1))
        AdamaxState(t=0, m=array([0.]), u=array([0.]))
        """
        params = self._check_params(params)
        return AdamaxState(t=0, m=np.zeros_like(params), u=np.zeros_like(params))

    def step(
        self, params: np.ndarray, grad: np.ndarray, state: AdamaxState
    ) -> tuple[np.ndarray, AdamaxState]:
        """Take one step; return the new parameters and state. The inputs are not modified.

        Examples
        --------
        >>> opt = Adamax(lr=0.5, beta1=0.0)
        >>> w, s = opt.step(np.ones(1), np.array([-2.0]), opt.init(np.ones(1)))
        >>> print(np.round(w, 6), s.u)
        [1.5] [2.]
        """
        params, grad = self._prepare(params, grad, state)
        lr, beta1, beta2, eps, weight_decay = self._hyper(
            params.dtype, "lr", "beta1", "beta2", "eps", "weight_decay"
        )
        t = state.t + 1
        if uses(weight_decay):
            grad = grad + weight_decay * params
        m = beta1 * state.m + (1 - beta1) * grad
        u = np.maximum(beta2 * state.u, np.abs(grad) + eps)
        params = params - lr / (1 - beta1**t) * m / u
        return params, AdamaxState(t, m, u)

    def _kernel_call(self, t: int, state: AdamaxState) -> _fast.KernelCall:
        """Step `t`'s scalars and options, in the order of the compiled kernel ``_jit.adamax``."""
        beta1, weight_decay = self.beta1, self.weight_decay
        clr = self.lr / (1 - beta1**t)
        scalars = (weight_decay, beta1, 1 - beta1, self.beta2, self.eps, clr)
        return _fast.KernelCall("adamax", (0, 1, 2), scalars, (uses(weight_decay),), {})

    def _fast_step(
        self, params: np.ndarray, grad: np.ndarray, state: AdamaxState
    ) -> tuple[np.ndarray, AdamaxState] | None:
        """:meth:`step`'s operations, in its order, block by block (``_fast``)."""
        if self._fast_dtype(params, grad, state) is None:
            return None
        t = state.t + 1
        call = self._kernel_call(t, state)
        weight_decay, beta1, c1, beta2, eps, clr = call.scalars
        (l2,) = call.flags

        def kernel(ins: list, outs: list, s: list) -> None:
            p, g, m, u = ins
            p_out, m_out, u_out = outs
            if l2:
                g = np.add(g, np.multiply(weight_decay, p, out=s[0]), out=s[0])
            np.add(np.multiply(beta1, m, out=m_out), np.multiply(c1, g, out=s[1]), out=m_out)
            abs_g = np.add(np.abs(g, out=s[1]), eps, out=s[1])
            np.maximum(np.multiply(beta2, u, out=u_out), abs_g, out=u_out)
            step = np.divide(np.multiply(clr, m_out, out=s[1]), u_out, out=s[1])
            np.subtract(p, step, out=p_out)

        inputs = (params, grad, state.m, state.u)
        outs = _fast.evaluate(kernel, inputs, 3, 2, call)
        if outs is None:
            return None
        return outs[0], AdamaxState(t, outs[1], outs[2])
