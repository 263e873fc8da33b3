"""Activation layers' base, and Activation: an activation function applied as its own layer."""
from neuronet import activations
from neuronet.layers.base import Layer


class ElementwiseActivation(Layer):
    """Base of the weightless activation layers: y = f(x); backward dL/dx = f'(x) * dL/dy (a
    vector-Jacobian product), from the x and y cached by forward. ``self.activation`` is the function
    (``f(x)`` and ``f.backward(x, y, grad)``, the protocol of neuronet.activations) set by the subclass."""

    creates_weights = False  # usable as Dense(activation=...) (see neuronet.activations.get)
    activation = None

    def forward(self, x, training=False):
        y = self.activation(x)
        self.x, self.y = x, y
        return y

    def backward(self, grad):
        return self.activation.backward(self.x, self.y, grad)

    def backward_from_logits(self, dz):
        """The fused softmax/sigmoid + cross-entropy gradient already is dL/dx: nothing to apply."""
        return dz

    @property
    def logits(self):
        return self.x

    def as_activation(self):
        """This layer as a Dense layer's ``activation``: its function, bound to a private copy of the layer
        (a layer object given to several Dense layers is not shared, as Keras layers hold no cache)."""
        copy = type(self).from_config(self.get_config())
        act = copy.activation
        if isinstance(act, activations.BoundActivation):
            return activations.BoundActivation(act.fn, layer=copy, **act.kwargs)
        return activations.BoundActivation(act, layer=copy)


class Activation(ElementwiseActivation):
    """y = activation(x);  backward: dL/dx = activation'(x) * dL/dy (vector-Jacobian product).

    >>> import numpy as np
    >>> Activation("relu")(np.array([[-1.0, 2.0]]))
    array([[0., 2.]])
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
