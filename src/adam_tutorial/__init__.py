"""Adam and the adaptive-gradient optimizers in small, pure NumPy, exactly as ``torch.optim``.

>>> import numpy as np
>>> from adam_tutorial import Adam, run
>>> from adam_tutorial.objectives import quadratic
>>> traj = run(Adam(lr=0.3), quadratic, np.array([-10.0, 1.5]), steps=50)
>>> traj.params.shape
(51, 2)
"""

from adam_tutorial import objectives, plotting
from adam_tutorial.optimizers import (
    SGD,
    Adagrad,
    AdagradState,
    Adam,
    Adamax,
    AdamaxState,
    AdamState,
    AdamW,
    NAdam,
    NAdamState,
    Optimizer,
    RMSprop,
    RMSpropState,
    SGDState,
    adam_update,
)
from adam_tutorial.trajectory import Trajectory, run

__version__ = "0.1.0"

__all__ = [
    "SGD",
    "Adagrad",
    "AdagradState",
    "Adam",
    "AdamState",
    "AdamW",
    "Adamax",
    "AdamaxState",
    "NAdam",
    "NAdamState",
    "Optimizer",
    "RMSprop",
    "RMSpropState",
    "SGDState",
    "Trajectory",
    "adam_update",
    "objectives",
    "plotting",
    "run",
]
