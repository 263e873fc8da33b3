"""Classification metrics from counts or ranks: precision, recall, F1, ROC AUC and equal error rate.

Precision / Recall / F1 threshold the predictions (y_pred > threshold, Keras' 0.5) and accumulate
true/false positives and false negatives per label over the epoch; multi-label outputs are pooled
("micro"), which is also what scikit-learn's average='binary' gives for a single output.

AUC and EER keep every prediction of the epoch and compute the exact ROC curve (as scikit-learn's
roc_curve / roc_auc_score), instead of Keras' approximation on 200 fixed thresholds. Memory is one float
per prediction and label for the epoch.

    >>> import numpy as np
    >>> from neuronet.metrics import AUC, Precision
    >>> y, p = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
    >>> AUC()(y, p)                       # sklearn.metrics.roc_auc_score(y, p)
    0.75
    >>> Precision()(y, p)                 # one predicted positive (0.8), and it is right
    1.0
"""
from __future__ import annotations

import numpy as np

from neuronet.metrics.base import METRICS, Metric, _match, _weights


def _ratio(num, den):
    return float(num / den) if den > 0 else 0.0


class _Counts(Metric):
    """Weighted true positives, false positives and false negatives per label."""

    def __init__(self, name=None, threshold=0.5):
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating)) \
                or not 0 <= threshold <= 1:
            raise ValueError("Received an invalid value for `threshold`, expected a number in [0, 1]. "
                             f"Received: threshold={threshold!r}")
        self.threshold = float(threshold)
        super().__init__(name)

    def reset_state(self):
        self.tp = self.fp = self.fn = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred)
        if y_pred.ndim == 1:
            y_pred = y_pred.reshape(-1, 1)
        truth = _match(y_true, y_pred).reshape(y_pred.shape) > 0.5
        predicted = y_pred > self.threshold
        w = _weights(sample_weight, y_pred.shape[0])
        self.tp = self.tp + np.sum(w * (truth & predicted), axis=0)
        self.fp = self.fp + np.sum(w * (~truth & predicted), axis=0)
        self.fn = self.fn + np.sum(w * (truth & ~predicted), axis=0)

    def get_config(self):
        return {"name": self.name, "threshold": self.threshold}


@METRICS.register(name="Precision", aliases=("precision",))
class Precision(_Counts):
    """precision = TP / (TP + FP) (0 when nothing is predicted positive)."""

    def __init__(self, threshold=0.5, name="precision"):
        super().__init__(name, threshold)

    def result(self) -> float:
        return _ratio(np.sum(self.tp), np.sum(self.tp) + np.sum(self.fp))


@METRICS.register(name="Recall", aliases=("recall",))
class Recall(_Counts):
    """recall = TP / (TP + FN) (0 when there is no positive)."""

    def __init__(self, threshold=0.5, name="recall"):
        super().__init__(name, threshold)

    def result(self) -> float:
        return _ratio(np.sum(self.tp), np.sum(self.tp) + np.sum(self.fn))


@METRICS.register(name="F1Score", aliases=("f1_score", "f1", "fmeasure"))
class F1Score(_Counts):
    """F1 = 2 precision recall / (precision + recall) = 2 TP / (2 TP + FP + FN) (the notes' fmeasure).

    average='micro' pools the counts of every label (binary: the usual F1 of the positive class);
    'macro' averages the per-label F1 (a label with no positive and no prediction scores 0, as
    scikit-learn's zero_division default). Keras' F1Score returns one score per class by default and
    thresholds with argmax; neuronet reports one number, thresholded at 0.5 like Precision and Recall.
    """

    def __init__(self, average="micro", threshold=0.5, name="f1_score"):
        if average not in ("micro", "macro"):
            raise ValueError(f"Received an invalid value for `average`: {average!r}. Expected 'micro' or 'macro'.")
        self.average = average
        super().__init__(name, threshold)

    def result(self) -> float:
        tp, fp, fn = (np.atleast_1d(v) for v in (self.tp, self.fp, self.fn))
        if self.average == "micro":
            return _ratio(2 * np.sum(tp), 2 * np.sum(tp) + np.sum(fp) + np.sum(fn))
        den = 2 * tp + fp + fn
        return float(np.mean(np.where(den > 0, 2 * tp / np.where(den > 0, den, 1.0), 0.0)))

    def get_config(self):
        return {**super().get_config(), "average": self.average}


def roc_curve(y_true, y_score, sample_weight=None):
    """Exact ROC curve (fpr, tpr) over every distinct score, starting at (0, 0) — scikit-learn's
    roc_curve(drop_intermediate=False). Tied scores form one point."""
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1)
    y_score = np.asarray(y_score, dtype=np.float64).reshape(-1)
    w = np.ones_like(y_true) if sample_weight is None else np.asarray(sample_weight, np.float64).reshape(-1)
    order = np.argsort(-y_score, kind="mergesort")
    y_true, y_score, w = y_true[order], y_score[order], w[order]
    last_of_each = np.r_[np.flatnonzero(np.diff(y_score)), y_true.size - 1]
    tps = np.r_[0.0, np.cumsum(y_true * w)[last_of_each]]
    fps = np.r_[0.0, np.cumsum((1.0 - y_true) * w)[last_of_each]]
    if tps[-1] <= 0 or fps[-1] <= 0:
        return None
    return fps / fps[-1], tps / tps[-1]


class _Ranked(Metric):
    """Keeps (label, score, weight) of every prediction of the epoch; labels pooled over outputs."""

    def reset_state(self):
        self._labels, self._scores, self._weights = [], [], []

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if y_pred.ndim == 1:
            y_pred = y_pred.reshape(-1, 1)
        truth = _match(y_true, y_pred).reshape(y_pred.shape) > 0.5
        self._labels.append(truth.reshape(-1))
        self._scores.append(y_pred.reshape(-1))
        self._weights.append(np.broadcast_to(_weights(sample_weight, y_pred.shape[0]), y_pred.shape).reshape(-1))

    def _curve(self):
        if not self._labels:
            return None
        return roc_curve(np.concatenate(self._labels), np.concatenate(self._scores),
                         np.concatenate(self._weights))


@METRICS.register(name="AUC", aliases=("auc",))
class AUC(_Ranked):
    """Area under the ROC curve, exact (trapezoids between every distinct score: scikit-learn's
    roc_auc_score, micro-averaged over labels for multi-label outputs). 0.0 while only one class has been
    seen (Keras gives 0 there too; scikit-learn raises)."""

    def __init__(self, name="auc", curve="ROC"):
        if str(curve).upper() != "ROC":
            raise ValueError(f"Received an invalid value for `curve`: {curve!r}. neuronet's AUC is exact and "
                             "supports curve='ROC' only.")
        self.curve = "ROC"
        super().__init__(name)

    def result(self) -> float:
        curve = self._curve()
        return 0.0 if curve is None else float(np.trapezoid(curve[1], curve[0]))

    def get_config(self):
        return {"name": self.name, "curve": self.curve}


@METRICS.register(name="EER", aliases=("eer", "equal_error_rate"))
class EER(_Ranked):
    """Equal error rate: the error where the false positive rate equals the false negative rate
    (FNR = 1 - TPR), linearly interpolated between the two ROC points where FPR - FNR changes sign.
    Lower is better: 0 for perfectly separated scores, 0.5 for chance. 0.0 while one class only is seen.
    """

    def __init__(self, name="eer"):
        super().__init__(name)

    def result(self) -> float:
        curve = self._curve()
        if curve is None:
            return 0.0
        fpr, fnr = curve[0], 1.0 - curve[1]
        diff = fpr - fnr                        # -1 at (0, 0), +1 at (1, 1), non-decreasing
        i = int(np.flatnonzero(diff < 0)[-1])
        t = -diff[i] / (diff[i + 1] - diff[i])
        return float(fpr[i] + t * (fpr[i + 1] - fpr[i]))
