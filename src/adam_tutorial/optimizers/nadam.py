"""NAdam (Dozat, 2016), as in ``torch.optim.NAdam``."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, NamedTuple

import numpy as np

from adam_tutorial._checks import NON_NEGATIVE, Interval
from adam_tutorial.optimizers import _fast
from adam_tutorial.optimizers._base import Optimizer, uses
from adam_tutorial.optimizers.adam import Adam

__all__ = ["NAdam", "NAdamState"]


class NAdamState(NamedTuple):
    """The state of :class:`NAdam` after ``t`` steps.

    Attributes
    ----------
    t : int
        How many steps have been taken.
    m, v : numpy.ndarray
        First and second moments, as in :class:`Adam`.
    mu_product : numpy.ndarray
        :math:`\\prod_{i \\le t} \\mu_i`, the product of the momentum schedule so far
        (shaped like ``beta1``: a 0-d array unless ``beta1`` is an array).
    """

    t: int
    m: np.ndarray
    v: np.ndarray
    mu_product: np.ndarray


@dataclasses.dataclass(frozen=True)
class NAdam(Optimizer):
    r"""NAdam: Adam with Nesterov momentum, looking one momentum step ahead.

    With the momentum schedule :math:`\mu_t = \beta_1 (1 - \tfrac12\, 0.96^{t \psi})`
    (:math:`\psi` = ``momentum_decay``):

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat v_t &= \frac{v_t}{1 - \beta_2^t} \\
        w_t &= w_{t-1}
            - \eta\, \frac{1 - \mu_t}{1 - \prod_{i=1}^{t} \mu_i}\,
              \frac{g_t}{\sqrt{\hat v_t} + \epsilon}
            - \eta\, \frac{\mu_{t+1}}{1 - \prod_{i=1}^{t+1} \mu_i}\,
              \frac{m_t}{\sqrt{\hat v_t} + \epsilon}

    This is exactly ``torch.optim.NAdam``. ``weight_decay`` adds :math:`\lambda w_{t-1}` to
    the gradient, or with ``decoupled_weight_decay=True`` multiplies the weights by
    :math:`1 - \eta\lambda` first, as :class:`AdamW` does. Dozat's paper writes the
    schedule's exponent as :math:`t/250`, which is :math:`t\psi` with :math:`\psi = 0.004`.

    Parameters
    ----------
    lr : float or array_like
        :math:`\eta > 0` (default 0.002).
    beta1, beta2 : float or array_like
        In :math:`[0, 1)`.
    eps : float or array_like
        :math:`\epsilon > 0`.
    weight_decay : float or array_like
        :math:`\lambda \ge 0`.
    momentum_decay : float or array_like
        :math:`\psi \ge 0`.
    decoupled_weight_decay : bool
        Decay the weights directly instead of through the gradient.

    Examples
    --------
    >>> import numpy as np
    >>> opt = NAdam(lr=0.1)
    >>> w, state = opt.step(np.zeros(1), np.array([2.0]), opt.init(np.zeros(1)))
    >>> print(np.round(w, 4))   # a little more than lr: the weights of the step add up to > 1
    [-0.1056]
    """

    lr: float | np.ndarray = 2e-3
    beta1: float | np.ndarray = 0.9
    beta2: float | np.ndarray = 0.999
    eps: float | np.ndarray = 1e-8
    weight_decay: float | np.ndarray = 0.0
    momentum_decay: float | np.ndarray = 4e-3
    decoupled_weight_decay: bool = False

    _ranges: ClassVar[dict[str, Interval]] = {**Adam._ranges, "momentum_decay": NON_NEGATIVE}
    _flags = ("decoupled_weight_decay",)
    _state = NAdamState
    _unshaped_state = ("mu_product",)  # shaped like beta1, not like the parameters

    def init(self, params: np.ndarray) -> NAdamState:
        """Return the state before the first step: zero moments, an empty product (1).

        Examples
        --------
        >>> NAdam().init(np.zeros(1))
        NAdamState(t=0, m=array([0.]), v=array([0.]), mu_product=array(1.))
        """
        params = self._check_params(params)
        (beta1,) = self._hyper(params.dtype, "beta1")
        return NAdamState(
            t=0,
            m=np.zeros_like(params),
            v=np.zeros_like(params),
            mu_product=np.ones_like(beta1, dtype=params.dtype),
        )

    def step(
        self, params: np.ndarray, grad: np.ndarray, state: NAdamState
    ) -> tuple[np.ndarray, NAdamState]:
        """Take one step; return the new parameters and state. The inputs are not modified.

        Examples
        --------
        >>> opt = NAdam(lr=0.1)
        >>> w, s = opt.step(np.ones(1), np.array([-1.0]), opt.init(np.ones(1)))
        >>> print(s.t, np.round(s.mu_product, 4))
        1 0.4501
        """
        params, grad = self._prepare(params, grad, state)
        lr, beta1, beta2, eps, weight_decay, psi = self._hyper(
            params.dtype, "lr", "beta1", "beta2", "eps", "weight_decay", "momentum_decay"
        )
        t = state.t + 1
        if uses(weight_decay):
            if self.decoupled_weight_decay:
                params = params * (1 - lr * weight_decay)
            else:
                grad = grad + weight_decay * params
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        mu_product = state.mu_product * mu
        m = beta1 * state.m + (1 - beta1) * grad
        v = beta2 * state.v + (1 - beta2) * grad**2
        denom = np.sqrt(v / (1 - beta2**t)) + eps
        params = (
            params
            - lr * (1 - mu) / (1 - mu_product) * grad / denom
            - lr * mu_next / (1 - mu_product * mu_next) * m / denom
        )
        return params, NAdamState(t, m, v, mu_product)

    def _kernel_call(self, t: int, state: NAdamState) -> _fast.KernelCall:
        """Step `t`'s scalars and options, in the order of the compiled kernel ``_jit.nadam``.

        ``extra`` holds the new ``mu_product``, a scalar of the state's dtype.
        """
        lr, beta1, beta2, eps, weight_decay, psi = (
            self.lr, self.beta1, self.beta2, self.eps, self.weight_decay, self.momentum_decay
        )  # fmt: skip
        decay = uses(weight_decay)
        decoupled = decay and self.decoupled_weight_decay
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        mu_product = state.mu_product * mu
        k_grad = lr * (1 - mu) / (1 - mu_product)
        k_m = lr * mu_next / (1 - mu_product * mu_next)
        scalars = (
            1 - lr * weight_decay, weight_decay, beta1, 1 - beta1, beta2, 1 - beta2,
            1 - beta2**t, eps, k_grad, k_m,
        )  # fmt: skip
        flags = (decoupled, decay and not decoupled)
        return _fast.KernelCall("nadam", (0, 1, 2), scalars, flags, {"mu_product": mu_product})

    def _fast_step(
        self, params: np.ndarray, grad: np.ndarray, state: NAdamState
    ) -> tuple[np.ndarray, NAdamState] | None:
        """:meth:`step`'s operations, in its order, block by block (``_fast``)."""
        if self._fast_dtype(params, grad, state) is None:
            return None
        t = state.t + 1
        call = self._kernel_call(t, state)
        shrink, weight_decay, beta1, c1, beta2, c2, bc2, eps, k_grad, k_m = call.scalars
        decoupled, l2 = call.flags
        mu_product = call.extra["mu_product"]

        def kernel(ins: list, outs: list, s: list) -> None:
            p, g, m, v = ins
            p_out, m_out, v_out = outs
            if decoupled:
                p = np.multiply(p, shrink, out=s[0])
            elif l2:
                g = np.add(g, np.multiply(weight_decay, p, out=s[0]), out=s[0])
            np.add(np.multiply(beta1, m, out=m_out), np.multiply(c1, g, out=s[1]), out=m_out)
            np.square(g, out=s[1])
            np.add(np.multiply(beta2, v, out=v_out), np.multiply(c2, s[1], out=s[1]), out=v_out)
            denom = np.add(np.sqrt(np.divide(v_out, bc2, out=s[1]), out=s[1]), eps, out=s[1])
            step = np.divide(np.multiply(k_grad, g, out=s[2]), denom, out=s[2])
            np.subtract(p, step, out=p_out)
            step = np.divide(np.multiply(k_m, m_out, out=s[2]), denom, out=s[2])
            np.subtract(p_out, step, out=p_out)

        inputs = (params, grad, state.m, state.v)
        outs = _fast.evaluate(kernel, inputs, 3, 3, call)
        if outs is None:
            return None
        return outs[0], NAdamState(t, outs[1], outs[2], mu_product)
