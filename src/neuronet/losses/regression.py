"""Regression losses: MSE, MAE, MSLE, MAPE, Huber, log-cosh, cosine similarity. K is the width of the last
axis.

    >>> import numpy as np
    >>> from neuronet.losses import MeanSquaredError, Huber
    >>> MeanSquaredError()(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]]))    # (0 + 4) / 2
    2.0
    >>> Huber(delta=1.0)(np.array([[0.0]]), np.array([[3.0]]))                # 1 * (3 - 0.5)
    2.5
    >>> MeanSquaredError(reduction="none")(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]]))
    array([2.])
"""
from __future__ import annotations

import numpy as np

from neuronet.losses.base import EPSILON, LOSSES, Loss, log1pexp
from neuronet.ops import row_mean
from neuronet.utils.validation import check_number

_NORM_MIN = 1e-6   # Keras' l2_normalize: x / sqrt(max(sum x^2, 1e-12)), i.e. x / max(||x||, 1e-6)

_LOG2 = float(np.log(2.0))


@LOSSES.register(name="MeanSquaredError", aliases=("mse", "mean_squared_error"))
class MeanSquaredError(Loss):
    """l_i = mean_k (y_pred - y_true)^2;  dl_i/dy_pred = 2 (y_pred - y_true) / K."""

    def per_sample(self, y_true, y_pred):
        return row_mean(np.square(y_pred - y_true))

    def per_sample_grad(self, y_true, y_pred):
        diff = y_pred - y_true
        diff *= np.array(2.0 / y_pred.shape[-1], dtype=diff.dtype)   # 0-d: no per-call float conversion
        return diff


@LOSSES.register(name="MeanAbsoluteError", aliases=("mae", "mean_absolute_error"))
class MeanAbsoluteError(Loss):
    """l_i = mean_k |y_pred - y_true|;  dl_i/dy_pred = sign(y_pred - y_true) / K."""

    def per_sample(self, y_true, y_pred):
        return row_mean(np.abs(y_pred - y_true))

    def per_sample_grad(self, y_true, y_pred):
        return np.sign(y_pred - y_true) * (1.0 / y_pred.shape[-1])


@LOSSES.register(name="MeanSquaredLogarithmicError", aliases=("msle", "mean_squared_logarithmic_error"))
class MeanSquaredLogarithmicError(Loss):
    """l_i = mean_k (log(1 + max(p, eps)) - log(1 + max(y, eps)))^2 (Keras clips both at eps = 1e-7);
    dl/dp = 2 (log(1 + p) - log(1 + y)) / (1 + p) / K where p > eps, else 0."""

    def per_sample(self, y_true, y_pred):
        diff = np.log1p(np.maximum(y_pred, EPSILON)) - np.log1p(np.maximum(y_true, EPSILON))
        return row_mean(np.square(diff))

    def per_sample_grad(self, y_true, y_pred):
        p = np.maximum(y_pred, EPSILON)
        diff = np.log1p(p) - np.log1p(np.maximum(y_true, EPSILON))
        return 2.0 * diff / (1.0 + p) * (y_pred > EPSILON) * (1.0 / y_pred.shape[-1])


@LOSSES.register(name="MeanAbsolutePercentageError", aliases=("mape", "mean_absolute_percentage_error"))
class MeanAbsolutePercentageError(Loss):
    """l_i = 100 * mean_k |y - p| / max(|y|, eps)  (a percentage, as Keras; scikit-learn's is a fraction);
    dl/dp = 100 * sign(p - y) / max(|y|, eps) / K."""

    def per_sample(self, y_true, y_pred):
        return 100.0 * row_mean(np.abs(y_true - y_pred) / np.maximum(np.abs(y_true), EPSILON))

    def per_sample_grad(self, y_true, y_pred):
        return np.sign(y_pred - y_true) / np.maximum(np.abs(y_true), EPSILON) * (100.0 / y_pred.shape[-1])


@LOSSES.register(name="Huber", aliases=("huber", "huber_loss"))
class Huber(Loss):
    """With e = p - y:  l_i = mean_k [0.5 e^2 if |e| <= delta else delta (|e| - 0.5 delta)];
    dl/dp = clip(e, -delta, delta) / K.  Keras' default delta = 1.0."""
    default_name = "huber_loss"

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name=None):   # Keras 3's order
        self.delta = check_number(delta, "delta", minimum=0, strict=True)
        super().__init__(name, reduction=reduction)

    def per_sample(self, y_true, y_pred):
        abs_e = np.abs(y_pred - y_true)
        quad = np.minimum(abs_e, self.delta)
        return row_mean(0.5 * np.square(quad) + self.delta * (abs_e - quad))

    def per_sample_grad(self, y_true, y_pred):
        return np.clip(y_pred - y_true, -self.delta, self.delta) * (1.0 / y_pred.shape[-1])

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


@LOSSES.register(name="LogCosh", aliases=("log_cosh", "logcosh"))
class LogCosh(Loss):
    """With e = p - y:  l_i = mean_k log(cosh(e));  dl/dp = tanh(e) / K.

    Computed stably: |e| + softplus(-2|e|) - log 2 for |e| >= 1 (no overflow at any e), and
    log1p(2 sinh^2(e/2)) below 1 (no cancellation: log cosh(1e-4) = 5e-9, not 0 or negative).
    """

    def per_sample(self, y_true, y_pred):
        a = np.abs(y_pred - y_true)
        small = np.minimum(a, 1.0)
        near = np.log1p(2.0 * np.square(np.sinh(0.5 * small)))
        far = a + log1pexp(-2.0 * a) - _LOG2
        return row_mean(np.where(a < 1.0, near, far))

    def per_sample_grad(self, y_true, y_pred):
        return np.tanh(y_pred - y_true) * (1.0 / y_pred.shape[-1])


@LOSSES.register(name="CosineSimilarity", aliases=("cosine_similarity",))
class CosineSimilarity(Loss):
    """Keras' cosine similarity loss, the negative cosine along ``axis`` (in [-1, 1]: -1 for parallel rows,
    1 for opposite ones, 0 when either row is zero):

        l_i = -sum_k u_k v_k,   u = y / ||y||,   v = p / ||p||,   ||x|| = sqrt(max(sum_k x_k^2, 1e-12))

    Backward, with c = sum_k u_k v_k (the cosine) and r = ||p||:
        dl/dp = -(u - c v) / r     where sum_k p_k^2 > 1e-12
        dl/dp = -u / 1e-6          where the norm is clamped (v = p / 1e-6 is then linear in p)
    Zero rows give finite values: u = 0 (zero target) makes l and dl/dp 0. Norms are computed from the rows
    scaled by their largest |x|, so the squares neither overflow nor vanish. With more than one axis besides
    the batch axis there is one l per position of the axes left, as in Keras (and as every loss here): the
    reduction then averages or adds them all, and reduction='none' returns them.

        >>> y, p = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])
        >>> round(CosineSimilarity(axis=1)(y, p), 6)           # -(0 + 1) / 2, Keras' documented example
        -0.5
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name=None):
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise ValueError(f"Received an invalid value for `axis`, expected an integer (the features axis, "
                             f"default -1). Received: axis={axis!r}")
        self.axis = int(axis)
        super().__init__(name, reduction=reduction)

    def _unit(self, x):
        """(x / ||x||, ||x|| clamped at 1e-6, whether ||x|| > 1e-6), along the features axis (kept)."""
        axis = self.axis % x.ndim if -x.ndim <= self.axis < x.ndim else None
        if not axis:        # None (out of range) or 0, the batch axis
            raise ValueError(f"CosineSimilarity compares each sample's features along `axis`; axis={self.axis} "
                             f"is {'the batch axis' if axis == 0 else 'out of range'} for predictions of shape "
                             f"{x.shape}. Use axis=-1 (the default).")
        scale = np.max(np.abs(x), axis=axis, keepdims=True)
        scale = np.where(scale > 0, scale, x.dtype.type(1))
        norm = np.sqrt(np.sum(np.square(x / scale), axis=axis, keepdims=True)) * scale
        r = np.maximum(norm, _NORM_MIN)
        return x / r, r, norm > _NORM_MIN

    def per_sample(self, y_true, y_pred):
        u, _, _ = self._unit(np.broadcast_to(y_true, y_pred.shape))
        v, _, _ = self._unit(y_pred)
        return -np.sum(u * v, axis=self.axis)

    def per_sample_grad(self, y_true, y_pred):
        u, _, _ = self._unit(np.broadcast_to(y_true, y_pred.shape))
        v, r, unclamped = self._unit(y_pred)
        c = np.sum(u * v, axis=self.axis, keepdims=True)
        return -(u - c * v * unclamped) / r

    def _value_count(self, grad):
        """One loss value per position of the axes other than ``axis``."""
        return grad.size // grad.shape[self.axis] if grad.size else 0

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
