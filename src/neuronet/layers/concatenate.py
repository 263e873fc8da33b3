"""Concatenate: join a list of inputs along one axis (Keras' ``keras.layers.Concatenate``)."""
import numpy as np

from neuronet.layers.merge import Merge, _batched, _full_axis


class Concatenate(Merge):
    """y = [x_1, x_2, ..., x_n] joined along ``axis``;  backward: dL/dx_i = the slice of g at x_i's place.

    All inputs have the same shape except along ``axis`` (Keras' axis: 0 is the batch axis, the default
    -1 the last one).

    >>> Concatenate()([np.zeros((2, 2)), np.ones((2, 3))]).shape
    (2, 5)
    >>> Concatenate(axis=1)([np.arange(4.0).reshape(1, 2, 2), np.full((1, 1, 2), 9.0)])
    array([[[0., 1.],
            [2., 3.],
            [9., 9.]]])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
            raise TypeError(f"Received an invalid value for `axis`, expected an integer. Received: axis={axis!r}")
        self.axis = int(axis)

    def compute_output_shape(self, input_shapes):
        ranks = {len(s) for s in input_shapes}
        message = ("A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
                   f"axis. Received: input_shape={_batched(input_shapes)}")
        if len(ranks) != 1:
            raise ValueError(message)
        k = _full_axis(self.axis, ranks.pop() + 1, "axis", self.axis) - 1   # per-sample index
        others = {tuple(s[:k]) + tuple(s[k + 1:]) for s in input_shapes}
        if len(others) != 1:
            raise ValueError(message)
        out = list(input_shapes[0])
        out[k] = sum(s[k] for s in input_shapes)
        return tuple(out)

    def forward(self, inputs, training=False):
        self._sizes = [x.shape[self.axis] for x in inputs]
        return np.concatenate(inputs, axis=self.axis)

    def backward(self, grad):
        return np.split(grad, np.cumsum(self._sizes)[:-1], axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}



def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis=axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
