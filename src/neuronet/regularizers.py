"""Weight penalties added to the loss (and their gradients to the weights' gradients).

    L1:    penalty = l1 * sum(|W|)        gradient = l1 * sign(W)
    L2:    penalty = l2 * sum(W^2)        gradient = 2 * l2 * W
    L1L2:  both.

    >>> from neuronet import regularizers
    >>> reg = regularizers.l2(0.01)          # Keras: keras.regularizers.l2(0.01)
"""
from __future__ import annotations

import numpy as np

from neuronet.registry import Registry

REGULARIZERS = Registry("regularizer", instantiate=True)


@REGULARIZERS.register(name="L1L2", aliases=("l1_l2",))
class L1L2:
    """penalty = l1 * sum(|W|) + l2 * sum(W^2); gradient = l1 * sign(W) + 2 * l2 * W."""

    def __init__(self, l1=0.0, l2=0.0):
        for name, value in (("l1", l1), ("l2", l2)):
            if not isinstance(value, (int, float, np.floating)) or isinstance(value, bool) or value < 0 \
                    or not np.isfinite(value):
                raise ValueError(f"Received an invalid value for `{name}`, expected a non-negative number. "
                                 f"Received: {name}={value!r}")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, w) -> float:
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * float(np.sum(np.abs(w)))
        if self.l2:
            penalty += self.l2 * float(np.sum(np.square(w)))
        return penalty

    def gradient(self, w):
        grad = np.zeros_like(w)
        if self.l1:
            grad += self.l1 * np.sign(w)
        if self.l2:
            grad += (2.0 * self.l2) * w
        return grad

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}(l1={self.l1}, l2={self.l2})"


@REGULARIZERS.register(name="L1", aliases=("l1",))
class L1(L1L2):
    """penalty = l1 * sum(|W|); gradient = l1 * sign(W). Keras' default l1=0.01."""

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


@REGULARIZERS.register(name="L2", aliases=("l2",))
class L2(L1L2):
    """penalty = l2 * sum(W^2); gradient = 2 * l2 * W. Keras' default l2=0.01."""

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


l1, l2, l1_l2 = L1, L2, L1L2  # keras.regularizers.l1(0.01) spelling


def get(identifier):
    return REGULARIZERS.get(identifier)


def serialize(reg):
    if reg is None:
        return None
    if hasattr(reg, "get_config"):
        return {"class_name": type(reg).__name__, "config": reg.get_config()}
    raise ValueError(f"Cannot serialize regularizer {reg!r}: it needs a get_config() method.")
