"""Activation layers with hyper-parameters (Keras' "advanced activations"): LeakyReLU, PReLU, ELU, ReLU,
Softmax, ThresholdedReLU.

The parameter-free ones also work as the ``activation=`` of a Dense layer, as in the notes:

    >>> import numpy as np
    >>> from neuronet.layers import Dense
    >>> layer = Dense(2, activation=LeakyReLU(alpha=0.01), input_shape=(3,))
    >>> layer(np.ones((4, 3))).shape
    (4, 2)
"""
from __future__ import annotations

import numpy as np

from neuronet import activations, initializers, regularizers
from neuronet.activations import BoundActivation
from neuronet.layers.activation import ElementwiseActivation
from neuronet.layers.base import Layer, WeightAttribute
from neuronet.utils.validation import check_number


def thresholded_relu(x, theta=1.0):
    """y = x if x > theta else 0 (the ThresholdedReLU layer's function; not a Keras activation name)."""
    return np.where(x > theta, x, 0).astype(x.dtype, copy=False)


def _thresholded_relu_backward(x, y, grad, theta=1.0):
    return np.where(x > theta, grad, 0).astype(grad.dtype, copy=False)


thresholded_relu.backward = _thresholded_relu_backward


class LeakyReLU(ElementwiseActivation):
    """Leaky ReLU: y = x if x > 0 else alpha * x;  dy/dx = 1 or alpha.

    ``alpha`` (Keras 2, the notes) and ``negative_slope`` (Keras 3) name the same slope; default 0.3 as
    in both Keras versions' layer (the function ``activations.leaky_relu`` defaults to 0.2).

    >>> LeakyReLU()(np.array([[-3.0, -1.0, 0.0, 2.0]]))
    array([[-0.9, -0.3,  0. ,  2. ]])
    """

    def __init__(self, negative_slope=None, alpha=None, **kwargs):
        super().__init__(**kwargs)
        if negative_slope is not None and alpha is not None and float(negative_slope) != float(alpha):
            raise ValueError("Pass either `alpha` or `negative_slope` (the same slope), not both. Received: "
                             f"alpha={alpha!r}, negative_slope={negative_slope!r}")
        slope = negative_slope if negative_slope is not None else alpha
        self.negative_slope = check_number(0.3 if slope is None else slope, "negative_slope", minimum=0)
        self.activation = BoundActivation(activations.leaky_relu, negative_slope=self.negative_slope)

    @property
    def alpha(self):
        return self.negative_slope

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ELU(ElementwiseActivation):
    """Exponential linear unit: y = x if x > 0 else alpha * (exp(x) - 1);  dy/dx = 1 or y + alpha.

    >>> ELU(alpha=1.0)(np.array([[-1.0, 2.0]])).round(4)
    array([[-0.6321,  2.    ]])
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = check_number(alpha, "alpha", minimum=0)
        self.activation = BoundActivation(activations.elu, alpha=self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class ReLU(ElementwiseActivation):
    """Keras' configurable ReLU:
        y = max_value                          if x >= max_value
        y = x                                  if threshold <= x < max_value
        y = negative_slope * (x - threshold)   otherwise
    dy/dx = 1 on [threshold, max_value), negative_slope below threshold, 0 above max_value.

    >>> ReLU(max_value=6.0)(np.array([[-1.0, 3.0, 9.0]]))
    array([[0., 3., 6.]])
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = check_number(max_value, "max_value", minimum=0, allow_none=True)
        self.negative_slope = check_number(negative_slope, "negative_slope", minimum=0)
        self.threshold = check_number(threshold, "threshold")
        self.activation = BoundActivation(activations.relu, negative_slope=self.negative_slope,
                                          max_value=self.max_value, threshold=self.threshold)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class ThresholdedReLU(ElementwiseActivation):
    """y = x if x > theta else 0;  dy/dx = 1 if x > theta else 0 (Keras 2 layer, default theta=1.0).

    >>> ThresholdedReLU(theta=1.0)(np.array([[0.5, 2.0]]))
    array([[0., 2.]])
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.theta = check_number(theta, "theta", minimum=0)
        self.activation = BoundActivation(thresholded_relu, theta=self.theta)

    def get_config(self):
        return {**super().get_config(), "theta": self.theta}


class Softmax(ElementwiseActivation):
    """Softmax over ``axis``: y_i = exp(x_i) / sum_j exp(x_j);  dL/dx = y * (g - sum(g * y)).

    As the last layer with a cross-entropy loss it takes the fused gradient y - y_true (axis=-1).

    >>> Softmax()(np.array([[2.1, 3.2, 1.5]])).round(2)
    array([[0.22, 0.66, 0.12]])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise ValueError(f"Received an invalid value for `axis`, expected an integer. Received: axis={axis!r}")
        self.axis = int(axis)
        # over the last axis: the plain function, which the model fuses with a cross-entropy loss
        self.activation = activations.softmax if self.axis == -1 else \
            BoundActivation(activations.softmax, axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class PReLU(Layer):
    """Parametric ReLU with a learned slope per unit: y = x if x > 0 else alpha * x.

    Backward, with g = dL/dy:  dx = g if x > 0 else alpha * g;
        d alpha = sum over the batch (and ``shared_axes``) of g * min(x, 0).
    ``shared_axes`` (1-based, as in Keras) share one slope along those axes. Parameters: one per unit,
    e.g. 64 after Dense(64).

    >>> layer = PReLU(alpha_initializer="zeros")
    >>> layer(np.array([[-2.0, 3.0]]))
    array([[-0.,  3.]])
    """

    creates_weights = True  # not usable as Dense(activation=...): add it as a layer
    alpha = WeightAttribute()   # layer.alpha: the live slopes

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = [shared_axes] if isinstance(shared_axes, (int, np.integer)) else list(shared_axes)
            if not axes or any(isinstance(a, bool) or not isinstance(a, (int, np.integer)) or a < 1 for a in axes):
                raise ValueError("Received an invalid value for `shared_axes`, expected positive integers "
                                 f"(1-based axes, the batch axis excluded). Received: shared_axes={shared_axes!r}")
            self.shared_axes = [int(a) for a in axes]

    def build(self, input_shape):
        super().build(input_shape)
        shape = list(self.input_shape)
        for axis in self.shared_axes or ():
            if axis > len(shape):
                raise ValueError(f"`shared_axes` {self.shared_axes} refers to axis {axis}, but the input of "
                                 f"{self.name!r} has only {len(shape)} non-batch axes ({self.input_shape}).")
            shape[axis - 1] = 1
        self.add_weight("alpha", tuple(shape), self.alpha_initializer, self.alpha_regularizer)
        self._sum_axes = (0, *(self.shared_axes or ()))

    def forward(self, x, training=False):
        self._x = x
        return np.where(x > 0, x, x * self.params["alpha"])

    def backward(self, grad):
        x = self._x
        self.grads["alpha"][...] = np.sum(grad * np.minimum(x, 0), axis=self._sum_axes, keepdims=True)[0]
        if not self.needs_input_grad:
            return None
        return np.where(x > 0, grad, grad * self.params["alpha"])

    def get_config(self):
        return {**super().get_config(), "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "shared_axes": self.shared_axes}
