"""Keras' backend functions that MLP tutorials call, on NumPy arrays: ``from neuronet import backend as K``.

Settings: ``clear_session``, ``epsilon``/``set_epsilon``, ``floatx``/``set_floatx``. Values:
``get_value``/``set_value`` (also ``eval``), ``int_shape``. Array helpers for custom metrics written on
arrays: ``mean``, ``sum``, ``max``, ``min``, ``std``, ``var``, ``square``, ``sqrt``, ``abs``, ``clip``,
``exp``, ``log``, ``pow``, ``maximum``, ``minimum``, ``round``, ``argmax``, ``equal``, ``dot``, ``cast``,
``constant``, ``variable``, ``ones_like``, ``zeros_like``, ``flatten`` — each the NumPy function with
Keras' argument names (``axis``, ``keepdims``, ``min_value``, ``max_value``).

    >>> from neuronet import backend as K
    >>> from neuronet.optimizers import Adam
    >>> opt = Adam(learning_rate=0.001)
    >>> K.set_value(opt.lr, 0.01)               # Keras 2 code: changes the optimizer's rate
    >>> K.get_value(opt.learning_rate)
    0.01
    >>> y_true, y_pred = K.constant([1, 0, 1]), K.constant([0.9, 0.4, 0.2])
    >>> float(K.sum(K.round(K.clip(y_true * y_pred, 0, 1))))   # true positives, as tutorials count them
    1.0
"""
from __future__ import annotations

import numpy as np

from neuronet.config import epsilon, floatx, set_epsilon, set_floatx
from neuronet.optimizers.learning_rate import LearningRate
from neuronet.utils import clear_session

__all__ = ["clear_session", "epsilon", "set_epsilon", "floatx", "set_floatx", "get_value", "set_value",
           "eval", "int_shape", "mean", "sum", "max", "min", "std", "var", "square", "sqrt", "abs", "clip",
           "exp", "log", "pow", "maximum", "minimum", "round", "argmax", "equal", "dot", "cast", "constant",
           "variable", "ones_like", "zeros_like", "flatten"]


# ---- values -------------------------------------------------------------------------------------------
def get_value(x):
    """The value of ``x`` as NumPy: a float for an optimizer's rate (``K.get_value(opt.lr)``) or any
    number, an array for an array (a copy, as Keras returns a new array)."""
    if isinstance(x, LearningRate):
        return float(x)
    if isinstance(x, (int, float, np.generic)):
        return x
    if isinstance(x, np.ndarray):
        return x.copy()
    raise TypeError(f"`K.get_value` expects an array, a number or an optimizer's learning rate "
                    f"(optimizer.lr / optimizer.learning_rate); received {type(x).__name__}: {x!r}")


def set_value(x, value):
    """Set ``x`` to ``value``: an optimizer's rate (``K.set_value(model.optimizer.lr, 0.01)``, also with
    ``optimizer.learning_rate``) or an array, filled in place (its shape must match, as in Keras).

    A plain number has no owner to change: read the rate through the optimizer (``optimizer.lr``), or
    assign it directly, ``optimizer.learning_rate = value``."""
    if isinstance(x, LearningRate):
        x.assign(value)
        return
    if isinstance(x, np.ndarray):
        value = np.asarray(value)
        if value.shape != x.shape:
            raise ValueError(f"`K.set_value` needs a value of the variable's shape {x.shape}; received "
                             f"shape {value.shape}.")
        x[...] = value
        return
    raise TypeError(f"`K.set_value` can change an optimizer's learning rate (pass optimizer.lr or "
                    f"optimizer.learning_rate) or a NumPy array in place; received {type(x).__name__}: "
                    f"{x!r}. A plain number cannot be changed in place: set `optimizer.learning_rate = "
                    f"value` instead.")


eval = get_value   # Keras 2's K.eval(x)


def int_shape(x):
    """The shape of an array (or of anything with a ``shape``) as a tuple of ints (None where unknown)."""
    shape = getattr(x, "shape", None)
    if shape is None:
        shape = np.shape(x)
    return tuple(None if d is None else int(d) for d in shape)


# ---- array helpers -------------------------------------------------------------------------------------
def constant(value, dtype=None, shape=None, name=None):
    """An array of ``value`` in ``dtype`` (floatx by default), broadcast to ``shape`` when given."""
    out = np.asarray(value, dtype=dtype or floatx())
    return np.broadcast_to(out, shape).copy() if shape is not None else out


def variable(value, dtype=None, name=None, constraint=None):
    """A writable array copy of ``value`` in ``dtype`` (floatx by default)."""
    return np.array(value, dtype=dtype or floatx())


def cast(x, dtype):
    """``x`` as ``dtype`` (e.g. ``K.cast(K.greater(p, 0.5), 'float32')``)."""
    return np.asarray(x).astype(dtype)


def mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    return np.sum(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return np.max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return np.min(x, axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return np.std(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return np.var(x, axis=axis, keepdims=keepdims)


def clip(x, min_value, max_value):
    """``min(max(x, min_value), max_value)``; Keras treats ``max_value < min_value`` as
    ``max_value = min_value``."""
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return np.clip(x, min_value, max_value)


def argmax(x, axis=-1):
    return np.argmax(x, axis=axis)


def equal(x, y):
    return np.equal(x, y)


def dot(x, y):
    return np.dot(x, y)


def flatten(x):
    return np.reshape(x, -1)


def pow(x, a):  # noqa: A001
    return np.power(x, a)


def round(x):  # noqa: A001 - rounds half to even, as Keras
    return np.round(x)


def sqrt(x):
    """sqrt(max(x, 0)): Keras' backend clips negatives to 0 first, so rounding noise gives 0, not NaN."""
    return np.sqrt(np.maximum(x, 0))


square, abs, exp, log = np.square, np.abs, np.exp, np.log  # noqa: A001
maximum, minimum, ones_like, zeros_like = np.maximum, np.minimum, np.ones_like, np.zeros_like
