"""Regression losses: MSE, MAE, MSLE, MAPE, Huber, log-cosh. K is the width of the last axis.

    >>> import numpy as np
    >>> from neuronet.losses import MeanSquaredError, Huber
    >>> MeanSquaredError()(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]]))    # (0 + 4) / 2
    2.0
    >>> Huber(delta=1.0)(np.array([[0.0]]), np.array([[3.0]]))                # 1 * (3 - 0.5)
    2.5
"""
from __future__ import annotations

import numpy as np

from neuronet.losses.base import EPSILON, LOSSES, Loss, log1pexp
from neuronet.utils.numeric import row_mean
from neuronet.utils.validation import check_number

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

    def __init__(self, delta=1.0, name=None):
        self.delta = check_number(delta, "delta", minimum=0, strict=True)
        super().__init__(name)

    def per_sample(self, y_true, y_pred):
        abs_e = np.abs(y_pred - y_true)
        quad = np.minimum(abs_e, self.delta)
        return row_mean(0.5 * np.square(quad) + self.delta * (abs_e - quad))

    def per_sample_grad(self, y_true, y_pred):
        return np.clip(y_pred - y_true, -self.delta, self.delta) * (1.0 / y_pred.shape[-1])

    def get_config(self):
        return {"name": self.name, "delta": self.delta}


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
