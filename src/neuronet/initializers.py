"""Weight initializers: ``init(shape, dtype, rng) -> array``.

fan_in / fan_out of a (n_in, n_out) kernel are n_in and n_out.
    Glorot (Xavier) uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out))
    Glorot normal:           truncated N(0, s), s = sqrt(2 / (fan_in + fan_out))
    He uniform:              U(-l, l), l = sqrt(6 / fan_in)
    He normal:               truncated N(0, s), s = sqrt(2 / fan_in)
    LeCun uniform / normal:  as He with variance 1 / fan_in
    RandomNormal N(0, 0.05), RandomUniform U(-0.05, 0.05), TruncatedNormal (Keras' defaults; the notes'
    'normal' and 'uniform'), Zeros, Ones, Constant(value), Identity(gain), Orthogonal(gain).

    >>> import numpy as np
    >>> from neuronet import initializers
    >>> w = initializers.get("he_normal")((13, 128), np.float32, np.random.default_rng(0))
    >>> w.shape, w.dtype
    ((13, 128), dtype('float32'))
"""
from __future__ import annotations

import numpy as np

from neuronet.registry import Registry
from neuronet.utils.random import global_generator
from neuronet.utils.validation import check_number

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
    """Base: subclasses implement ``__call__(shape, dtype, rng)``; an explicit ``seed`` overrides rng.
    Called alone (no rng, no seed), an initializer draws from neuronet's generator, so
    ``set_random_seed`` makes it repeat, as in Keras."""

    def __init__(self, seed=None):
        self.seed = seed

    def _rng(self, rng):
        if self.seed is not None:
            return np.random.default_rng(self.seed)
        return rng if rng is not None else global_generator()

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


@INITIALIZERS.register(name="Ones", aliases=("ones", "one"))
class Ones(Initializer):
    """All ones (e.g. BatchNormalization's gamma)."""

    def __call__(self, shape, dtype=np.float32, rng=None):
        return np.ones(shape, dtype=dtype)


@INITIALIZERS.register(name="Constant", aliases=("constant",))
class Constant(Initializer):
    """Every entry equal to ``value`` (Keras' default 0.0).  Constant(0.5)((2,)) -> [0.5, 0.5]."""

    def __init__(self, value=0.0):
        super().__init__(None)
        self.value = check_number(value, "value")

    def __call__(self, shape, dtype=np.float32, rng=None):
        return np.full(shape, self.value, dtype=dtype)

    def get_config(self):
        return {"value": self.value}


@INITIALIZERS.register(name="RandomNormal", aliases=("random_normal", "normal"))
class RandomNormal(Initializer):
    """N(mean, stddev) samples; Keras' defaults mean=0.0, stddev=0.05 (the notes' init='normal')."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = check_number(mean, "mean"), check_number(stddev, "stddev", minimum=0)

    def __call__(self, shape, dtype=np.float32, rng=None):
        return self._rng(rng).normal(self.mean, self.stddev, size=shape).astype(dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


@INITIALIZERS.register(name="TruncatedNormal", aliases=("truncated_normal",))
class TruncatedNormal(RandomNormal):
    """N(mean, stddev) with samples more than two standard deviations from the mean drawn again;
    Keras' defaults mean=0.0, stddev=0.05."""

    def __call__(self, shape, dtype=np.float32, rng=None):
        return truncated_normal(self._rng(rng), self.stddev, shape, self.mean).astype(dtype)


@INITIALIZERS.register(name="RandomUniform", aliases=("random_uniform", "uniform"))
class RandomUniform(Initializer):
    """U(minval, maxval) samples; Keras' defaults minval=-0.05, maxval=0.05 (the notes' init='uniform')."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = check_number(minval, "minval"), check_number(maxval, "maxval")
        if self.minval > self.maxval:
            raise ValueError(f"Received invalid values: `minval` must not exceed `maxval`. "
                             f"Received: minval={minval!r}, maxval={maxval!r}")

    def __call__(self, shape, dtype=np.float32, rng=None):
        return self._rng(rng).uniform(self.minval, self.maxval, size=shape).astype(dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


@INITIALIZERS.register(name="Orthogonal", aliases=("orthogonal",))
class Orthogonal(Initializer):
    """gain * Q, Q from the QR decomposition of a N(0, 1) matrix (signs fixed by diag(R)), flattened to
    (prod(shape[:-1]), shape[-1]): orthonormal columns (or rows when there are fewer rows). Keras' gain 1.0."""

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = check_number(gain, "gain")

    def __call__(self, shape, dtype=np.float32, rng=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(f"The Orthogonal initializer needs a shape with at least 2 dimensions. Received: shape={shape}")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        a = self._rng(rng).normal(size=(max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(dtype)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}


@INITIALIZERS.register(name="Identity", aliases=("identity",))
class Identity(Initializer):
    """gain * I for a 2-D shape (the eye of a rectangular shape). Keras' gain 1.0."""

    def __init__(self, gain=1.0):
        super().__init__(None)
        self.gain = check_number(gain, "gain")

    def __call__(self, shape, dtype=np.float32, rng=None):
        if len(shape) != 2:
            raise ValueError(f"The Identity initializer needs a 2-D shape. Received: shape={tuple(shape)}")
        return (self.gain * np.eye(*shape)).astype(dtype)

    def get_config(self):
        return {"gain": self.gain}


@INITIALIZERS.register(name="VarianceScaling", aliases=("variance_scaling",))
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
LecunUniform = _fixed("LecunUniform", 1.0, "fan_in", "uniform",
                      "LeCun uniform: U(-l, l), l = sqrt(3 / fan_in).", ("lecun_uniform",))
LecunNormal = _fixed("LecunNormal", 1.0, "fan_in", "truncated_normal",
                     "LeCun normal: truncated normal, stddev sqrt(1 / fan_in) (for selu).", ("lecun_normal",))


def get(identifier):
    """An initializer from a name ('he_normal'), a config dict, an instance or a callable."""
    if identifier is None:
        raise ValueError("Could not interpret initializer identifier: None. Pass a name such as 'glorot_uniform'.")
    return INITIALIZERS.get(identifier)


def serialize(init):
    if isinstance(init, Initializer):
        return {"class_name": type(init).__name__, "config": init.get_config()}
    raise ValueError(f"Cannot serialize initializer {init!r}: use a neuronet.initializers class.")
