"""Activation functions, each with its backward pass next to it.

Every activation is a plain function ``f(x) -> y``. Its backward is attached as ``f.backward(x, y, grad)``
and returns dL/dx given the upstream gradient ``grad = dL/dy`` (a vector-Jacobian product, so softmax,
whose Jacobian is not diagonal, fits the same contract). Where the derivative is cheapest from the output
(sigmoid: y(1 - y), tanh: 1 - y^2) it uses ``y``, as scikit-learn does.

The functions do no error-state handling of their own: layers and models set ``np.errstate`` once per
public call (``layer(x)``, ``fit``, ``predict``), where exp(-1e4) -> 0 underflows silently, as it does
under NumPy's default settings.

    >>> import numpy as np
    >>> from neuronet import activations
    >>> activations.get("sigmoid")(np.array([0.0]))
    array([0.5])
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import erf as _scipy_erf, expit as _scipy_expit  # stable: no overflow warning at +-1e4

from neuronet.registry import Registry
from neuronet.ops import row_max, row_sum, zeros_like_shared

ACTIVATIONS = Registry("activation")

_SQRT2 = math.sqrt(2.0)                   # Python floats: a NumPy float64 scalar would upcast float32
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_C = math.sqrt(2.0 / math.pi)
SELU_SCALE = 1.0507009873554805           # lambda of Klambauer et al. (2017), as in Keras
SELU_ALPHA = 1.6732632423543772


_FLOAT64 = np.dtype(np.float64)


def _in_input_dtype(ufunc):
    """``ufunc`` with its result cast back to a floating input's dtype: SciPy has no float16 loops, so
    expit/erf of float16 come back float64 and would upcast a float16 network (floatx='float16')."""
    def call(x):
        y = ufunc(x)
        if y.dtype is not _FLOAT64 or x.dtype is _FLOAT64:     # float32/float64 in: SciPy's own dtype
            return y
        dtype = getattr(x, "dtype", None)
        return y.astype(dtype) if dtype is not None and dtype.kind == "f" and y.dtype != dtype else y
    call.__name__ = ufunc.__name__
    return call


expit, erf = _in_input_dtype(_scipy_expit), _in_input_dtype(_scipy_erf)


def _with_backward(backward):
    """Attach ``backward(x, y, grad) -> dL/dx`` to the decorated forward function ``f(x) -> y``."""
    def attach(forward):
        backward.__name__ = backward.__qualname__ = f"{forward.__name__}.backward"
        forward.backward = backward
        return forward
    return attach


class BoundActivation:
    """An activation function with its hyper-parameters bound, in the same protocol as the plain
    functions: ``f(x)`` and ``f.backward(x, y, grad)``. Activation layers with hyper-parameters
    (``LeakyReLU(negative_slope=0.01)``) compute through one; given as a Dense layer's ``activation``,
    ``layer`` is that layer's own copy, which its configuration (and attributes such as
    ``negative_slope``) are read from.

    >>> f = BoundActivation(leaky_relu, negative_slope=0.1)
    >>> f(np.array([-2.0, 3.0]))
    array([-0.2,  3. ])
    """

    def __init__(self, fn, layer=None, **kwargs):
        self.fn, self.layer, self.kwargs = fn, layer, kwargs
        self.__name__ = fn.__name__

    def __call__(self, x):
        return self.fn(x, **self.kwargs)

    def backward(self, x, y, grad):
        return self.fn.backward(x, y, grad, **self.kwargs)

    def __getattr__(self, name):
        # the layer's hyper-parameters and get_config, as Keras' `dense.activation.negative_slope`
        layer = self.__dict__.get("layer")
        if layer is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(layer, name)

    def __repr__(self):
        args = "".join(f", {k}={v!r}" for k, v in self.kwargs.items())
        return f"BoundActivation({self.fn.__name__}{args})"


# --- step: y = 1 if x > 0 else 0 (perceptron threshold);  dy/dx = 0 ------------------------------------
@ACTIVATIONS.register(aliases=("binary_step", "heaviside"))
@_with_backward(lambda x, y, grad: np.zeros_like(grad))
def step(x):
    """Binary step (the perceptron's threshold): y = 1 if x > 0 else 0. Its gradient is 0 everywhere.

    >>> step(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 1.])
    """
    x = np.asarray(x)
    return (x > 0).astype(x.dtype if x.dtype.kind == "f" else float)


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


# --- hard_sigmoid (Keras 3): y = relu6(x + 3) / 6;  dy/dx = 1/6 on -3 < x < 3 ---------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad * ((x > -3) & (x < 3)) / 6.0)
def hard_sigmoid(x):
    """Piecewise-linear sigmoid (Keras 3): y = relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1).

    >>> hard_sigmoid(np.array([-4.0, 0.0, 1.5, 4.0]))
    array([0.  , 0.5 , 0.75, 1.  ])
    """
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


# --- tanh: y = tanh(x);  dy/dx = 1 - y^2 ----------------------------------------------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad * (1 - y * y))
def tanh(x):
    """Hyperbolic tangent: y = (e^x - e^-x) / (e^x + e^-x)."""
    return np.tanh(x)


def _relu_backward(x, y, grad, negative_slope=0.0, max_value=None, threshold=0.0):
    """grad * [y > 0], 0 where y is NaN (as Keras and PyTorch). From 8,192 elements on, the comparison
    writes its 0/1 straight into a float array that the product then overwrites (faster than a product
    with a boolean mask: bench/notes/ops.txt). With the Keras options:
    1 on [threshold, max_value), negative_slope below threshold, 0 from max_value on."""
    if negative_slope or max_value is not None or threshold:
        g = np.where(x >= threshold, grad, grad * float(negative_slope))
        return g if max_value is None else np.where(x >= max_value, 0, g).astype(grad.dtype)
    if y.size < 8192 or y.shape != grad.shape or y.dtype != grad.dtype:
        return grad * (y > 0)
    mask = np.greater(y, 0, out=np.empty_like(grad))
    mask *= grad
    return mask


# --- relu: y = max(0, x);  dy/dx = 1 if x > 0 else 0 ----------------------------------------------------
@ACTIVATIONS.register()
@_with_backward(_relu_backward)
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: y = max(0, x) (against an array of zeros: NumPy's loop for a scalar
    operand is 2-3x slower). Keras' options, as in the ReLU layer:

        y = max_value                          if x >= max_value
        y = x                                  if threshold <= x < max_value
        y = negative_slope * (x - threshold)   otherwise

    >>> relu(np.array([-2.0, 3.0, 9.0]), negative_slope=0.1, max_value=6.0)
    array([-0.2,  3. ,  6. ])
    """
    x = np.asarray(x)
    if negative_slope or max_value is not None or threshold:
        below = (x - float(threshold)) * float(negative_slope) if negative_slope else 0
        y = np.where(x < threshold, below, x).astype(x.dtype if x.dtype.kind == "f" else float, copy=False)
        return y if max_value is None else np.minimum(y, np.asarray(max_value, dtype=y.dtype))
    return np.maximum(x, zeros_like_shared(x))


# --- relu6: y = min(max(0, x), 6);  dy/dx = 1 on 0 < x < 6 ----------------------------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad * ((x > 0) & (x < 6)))
def relu6(x):
    """ReLU capped at 6: y = min(max(0, x), 6).

    >>> relu6(np.array([-1.0, 3.0, 9.0]))
    array([0., 3., 6.])
    """
    return np.clip(x, 0, 6)


# --- leaky_relu: y = x if x > 0 else a x;  dy/dx = 1 or a -----------------------------------------------
def _leaky_slope(negative_slope, alpha):
    """``alpha`` is tf.nn.leaky_relu's / Keras 2's name of ``negative_slope``; one of them, default 0.2."""
    if alpha is not None and negative_slope is not None:
        raise ValueError("Pass either `negative_slope` or its alias `alpha`, not both. "
                         f"Received: negative_slope={negative_slope}, alpha={alpha}")
    slope = alpha if alpha is not None else negative_slope
    return 0.2 if slope is None else float(slope)


@ACTIVATIONS.register(aliases=("leakyrelu",))
@_with_backward(lambda x, y, grad, negative_slope=None, alpha=None:
                np.where(x > 0, grad, grad * _leaky_slope(negative_slope, alpha)))
def leaky_relu(x, negative_slope=None, alpha=None):
    """Leaky ReLU: y = x if x > 0 else negative_slope * x (Keras 3's function default 0.2; ``alpha`` is
    accepted as tf.nn.leaky_relu's name of the slope; the notes and the LeakyReLU layer pass their own
    slope, e.g. ``LeakyReLU(alpha=0.01)``).

    >>> leaky_relu(np.array([-2.0, 3.0]), negative_slope=0.1)
    array([-0.2,  3. ])
    >>> leaky_relu(np.array([-2.0, 3.0]), alpha=0.1)
    array([-0.2,  3. ])
    """
    return np.where(x > 0, x, x * _leaky_slope(negative_slope, alpha))


# --- elu: y = x if x > 0 else a (e^x - 1);  dy/dx = 1 or y + a ------------------------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad, alpha=1.0: grad * np.where(x > 0, 1.0, y + float(alpha)))
def elu(x, alpha=1.0):
    """Exponential linear unit: y = x if x > 0 else alpha * (exp(x) - 1) (expm1 on min(x, 0): no overflow).

    >>> elu(np.array([-1.0, 2.0])).round(4)
    array([-0.6321,  2.    ])
    """
    return np.where(x > 0, x, float(alpha) * np.expm1(np.minimum(x, 0)))


# --- selu: y = lambda * elu(x, alpha) with the fixed constants;  dy/dx = lambda or y + lambda alpha -----
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad * np.where(x > 0, SELU_SCALE, y + SELU_SCALE * SELU_ALPHA))
def selu(x):
    """Scaled ELU: y = lambda * (x if x > 0 else alpha * (exp(x) - 1)), lambda = 1.0507009873554805,
    alpha = 1.6732632423543772 (self-normalizing; use with lecun_normal initialization).

    >>> selu(np.array([1.0])).round(4)
    array([1.0507])
    """
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0)))


# --- swish / silu: y = x sigmoid(x);  dy/dx = s (1 + x (1 - s)) -----------------------------------------
def _silu_backward(x, y, grad):
    s = expit(x)
    return grad * s * (1 + x * (1 - s))


@ACTIVATIONS.register(aliases=("swish",))
@_with_backward(_silu_backward)
def silu(x):
    """Swish / SiLU: y = x * sigmoid(x) = x / (1 + exp(-x)).

    >>> silu(np.array([0.0, 1.0])).round(4)
    array([0.    , 0.7311])
    """
    return x * expit(x)


# --- hard_silu / hard_swish: y = x hard_sigmoid(x) ------------------------------------------------------
def _hard_silu_backward(x, y, grad):
    inside = (x > -3) & (x < 3)
    return grad * np.where(inside, x / 3.0 + 0.5, (x >= 3).astype(grad.dtype))


@ACTIVATIONS.register(aliases=("hard_swish",))
@_with_backward(_hard_silu_backward)
def hard_silu(x):
    """Hard swish: y = x * relu6(x + 3) / 6.

    >>> hard_silu(np.array([-4.0, 1.0, 4.0])).round(4)
    array([-0.    ,  0.6667,  4.    ])
    """
    return x * np.clip(x / 6.0 + 0.5, 0.0, 1.0)


# --- gelu: exact y = x Phi(x) = x (1 + erf(x / sqrt 2)) / 2;  dy/dx = Phi(x) + x phi(x) ----------------
def _gelu_backward(x, y, grad, approximate=False):
    if approximate:
        t = np.tanh(_GELU_C * (x + 0.044715 * x * x * x))
        return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _GELU_C * (1 + 3 * 0.044715 * x * x))
    cdf = 0.5 * (1 + erf(x / _SQRT2))
    return grad * (cdf + x * _INV_SQRT_2PI * np.exp(-0.5 * x * x))


@ACTIVATIONS.register()
@_with_backward(_gelu_backward)
def gelu(x, approximate=False):
    """Gaussian error linear unit (Keras default approximate=False): y = x * Phi(x) = 0.5 x (1 + erf(x/sqrt 2));
    approximate=True: y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    >>> gelu(np.array([1.0])).round(4)
    array([0.8413])
    """
    if approximate:
        return 0.5 * x * (1 + np.tanh(_GELU_C * (x + 0.044715 * x * x * x)))
    return 0.5 * x * (1 + erf(x / _SQRT2))


# --- softplus: y = log(1 + e^x);  dy/dx = sigmoid(x) ----------------------------------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad * expit(x))
def softplus(x):
    """Softplus: y = log(1 + exp(x)), as logaddexp(0, x) (no overflow at +-1e4).

    >>> softplus(np.array([0.0])).round(4)
    array([0.6931])
    """
    return np.logaddexp(0.0, x)


# --- softsign: y = x / (1 + |x|);  dy/dx = 1 / (1 + |x|)^2 ----------------------------------------------
@ACTIVATIONS.register()
@_with_backward(lambda x, y, grad: grad / np.square(1 + np.abs(x)))
def softsign(x):
    """Softsign: y = x / (1 + |x|).

    >>> softsign(np.array([-1.0, 3.0]))
    array([-0.5 ,  0.75])
    """
    return x / (1 + np.abs(x))


# --- mish: y = x tanh(softplus(x));  dy/dx = tanh(sp) + x (1 - tanh(sp)^2) sigmoid(x) ------------------
def _mish_backward(x, y, grad):
    t = np.tanh(np.logaddexp(0.0, x))
    return grad * (t + x * (1 - t * t) * expit(x))


@ACTIVATIONS.register()
@_with_backward(_mish_backward)
def mish(x):
    """Mish (Misra, 2019; Keras 3): y = x * tanh(softplus(x)), softplus as logaddexp(0, x).

    >>> mish(np.array([-1.0, 0.0, 1.0])).round(4)
    array([-0.3034,  0.    ,  0.8651])
    """
    return x * np.tanh(np.logaddexp(0.0, x))


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
    x = np.asarray(x)
    if x.ndim == 2 and axis in (-1, 1) and x.dtype.kind == "f":   # a batch: ops's fast reductions
        e = np.subtract(x, row_max(x))
        np.exp(e, out=e)
        e /= row_sum(e)
        return e
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


# --- log_softmax: y_i = x_i - log sum_j e^{x_j};  dL/dx = g - softmax(x) * sum(g) -----------------------
def _log_softmax_backward(x, y, grad, axis=-1):
    return grad - np.exp(y) * np.sum(grad, axis=axis, keepdims=True)


@ACTIVATIONS.register()
@_with_backward(_log_softmax_backward)
def log_softmax(x, axis=-1):
    """Log of the softmax over ``axis``, by log-sum-exp: y_i = (x_i - max x) - log sum_j exp(x_j - max x).

    >>> log_softmax(np.array([2.1, 3.2, 1.5])).round(4)
    array([-1.5158, -0.4158, -2.1158])
    """
    x = np.asarray(x)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


swish, hard_swish = silu, hard_silu   # Keras' other names: from keras.activations import swish


def get(identifier):
    """An activation function from a name, a function with ``.backward``, a config dict, or None (linear).

    An activation layer object (``LeakyReLU(alpha=0.01)``) is accepted as in Keras: anything with an
    ``as_activation()`` method gives its own copy of itself (a layer caches what its backward reads, so
    one object given to several Dense layers must not be shared).
    """
    if identifier is None:
        return linear
    if hasattr(identifier, "as_activation"):
        return identifier.as_activation()
    fn = ACTIVATIONS.get(identifier)
    if not hasattr(fn, "backward"):
        raise ValueError(f"Could not interpret activation identifier: {identifier!r}. A custom activation "
                         "must have a `backward(x, y, grad)` attribute (see neuronet.activations) or be a "
                         f"neuronet activation layer. Known names: {', '.join(ACTIVATIONS.names())}.")
    return fn


def serialize(fn) -> str | dict:
    """The registered name of ``fn`` (or the config of the activation layer it came from)."""
    layer = getattr(fn, "layer", None) if isinstance(fn, BoundActivation) else None
    if layer is not None:
        return {"class_name": type(layer).__name__, "config": layer.get_config()}
    name = getattr(fn, "__name__", None)
    if name is None or name not in ACTIVATIONS or ACTIVATIONS.lookup(name) is not fn:
        raise ValueError(f"Cannot serialize activation {fn!r}: register it with "
                         "neuronet.activations.ACTIVATIONS.register(fn) first.")
    return name
