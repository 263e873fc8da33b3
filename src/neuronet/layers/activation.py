"""Activation: applies an activation function as its own layer."""
from neuronet import activations
from neuronet.layers.base import Layer


class Activation(Layer):
    """y = activation(x);  backward: dL/dx = activation'(x) * dL/dy (vector-Jacobian product).

    >>> import numpy as np
    >>> Activation("relu")(np.array([[-1.0, 2.0]]))
    array([[0., 2.]])
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def forward(self, x, training=False):
        self._z = x
        self._y = self.activation(x)
        return self._y

    def backward(self, grad):
        return self.activation.backward(self._z, self._y, grad)

    def backward_from_logits(self, dz):
        return dz

    @property
    def logits(self):
        return self._z

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
