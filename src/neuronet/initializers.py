"""Weight initializers: ``init(shape, dtype, rng) -> array``.

fan_in / fan_out of a (n_in, n_out) kernel are n_in and n_out.
    Glorot (Xavier) uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out))
    Glorot normal:           truncated N(0, s), s = sqrt(2 / (fan_in + fan_out))
    He uniform:              U(-l, l), l = sqrt(6 / fan_in)
    He normal:               truncated N(0, s), s = sqrt(2 / fan_in)

    >>> import numpy as np
    >>> from neuronet import initializers
    >>> w = initializers.get("he_normal")((13, 128), np.float32, np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((13, 128), dtype('float32'))
"""
from __future__ import annotations

import numpy as np

from neuronet.registry import Registry

INITIALIZERS = Registry("initializer", instantiate=True)


def compute_fans(shape):
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base: subclasses implement ``__call__(shape, dtype, rng)``; an explicit ``seed`` overrides rng."""

    def __init__(self, seed=None):
        self.seed = seed

    def _rng(self, rng):
        if self.seed is not None:
            return np.random.default_rng(self.seed)
        return rng if rng is not None else np.random.default_rng()

    def get_config(self):
        return {"seed": self.seed} if self.seed is not None else {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@INITIALIZERS.register(name="Zeros", aliases=("zeros", "zero"))
class Zeros(Initializer):
    """All zeros (the default bias initializer)."""

    def __call__(self, shape, dtype=np.float32, rng=None):
        return np.zeros(shape, dtype=dtype)


class VarianceScaling(Initializer):
    """Random weights with variance ``scale / n`` where n is fan_in, fan_out or their average.

    distribution 'uniform': U(-l, l), l = sqrt(3 * scale / n);
    'truncated_normal': N(0, sqrt(scale / n) / .87962566) cut at two standard deviations (as Keras);
    'untruncated_normal': N(0, sqrt(scale / n)).
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if scale <= 0:
            raise ValueError(f"Received an invalid value for `scale`, expected a positive number. Received: scale={scale!r}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Received an invalid value for `mode`: {mode!r}. Expected 'fan_in', 'fan_out' or 'fan_avg'.")
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal", "normal"):
            raise ValueError(f"Received an invalid value for `distribution`: {distribution!r}. "
                             "Expected 'uniform', 'truncated_normal' or 'untruncated_normal'.")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def __call__(self, shape, dtype=np.float32, rng=None):
        rng = self._rng(rng)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = np.sqrt(3.0 * variance)
            return rng.uniform(-limit, limit, size=shape).astype(dtype)
        if self.distribution in ("untruncated_normal",):
            return rng.normal(0.0, np.sqrt(variance), size=shape).astype(dtype)
        return truncated_normal(rng, np.sqrt(variance) / 0.87962566103423978, shape).astype(dtype)

    def get_config(self):
        cfg = {"scale": self.scale, "mode": self.mode, "distribution": self.distribution}
        return {**cfg, **super().get_config()}


def truncated_normal(rng, stddev, shape, mean=0.0):
    """N(mean, stddev) samples redrawn until all lie within two standard deviations."""
    out = rng.normal(mean, stddev, size=shape)
    bad = np.abs(out - mean) > 2 * stddev
    while bad.any():
        out[bad] = rng.normal(mean, stddev, size=int(bad.sum()))
        bad = np.abs(out - mean) > 2 * stddev
    return out


def _fixed(name, scale, mode, distribution, doc, aliases=()):
    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return Initializer.get_config(self)

    cls = type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc})
    return INITIALIZERS.register(cls, aliases=aliases)


GlorotUniform = _fixed("GlorotUniform", 1.0, "fan_avg", "uniform",
                       "Glorot/Xavier uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)).",
                       ("glorot_uniform", "xavier_uniform"))
GlorotNormal = _fixed("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                      "Glorot/Xavier normal: truncated normal, stddev sqrt(2 / (fan_in + fan_out)).",
                      ("glorot_normal", "xavier_normal", "xavier"))
HeUniform = _fixed("HeUniform", 2.0, "fan_in", "uniform",
                   "He uniform: U(-l, l), l = sqrt(6 / fan_in).", ("he_uniform",))
HeNormal = _fixed("HeNormal", 2.0, "fan_in", "truncated_normal",
                  "He normal: truncated normal, stddev sqrt(2 / fan_in).", ("he_normal",))


def get(identifier):
    """An initializer from a name ('he_normal'), a config dict, an instance or a callable."""
    if identifier is None:
        raise ValueError("Could not interpret initializer identifier: None. Pass a name such as 'glorot_uniform'.")
    return INITIALIZERS.get(identifier)


def serialize(init):
    if isinstance(init, Initializer):
        return {"class_name": type(init).__name__, "config": init.get_config()}
    raise ValueError(f"Cannot serialize initializer {init!r}: use a neuronet.initializers class.")
