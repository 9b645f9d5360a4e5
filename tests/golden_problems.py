"""The two problems the golden trajectories were recorded on (shared by the recorder and tests).

Kept free of torch and of the package under test: plain NumPy on plain arrays.
"""

import numpy as np

#: name -> (w0, gradient function)
PROBLEMS = {}


def _quadratic_grad(w):
    return np.array([0.2, 10.0]) * w


def _matrix_grad(w):
    c = np.linspace(0.1, 5.0, w.size).reshape(w.shape)
    return c * w + 0.3 * np.sin(2.0 * w)


PROBLEMS["vector"] = (np.array([-10.0, 1.5]), _quadratic_grad)
PROBLEMS["matrix"] = (np.linspace(-2.0, 2.0, 12).reshape(3, 4) + 0.1, _matrix_grad)
