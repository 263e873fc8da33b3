"""Input, Flatten and Reshape: shape plumbing."""
import numpy as np

from neuronet.layers.base import Layer, _check_shape
from neuronet.layers.symbolic import KerasTensor, Node


class InputLayer(Layer):
    """An input of a model: declares one sample's shape. ``output`` is its symbolic tensor, which
    ``Input(...)`` returns (not shown in a Sequential's summary, as in Keras).

    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Input, Dense
    >>> model = Sequential([Input(shape=(13,)), Dense(1)])
    """

    def __init__(self, shape=None, input_shape=None, **kwargs):
        shape = shape if shape is not None else input_shape
        if shape is None:
            raise ValueError("Input needs `shape`, e.g. Input(shape=(13,)).")
        super().__init__(input_shape=_check_shape(shape, "shape"), **kwargs)
        self.build(self.declared_input_shape)
        self.output = KerasTensor((None, *self.output_shape), dtype=self.dtype, name=self.name)
        self.output.node = Node(self, [], [self.output])
        self.inbound_nodes.append(self.output.node)

    def forward(self, x, training=False):
        return x

    def backward(self, grad):
        return grad

    def get_config(self):
        cfg = super().get_config()
        cfg["shape"] = cfg.pop("input_shape")
        return cfg


def Input(shape=None, name=None, dtype=None, batch_size=None):
    """Keras' ``Input(shape=(13,))``: a symbolic tensor to call layers on (the functional API,
    ``Model(inputs, outputs)``), or the first element of a Sequential layer list.

    >>> Input(shape=(13,), name="features").shape
    (None, 13)
    """
    return InputLayer(shape=shape, name=name, dtype=dtype).output


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


class Reshape(Layer):
    """y = x.reshape((batch,) + target_shape);  backward: dL/dx = g.reshape(x.shape).

    ``target_shape`` excludes the batch axis; one entry may be -1, inferred from the input's size.

    >>> Reshape((3, 4))(np.zeros((2, 12))).shape
    (2, 3, 4)
    >>> Reshape((-1, 2, 2)).compute_output_shape((12,))
    (3, 2, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target_shape = tuple(target_shape)
        except TypeError:
            raise TypeError("Received an invalid value for `target_shape`, expected a tuple of integers such as "
                            f"(3, 4) or (-1, 2). Received: target_shape={target_shape!r}") from None
        if not all(isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in target_shape):
            raise ValueError("Received an invalid value for `target_shape`, expected a tuple of integers such as "
                             f"(3, 4) or (-1, 2). Received: target_shape={target_shape!r}")
        target_shape = tuple(int(d) for d in target_shape)
        if any(d < -1 for d in target_shape):
            raise ValueError("Each dimension in `target_shape` must be a non-negative integer, or `-1` for a "
                             f"single unknown dimension. Received: target_shape={target_shape}.")
        if target_shape.count(-1) > 1:
            raise ValueError("There must be at most one unknown dimension (-1) in `target_shape`. "
                             f"Received: target_shape={target_shape}.")
        self.target_shape = target_shape

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        size, known = int(np.prod(input_shape)), int(np.prod([d for d in self.target_shape if d != -1]))
        if -1 not in self.target_shape:
            if size != known:
                raise ValueError("The total size of the tensor must be unchanged. Received: "
                                 f"input_shape={input_shape}, target_shape={self.target_shape}")
            return self.target_shape
        if known == 0 or size % known:
            raise ValueError("The total size of the tensor must be unchanged, however, the input size cannot by "
                             "divided by the specified dimensions in target_shape. Received: "
                             f"input_shape={input_shape}, target_shape={self.target_shape}")
        return tuple(size // known if d == -1 else d for d in self.target_shape)

    def forward(self, x, training=False):
        self._shape = x.shape
        return x.reshape((x.shape[0], *self.output_shape))

    def backward(self, grad):
        return grad.reshape(self._shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}
