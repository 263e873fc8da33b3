"""The parameter buffer: every trainable weight of a model, and its gradient, in one contiguous array.

    values = [W_1.ravel(), b_1, W_2.ravel(), b_2, ...]        (grads: the same layout)
    segments = [0, |W_1|, |W_1| + |b_1|, ...]                 (where each weight starts and ends)

Each layer's ``params[key]`` and ``grads[key]`` are views into it (``Layer.use_storage``), so the layers
compute on their own arrays while the optimizer updates the whole network in a dozen NumPy calls.

    >>> import numpy as np
    >>> from neuronet.layers import Dense
    >>> layer = Dense(2, input_shape=(3,))
    >>> layer.build((3,))
    >>> buffer = ParameterBuffer.of([layer], np.float32)
    >>> buffer.values.size, buffer.segments.tolist()        # 3 x 2 kernel, then 2 biases
    (8, [0, 6, 8])
    >>> np.shares_memory(layer.kernel, buffer.values)
    True
"""
from __future__ import annotations

import numpy as np


def trainable_entries(layers):
    """The (layer, weight name) pairs a buffer holds: every weight of the layers trainable now."""
    return [(layer, key) for layer in layers if layer.trainable for key in layer.params]


class ParameterBuffer:
    """The flat ``values`` and ``grads`` of the weights ``entries`` ((layer, name) pairs; see the module
    docstring). ``ParameterBuffer.of(layers, dtype)`` takes every weight of the layers trainable now."""

    def __init__(self, entries, dtype):
        self.entries = list(entries)
        sizes = [layer.params[key].size for layer, key in self.entries]
        self.segments = np.cumsum([0, *sizes])
        self.values = np.empty(int(self.segments[-1]), dtype=dtype)
        self.grads = np.zeros(int(self.segments[-1]), dtype=dtype)
        blocks = {}
        for (layer, key), start, stop in zip(self.entries, self.segments[:-1], self.segments[1:]):
            shape = layer.params[key].shape
            layer.use_storage(key, self.values[start:stop].reshape(shape), self.grads[start:stop].reshape(shape))
            first, _ = blocks.get(id(layer), (start, stop))
            blocks[id(layer)] = (first, stop)
        for layer in dict.fromkeys(layer for layer, _ in self.entries):   # each layer's weights, one block
            start, stop = blocks[id(layer)]
            layer.use_block(self.values[start:stop], self.grads[start:stop])

    @classmethod
    def of(cls, layers, dtype):
        return cls(trainable_entries(layers), dtype)

    def covers(self, layers) -> bool:
        """Whether the buffer holds exactly the weights of the layers trainable now (a ``trainable``
        change since it was built is applied at the next compile, as in Keras)."""
        return self.entries == trainable_entries(layers)

    def is_intact(self) -> bool:
        """Whether every weight is still a view of this buffer. A layer shared with another model that was
        built later has moved into that model's buffer, where this model's optimizer would not reach it."""
        return all(layer.params[key].base is self.values for layer, key in self.entries)

    def rebuilt(self):
        """A new buffer over the same weights (their current values move into it)."""
        return ParameterBuffer(self.entries, self.values.dtype)

    def all_finite(self) -> bool:
        return bool(np.isfinite(self.values).all())

    def __repr__(self):
        return f"<ParameterBuffer {len(self.entries)} weights, {self.values.size} values, {self.values.dtype}>"
