"""Every metric against scikit-learn.metrics on random data (1e-6), streaming, names and extremes."""
import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from neuronet import losses, metrics
from neuronet.metrics import METRICS

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


@pytest.fixture
def binary():
    y = RNG.integers(0, 2, size=N)
    p = np.clip(0.35 * y + RNG.uniform(0, 0.7, size=N), 0, 1)
    return y, p.reshape(-1, 1)


def test_binary_metrics_match_sklearn(binary):
    y, p = binary
    hard = (p[:, 0] > 0.5).astype(int)
    cases = {metrics.BinaryAccuracy(): skm.accuracy_score(y, hard),
             metrics.Precision(): skm.precision_score(y, hard),
             metrics.Recall(): skm.recall_score(y, hard),
             metrics.F1Score(): skm.f1_score(y, hard),
             metrics.AUC(): skm.roc_auc_score(y, p[:, 0])}
    for metric, expected in cases.items():
        assert _streamed(metric, y, p) == pytest.approx(expected, abs=1e-6), metric


def test_weighted_binary_metrics_match_sklearn(binary):
    y, p = binary
    w = RNG.uniform(0.1, 3.0, size=N)
    hard = (p[:, 0] > 0.5).astype(int)
    assert _streamed(metrics.Precision(), y, p, w) == pytest.approx(skm.precision_score(y, hard, sample_weight=w))
    assert _streamed(metrics.Recall(), y, p, w) == pytest.approx(skm.recall_score(y, hard, sample_weight=w))
    assert _streamed(metrics.F1Score(), y, p, w) == pytest.approx(skm.f1_score(y, hard, sample_weight=w))
    assert _streamed(metrics.AUC(), y, p, w) == pytest.approx(skm.roc_auc_score(y, p[:, 0], sample_weight=w))


def test_auc_with_ties_is_exact():
    y = RNG.integers(0, 2, size=N)
    p = np.round(RNG.uniform(size=N) + 0.3 * y, 1)          # many tied scores
    assert metrics.AUC()(y, p) == pytest.approx(skm.roc_auc_score(y, p), abs=1e-12)


def test_multilabel_metrics_match_sklearn():
    y = RNG.integers(0, 2, size=(N, 4))
    p = np.clip(0.3 * y + RNG.uniform(0, 0.75, size=y.shape), 0, 1)
    hard = (p > 0.5).astype(int)
    assert _streamed(metrics.Precision(), y, p) == pytest.approx(skm.precision_score(y, hard, average="micro"))
    assert _streamed(metrics.Recall(), y, p) == pytest.approx(skm.recall_score(y, hard, average="micro"))
    assert _streamed(metrics.F1Score(), y, p) == pytest.approx(skm.f1_score(y, hard, average="micro"))
    assert _streamed(metrics.F1Score(average="macro"), y, p) == pytest.approx(skm.f1_score(y, hard, average="macro"))
    assert _streamed(metrics.AUC(), y, p) == pytest.approx(skm.roc_auc_score(y, p, average="micro"))
    # per-label accuracy: the mean over labels (1 - Hamming loss), not scikit-learn's subset accuracy
    assert _streamed(metrics.BinaryAccuracy(), y, p) == pytest.approx(1 - skm.hamming_loss(y, hard))


def test_accuracy_for_multilabel_output_is_per_label():
    m = metrics.get("accuracy", loss=losses.get("binary_crossentropy"), output_shape=(3,))
    assert isinstance(m, metrics.BinaryAccuracy) and m.name == "accuracy"
    y = np.array([[1, 0, 1], [0, 0, 1]])
    p = np.array([[0.9, 0.8, 0.7], [0.1, 0.2, 0.3]])
    assert m(y, p) == pytest.approx(4 / 6)


def test_equal_error_rate_matches_roc_crossing(binary):
    y, p = binary
    fpr, tpr, _ = skm.roc_curve(y, p[:, 0], drop_intermediate=False)
    fnr = 1 - tpr
    i = np.flatnonzero(fpr - fnr < 0)[-1]                  # last point before the crossing
    t = (fnr[i] - fpr[i]) / ((fpr[i + 1] - fpr[i]) - (fnr[i + 1] - fnr[i]))
    crossing = fpr[i] + t * (fpr[i + 1] - fpr[i])
    eer = _streamed(metrics.get("eer"), y, p)
    assert eer == pytest.approx(crossing, abs=1e-9)
    assert eer == pytest.approx(fnr[i] + t * (fnr[i + 1] - fnr[i]), abs=1e-9)   # FPR = FNR there
    assert metrics.EER()(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9])) == 0.0
    assert metrics.EER()(np.array([0, 0, 1, 1]), np.array([0.9, 0.8, 0.2, 0.1])) == 1.0


def test_categorical_and_top_k_match_sklearn():
    labels = RNG.integers(0, 6, size=N)
    scores = RNG.dirichlet(np.ones(6), size=N)
    onehot = np.eye(6)[labels]
    assert _streamed(metrics.CategoricalAccuracy(), onehot, scores) == pytest.approx(
        skm.accuracy_score(labels, scores.argmax(1)))
    assert _streamed(metrics.SparseCategoricalAccuracy(), labels, scores) == pytest.approx(
        skm.accuracy_score(labels, scores.argmax(1)))
    for k in (1, 3, 5):
        expected = skm.top_k_accuracy_score(labels, scores, k=k, labels=np.arange(6))
        assert _streamed(metrics.TopKCategoricalAccuracy(k=k), onehot, scores) == pytest.approx(expected)
        assert _streamed(metrics.SparseTopKCategoricalAccuracy(k=k), labels, scores) == pytest.approx(expected)
    assert metrics.get("top_k_categorical_accuracy").k == 5


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


def test_names_aliases_and_history_keys():
    for alias in ("f1", "fmeasure", "f1_score"):
        metric = metrics.get(alias)
        assert isinstance(metric, metrics.F1Score) and metric.name == alias
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert isinstance(metrics.get("r2"), metrics.R2Score)
    with pytest.raises(ValueError, match="Did you mean 'recall'"):
        metrics.get("recal")
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="PR")
    with pytest.raises(ValueError, match="threshold"):
        metrics.Precision(threshold=2)


@pytest.mark.parametrize("name", sorted({METRICS.canonical(n) for n in METRICS.names()}))
def test_config_round_trip_and_finite_on_extremes(name):
    metric = metrics.get(name)
    again = METRICS.get(metrics.serialize(metric))
    assert type(again) is type(metric) and again.get_config() == metric.get_config()
    sparse = "Sparse" in name
    for dtype in (np.float32, np.float64):
        for values in ([1e4, -1e4, 1e-30, 0.0], [1e4] * 4, [1e-30] * 4, [-1e4, 1e4, 1e4, -1e4]):
            y_pred = np.array([values, values[::-1]], dtype)
            y_true = np.array([0, 3]) if sparse else np.array([[1, 0, 0, 1], [0, 1, 1e4, 1e-30]], dtype)
            with warnings.catch_warnings(), np.errstate(all="raise"):
                warnings.simplefilter("error")
                metric.reset_state()
                metric.update_state(y_true, y_pred)
                metric.update_state(y_true, y_pred, np.array([1.0, 2.0]))
                assert np.isfinite(metric.result()), (name, values)


def test_metrics_in_fit_history():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    x = RNG.normal(size=(64, 3)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(3,))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", "auc", "f1", "eer"])
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert {"accuracy", "auc", "f1", "eer"} <= set(history.history)
    result = model.evaluate(x, y, verbose=0)
    probs = model.predict(x, verbose=0)[:, 0]
    assert result[2] == pytest.approx(skm.roc_auc_score(y, probs), abs=1e-6)
