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
             metrics.F1Score(average="micro", threshold=0.5): skm.f1_score(y, hard),
             metrics.get("f1"): skm.f1_score(y, hard),
             metrics.F1Score(): skm.f1_score(y, hard),          # one column: p > 0.5, one score
             metrics.AUC(): skm.roc_auc_score(y, p[:, 0])}
    for metric, expected in cases.items():
        assert _streamed(metric, y, p) == pytest.approx(expected, abs=1e-6), metric


def test_weighted_binary_metrics_match_sklearn(binary):
    y, p = binary
    w = RNG.uniform(0.1, 3.0, size=N)
    hard = (p[:, 0] > 0.5).astype(int)
    assert _streamed(metrics.Precision(), y, p, w) == pytest.approx(skm.precision_score(y, hard, sample_weight=w))
    assert _streamed(metrics.Recall(), y, p, w) == pytest.approx(skm.recall_score(y, hard, sample_weight=w))
    assert _streamed(metrics.get("fmeasure"), y, p, w) == pytest.approx(skm.f1_score(y, hard, sample_weight=w))
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
    for average in (None, "micro", "macro", "weighted"):
        expected = skm.f1_score(y, hard, average=average)
        assert _streamed(metrics.F1Score(average, threshold=0.5), y, p) == pytest.approx(expected), average
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
    assert (metrics.get("f1").average, metrics.get("f1").threshold) == ("micro", 0.5)      # one number
    assert (metrics.get("f1_score").average, metrics.get("f1_score").threshold) == (None, None)   # Keras
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert isinstance(metrics.get("r2"), metrics.R2Score)
    with pytest.raises(ValueError, match="Did you mean 'recall'"):
        metrics.get("recal")
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="DET")
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
                assert np.all(np.isfinite(metric.result())), (name, values)



def test_misspelt_accuracy_suggests_accuracy_and_lists_the_aliases():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    from neuronet.registry import _edit_distance
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    with pytest.raises(ValueError, match="'accuarcy'. Did you mean 'accuracy'[ ?].*Known: acc, accuracy, auc"):
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuarcy"])
    with pytest.raises(ValueError, match="Did you mean 'binary_accuracy'[ ?]"):   # the fewest edits first
        metrics.get("binary_acuracy")
    with pytest.raises(ValueError, match="Known: acc, accuracy, auc"):
        metrics.get(5)
    assert (_edit_distance("accuarcy", "accuracy"), _edit_distance("kitten", "sitting"),
            _edit_distance("", "ab"), _edit_distance("accuarcy", "binary_accuracy")) == (1, 3, 2, 8)

def test_an_empty_registry_reports_the_unknown_name():
    from neuronet.registry import Registry
    with pytest.raises(ValueError, match=r"^Could not interpret plugin identifier: 'x'\. Known: \.$"):
        Registry("plugin").get("x")          # no name to suggest: not difflib's 'n must be > 0: 0'


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


# ---- losses as metrics (Keras' probabilistic, hinge and regression metrics) ---------------------------
Y2, P2 = np.array([[0, 1], [0, 0]]), np.array([[0.6, 0.4], [0.4, 0.6]])
Y_COS, P_COS = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])
P3 = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])


@pytest.mark.parametrize("metric, y, p, w, plain, weighted", [
    # the examples of Keras' documentation (float32 there, hence 1e-6)
    (metrics.BinaryCrossentropy(), Y2, P2, [1, 0], 0.81492424, 0.9162905),
    (metrics.CategoricalCrossentropy(), np.eye(3)[[1, 2]], P3, [0.3, 0.7], 1.1769392, 1.6271976),
    (metrics.SparseCategoricalCrossentropy(), np.array([1, 2]), P3, [0.3, 0.7], 1.1769392, 1.6271976),
    (metrics.KLDivergence(), Y2, P2, [1, 0], 0.45814306, 0.9162892),
    (metrics.Poisson(), Y2, np.array([[1, 1], [0, 0]]), [1, 0], 0.49999997, 0.99999994),
    (metrics.Hinge(), Y2, P2, [1, 0], 1.3, 1.1),
    (metrics.SquaredHinge(), Y2, P2, [1, 0], 1.86, 1.46),
    (metrics.CategoricalHinge(), Y2, P2, [1, 0], 1.4000001, 1.2),
    (metrics.LogCoshError(), Y2, np.array([[1, 1], [0, 0]]), [1, 0], 0.10844523, 0.21689045),
    (metrics.CosineSimilarity(), Y_COS, P_COS, [0.3, 0.7], 0.49999997, 0.6999999),
])
def test_loss_metrics_match_keras_documented_values(metric, y, p, w, plain, weighted):
    assert metric(y, p) == pytest.approx(plain, abs=1e-6)
    assert metric(y, p, np.array(w)) == pytest.approx(weighted, abs=1e-6)


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy", "kl_divergence", "kld", "poisson", "hinge",
                                  "squared_hinge", "categorical_hinge", "log_cosh", "logcosh", "msle",
                                  "mean_squared_logarithmic_error"])
def test_loss_names_are_metrics_equal_to_the_loss(name):
    """Streamed over uneven batches, the metric is the loss's mean (weighted: sum w l / sum w)."""
    labels = RNG.integers(0, 4, size=N)
    probs = RNG.dirichlet(np.ones(4), size=N)
    y = labels if name.startswith("sparse") else np.eye(4)[labels]
    metric, loss = metrics.get(name), losses.get(name)
    assert metric.name == name
    if hasattr(losses, name):          # the Keras function spelling, e.g. metrics=[losses.kld]
        assert type(metrics.get(getattr(losses, name))) is type(metric)
    assert _streamed(metric, y, probs) == pytest.approx(loss(y, probs), rel=1e-9)
    w = RNG.uniform(0.1, 2.0, size=N)
    per = loss.per_sample(loss._prepare_target(y, probs), probs)
    assert _streamed(metric, y, probs, w) == pytest.approx(np.average(per, weights=w), rel=1e-9)


def test_crossentropy_metrics_match_sklearn_log_loss_and_options():
    y = RNG.integers(0, 2, size=N)
    p = RNG.uniform(0.02, 0.98, size=N)
    assert _streamed(metrics.BinaryCrossentropy(), y, p[:, None]) == pytest.approx(skm.log_loss(y, p), rel=1e-9)
    labels = RNG.integers(0, 5, size=N)
    probs = RNG.dirichlet(np.ones(5), size=N)
    expected = skm.log_loss(labels, probs, labels=np.arange(5))
    assert _streamed(metrics.SparseCategoricalCrossentropy(), labels, probs) == pytest.approx(expected, rel=1e-9)
    assert _streamed(metrics.CategoricalCrossentropy(), np.eye(5)[labels], probs) == pytest.approx(expected, rel=1e-9)
    # from_logits: the same value from the logits, and finite (no warning) at +-1000
    z = np.log(probs)
    assert metrics.CategoricalCrossentropy(from_logits=True)(np.eye(5)[labels], z) == pytest.approx(expected, rel=1e-9)
    logit = np.log(p / (1 - p))
    assert metrics.BinaryCrossentropy(from_logits=True)(y, logit) == pytest.approx(skm.log_loss(y, p), rel=1e-9)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        value = metrics.BinaryCrossentropy(from_logits=True)(np.array([0.0, 1, 1]), np.array([1000.0, -1000, 0]))
    assert value == pytest.approx((1000 + 1000 + np.log(2)) / 3, rel=1e-12)
    # label smoothing s: targets y (1 - s) + s / 2 (binary), y (1 - s) + s / K (categorical)
    smooth = metrics.BinaryCrossentropy(label_smoothing=0.2)(np.array([1.0, 0.0]), np.array([0.7, 0.3]))
    assert smooth == pytest.approx(-(0.9 * np.log(0.7) + 0.1 * np.log(0.3)), rel=1e-12)
    smooth = metrics.CategoricalCrossentropy(label_smoothing=0.3)(np.eye(5)[labels], probs)
    assert smooth == pytest.approx(np.mean(-np.sum((0.7 * np.eye(5)[labels] + 0.06) * np.log(probs), axis=1)))
    with pytest.raises(ValueError, match="label_smoothing"):
        metrics.BinaryCrossentropy(label_smoothing=1.5)


# ---- F-scores ---------------------------------------------------------------------------------------
def test_f1_score_keras_example_and_fbeta():
    y = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]])
    p = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    assert metrics.F1Score(threshold=0.5)(y, p) == pytest.approx([0.5, 0.8, 0.6666667], abs=1e-6)
    assert metrics.FBetaScore(beta=2.0, threshold=0.5)(y, p) == pytest.approx(
        [0.3846154, 0.90909094, 0.8333334], abs=1e-6)
    for bad in ({"average": "binary"}, {"beta": 0.0}, {"threshold": 0.0}, {"threshold": 1.5}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            metrics.FBetaScore(**bad)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_fscores_match_sklearn_every_average(average):
    """Multi-class (argmax, integer or one-hot targets) and multi-label (threshold), with sample weights."""
    labels = RNG.integers(0, 4, size=N)
    labels[:4] = np.arange(4)
    scores = RNG.dirichlet(np.ones(4), size=N) + 0.3 * np.eye(4)[labels]
    hard = scores.argmax(1)
    w = RNG.uniform(0.2, 3.0, size=N)
    kw = {"labels": np.arange(4), "average": average}
    for y in (labels, np.eye(4)[labels]):
        assert _streamed(metrics.F1Score(average), y, scores) == pytest.approx(skm.f1_score(labels, hard, **kw))
        assert _streamed(metrics.FBetaScore(average, beta=0.5), y, scores, w) == pytest.approx(
            skm.fbeta_score(labels, hard, beta=0.5, sample_weight=w, **kw))
    multi = RNG.integers(0, 2, size=(N, 3))
    p = np.clip(0.3 * multi + RNG.uniform(0, 0.75, size=multi.shape), 0, 1)
    expected = skm.fbeta_score(multi, (p > 0.4).astype(int), beta=2.0, average=average, sample_weight=w)
    assert _streamed(metrics.FBetaScore(average, beta=2.0, threshold=0.4), multi, p, w) == pytest.approx(expected)


def test_f1_per_class_result_is_an_array_and_round_trips():
    metric = metrics.F1Score()
    assert isinstance(metric(np.eye(3)[[0, 1, 2, 1]], np.eye(3)[[0, 1, 1, 1]]), np.ndarray)
    assert metric(np.eye(3)[[0, 1, 2, 1]], np.eye(3)[[0, 1, 1, 1]]) == pytest.approx([1.0, 0.8, 0.0])
    for m in (metrics.F1Score("weighted", 0.3, name="f1w"), metrics.FBetaScore(None, 2.0, None)):
        again = METRICS.get(metrics.serialize(m))
        assert type(again) is type(m) and again.get_config() == m.get_config()


# ---- AUC: precision-recall curve -------------------------------------------------------------------
def _davis_goadrich_reference(y, s, w=None):
    """The interpolated PR area by numerical quadrature of precision(P) = TP(P) / P over each interval,
    TP and P linear in between (an independent check of the closed form)."""
    from scipy.integrate import quad
    tps, fps = metrics.confusion.cumulative_counts(y, s, w)
    p, area = tps + fps, 0.0
    for a in range(len(p) - 1):
        if p[a + 1] <= p[a] or tps[a + 1] == tps[a]:
            continue
        slope = (tps[a + 1] - tps[a]) / (p[a + 1] - p[a])
        area += quad(lambda q: (tps[a] + slope * (q - p[a])) / q, p[a], p[a + 1], epsabs=1e-13)[0] * slope
    return area / tps[-1]


def test_pr_auc_is_davis_goadrich_and_close_to_average_precision():
    y = RNG.integers(0, 2, size=N)
    s = np.round(RNG.uniform(size=N) + 0.4 * y, 2)              # with ties
    w = RNG.uniform(0.2, 3.0, size=N)
    pr = metrics.AUC(curve="PR")
    for weights in (None, w):
        value = _streamed(pr, y, s[:, None], weights)
        assert value == pytest.approx(_davis_goadrich_reference(y, s, weights), abs=1e-9)
        # scikit-learn's average precision holds the precision at the end of each recall step; the
        # interpolated precision is monotone within a step, so the two differ by at most
        # sum over steps of (recall step) * |precision change over the step|, computed here.
        tps, fps = metrics.confusion.cumulative_counts(y, s, weights)
        prec = np.divide(tps, tps + fps, out=np.ones_like(tps), where=tps + fps > 0)
        prec[0] = prec[1]
        bound = np.sum(np.diff(tps) / tps[-1] * np.abs(np.diff(prec)))
        ap = skm.average_precision_score(y, s, sample_weight=weights)
        assert abs(value - ap) <= bound + 1e-12 and bound < 0.02
    # perfectly separated: 1; no positive: 0; logits give the value of their sigmoid
    assert metrics.AUC(curve="PR")(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9])) == pytest.approx(1.0)
    assert metrics.AUC(curve="PR")(np.zeros(4), np.array([0.1, 0.2, 0.8, 0.9])) == 0.0
    z = RNG.normal(size=N)
    assert metrics.AUC(curve="PR", from_logits=True)(y, z) == pytest.approx(
        metrics.AUC(curve="PR")(y, 1 / (1 + np.exp(-z))), abs=1e-12)


def test_auc_summation_methods_bracket_the_interpolated_area():
    y = RNG.integers(0, 2, size=N)
    s = np.round(RNG.uniform(size=N) + 0.3 * y, 1)
    roc = {m: metrics.AUC(summation_method=m)(y, s) for m in ("minoring", "interpolation", "majoring")}
    assert roc["minoring"] <= roc["interpolation"] <= roc["majoring"]
    assert roc["interpolation"] == pytest.approx(skm.roc_auc_score(y, s), abs=1e-12)
    fpr, tpr, _ = skm.roc_curve(y, s)
    assert roc["minoring"] == pytest.approx(np.sum(np.diff(fpr) * np.minimum(tpr[:-1], tpr[1:])), abs=1e-12)
    with pytest.raises(ValueError, match="summation_method"):
        metrics.AUC(summation_method="riemann")
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)


# ---- in fit: history keys, both metric paths, callbacks, saving ---------------------------------------
def _binary_problem():
    x = RNG.normal(size=(96, 3)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("float32")
    return x, y


def _fit(metric_ids, x, y, per_batch, loss="binary_crossentropy", units=1, act="sigmoid", **kw):
    from neuronet.callbacks import LambdaCallback
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    import neuronet
    neuronet.set_random_seed(7)
    model = Sequential([Dense(4, activation="tanh", input_shape=(x.shape[1],)), Dense(units, activation=act)])
    model.compile(optimizer="adam", loss=loss, metrics=metric_ids)
    cbs = [LambdaCallback(on_train_batch_end=lambda batch, logs: None)] if per_batch else []
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, validation_split=0.25, seed=3,
                        callbacks=cbs + kw.pop("callbacks", []), **kw)
    return model, history


def test_loss_metrics_in_fit_deferred_and_per_batch_paths_agree():
    x, y = _binary_problem()
    ids = ["binary_crossentropy", "hinge", "poisson", "f1_score", "kld",
           metrics.BinaryCrossentropy(name="bce_smooth", label_smoothing=0.1), metrics.AUC(curve="PR", name="pr")]
    runs = [_fit(ids, x, y, per_batch)[1].history for per_batch in (False, True)]
    for key in ("binary_crossentropy", "val_binary_crossentropy", "hinge", "val_poisson", "kld", "bce_smooth",
                "pr", "f1_score", "val_f1_score"):
        assert key in runs[0] and len(runs[0][key]) == 2, key
        assert np.asarray(runs[0][key]) == pytest.approx(np.asarray(runs[1][key]), rel=1e-5), key
    # the metric named like the loss reports the loss (clipped probabilities vs fused logits: equal here)
    assert runs[0]["binary_crossentropy"] == pytest.approx(runs[0]["loss"], rel=1e-5)
    assert runs[0]["val_binary_crossentropy"] == pytest.approx(runs[0]["val_loss"], rel=1e-5)
    assert runs[0]["f1_score"][0].shape == (1,)


def test_per_class_f1_in_fit_evaluate_and_callbacks(tmp_path):
    from neuronet.callbacks import CSVLogger, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
    from neuronet.callbacks.progbar import format_logs
    from neuronet.models import load_model
    x = RNG.normal(size=(120, 3)).astype("float32")
    labels = np.argmax(x @ RNG.normal(size=(3, 3)), axis=1)
    ids = ["sparse_categorical_crossentropy", metrics.F1Score(), metrics.F1Score("macro", name="f1_macro")]
    common = dict(loss="sparse_categorical_crossentropy", units=3, act="softmax")
    model, history = _fit(ids, x, labels, False, callbacks=[CSVLogger(tmp_path / "log.csv")], **common)
    _, per_batch = _fit(ids, x, labels, True, **common)
    assert history.history["val_f1_score"][1].shape == (3,)
    for key in ("f1_score", "val_f1_score", "f1_macro", "sparse_categorical_crossentropy"):
        assert np.asarray(history.history[key]) == pytest.approx(np.asarray(per_batch.history[key]), rel=1e-5)
    logs = model.evaluate(x, labels, verbose=0, return_dict=True)
    hard = model.predict(x, verbose=0).argmax(1)
    assert logs["f1_score"] == pytest.approx(skm.f1_score(labels, hard, average=None, labels=np.arange(3)))
    assert logs["f1_macro"] == pytest.approx(skm.f1_score(labels, hard, average="macro", labels=np.arange(3)))
    assert logs["sparse_categorical_crossentropy"] == pytest.approx(logs["loss"], rel=1e-5)
    line = format_logs(logs)
    assert "f1_score: [" in line and "f1_macro: " in line
    assert format_logs({"f1_score": np.arange(10) / 10}) == \
        "f1_score: [0.0000 0.1000 0.2000 ... 0.7000 0.8000 0.9000]"
    import csv
    import json
    with open(tmp_path / "log.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and np.asarray(json.loads(rows[1]["val_f1_score"])) == pytest.approx(
        history.history["val_f1_score"][1])
    # a per-class array cannot be monitored: a clear error naming the metric and the fix
    for cb in (EarlyStopping(monitor="val_f1_score"), ReduceLROnPlateau(monitor="val_f1_score"),
               ModelCheckpoint(str(tmp_path / "m.neuronet"), monitor="val_f1_score", save_best_only=True)):
        with pytest.raises(ValueError, match=r"`val_f1_score`.*average='macro'"):
            _fit(ids, x, labels, False, callbacks=[cb], **common)
    _fit(ids, x, labels, False, callbacks=[EarlyStopping(monitor="val_f1_macro", patience=5)], **common)
    # the compile configuration (metric objects with their arguments) survives save / load
    model.save(tmp_path / "model.neuronet")
    loaded = load_model(tmp_path / "model.neuronet")
    assert [m.get_config() for m in loaded.compiled_metrics] == [m.get_config() for m in model.compiled_metrics]
    again = loaded.evaluate(x, labels, verbose=0, return_dict=True)
    assert again["f1_score"] == pytest.approx(logs["f1_score"]) and again["f1_macro"] == pytest.approx(logs["f1_macro"])


def test_auc_multi_label_averages_each_outputs_area_as_keras():
    from sklearn.metrics import roc_auc_score
    from neuronet.metrics import AUC
    rng = np.random.default_rng(5)
    y = (rng.random((60, 3)) > 0.5).astype(np.float32)
    p = np.clip(0.6 * y + 0.7 * rng.random((60, 3)), 0, 1)
    macro = AUC(multi_label=True)
    for part in (slice(0, 25), slice(25, 60)):               # streamed over two batches
        macro.update_state(y[part], p[part])
    assert macro.result() == pytest.approx(roc_auc_score(y, p, average="macro"), rel=1e-12)
    per_label = roc_auc_score(y, p, average=None)
    weighted = AUC(multi_label=True, label_weights=[1.0, 0.0, 3.0])
    weighted.update_state(y, p)
    assert weighted.result() == pytest.approx(np.average(per_label, weights=[1, 0, 3]), rel=1e-12)
    pooled = AUC()                                            # Keras' default: one curve over all outputs
    pooled.update_state(y, p)
    assert pooled.result() == pytest.approx(roc_auc_score(y.ravel(), p.ravel()), rel=1e-12)
    assert AUC.from_config(weighted.get_config()).get_config() == weighted.get_config()
    with pytest.raises(ValueError, match=r"`label_weights`.*multi_label=True.*multi_label=False"):
        AUC(label_weights=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"2 label_weights for 3 outputs"):
        bad = AUC(multi_label=True, label_weights=[1.0, 2.0])
        bad.update_state(y, p)
        bad.result()


def test_loss_function_cosine_similarity_as_a_metric_logs_the_loss_value(tmp_path):
    """metrics=[losses.cosine_similarity] logs the loss (-cos), as Keras wraps the loss function, not the
    CosineSimilarity metric (+cos) of the same name; the sign survives save/load."""
    from neuronet import losses
    from neuronet.layers import Dense
    from neuronet.models import Sequential, load_model
    y, p = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])
    metric = metrics.get(losses.cosine_similarity)
    assert metric.name == "cosine_similarity"
    assert metric(y, p) == pytest.approx(np.mean(losses.cosine_similarity(y, p))) == pytest.approx(-0.5)
    assert metrics.get("cosine_similarity")(y, p) == pytest.approx(0.5)      # the metric keeps +cos
    x = np.random.default_rng(0).normal(size=(16, 3))
    target = x[:, :2] * 2.0
    model = Sequential([Dense(2, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse", metrics=[losses.cosine_similarity])
    logged = model.fit(x, target, epochs=1, verbose=0).history["cosine_similarity"][0]
    cos = np.sum(x[:, :2] * model.predict(x), axis=1) / np.linalg.norm(x[:, :2], axis=1) / \
        np.linalg.norm(model.predict(x), axis=1)
    value = model.evaluate(x, target, verbose=0, return_dict=True)["cosine_similarity"]
    assert value == pytest.approx(-cos.mean(), rel=1e-5) and np.isfinite(logged)
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras").evaluate(x, target, verbose=0, return_dict=True)
    assert again["cosine_similarity"] == pytest.approx(value)


# ---- Keras' function spellings: one value per sample --------------------------------------------------
ACCURACY_FUNCTIONS = {"binary_accuracy": metrics.BinaryAccuracy, "categorical_accuracy": metrics.CategoricalAccuracy,
                      "sparse_categorical_accuracy": metrics.SparseCategoricalAccuracy,
                      "top_k_categorical_accuracy": metrics.TopKCategoricalAccuracy,
                      "sparse_top_k_categorical_accuracy": metrics.SparseTopKCategoricalAccuracy}


def test_metric_functions_match_keras_documented_examples():
    np.testing.assert_array_equal(metrics.binary_accuracy([[1], [1], [0], [0]], np.float32([[1], [1], [0], [0]])),
                                  np.ones(4, np.float32))
    assert metrics.binary_accuracy([[1], [1], [0], [0]], np.float32([[1], [1], [0], [0]])).dtype == np.float32
    p = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([2, 1], p, k=3), [1.0, 1.0])
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([2, 1], p, k=1), [0.0, 1.0])
    np.testing.assert_array_equal(metrics.top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], p, k=1), [0.0, 1.0])
    np.testing.assert_array_equal(metrics.sparse_categorical_accuracy([[2], [1]], p), [0.0, 1.0])
    np.testing.assert_array_equal(metrics.categorical_accuracy([[0, 0, 1], [0, 1, 0]], p), [0.0, 1.0])
    np.testing.assert_allclose(metrics.binary_accuracy([[1, 0], [1, 1]], [[0.7, 0.2], [0.4, 0.9]]), [1.0, 0.5])
    np.testing.assert_allclose(metrics.binary_accuracy([[0, 1]], [[0.7, 0.8]], threshold=0.75), [1.0])
    one = metrics.binary_accuracy([1, 0, 1], [0.9, 0.2, 0.3])          # a 1-D y_pred: one sample
    assert one.shape == () and float(one) == pytest.approx(2 / 3)


@pytest.mark.parametrize("name", sorted(ACCURACY_FUNCTIONS))
def test_accuracy_functions_per_sample_shapes_and_mean_is_the_metric(name):
    fn, metric = getattr(metrics, name), ACCURACY_FUNCTIONS[name]()
    for shape in ((50, 6), (5, 7, 6)):
        labels = RNG.integers(0, 6, size=shape[:-1])
        p = RNG.dirichlet(np.ones(6), size=shape[:-1]).astype(np.float32)
        y = (labels if name.startswith("sparse") else
             (p > 0.2).astype(int) if name == "binary_accuracy" else np.eye(6, dtype=int)[labels])
        values = fn(y, p) if "top_k" not in name else fn(y, p, k=2)
        assert values.shape == shape[:-1] and values.dtype == np.float32
        if len(shape) == 2:
            m = metric if "top_k" not in name else ACCURACY_FUNCTIONS[name](k=2)
            assert float(np.mean(values)) == pytest.approx(m(y, p))


def test_metric_functions_are_keras_objects_and_resolve_to_their_class():
    """keras.metrics re-exports the loss functions (the same objects); compile(metrics=[fn]) gives the metric
    class of the function's name, logged under it; a user's function of the same name stays the user's."""
    for name in ("mean_squared_error", "mean_absolute_error", "binary_crossentropy", "kl_divergence", "huber",
                 "log_cosh", "sparse_categorical_crossentropy"):
        assert getattr(metrics, name) is getattr(losses, name)
    assert not hasattr(metrics, "cosine_similarity")     # Keras 3 has no metric function of that name
    for fn, cls in [(metrics.mean_squared_error, metrics.MeanSquaredError), (metrics.mse, metrics.MeanSquaredError),
                    (metrics.binary_accuracy, metrics.BinaryAccuracy), (metrics.log_cosh, metrics.LogCoshError),
                    (metrics.top_k_categorical_accuracy, metrics.TopKCategoricalAccuracy),
                    (metrics.huber, metrics.FunctionMetric)]:
        metric = metrics.get(fn)
        assert type(metric) is cls and metric.name == fn.__name__

    def mean_squared_error(y_true, y_pred):          # a user's function: wrapped, not replaced
        return np.zeros(len(y_pred))
    assert type(metrics.get(mean_squared_error)) is metrics.FunctionMetric


def test_compile_with_metric_functions_logs_keras_names_and_the_string_values(tmp_path):
    from neuronet.layers import Dense
    from neuronet.models import Sequential, load_model
    import neuronet
    x = RNG.normal(size=(48, 3)).astype("float32")
    y = (x[:, :1] + x[:, 1:2] > 0).astype("float32")
    logs = {}
    for spelling in ("functions", "strings"):
        neuronet.set_random_seed(4)
        model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1, activation="sigmoid")])
        chosen = ([metrics.mean_squared_error, metrics.binary_accuracy, metrics.mean_absolute_error]
                  if spelling == "functions" else ["mean_squared_error", "binary_accuracy", "mean_absolute_error"])
        model.compile(optimizer="sgd", loss=losses.binary_crossentropy, metrics=chosen)
        logs[spelling] = model.fit(x, y, epochs=2, batch_size=16, verbose=0, seed=4).history
    assert logs["functions"] == logs["strings"]
    assert set(logs["functions"]) == {"loss", "mean_squared_error", "binary_accuracy", "mean_absolute_error"}
    p = model.predict(x, verbose=0)
    values = model.evaluate(x, y, verbose=0, return_dict=True)
    assert values["mean_squared_error"] == pytest.approx(np.mean(metrics.mean_squared_error(y, p)), rel=1e-5)
    assert values["binary_accuracy"] == pytest.approx(np.mean(metrics.binary_accuracy(y, p)))
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras").evaluate(x, y, verbose=0, return_dict=True)
    assert again == pytest.approx(values)
