"""Regression metrics: MAE, MSE, RMSE, MAPE (a percentage), MSLE, log-cosh, cosine similarity and R^2.

    >>> import numpy as np
    >>> from neuronet.metrics import R2Score
    >>> R2Score()(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))   # 1 - 1 / 2
    0.5
"""
from __future__ import annotations

import numpy as np

from neuronet import losses
from neuronet.metrics.base import METRICS, MeanMetricWrapper, Metric, _match, _weights
from neuronet.ops import row_mean


@METRICS.register(name="MeanAbsoluteError", aliases=("mae", "mean_absolute_error"))
class MeanAbsoluteError(MeanMetricWrapper):
    """mean |y_pred - y_true|."""

    def per_sample(self, y_true, y_pred):
        return row_mean(np.abs(y_pred - y_true))


@METRICS.register(name="MeanSquaredError", aliases=("mse", "mean_squared_error"))
class MeanSquaredError(MeanMetricWrapper):
    """mean (y_pred - y_true)^2."""

    def per_sample(self, y_true, y_pred):
        return row_mean(np.square(y_pred - y_true))


@METRICS.register(name="RootMeanSquaredError", aliases=("rmse", "root_mean_squared_error"))
class RootMeanSquaredError(MeanSquaredError):
    """sqrt(mean (y_pred - y_true)^2) over all samples seen."""

    def result(self) -> float:
        return float(np.sqrt(super().result()))


def _f64(y_true, y_pred):
    return np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)


# The losses' per-sample formulas, instantiated once (not on every update_state call).
_MAPE_LOSS = losses.MeanAbsolutePercentageError()
_MSLE_LOSS = losses.MeanSquaredLogarithmicError()
_LOGCOSH_LOSS = losses.LogCosh()


@METRICS.register(name="MeanAbsolutePercentageError", aliases=("mape", "mean_absolute_percentage_error"))
class MeanAbsolutePercentageError(MeanMetricWrapper):
    """100 * mean |y - p| / max(|y|, 1e-7): a percentage as in Keras (scikit-learn's is a fraction)."""

    def per_sample(self, y_true, y_pred):
        return _MAPE_LOSS.per_sample(*_f64(y_true, y_pred))


@METRICS.register(name="MeanSquaredLogarithmicError", aliases=("msle", "mean_squared_logarithmic_error"))
class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """mean (log(1 + max(p, 1e-7)) - log(1 + max(y, 1e-7)))^2."""

    def per_sample(self, y_true, y_pred):
        return _MSLE_LOSS.per_sample(*_f64(y_true, y_pred))


@METRICS.register(name="LogCoshError", aliases=("logcosh", "log_cosh", "log_cosh_error"))
class LogCoshError(MeanMetricWrapper):
    """mean log(cosh(p - y)), computed without overflow (the LogCosh loss's formula); Keras' name 'logcosh'."""

    def __init__(self, name="logcosh"):
        super().__init__(name)

    def per_sample(self, y_true, y_pred):
        return _LOGCOSH_LOSS.per_sample(*_f64(y_true, y_pred))


@METRICS.register(name="CosineSimilarity", aliases=("cosine_similarity",))
class CosineSimilarity(MeanMetricWrapper):
    """mean over samples of  sum_k y_k p_k / (max(||y||, 1e-6) max(||p||, 1e-6))  (Keras' l2_normalize,
    which divides by sqrt(max(sum x^2, 1e-12))): 1 for parallel rows, -1 for opposite ones, 0 for a zero row.
    Rows are scaled by their largest |value| first, so the squares cannot overflow.

        >>> y, p = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0], [1.0, 1.0]])
        >>> round(CosineSimilarity()(y, p), 6)                 # (1 / sqrt(2) + 1) / 2
        0.853553
    """

    def __init__(self, name="cosine_similarity"):
        super().__init__(name)

    def per_sample(self, y_true, y_pred):
        y, p = _f64(y_true, y_pred)
        y, p = np.broadcast_to(y, p.shape), p
        return np.sum(_l2_normalize(y) * _l2_normalize(p), axis=-1)


def _l2_normalize(x):
    """x / sqrt(max(sum x^2, 1e-12)) over the last axis, without overflow for large |x|."""
    scale = np.max(np.abs(x), axis=-1, keepdims=True)
    scale = np.where(scale > 0, scale, 1.0)
    scaled = x / scale
    norm = np.sqrt(np.sum(np.square(scaled), axis=-1, keepdims=True)) * scale
    return x / np.maximum(norm, 1e-6)


@METRICS.register(name="R2Score", aliases=("r2_score", "r2"))
class R2Score(Metric):
    """Coefficient of determination per output, uniformly averaged (scikit-learn's r2_score):

        R^2 = 1 - sum w (y - p)^2 / sum w (y - mean_w(y))^2

    The weighted mean and the total sum of squares are merged batch by batch (Chan et al.), so the
    streamed result equals the one-shot formula without cancellation. A constant target gives 1.0 when
    predicted exactly and 0.0 otherwise (scikit-learn's force_finite).
    """

    def __init__(self, name="r2_score"):
        super().__init__(name)

    def reset_state(self):
        self.count, self.mean, self.m2, self.ss_res = 0.0, 0.0, 0.0, 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if y_pred.ndim == 1:
            y_pred = y_pred.reshape(-1, 1)
        y_true = _match(y_true, y_pred).astype(np.float64).reshape(y_pred.shape)
        w = _weights(sample_weight, y_pred.shape[0])
        with np.errstate(under="ignore"):
            batch_count = float(np.sum(w))
            if batch_count <= 0:
                return
            batch_mean = np.sum(w * y_true, axis=0) / batch_count
            batch_m2 = np.sum(w * np.square(y_true - batch_mean), axis=0)
            delta = batch_mean - self.mean
            total = self.count + batch_count
            self.mean = self.mean + delta * (batch_count / total)
            self.m2 = self.m2 + batch_m2 + np.square(delta) * (self.count * batch_count / total)
            self.count = total
            self.ss_res = self.ss_res + np.sum(w * np.square(y_true - y_pred), axis=0)

    def result(self) -> float:
        if not self.count:
            return 0.0
        m2, ss_res = np.atleast_1d(self.m2), np.atleast_1d(self.ss_res)
        safe = np.where(m2 > 0, m2, 1.0)
        scores = np.where(m2 > 0, 1.0 - ss_res / safe, np.where(ss_res == 0, 1.0, 0.0))
        return float(np.mean(scores))
