"""Optimizers: one file each, with the update equations in the class docstring.

    >>> from neuronet.optimizers import Adam, get
    >>> get("adam")            # doctest: +ELLIPSIS
    Adam(learning_rate=0.001, ...)
"""
from neuronet.registry import Registry
from neuronet.optimizers.base import Optimizer
from neuronet.optimizers.sgd import SGD
from neuronet.optimizers.adam import Adam
from neuronet.optimizers.adamw import AdamW
from neuronet.optimizers.adamax import Adamax
from neuronet.optimizers.nadam import Nadam
from neuronet.optimizers.adagrad import Adagrad
from neuronet.optimizers.adadelta import Adadelta
from neuronet.optimizers.rmsprop import RMSprop
from neuronet.optimizers import schedules

OPTIMIZERS = Registry("optimizer", instantiate=True)
OPTIMIZERS.register(SGD, aliases=("sgd",))
OPTIMIZERS.register(Adam, aliases=("adam",))
OPTIMIZERS.register(AdamW, aliases=("adamw",))
OPTIMIZERS.register(Adamax, aliases=("adamax",))
OPTIMIZERS.register(Nadam, aliases=("nadam",))
OPTIMIZERS.register(Adagrad, aliases=("adagrad",))
OPTIMIZERS.register(Adadelta, aliases=("adadelta",))
OPTIMIZERS.register(RMSprop, aliases=("rmsprop",))


def get(identifier):
    """An Optimizer from a name ('adam'), a config dict, an instance, or a class (the notes' ``Nadam``
    passed uncalled in a Talos parameter grid)."""
    opt = OPTIMIZERS.get(identifier)
    if not isinstance(opt, Optimizer):
        raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. "
                         f"Known: {', '.join(OPTIMIZERS.names())}.")
    return opt


def serialize(optimizer):
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "Adamax", "Nadam", "Adagrad", "Adadelta", "RMSprop",
           "OPTIMIZERS", "get", "serialize", "schedules"]
