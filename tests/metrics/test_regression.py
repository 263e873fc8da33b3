"""Regression metrics against scikit-learn, R2 edge cases."""
import numpy as np
import pytest
from sklearn import metrics as skm

from neuronet import metrics


RNG = np.random.default_rng(0)


N = 200


def _streamed(metric, y_true, y_pred, weights=None, batch=37):
    """The metric accumulated over batches, as fit/evaluate use it."""
    metric.reset_state()
    for start in range(0, len(y_true), batch):
        stop = start + batch
        metric.update_state(y_true[start:stop], y_pred[start:stop],
                            None if weights is None else weights[start:stop])
    return metric.result()


def test_regression_metrics_match_sklearn():
    y = RNG.uniform(0.5, 5.0, size=(N, 2))
    p = np.abs(y + RNG.normal(size=y.shape))
    w = RNG.uniform(0.2, 2.0, size=N)
    assert _streamed(metrics.get("mae"), y, p) == pytest.approx(skm.mean_absolute_error(y, p), abs=1e-6)
    assert _streamed(metrics.get("mse"), y, p) == pytest.approx(skm.mean_squared_error(y, p), abs=1e-6)
    # Keras' RMSE is sqrt of the pooled MSE; scikit-learn averages per-output RMSEs: compare one output
    assert _streamed(metrics.get("rmse"), y, p) == pytest.approx(np.sqrt(skm.mean_squared_error(y, p)), abs=1e-6)
    assert _streamed(metrics.get("rmse"), y[:, 0], p[:, :1]) == pytest.approx(
        skm.root_mean_squared_error(y[:, 0], p[:, 0]), abs=1e-6)
    # Keras' MAPE is a percentage, scikit-learn's a fraction
    assert _streamed(metrics.get("mape"), y, p) == pytest.approx(
        100 * skm.mean_absolute_percentage_error(y, p), abs=1e-6)
    assert _streamed(metrics.get("msle"), y, p) == pytest.approx(skm.mean_squared_log_error(y, p), abs=1e-6)
    assert _streamed(metrics.get("r2"), y, p) == pytest.approx(skm.r2_score(y, p), abs=1e-6)
    assert _streamed(metrics.R2Score(), y, p, w) == pytest.approx(skm.r2_score(y, p, sample_weight=w), abs=1e-6)
    y1 = y[:, 0]
    assert _streamed(metrics.R2Score(), y1, p[:, :1]) == pytest.approx(skm.r2_score(y1, p[:, 0]), abs=1e-6)


def test_r2_constant_target_and_large_offset():
    assert metrics.R2Score()(np.full(5, 3.0), np.full(5, 3.0)) == 1.0
    assert metrics.R2Score()(np.full(5, 3.0), np.arange(5.0)) == 0.0
    y = 1e8 + RNG.normal(size=N)                              # no cancellation when streamed
    p = y + 0.1 * RNG.normal(size=N)
    assert _streamed(metrics.R2Score(), y, p, batch=7) == pytest.approx(skm.r2_score(y, p), abs=1e-6)
