"""Input and Flatten: shape plumbing."""
import numpy as np

from neuronet.layers.base import Layer, _check_shape


class InputLayer(Layer):
    """Declares the input shape of a Sequential model (not shown in its summary, as in Keras).

    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Input, Dense
    >>> model = Sequential([Input(shape=(13,)), Dense(1)])
    """

    def __init__(self, shape=None, input_shape=None, **kwargs):
        shape = shape if shape is not None else input_shape
        if shape is None:
            raise ValueError("Input needs `shape`, e.g. Input(shape=(13,)).")
        super().__init__(input_shape=_check_shape(shape, "shape"), **kwargs)

    def forward(self, x, training=False):
        return x

    def backward(self, grad):
        return grad

    def get_config(self):
        cfg = super().get_config()
        cfg["shape"] = cfg.pop("input_shape")
        return cfg


def Input(shape=None, name=None, dtype=None, batch_size=None):
    """Keras' ``Input(shape=(13,))``: the first element of a Sequential layer list."""
    return InputLayer(shape=shape, name=name, dtype=dtype)


class Flatten(Layer):
    """Reshape (batch, d1, d2, ...) to (batch, d1 * d2 * ...); backward reshapes the gradient back.

    >>> Flatten()(np.zeros((5, 28, 28))).shape
    (5, 784)
    """

    def compute_output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x, training=False):
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad):
        return grad.reshape(self._shape)
