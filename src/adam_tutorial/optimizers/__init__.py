"""The optimizers, one small module per algorithm, each exactly as in ``torch.optim``."""

from adam_tutorial.optimizers._base import Optimizer
from adam_tutorial.optimizers._fast import get_threads, set_threads
from adam_tutorial.optimizers.adagrad import Adagrad, AdagradState
from adam_tutorial.optimizers.adam import Adam, AdamState, AdamW, adam_update
from adam_tutorial.optimizers.adamax import Adamax, AdamaxState
from adam_tutorial.optimizers.nadam import NAdam, NAdamState
from adam_tutorial.optimizers.rmsprop import RMSprop, RMSpropState
from adam_tutorial.optimizers.sgd import SGD, SGDState

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
    "adam_update",
    "get_threads",
    "set_threads",
]
