"""Adam and the adaptive-gradient optimizers in small, pure NumPy, exactly as ``torch.optim``.

>>> import numpy as np
>>> from adam_tutorial import Adam, run
>>> from adam_tutorial.objectives import quadratic
>>> traj = run(Adam(lr=0.3), quadratic, np.array([-10.0, 1.5]), steps=50)
>>> traj.params.shape
(51, 2)
"""

from importlib.metadata import version

from adam_tutorial import data, models, objectives, optimizers, plotting, schedules, tuning
from adam_tutorial.optimizers import *  # the names in optimizers.__all__
from adam_tutorial.trajectory import Trajectory, run

#: The version in the package metadata (``pyproject.toml``).
__version__ = version("adam-tutorial")

__all__ = [
    "Trajectory",
    "data",
    "models",
    "objectives",
    "plotting",
    "run",
    "schedules",
    "tuning",
]
__all__ += optimizers.__all__
