"""Precision, Recall, AUC and EER against scikit-learn."""
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
