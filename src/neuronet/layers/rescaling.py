"""Rescaling: y = x * scale + offset, in training and at inference (Keras' preprocessing layer).

    dL/dx = dL/dy * scale

    >>> import numpy as np
    >>> [round(float(v), 3) for v in Rescaling(1.0 / 255)(np.array([[0, 51, 255]], dtype=np.uint8))[0]]
    [0.0, 0.2, 1.0]
"""
from __future__ import annotations

import numpy as np

from neuronet.layers.base import Layer


class Rescaling(Layer):
    """Multiply by ``scale`` and add ``offset``: 1/255 maps pixels to [0, 1]; scale=1/127.5, offset=-1
    to [-1, 1]. The output has the layer's dtype (float32), whatever the input's (uint8 images)."""

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("scale", scale), ("offset", offset)):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise ValueError(f"Received an invalid value for `{name}`, expected a number. "
                                 f"Received: {name}={value!r}")
        self.scale, self.offset = float(scale), float(offset)

    def forward(self, x, training=False):
        dtype = self.dtype if self.dtype is not None else np.dtype(np.float32)
        return np.asarray(x, dtype=dtype) * dtype.type(self.scale) + dtype.type(self.offset)

    def backward(self, grad):
        if not self.needs_input_grad:
            return None
        return grad * grad.dtype.type(self.scale)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
