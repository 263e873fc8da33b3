"""Discretization: bucket continuous values by bin boundaries, given or learned as quantiles by ``adapt``."""
from __future__ import annotations

import numpy as np

from neuronet import config
from neuronet.layers.preprocessing.base import (PreprocessingLayer, check_output_mode, encode,
                                                 encoded_shape)


def _summary(values, eps):
    """Keras' quantile sketch of ``values``: the sorted values, thinned to every k-th one (k = int(n eps),
    starting at the k-th) when there are more than 1/eps of them, each weighted by k."""
    values = np.sort(np.ravel(values).astype(np.float32))
    increment = values.size * eps
    step = max(increment, 1)
    points = values[int(increment)::int(step)]
    return points, np.full(points.size, step, dtype=np.float64)


def _compress(points, weights, eps):
    """The points at cumulative weight fractions eps, 2 eps, ..., 1 (linear interpolation), with the
    weight between consecutive ones; unchanged when there are fewer than 1/eps points."""
    if points.size * eps < 1:
        return points, weights
    fractions = eps + np.arange(0.0, 1.0, eps)
    cumulative = np.cumsum(weights)
    new_points = np.interp(fractions, cumulative / cumulative[-1], points)
    new_cumulative = np.interp(fractions, cumulative / cumulative[-1], cumulative)
    return new_points.astype(np.float32), np.diff(new_cumulative, prepend=0.0)


class Discretization(PreprocessingLayer):
    """Bucket index of each value (Keras' Discretization): with boundaries b_0 < b_1 < ... < b_{k-1},

        index(x) = number of boundaries <= x        (bins (-inf, b_0), [b_0, b_1), ..., [b_{k-1}, inf))

    ``bin_boundaries`` are given, or ``num_bins`` bins of about equal counts are learned by ``adapt(data)``:
    the boundaries are the data's quantiles 1/num_bins, ..., (num_bins-1)/num_bins, computed as Keras does
    (a sketch with tolerance ``epsilon``; exact interpolated quantiles while the data has fewer than
    1/epsilon values). ``output_mode`` encodes the indices ('int', 'one_hot', 'multi_hot', 'count';
    see CategoryEncoding). Called on data the 'int' indices are int64, as Keras; inside a model they are
    floats of the model's dtype.

        >>> import numpy as np
        >>> x = np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
        >>> Discretization(bin_boundaries=[0., 1., 2.])(x).tolist()
        [[0, 2, 3, 1], [1, 3, 2, 1]]
        >>> layer = Discretization(num_bins=4, epsilon=0.01)
        >>> layer.adapt(x)
        >>> layer(x).tolist()
        [[0, 2, 3, 2], [1, 3, 3, 1]]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 **kwargs):
        super().__init__(**kwargs)
        if sparse:
            raise ValueError("Discretization(sparse=True) returns TensorFlow sparse tensors in Keras; neuronet "
                             "computes dense arrays only. Received: sparse=True")
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer))
                                     or num_bins < 0):
            raise ValueError(f"`num_bins` must be an integer greater than or equal to 0. Received: "
                             f"num_bins={num_bins!r}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"Both `num_bins` and `bin_boundaries` should not be set. Received: "
                             f"num_bins={num_bins!r} and bin_boundaries={bin_boundaries!r}")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        if not (isinstance(epsilon, (int, float)) and 0 < epsilon < 1):
            raise ValueError(f"Received an invalid value for `epsilon`, expected a number in (0, 1). "
                             f"Received: epsilon={epsilon!r}")
        self.output_mode = check_output_mode(output_mode)
        self.num_bins, self.epsilon = num_bins, float(epsilon)
        self.bin_boundaries = None if bin_boundaries is None else self._check_boundaries(bin_boundaries)

    @staticmethod
    def _check_boundaries(boundaries):
        values = [float(b) for b in boundaries]
        if any(b >= a for b, a in zip(values, values[1:])) or not np.isfinite(values).all():
            raise ValueError(f"Received an invalid value for `bin_boundaries`, expected finite increasing "
                             f"numbers. Received: bin_boundaries={boundaries!r}")
        return values

    def adapt(self, data, batch_size=None, steps=None):
        """Learn ``num_bins - 1`` boundaries from the quantiles of every value in ``data``."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized with "
                             "`bin_boundaries`, use `num_bins` instead.")
        values = np.asarray(data, dtype=np.float64)
        if values.size == 0 or not np.isfinite(values).all():
            raise ValueError(f"Discretization.adapt needs finite, non-empty data; received shape {values.shape}.")
        points, weights = _compress(*_summary(values, self.epsilon), self.epsilon)
        points, _ = _compress(points, weights, 1.0 / self.num_bins) if self.num_bins else (points, weights)
        self.bin_boundaries = [float(b) for b in points[:-1]]

    @property
    def depth(self):
        return len(self.bin_boundaries) + 1

    def compute_output_shape(self, input_shape):
        if self.bin_boundaries is None:
            return tuple(input_shape)      # one_hot / multi_hot shapes are known once the boundaries are
        return encoded_shape((1, *input_shape), self.output_mode, self.depth)[1:]

    def forward(self, x, training=False):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at construction time or "
                             "call `adapt(dataset)` before you can start using the `Discretization` layer.")
        # Values and boundaries in floatx, as Keras compares them (0.1 falls in the bin that 0.1 starts).
        indices = np.digitize(np.asarray(x, dtype=config.floatx()),
                              np.asarray(self.bin_boundaries, dtype=config.floatx()))
        return encode(indices, self.output_mode, self.depth, self.dtype).astype(self.dtype, copy=False)

    def __call__(self, x, training=False):
        out = super().__call__(x, training=training)
        return out.astype(np.int64) if self.output_mode == "int" else out

    def get_config(self):
        return {**super().get_config(), "bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode, "sparse": False}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.pop("bin_boundaries", None)
        if boundaries is not None and config.get("num_bins") is not None:   # adapted: set after creation
            layer = cls(**config)
            layer.bin_boundaries = cls._check_boundaries(boundaries)
            return layer
        return cls(bin_boundaries=boundaries, **config)
