"""The optimizers under test, one registry for every test that says "every optimizer".

``CLASSES`` is taken from the package: every :class:`~adam_tutorial.optimizers.Optimizer`
subclass that ``adam_tutorial.optimizers.__all__`` exports, so a new optimizer is under test
as soon as it is exported. ``CONFIGURED`` holds one instance of each with its options on (every
state field in use); ``test_properties.py`` fails until a new class has one here, and
``test_golden.py`` until it has torch golden trajectories (``tests/data/torch_cases.json``,
recorded by ``scripts/record_torch_goldens.py``).
"""

import dataclasses
import inspect

from adam_tutorial import optimizers
from adam_tutorial.optimizers import SGD, Adagrad, Adam, Adamax, AdamW, NAdam, Optimizer, RMSprop

#: Class name -> class, in the order of ``adam_tutorial.optimizers.__all__``.
CLASSES = {
    name: obj
    for name in optimizers.__all__
    if inspect.isclass(obj := getattr(optimizers, name))
    and issubclass(obj, Optimizer)
    and obj is not Optimizer
}

#: Class name -> one instance with every option and state field in use.
CONFIGURED = {
    "SGD": SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adagrad": Adagrad(lr=0.1, lr_decay=0.01, weight_decay=0.01),
    "RMSprop": RMSprop(lr=0.01, momentum=0.5, centered=True, weight_decay=0.01),
    "Adam": Adam(lr=0.1, amsgrad=True, weight_decay=0.01),
    "AdamW": AdamW(lr=0.1),
    "Adamax": Adamax(lr=0.1, weight_decay=0.01),
    "NAdam": NAdam(lr=0.1, weight_decay=0.01, decoupled_weight_decay=True),
}


def taking(hyperparameter: str) -> list[type[Optimizer]]:
    """The classes that take `hyperparameter` (a dataclass field), e.g. every one with ``eps``."""
    return [
        cls
        for cls in CLASSES.values()
        if hyperparameter in {field.name for field in dataclasses.fields(cls)}
    ]


def flags() -> list[tuple[type[Optimizer], str]]:
    """``(class, name)`` of every boolean option (a field whose default is a bool)."""
    return [
        (cls, field.name)
        for cls in CLASSES.values()
        for field in dataclasses.fields(cls)
        if isinstance(field.default, bool)
    ]


#: Every optimizer with its options on (CONFIGURED), and with each one's defaults and variants.
VARIANTS = {
    **CONFIGURED,
    **{f"{name}-default": type(opt)() for name, opt in CONFIGURED.items()},
    "SGD-plain": SGD(lr=0.1),
    "SGD-damped": SGD(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.1),
    "RMSprop-momentum": RMSprop(momentum=0.9),
    "RMSprop-centered": RMSprop(centered=True),
    "Adam-no-bias-correction": Adam(lr=0.1, bias_correction=False, amsgrad=True),
    "Adam-l2": Adam(lr=0.1, weight_decay=0.1),
    "AdamW-amsgrad": AdamW(lr=0.1, amsgrad=True, weight_decay=0.3),
    "NAdam-l2": NAdam(lr=0.1, weight_decay=0.1),
    "Adamax-l2": Adamax(weight_decay=0.5),
    "Adagrad-decay": Adagrad(lr=0.5, lr_decay=0.1, initial_accumulator_value=0.2),
}
