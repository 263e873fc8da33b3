"""Weight constraints: functions applied to a weight after each optimizer update, ``w <- c(w)`` (Keras).

With n = sqrt(sum over ``axis`` of w^2) (a norm per hidden unit for a Dense kernel, axis=0) and
eps = ``neuronet.backend.epsilon()`` (1e-7):

    MaxNorm(max_value=2, axis=0):      w * clip(n, 0, max_value) / (eps + n)
    NonNeg():                          w * (w >= 0)
    UnitNorm(axis=0):                  w / (eps + n)
    MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0):
                                       w * (rate * clip(n, min_value, max_value) + (1 - rate) * n) / (eps + n)

    >>> import numpy as np
    >>> from neuronet import constraints
    >>> w = constraints.MaxNorm(max_value=1)(np.array([[3.0], [4.0]]))   # the column's norm 5 -> 1
    >>> w.round(6).ravel().tolist()
    [0.6, 0.8]
"""
from __future__ import annotations

import numpy as np

from neuronet.config import epsilon
from neuronet.registry import Registry
from neuronet.utils.validation import check_number

CONSTRAINTS = Registry("constraint", instantiate=True)

__all__ = ["CONSTRAINTS", "Constraint", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm", "max_norm", "non_neg",
           "unit_norm", "min_max_norm", "get", "serialize", "deserialize"]


def _check_axis(axis):
    """An int or a list/tuple of ints (Keras allows both); kept as given for the config."""
    ok = isinstance(axis, (int, np.integer)) and not isinstance(axis, bool) or \
        isinstance(axis, (list, tuple)) and len(axis) > 0 and \
        all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis)
    if not ok:
        raise ValueError(f"Received an invalid value for `axis`, expected an integer or a list of integers. "
                         f"Received: axis={axis!r}")
    return int(axis) if isinstance(axis, (int, np.integer)) else [int(a) for a in axis]


class Constraint:
    """Base class: ``constraint(w)`` returns the constrained weight (a new array of ``w``'s dtype);
    the base constraint returns ``w`` unchanged."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _norms(w, axis):
    """n = sqrt(sum over axis of w^2), kept broadcastable against w."""
    return np.sqrt(np.sum(np.square(w), axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=True))


def _scaled(w, desired, norms):
    """w * desired / (eps + n), in w's dtype."""
    return (w * (desired / (epsilon() + norms))).astype(w.dtype, copy=False)


@CONSTRAINTS.register(name="MaxNorm", aliases=("max_norm", "maxnorm"))
class MaxNorm(Constraint):
    """Each weight vector along ``axis`` (a unit's incoming weights for a Dense kernel) rescaled to norm
    at most ``max_value``: w * clip(n, 0, max_value) / (eps + n) (Srivastava et al.'s max-norm, used with
    dropout)."""

    def __init__(self, max_value=2, axis=0):
        self.max_value = check_number(max_value, "max_value", minimum=0)
        self.axis = _check_axis(axis)

    def __call__(self, w):
        w = np.asarray(w)
        norms = _norms(w, self.axis)
        return _scaled(w, np.clip(norms, 0, self.max_value), norms)

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@CONSTRAINTS.register(name="NonNeg", aliases=("non_neg", "nonneg"))
class NonNeg(Constraint):
    """Negative weights set to 0: w * (w >= 0)."""

    def __call__(self, w):
        w = np.asarray(w)
        return w * (w >= 0)


@CONSTRAINTS.register(name="UnitNorm", aliases=("unit_norm", "unitnorm"))
class UnitNorm(Constraint):
    """Each weight vector along ``axis`` rescaled to norm 1: w / (eps + n)."""

    def __init__(self, axis=0):
        self.axis = _check_axis(axis)

    def __call__(self, w):
        w = np.asarray(w)
        return (w / (epsilon() + _norms(w, self.axis))).astype(w.dtype, copy=False)

    def get_config(self):
        return {"axis": self.axis}


@CONSTRAINTS.register(name="MinMaxNorm", aliases=("min_max_norm",))
class MinMaxNorm(Constraint):
    """Each weight vector's norm moved towards [min_value, max_value]:
    desired = rate * clip(n, min_value, max_value) + (1 - rate) * n;  w * desired / (eps + n).
    ``rate=1`` enforces the bounds at once; a smaller rate moves the norm part of the way each step."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = check_number(min_value, "min_value", minimum=0)
        self.max_value = check_number(max_value, "max_value", minimum=0)
        if self.min_value > self.max_value:
            raise ValueError(f"`min_value` must not exceed `max_value`. Received: min_value={min_value!r}, "
                             f"max_value={max_value!r}")
        self.rate = check_number(rate, "rate", minimum=0)
        self.axis = _check_axis(axis)

    def __call__(self, w):
        w = np.asarray(w)
        norms = _norms(w, self.axis)
        desired = self.rate * np.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return _scaled(w, desired, norms)

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm   # Keras' spellings


def get(identifier):
    """A constraint from None (None), a name ('max_norm', 'NonNeg'), a config dict
    ({'class_name': 'MaxNorm', 'config': {...}}), a Constraint or any callable ``f(w) -> w``."""
    return CONSTRAINTS.get(identifier)


def serialize(constraint):
    """{'class_name': ..., 'config': ...}, or None for None."""
    if constraint is None:
        return None
    if hasattr(constraint, "get_config"):
        return {"class_name": type(constraint).__name__, "config": constraint.get_config()}
    raise ValueError(f"Cannot serialize constraint {constraint!r}: it needs a get_config() method "
                     "(subclass neuronet.constraints.Constraint).")


def deserialize(config):
    """The constraint a serialize() dict (or a name) describes."""
    return CONSTRAINTS.get(config)
