"""Normalization: standardize features with a mean and variance given or learned by ``adapt``."""
from __future__ import annotations

import numpy as np

from neuronet.config import epsilon
from neuronet.layers.base import WeightAttribute
from neuronet.layers.preprocessing.base import PreprocessingLayer


def _check_axis(axis):
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool) else axis
    if not isinstance(axes, (tuple, list)) or not all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
        raise ValueError(f"Received an invalid value for `axis`, expected an integer, a tuple of integers or "
                         f"None. Received: axis={axis!r}")
    return tuple(int(a) for a in axes)


class Normalization(PreprocessingLayer):
    """Shift and scale each feature to mean 0 and standard deviation 1 (Keras' Normalization):

        y = (x - mean) / max(sqrt(variance), eps)          invert=True:  x = mean + y * max(sqrt(variance), eps)

    eps = ``backend.epsilon()``. ``mean`` and ``variance`` are given, or learned by ``adapt(data)`` as the
    mean and the (biased) variance over every axis but ``axis`` (default -1: one pair per feature; None:
    one pair for all values). Learned values are the layer's non-trainable weights ``mean``, ``variance``
    and ``count`` (the samples seen, kept as Keras does), saved with the model.

    Backward (the layer has no trainable weight, but can sit after trainable layers):
        dL/dx = g / max(sqrt(variance), eps)           invert=True: dL/dx = g * max(sqrt(variance), eps)

        >>> import numpy as np
        >>> layer = Normalization(axis=None)
        >>> layer.adapt(np.array([1., 2., 3., 4., 5.]))
        >>> print(layer(np.array([1., 2., 3.])))
        [-1.4142135  -0.70710677  0.        ]
    """

    mean, variance, count = WeightAttribute(), WeightAttribute(), WeightAttribute()
    differentiable = True

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = _check_axis(axis)
        if (mean is None) != (variance is None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be set. "
                             f"Received: mean={mean!r} and variance={variance!r}")
        self.input_mean = None if mean is None else np.asarray(mean, dtype=np.float64)
        self.input_variance = None if variance is None else np.asarray(variance, dtype=np.float64)
        if self.input_variance is not None and (self.input_variance < 0).any():
            raise ValueError(f"Received an invalid value for `variance`, expected non-negative values. "
                             f"Received: variance={variance!r}")
        self.invert = bool(invert)

    # ---- shapes ----------------------------------------------------------------------------------------
    def _kept_shape(self, full_shape):
        """The shape of mean and variance for inputs of ``full_shape`` (batch axis included)."""
        if self.axis is None:
            return ()
        ndim = len(full_shape)
        axes = [a + ndim if a < 0 else a for a in self.axis]
        if any(not 0 <= a < ndim for a in axes) or (0 in axes and ndim > 1):
            raise ValueError(f"Received an invalid value for `axis`: {self.axis} for inputs of shape "
                             f"{full_shape}; expected feature axes (not the batch axis 0).")
        return tuple(full_shape[a] for a in sorted(axes))

    def _broadcast(self, values, ndim):
        """``values`` (kept shape) reshaped to broadcast against inputs of ``ndim`` dimensions."""
        if self.axis is None:
            return values
        axes = sorted(a + ndim if a < 0 else a for a in self.axis)
        shape = [1] * ndim
        for a, size in zip(axes, np.shape(values) or (1,) * len(axes)):
            shape[a] = size
        return np.reshape(values, shape)

    def build(self, input_shape):
        super().build(input_shape)
        if self.input_mean is not None:
            return
        kept = self._kept_shape((1, *self.input_shape))
        if "mean" in self.states:
            if self.states["mean"].shape != kept:
                raise ValueError(f"Normalization {self.name!r} was adapted on features of shape "
                                 f"{self.states['mean'].shape} but is built for inputs of shape "
                                 f"{(None, *self.input_shape)}.")
            return
        self.states["mean"] = np.zeros(kept, dtype=self.dtype)
        self.states["variance"] = np.ones(kept, dtype=self.dtype)
        self.states["count"] = np.zeros(1, dtype=np.int64)      # (1,): the archive keeps 1-D arrays

    # ---- adapt -----------------------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learn mean and variance from ``data`` (samples along axis 0)."""
        if self.input_mean is not None:
            raise ValueError(f"Normalization {self.name!r} was created with `mean` and `variance`; adapt() "
                             "would replace them. Create the layer without them to learn them from data.")
        x = np.asarray(data, dtype=np.float64)
        if x.size == 0 or not np.isfinite(x).all():
            raise ValueError(f"Normalization.adapt needs finite, non-empty data; received an array of shape "
                             f"{x.shape} with {np.size(x) - np.isfinite(x).sum()} non-finite values.")
        kept = self._kept_shape(x.shape)
        keep = () if self.axis is None else tuple(sorted(a + x.ndim if a < 0 else a for a in self.axis))
        reduce = tuple(a for a in range(x.ndim) if a not in keep)
        mean = x.mean(axis=reduce).reshape(kept)
        variance = x.var(axis=reduce).reshape(kept)
        if not self.built:
            shape = self.declared_input_shape if self.declared_input_shape is not None else x.shape[1:]
            if self.declared_input_shape is None and shape:
                self.declared_input_shape = tuple(shape)   # a Sequential it starts builds from it, as Keras
            self.build(shape)
        if self.states["mean"].shape != kept:
            raise ValueError(f"Normalization {self.name!r} is built for inputs of shape "
                             f"{(None, *self.input_shape)}; adapt() received data of shape {x.shape}.")
        self.states["mean"][...] = mean
        self.states["variance"][...] = variance
        self.states["count"][...] = x.shape[0]

    # ---- computing -------------------------------------------------------------------------------------
    def _scale_and_mean(self, ndim):
        if self.input_mean is not None:
            mean, var = self.input_mean, self.input_variance
        else:
            mean, var = self.states["mean"], self.states["variance"]
        scale = np.maximum(np.sqrt(var), epsilon())
        return (self._broadcast(scale, ndim).astype(self.dtype, copy=False),
                self._broadcast(mean, ndim).astype(self.dtype, copy=False))

    def forward(self, x, training=False):
        x = np.asarray(x, dtype=self.dtype)
        scale, mean = self._scale_and_mean(x.ndim)
        self._scale = scale
        return mean + x * scale if self.invert else (x - mean) / scale

    def input_gradient(self, grad):
        return grad * self._scale if self.invert else grad / self._scale

    def get_config(self):
        listed = (lambda v: None if v is None else v.tolist())
        return {**super().get_config(), "axis": None if self.axis is None else
                (self.axis[0] if len(self.axis) == 1 else list(self.axis)),
                "mean": listed(self.input_mean), "variance": listed(self.input_variance), "invert": self.invert}
