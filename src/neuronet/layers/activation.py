"""Activation layers' base, and Activation: an activation function applied as its own layer."""
from neuronet import activations
from neuronet.layers.base import Layer


class ElementwiseActivation(Layer):
    """Base of the weightless activation layers: y = f(x); backward dL/dx = f'(x) * dL/dy (a
    vector-Jacobian product), from the x and y cached by forward. Subclasses give ``_apply(x)`` and
    ``_vjp(x, y, grad)``."""

    creates_weights = False  # usable as Dense(activation=...) (see neuronet.activations.get)

    def forward(self, x, training=False):
        self._z = x
        self._y = self._apply(x)
        return self._y

    def backward(self, grad):
        return self._vjp(self._z, self._y, grad)

    def backward_from_logits(self, dz):
        return dz

    @property
    def logits(self):
        return self._z


class Activation(ElementwiseActivation):
    """y = activation(x);  backward: dL/dx = activation'(x) * dL/dy (vector-Jacobian product).

    >>> import numpy as np
    >>> Activation("relu")(np.array([[-1.0, 2.0]]))
    array([[0., 2.]])
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        # The bare functions, as Dense uses them: models set np.errstate once per fit/predict call.
        self._apply = getattr(self.activation, "__wrapped__", self.activation)
        self._vjp = getattr(self.activation.backward, "__wrapped__", self.activation.backward)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
