"""Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), as in ``torch.optim``."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, NamedTuple

import numpy as np

from adam_tutorial._checks import NON_NEGATIVE, POSITIVE, UNIT, Interval
from adam_tutorial.optimizers import _fast
from adam_tutorial.optimizers._base import Optimizer, bias_correct, uses

__all__ = ["Adam", "AdamState", "AdamW", "adam_update"]


class AdamState(NamedTuple):
    """The state of :class:`Adam` and :class:`AdamW` after ``t`` steps.

    Attributes
    ----------
    t : int
        How many steps have been taken (0 after ``init``).
    m : numpy.ndarray
        First moment: the exponential moving average of the gradients, :math:`m_t`.
    v : numpy.ndarray
        Second moment: the exponential moving average of the squared gradients, :math:`v_t`.
    v_max : numpy.ndarray or None
        With ``amsgrad=True``, the running maximum :math:`v_t^{\\max}` of ``v``; else ``None``.
    """

    t: int
    m: np.ndarray
    v: np.ndarray
    v_max: np.ndarray | None = None


@dataclasses.dataclass(frozen=True)
class Adam(Optimizer):
    r"""Adam: momentum on the gradient, step size scaled per coordinate by its recent size.

    With gradient :math:`g_t` at step :math:`t = 1, 2, \dots` and :math:`m_0 = v_0 = 0`:

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= \frac{m_t}{1 - \beta_1^t}, \qquad
        \hat v_t = \frac{v_t}{1 - \beta_2^t} \\
        w_t &= w_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}

    This is exactly ``torch.optim.Adam``. Two places where PyTorch (and this class) differ
    from Algorithm 1 of the paper: ``weight_decay`` adds :math:`\lambda w_{t-1}` to
    :math:`g_t` first (an L2 penalty, *not* decoupled decay; see :class:`AdamW`), and with
    ``amsgrad=True`` the denominator uses :math:`\hat v_t = v_t^{\max}/(1-\beta_2^t)` with
    :math:`v_t^{\max} = \max(v^{\max}_{t-1}, v_t)`, bias-corrected, where Reddi et al. (2018)
    keep the maximum of the uncorrected :math:`v_t` and do not correct it. The paper writes
    :math:`\alpha` for the step size :math:`\eta` and uses ``lr=0.001``, as here.

    Every numeric hyperparameter may be an array that broadcasts against the parameters, so
    one call runs many settings at once.

    Parameters
    ----------
    lr : float or array_like
        Learning rate :math:`\eta > 0`.
    beta1, beta2 : float or array_like
        Decay rates of the moment averages, in :math:`[0, 1)`.
    eps : float or array_like
        :math:`\epsilon > 0`, added to :math:`\sqrt{\hat v_t}` so the division is safe.
    weight_decay : float or array_like
        L2 penalty :math:`\lambda \ge 0` added to the gradient.
    amsgrad : bool
        Use the running maximum of :math:`v_t` (AMSGrad).
    bias_correction : bool
        Divide by :math:`1 - \beta^t` (the default, as in the paper and PyTorch). ``False``
        uses :math:`m_t` and :math:`v_t` as they are, an ablation for study (like
        ``bias_correction`` of NVIDIA apex's ``FusedAdam``); ``torch.optim.Adam`` has no
        such option.

    Examples
    --------
    >>> import numpy as np
    >>> opt = Adam(lr=0.3)
    >>> w = np.array([-10.0, 1.5])
    >>> state = opt.init(w)
    >>> w1, state = opt.step(w, np.array([-2.0, 15.0]), state)
    >>> print(w1)   # the first step moves every coordinate by lr, against the gradient
    [-9.7  1.2]
    >>> print(state.t, state.m)
    1 [-0.2  1.5]
    """

    lr: float | np.ndarray = 1e-3
    beta1: float | np.ndarray = 0.9
    beta2: float | np.ndarray = 0.999
    eps: float | np.ndarray = 1e-8
    weight_decay: float | np.ndarray = 0.0
    amsgrad: bool = False
    bias_correction: bool = True

    _ranges: ClassVar[dict[str, Interval]] = {
        "lr": POSITIVE,
        "beta1": UNIT,
        "beta2": UNIT,
        "eps": POSITIVE,
        "weight_decay": NON_NEGATIVE,
    }
    _flags = ("amsgrad", "bias_correction")
    _state = AdamState
    #: Decay the weights directly (AdamW) instead of through the gradient (Adam).
    _decoupled: ClassVar[bool] = False

    def init(self, params: np.ndarray) -> AdamState:
        """Return the state before the first step: :math:`t = 0`, :math:`m_0 = v_0 = 0`.

        Examples
        --------
        >>> Adam().init(np.zeros((2, 3), dtype=np.float32)).m.dtype
        dtype('float32')
        """
        params = self._check_params(params)
        return AdamState(
            t=0,
            m=np.zeros_like(params),
            v=np.zeros_like(params),
            v_max=np.zeros_like(params) if self.amsgrad else None,
        )

    def step(
        self, params: np.ndarray, grad: np.ndarray, state: AdamState
    ) -> tuple[np.ndarray, AdamState]:
        """Take one step; return the new parameters and state. The inputs are not modified.

        Examples
        --------
        >>> opt = Adam(lr=0.1)
        >>> w, state = opt.step(np.ones(3), np.array([1.0, -1.0, 0.0]), opt.init(np.ones(3)))
        >>> print(w)
        [0.9 1.1 1. ]
        """
        params, grad = self._prepare(params, grad, state)
        lr, beta1, beta2, eps, weight_decay = self._hyper(
            params.dtype, "lr", "beta1", "beta2", "eps", "weight_decay"
        )
        params, m, v, v_max = adam_update(
            params, grad, state.m, state.v, state.v_max,
            t=state.t + 1, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
            weight_decay=weight_decay, amsgrad=self.amsgrad, decoupled=self._decoupled,
            bias_correction=self.bias_correction,
        )  # fmt: skip
        return params, AdamState(state.t + 1, m, v, v_max)

    def _kernel_call(self, t: int, state: AdamState) -> _fast.KernelCall:
        """Step `t`'s scalars and options, in the order of the compiled kernel ``_jit.adam``."""
        lr, beta1, beta2, eps, weight_decay = (
            self.lr, self.beta1, self.beta2, self.eps, self.weight_decay
        )  # fmt: skip
        decoupled, amsgrad = self._decoupled, self.amsgrad
        l2 = not decoupled and uses(weight_decay)
        scalars = (
            1 - lr * weight_decay, weight_decay, beta1, 1 - beta1, beta2, 1 - beta2,
            1 - beta1**t, 1 - beta2**t, lr, eps,
        )  # fmt: skip
        flags = (decoupled, l2, amsgrad, self.bias_correction)
        return _fast.KernelCall("adam", (0, 1, 2, 3 if amsgrad else None), scalars, flags, {})

    def _fast_step(
        self, params: np.ndarray, grad: np.ndarray, state: AdamState
    ) -> tuple[np.ndarray, AdamState] | None:
        """:func:`adam_update`'s operations, in its order, block by block (``_fast``)."""
        if self._fast_dtype(params, grad, state) is None:
            return None
        t = state.t + 1
        call = self._kernel_call(t, state)
        shrink, weight_decay, beta1, c1, beta2, c2, bc1, bc2, lr, eps = call.scalars
        decoupled, l2, amsgrad, correct = call.flags

        def kernel(ins: list, outs: list, s: list) -> None:
            p, g, m, v, v_max = ins
            p_out, m_out, v_out = outs[:3]
            if decoupled:
                p = np.multiply(p, shrink, out=s[0])
            elif l2:
                g = np.add(g, np.multiply(weight_decay, p, out=s[0]), out=s[0])
            np.add(np.multiply(beta1, m, out=m_out), np.multiply(c1, g, out=s[1]), out=m_out)
            np.square(g, out=s[1])
            np.add(np.multiply(beta2, v, out=v_out), np.multiply(c2, s[1], out=s[1]), out=v_out)
            v_used = np.maximum(v_max, v_out, out=outs[3]) if amsgrad else v_out
            m_hat, v_hat = m_out, v_used
            if correct:
                m_hat = np.divide(m_out, bc1, out=s[1])
                v_hat = np.divide(v_used, bc2, out=s[2])
            denom = np.add(np.sqrt(v_hat, out=s[2]), eps, out=s[2])
            step = np.divide(np.multiply(lr, m_hat, out=s[1]), denom, out=s[1])
            np.subtract(p, step, out=p_out)

        inputs = (params, grad, state.m, state.v, state.v_max)
        outs = _fast.evaluate(kernel, inputs, 4 if amsgrad else 3, 3, call)
        if outs is None:
            return None
        return outs[0], AdamState(t, outs[1], outs[2], outs[3] if amsgrad else None)

    def bias_corrected(self, state: AdamState) -> tuple[np.ndarray, np.ndarray]:
        r"""Return :math:`(\hat m_t, \hat v_t)` for a state, or for states stacked by :func:`run`.

        :math:`\hat v_t` is built from ``v_max`` when ``amsgrad=True``, as in the update.
        At :math:`t = 0` both are 0. With ``bias_correction=False`` the update divides by
        nothing, and so does this: it returns ``m`` and ``v`` (or ``v_max``) as they are.

        Examples
        --------
        >>> opt = Adam(lr=0.3)
        >>> _, state = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.array([1.0])))
        >>> m_hat, v_hat = opt.bias_corrected(state)
        >>> print(m_hat, v_hat)   # after one step they equal g and g**2
        [2.] [4.]
        """
        v = state.v_max if self.amsgrad else state.v
        if not self.bias_correction:
            return state.m, v
        return bias_correct(state.m, self.beta1, state.t), bias_correct(v, self.beta2, state.t)


@dataclasses.dataclass(frozen=True)
class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay, as in ``torch.optim.AdamW``.

    The weights shrink *before* the Adam step, by an amount that does not pass through the
    adaptive denominator:

    .. math::

        w_t' &= w_{t-1} (1 - \eta \lambda) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        w_t &= w_t' - \eta\, \frac{m_t / (1 - \beta_1^t)}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}

    PyTorch (and this class) multiply the decay by the learning rate :math:`\eta`; Loshchilov
    & Hutter (2019) multiply it by a separate schedule multiplier :math:`\eta_t` and write the
    decay rate without :math:`\eta`. The default ``weight_decay`` is 0.01, PyTorch's.

    Parameters
    ----------
    lr, beta1, beta2, eps, amsgrad, bias_correction
        As in :class:`Adam`.
    weight_decay : float or array_like
        Decoupled decay rate :math:`\lambda \ge 0`.

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdamW(lr=0.1, weight_decay=0.5)
    >>> w, state = opt.step(np.array([2.0]), np.array([0.0]), opt.init(np.array([2.0])))
    >>> print(w)   # zero gradient: only the decay acts, 2 * (1 - 0.1 * 0.5)
    [1.9]

    Without decay it is Adam:

    >>> opt = AdamW(lr=0.1, weight_decay=0.0)
    >>> w, _ = opt.step(np.ones(2), np.array([3.0, -3.0]), opt.init(np.ones(2)))
    >>> print(w)
    [0.9 1.1]
    """

    weight_decay: float | np.ndarray = 1e-2

    _decoupled = True


def adam_update(
    params: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    v_max: np.ndarray | None,
    *,
    t: int,
    lr: float | np.ndarray,
    beta1: float | np.ndarray,
    beta2: float | np.ndarray,
    eps: float | np.ndarray,
    weight_decay: float | np.ndarray,
    amsgrad: bool,
    decoupled: bool,
    bias_correction: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    r"""Step ``t`` of Adam (``decoupled=False``) or AdamW (``decoupled=True``), one formula a line.

    The pure function behind :meth:`Adam.step <adam_tutorial.Adam.step>` (of Adam and AdamW
    alike), without its input checks. The hyperparameters are keyword-only. Returns the new
    ``(params, m, v, v_max)``; ``v_max`` is ``None`` unless ``amsgrad``.
    ``bias_correction=False`` skips the division by :math:`1 - \beta^t`.

    Examples
    --------
    >>> import numpy as np
    >>> w, m, v, _ = adam_update(
    ...     np.array([-10.0]), np.array([-2.0]), np.zeros(1), np.zeros(1), None,
    ...     t=1, lr=0.3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
    ...     amsgrad=False, decoupled=False,
    ... )
    >>> print(w, m, v)
    [-9.7] [-0.2] [0.004]
    """
    if decoupled:
        params = params * (1 - lr * weight_decay)  # AdamW: shrink the weights first
    elif uses(weight_decay):
        grad = grad + weight_decay * params  # Adam: L2 penalty through the gradient
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    if amsgrad:
        v_max = np.maximum(v_max, v)
    if bias_correction:
        m_hat = m / (1 - beta1**t)
        v_hat = (v_max if amsgrad else v) / (1 - beta2**t)
    else:  # an ablation for study: the raw averages
        m_hat, v_hat = m, (v_max if amsgrad else v)
    params = params - lr * m_hat / (np.sqrt(v_hat) + eps)
    return params, m, v, v_max
