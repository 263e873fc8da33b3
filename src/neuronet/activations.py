"""Activation functions, each with its backward pass next to it.

Every activation is a plain function ``f(x) -> y``. Its backward is attached as ``f.backward(x, y, grad)``
and returns dL/dx given the upstream gradient ``grad = dL/dy`` (a vector-Jacobian product, so softmax,
whose Jacobian is not diagonal, fits the same contract). Where the derivative is cheapest from the output
(sigmoid: y(1 - y), tanh: 1 - y^2) it uses ``y``, as scikit-learn does.

    >>> import numpy as np
    >>> from neuronet import activations
    >>> activations.get("sigmoid")(np.array([0.0]))
    array([0.5])
"""
from __future__ import annotations

import numpy as np
from scipy.special import expit  # sigmoid as one stable ufunc: no overflow warning at +-1e4

from neuronet.registry import Registry

ACTIVATIONS = Registry("activation")


def _with_backward(backward):
    """Attach ``backward`` to the decorated forward function."""
    def attach(forward):
        forward.backward = backward
        return forward
    return attach


# --- linear / identity: y = x;  dy/dx = 1 -------------------------------------------------------------
@ACTIVATIONS.register(aliases=("identity", "none"))
@_with_backward(lambda x, y, grad: grad)
def linear(x):
    """Identity: y = x."""
    return x


# --- sigmoid: y = 1 / (1 + e^-x);  dy/dx = y (1 - y) ----------------------------------------------------
@ACTIVATIONS.register(aliases=("logistic",))
@_with_backward(lambda x, y, grad: grad * y * (1 - y))
def sigmoid(x):
    """Logistic sigmoid: y = 1 / (1 + exp(-x)), computed without overflow."""
    return expit(x)


# --- tanh: y = tanh(x);  dy/dx = 1 - y^2 ----------------------------------------------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad * (1 - y * y))
def tanh(x):
    """Hyperbolic tangent: y = (e^x - e^-x) / (e^x + e^-x)."""
    return np.tanh(x)


# --- relu: y = max(0, x);  dy/dx = 1 if x > 0 else 0 ----------------------------------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad * (y > 0))
def relu(x):
    """Rectified linear unit: y = max(0, x)."""
    return np.maximum(x, 0)


# --- softmax: y_i = e^{x_i} / sum_j e^{x_j};  dL/dx = y * (g - sum(g * y)) ------------------------------
def _softmax_backward(x, y, grad, axis=-1):
    return y * (grad - np.sum(grad * y, axis=axis, keepdims=True))


@ACTIVATIONS.register()
@_with_backward(_softmax_backward)
def softmax(x, axis=-1):
    """Softmax over ``axis``: y_i = exp(x_i - max x) / sum_j exp(x_j - max x) (shifted: no overflow).

    >>> softmax(np.array([2.1, 3.2, 1.5])).round(2)     # the notes' example
    array([0.22, 0.66, 0.12])
    """
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def get(identifier):
    """An activation function from a name, a function with ``.backward``, a config dict, or None (linear).

    An activation layer object (``LeakyReLU(alpha=0.01)``) is accepted as in Keras: it is returned as is
    and used through its own forward/backward.
    """
    if identifier is None:
        return linear
    fn = ACTIVATIONS.get(identifier)
    if not hasattr(fn, "backward"):
        raise ValueError(f"Could not interpret activation identifier: {identifier!r}. A custom activation "
                         "must have a `backward(x, y, grad)` attribute (see neuronet.activations) or be a "
                         f"neuronet activation layer. Known names: {', '.join(ACTIVATIONS.names())}.")
    return fn


def serialize(fn) -> str | dict:
    """The registered name of ``fn`` (or the config of an activation layer)."""
    if hasattr(fn, "get_config") and not callable(getattr(fn, "__name__", None)):
        return {"class_name": type(fn).__name__, "config": fn.get_config()}
    name = getattr(fn, "__name__", None)
    if name is None or name not in ACTIVATIONS or ACTIVATIONS.lookup(name) is not fn:
        raise ValueError(f"Cannot serialize activation {fn!r}: register it with "
                         "neuronet.activations.ACTIVATIONS.register(fn) first.")
    return name
