"""Adagrad (Duchi, Hazan & Singer, 2011), as in ``torch.optim.Adagrad``."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, NamedTuple

import numpy as np

from adam_tutorial._checks import NON_NEGATIVE, POSITIVE, Interval
from adam_tutorial.optimizers import _fast
from adam_tutorial.optimizers._base import Optimizer, uses

__all__ = ["Adagrad", "AdagradState"]


class AdagradState(NamedTuple):
    """The state of :class:`Adagrad` after ``t`` steps.

    Attributes
    ----------
    t : int
        How many steps have been taken.
    state_sum : numpy.ndarray
        The running sum of squared gradients (PyTorch's name), :math:`s_t`.
    """

    t: int
    state_sum: np.ndarray


@dataclasses.dataclass(frozen=True)
class Adagrad(Optimizer):
    r"""Adagrad: divide each coordinate's step by the root of its summed squared gradients.

    .. math::

        g_t &\leftarrow g_t + \lambda w_{t-1} \\
        \tilde\eta_t &= \frac{\eta}{1 + (t - 1)\, \delta} \\
        s_t &= s_{t-1} + g_t^2, \qquad s_0 = \text{initial\_accumulator\_value} \\
        w_t &= w_{t-1} - \tilde\eta_t\, \frac{g_t}{\sqrt{s_t} + \epsilon}

    This is exactly ``torch.optim.Adagrad`` (:math:`\delta` = ``lr_decay``,
    :math:`\lambda` = ``weight_decay``). Duchi et al. write the step with the full matrix of
    outer products; this diagonal form is the one everybody uses.

    Parameters
    ----------
    lr : float or array_like
        :math:`\eta > 0`.
    lr_decay : float or array_like
        :math:`\delta \ge 0`.
    weight_decay : float or array_like
        L2 penalty :math:`\lambda \ge 0`.
    initial_accumulator_value : float or array_like
        :math:`s_0 \ge 0`.
    eps : float or array_like
        :math:`\epsilon > 0`.

    Examples
    --------
    >>> import numpy as np
    >>> opt = Adagrad(lr=0.5)
    >>> w, state = opt.step(np.array([1.0, 1.0]), np.array([4.0, -0.1]), opt.init(np.ones(2)))
    >>> print(w)   # the first step has size lr in every coordinate
    [0.5 1.5]
    """

    lr: float | np.ndarray = 1e-2
    lr_decay: float | np.ndarray = 0.0
    weight_decay: float | np.ndarray = 0.0
    initial_accumulator_value: float | np.ndarray = 0.0
    eps: float | np.ndarray = 1e-10

    _ranges: ClassVar[dict[str, Interval]] = {
        "lr": POSITIVE,
        "lr_decay": NON_NEGATIVE,
        "weight_decay": NON_NEGATIVE,
        "initial_accumulator_value": NON_NEGATIVE,
        "eps": POSITIVE,
    }
    _state = AdagradState

    def init(self, params: np.ndarray) -> AdagradState:
        """Return the state before the first step: :math:`s_0` everywhere.

        Examples
        --------
        >>> Adagrad(initial_accumulator_value=0.1).init(np.zeros(2)).state_sum
        array([0.1, 0.1])
        """
        params = self._check_params(params)
        (s0,) = self._hyper(params.dtype, "initial_accumulator_value")
        return AdagradState(t=0, state_sum=np.zeros_like(params) + s0)

    def step(
        self, params: np.ndarray, grad: np.ndarray, state: AdagradState
    ) -> tuple[np.ndarray, AdagradState]:
        """Take one step; return the new parameters and state. The inputs are not modified.

        Examples
        --------
        >>> opt = Adagrad(lr=1.0)
        >>> w, s = opt.step(np.zeros(1), np.array([3.0]), opt.init(np.zeros(1)))
        >>> print(w, s.state_sum)
        [-1.] [9.]
        """
        params, grad = self._prepare(params, grad, state)
        lr, lr_decay, weight_decay, eps = self._hyper(
            params.dtype, "lr", "lr_decay", "weight_decay", "eps"
        )
        t = state.t + 1
        if uses(weight_decay):
            grad = grad + weight_decay * params
        clr = lr / (1 + (t - 1) * lr_decay)
        state_sum = state.state_sum + grad**2
        params = params - clr * grad / (np.sqrt(state_sum) + eps)
        return params, AdagradState(t, state_sum)

    def _kernel_call(self, t: int, state: AdagradState) -> _fast.KernelCall:
        """Step `t`'s scalars and options, in the order of the compiled kernel ``_jit.adagrad``."""
        weight_decay = self.weight_decay
        clr = self.lr / (1 + (t - 1) * self.lr_decay)
        return _fast.KernelCall(
            "adagrad", (0, 1), (weight_decay, clr, self.eps), (uses(weight_decay),), {}
        )

    def _fast_step(
        self, params: np.ndarray, grad: np.ndarray, state: AdagradState
    ) -> tuple[np.ndarray, AdagradState] | None:
        """:meth:`step`'s operations, in its order, block by block (``_fast``)."""
        if self._fast_dtype(params, grad, state) is None:
            return None
        t = state.t + 1
        call = self._kernel_call(t, state)
        weight_decay, clr, eps = call.scalars
        (l2,) = call.flags

        def kernel(ins: list, outs: list, s: list) -> None:
            p, g, state_sum = ins
            if l2:
                g = np.add(g, np.multiply(weight_decay, p, out=s[0]), out=s[0])
            np.add(state_sum, np.square(g, out=s[1]), out=outs[1])
            denom = np.add(np.sqrt(outs[1], out=s[1]), eps, out=s[1])
            step = np.divide(np.multiply(clr, g, out=s[2]), denom, out=s[2])
            np.subtract(p, step, out=outs[0])

        inputs = (params, grad, state.state_sum)
        outs = _fast.evaluate(kernel, inputs, 2, 3, call)
        if outs is None:
            return None
        return outs[0], AdagradState(t, outs[1])
