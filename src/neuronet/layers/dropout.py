"""Layers that add randomness during training only: Dropout and GaussianNoise.

Each keeps its own ``numpy.random.Generator`` (from ``seed``, or drawn from neuronet's global generator
when the layer is built), whose state can be read and restored as a JSON-safe dict, so an interrupted
training run resumes bit-identically:

    >>> import numpy as np
    >>> layer = Dropout(0.5, seed=0)
    >>> layer.build((4,))
    >>> state = layer.get_rng_state()
    >>> a = layer(np.ones((2, 4)), training=True)
    >>> layer.set_rng_state(state)
    >>> bool((layer(np.ones((2, 4)), training=True) == a).all())
    True
"""
from __future__ import annotations

import copy

import numpy as np

from neuronet.layers.base import Layer
from neuronet.utils.random import generator_from_state, make_generator


def _check_seed(seed):
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"Received an invalid value for `seed`, expected None or a non-negative integer. "
                         f"Received: seed={seed!r}")
    return None if seed is None else int(seed)


class _RandomLayer(Layer):
    """A layer owning a Generator: created at build from ``seed`` (or the global generator)."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = _check_seed(seed)
        self._rng = None

    def build(self, input_shape):
        super().build(input_shape)
        if self._rng is None:  # keep a state restored with set_rng_state before the build
            self._rng = make_generator(self.seed)

    @property
    def rng(self) -> np.random.Generator:
        if self._rng is None:
            self._rng = make_generator(self.seed)
        return self._rng

    def get_rng_state(self) -> dict:
        """The generator's state as a JSON-safe dict (``bit_generator.state``: names and ints)."""
        return copy.deepcopy(self.rng.bit_generator.state)

    def set_rng_state(self, state) -> None:
        """Restore a state returned by ``get_rng_state`` (the next draws repeat exactly). A state naming
        no NumPy bit generator, or not fitting the one it names, is a ValueError and changes nothing."""
        self._rng = generator_from_state(copy.deepcopy(state), f"{self.name}.set_rng_state(state)")

    def _uniform(self, shape, dtype):
        return self.rng.random(shape, dtype=np.float32 if dtype == np.float32 else np.float64)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


class Dropout(_RandomLayer):
    """Inverted dropout: in training each unit is kept with probability 1 - rate and scaled, at inference
    the layer is the identity (so no rescaling is needed when predicting):

        mask = (u >= rate) / (1 - rate),  u ~ Uniform[0, 1)
        training:   y = x * mask;   dL/dx = dL/dy * mask   (the same mask)
        inference:  y = x

    E[y] = x. ``noise_shape`` (full shape, batch axis included, None taken from the input) shares one mask
    value along axes of size 1, e.g. (None, 1, features).

    >>> layer = Dropout(0.5, seed=1)
    >>> layer(np.ones((1, 6)), training=True)      # kept units scaled by 1 / (1 - 0.5)
    array([[2., 2., 0., 2., 0., 0.]])
    >>> layer(np.ones((1, 3)))                      # identity at inference
    array([[1., 1., 1.]])
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)) \
                or not 0 <= rate < 1:
            raise ValueError(f"Received an invalid value for `rate`, expected a float in [0, 1). "
                             f"Received: rate={rate!r}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else [None if d is None else int(d) for d in noise_shape]
        self._mask = None

    def _mask_shape(self, x):
        if self.noise_shape is None:
            return x.shape
        if len(self.noise_shape) != x.ndim:
            raise ValueError(f"`noise_shape` {tuple(self.noise_shape)} of {self.name!r} must have one entry "
                             f"per input axis (batch included); the input has shape {x.shape}.")
        return tuple(n if d is None else d for d, n in zip(self.noise_shape, x.shape))

    def forward(self, x, training=False):
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = self._uniform(self._mask_shape(x), x.dtype) >= self.rate
        self._mask = keep.astype(x.dtype) * (1.0 / (1.0 - self.rate))
        return x * self._mask

    def backward(self, grad):
        if not self.needs_input_grad:
            return None
        return grad if self._mask is None else grad * self._mask

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape}


class GaussianNoise(_RandomLayer):
    """Additive zero-mean Gaussian noise in training (a regularizer), identity at inference:

        training:   y = x + n,  n ~ Normal(0, stddev^2);   dL/dx = dL/dy
        inference:  y = x

    >>> GaussianNoise(0.1, seed=0)(np.zeros((1, 2)))   # inference: unchanged
    array([[0., 0.]])
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, (int, float, np.integer, np.floating)) \
                or not np.isfinite(stddev) or stddev < 0:
            raise ValueError(f"Received an invalid value for `stddev`, expected a float >= 0. "
                             f"Received: stddev={stddev!r}")
        self.stddev = float(stddev)

    def forward(self, x, training=False):
        if not training or self.stddev == 0.0:
            return x
        dtype = np.float32 if x.dtype == np.float32 else np.float64
        noise = self.rng.standard_normal(x.shape, dtype=dtype)
        noise *= self.stddev
        return x + noise.astype(x.dtype, copy=False)

    def backward(self, grad):
        return grad if self.needs_input_grad else None

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev}
