"""The optional JIT kernels (numba, ``pip install adam-tutorial[fast]``) of the fast path.

One loop per optimizer over a block: each element is read once, updated with the same
operations in the same order as the readable ``step`` and written once, so the results are bit
for bit the same. The scalars come in already cast to the parameters' dtype, as NumPy casts a
Python float when it meets a float32 array; ``error_model="numpy"`` lets division by zero give
inf as NumPy does (and lets the loop vectorise); no ``fastmath``, so nothing is reordered or
fused. Each kernel also checks that the block's parameters and gradient are finite and returns
``False`` if not. One difference from NumPy: a compiled loop emits no ``RuntimeWarning`` on
overflow (the values are the same, inf included). Used through ``_fast.jit()``, which returns
``None`` when numba is not installed.
"""

from __future__ import annotations

import math

import numpy as np

try:
    import numba
except ImportError:  # without the extra: plain functions, which _fast.jit() never hands out
    numba = None

__all__ = ["adagrad", "adam", "adamax", "nadam", "rmsprop", "sgd"]

jit = (lambda f: f) if numba is None else numba.njit(nogil=True, error_model="numpy", cache=True)


@jit
def _maximum(a, b):
    return a if (a >= b or math.isnan(a)) else b


@jit
def adam(p, g, m, v, v_max, p_out, m_out, v_out, v_max_out, shrink, weight_decay,
         beta1, c1, beta2, c2, bc1, bc2, lr, eps, decoupled, l2, amsgrad, correct):  # fmt: skip
    ok = True
    for i in range(p.shape[0]):
        pi, gi = p[i], g[i]
        ok &= math.isfinite(pi) & math.isfinite(gi)
        if decoupled:
            pi = pi * shrink
        elif l2:
            gi = gi + weight_decay * pi
        mi = beta1 * m[i] + c1 * gi
        vi = beta2 * v[i] + c2 * (gi * gi)
        m_out[i], v_out[i] = mi, vi
        if amsgrad:
            vi = _maximum(v_max[i], vi)
            v_max_out[i] = vi
        if correct:
            mi, vi = mi / bc1, vi / bc2
        p_out[i] = pi - lr * mi / (np.sqrt(vi) + eps)
    return ok


@jit
def sgd(p, g, b, p_out, b_out, weight_decay, momentum, damped, lr,
        l2, heavy_ball, first, nesterov):  # fmt: skip
    ok = True
    for i in range(p.shape[0]):
        pi, gi = p[i], g[i]
        ok &= math.isfinite(pi) & math.isfinite(gi)
        if l2:
            gi = gi + weight_decay * pi
        if heavy_ball:
            bi = gi if first else momentum * b[i] + damped * gi
            b_out[i] = bi
            gi = gi + momentum * bi if nesterov else bi
        p_out[i] = pi - lr * gi
    return ok


@jit
def adagrad(p, g, s, p_out, s_out, weight_decay, clr, eps, l2):
    ok = True
    for i in range(p.shape[0]):
        pi, gi = p[i], g[i]
        ok &= math.isfinite(pi) & math.isfinite(gi)
        if l2:
            gi = gi + weight_decay * pi
        si = s[i] + gi * gi
        s_out[i] = si
        p_out[i] = pi - clr * gi / (np.sqrt(si) + eps)
    return ok


@jit
def rmsprop(p, g, v, g_avg, b, p_out, v_out, g_avg_out, b_out, weight_decay, alpha, c,
            eps, momentum, lr, zero, l2, centered, heavy_ball):  # fmt: skip
    ok = True
    for i in range(p.shape[0]):
        pi, gi = p[i], g[i]
        ok &= math.isfinite(pi) & math.isfinite(gi)
        if l2:
            gi = gi + weight_decay * pi
        vi = alpha * v[i] + c * (gi * gi)
        v_out[i] = vi
        if centered:
            ai = alpha * g_avg[i] + c * gi
            g_avg_out[i] = ai
            denom = np.sqrt(_maximum(vi - ai * ai, zero)) + eps
        else:
            denom = np.sqrt(vi) + eps
        if heavy_ball:
            bi = momentum * b[i] + gi / denom
            b_out[i] = bi
            p_out[i] = pi - lr * bi
        else:
            p_out[i] = pi - lr * gi / denom
    return ok


@jit
def adamax(p, g, m, u, p_out, m_out, u_out, weight_decay, beta1, c1, beta2, eps, clr, l2):
    ok = True
    for i in range(p.shape[0]):
        pi, gi = p[i], g[i]
        ok &= math.isfinite(pi) & math.isfinite(gi)
        if l2:
            gi = gi + weight_decay * pi
        mi = beta1 * m[i] + c1 * gi
        ui = _maximum(beta2 * u[i], abs(gi) + eps)
        m_out[i], u_out[i] = mi, ui
        p_out[i] = pi - clr * mi / ui
    return ok


@jit
def nadam(p, g, m, v, p_out, m_out, v_out, shrink, weight_decay, beta1, c1, beta2, c2,
          bc2, eps, k_grad, k_m, decoupled, l2):  # fmt: skip
    ok = True
    for i in range(p.shape[0]):
        pi, gi = p[i], g[i]
        ok &= math.isfinite(pi) & math.isfinite(gi)
        if decoupled:
            pi = pi * shrink
        elif l2:
            gi = gi + weight_decay * pi
        mi = beta1 * m[i] + c1 * gi
        vi = beta2 * v[i] + c2 * (gi * gi)
        m_out[i], v_out[i] = mi, vi
        denom = np.sqrt(vi / bc2) + eps
        p_out[i] = pi - k_grad * gi / denom - k_m * mi / denom
    return ok
