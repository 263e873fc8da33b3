"""What the preprocessing layers share: ``adapt(data)``, the "no gradient" signal of the lookup layers and
the encodings of indices (Keras' output_mode 'int', 'one_hot', 'multi_hot', 'count').

Preprocessing layers have no trainable weights. What ``adapt`` learns lives in ``layer.states`` (saved
with the model's weights; Normalization's mean and variance) or in the layer's config (the vocabulary of
the lookups, Discretization's bin boundaries).
"""
from __future__ import annotations

import numpy as np

from neuronet.layers.base import Layer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class NoGradient:
    """What a layer without a gradient (a lookup: its output is piecewise constant in its discrete input)
    returns from ``backward`` when the model asks for dL/d(input). Another preprocessing layer passes it on;
    any arithmetic on it or use as an array (a trainable layer's backward) raises ``ValueError`` with
    ``message``, so a model whose trainable layers come before such a layer fails with words instead of a
    wrong result."""

    def __init__(self, layer_name):
        self.message = (f"Layer {layer_name!r} has no gradient (its outputs are indices, constant between "
                        "input values), so the layers before it cannot be trained through it. Put the "
                        "preprocessing layers (StringLookup, IntegerLookup, Discretization, CategoryEncoding) "
                        "first in the model, or apply them to the data before fit: x = layer(x).")

    def _refuse(self, *args, **kwargs):
        raise ValueError(self.message)

    def __getattr__(self, name):
        # An array's methods (a Flatten's grad.reshape) refuse in words too; private and special names
        # stay ordinary misses, so copying, pickling and introspection work.
        if name.startswith("_") or name == "message":
            raise AttributeError(name)
        raise ValueError(self.message)

    __array_ufunc__ = __array_function__ = __array__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __matmul__ = __rmatmul__ = __neg__ = __pow__ = __getitem__ = _refuse


class PreprocessingLayer(Layer):
    """Base class: no trainable weights; ``adapt(data)`` learns the layer's state from data (a NumPy array,
    list or pandas object). ``backward`` passes a NoGradient on and returns None when the model does not
    need the input's gradient (the first layer)."""

    differentiable = False

    def adapt(self, data, batch_size=None, steps=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, grad):
        if isinstance(grad, NoGradient) or not self.needs_input_grad:
            return grad if isinstance(grad, NoGradient) else None
        return self.input_gradient(grad)

    def input_gradient(self, grad):
        """dL/d(input) from dL/d(output); the lookups have none."""
        return NoGradient(self.name)

    def count_params(self) -> int:
        return int(sum(np.size(w) for w in self.weights))


def check_output_mode(output_mode, allowed=OUTPUT_MODES):
    if output_mode not in allowed:
        raise ValueError(f"Received an invalid value for `output_mode`, expected one of {allowed}. "
                         f"Received: output_mode={output_mode!r}")
    return output_mode


def encoded_shape(shape, output_mode, depth):
    """The shape ``encode`` gives for indices of ``shape``."""
    shape = tuple(shape)
    if output_mode == "int":
        return shape
    if output_mode == "one_hot":
        return (*shape[:-1], depth) if shape[-1:] == (1,) and len(shape) > 1 else (*shape, depth)
    return (*shape[:-1], depth)


def encode(indices, output_mode, depth, dtype, count_weights=None):
    """Integer ``indices`` in [0, depth) as Keras encodes them:

        one_hot:   out[..., k] = [index == k]       (a last axis of size 1 is replaced, else one is added)
        multi_hot: out[..., k] = [k occurs in the last axis]
        count:     out[..., k] = number of times k occurs in the last axis (or the sum of count_weights)
    """
    if output_mode == "int":
        return indices
    tokens = np.arange(depth)
    if output_mode == "one_hot":
        if indices.shape[-1:] == (1,) and indices.ndim > 1:
            indices = indices[..., 0]
        return (indices[..., None] == tokens).astype(dtype)
    hits = indices[..., None] == tokens                       # (..., length, depth)
    if output_mode == "multi_hot":
        return hits.any(axis=-2).astype(dtype)
    if count_weights is None:
        return hits.sum(axis=-2).astype(dtype)
    weights = np.asarray(count_weights, dtype=np.float64).reshape(indices.shape)
    return np.sum(hits * weights[..., None], axis=-2).astype(dtype)
