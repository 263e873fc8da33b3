"""F-scores with Keras 3's signature: FBetaScore(average=None, beta=1.0, threshold=None) and F1Score.

Per class k, from the weighted counts of the epoch (true positives, false positives, false negatives):

    F_beta,k = (1 + beta^2) TP_k / ((1 + beta^2) TP_k + beta^2 FN_k + FP_k)      (0 when that is 0/0)

average=None returns one score per class (an array); 'micro' pools the counts of every class first;
'macro' is the unweighted mean of the per-class scores; 'weighted' weights them by support (the weighted
number of true instances of each class). These are scikit-learn's f1_score / fbeta_score values exactly;
Keras adds 1e-7 to each denominator, so its values differ by about 1e-7.

threshold=None marks the highest-scoring class of each sample as predicted (argmax, ties all marked, an
all-zero row none) — Keras. For a single-column output (one sigmoid unit, p = P(class 1)) that would mark
every sample positive, so neuronet reads the column as the two-class distribution [1 - p, p], whose argmax
is p > 0.5. Targets are one-hot (or multi-label) rows; integer labels of shape (n,) are one-hot encoded.

    >>> import numpy as np
    >>> from neuronet.metrics import F1Score
    >>> y = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]])
    >>> p = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> F1Score(threshold=0.5)(y, p).round(4)              # Keras' documented [0.5, 0.8, 0.6666667]
    array([0.5   , 0.8   , 0.6667])
    >>> round(F1Score(average="micro", threshold=0.5)(y, p), 4)
    0.6667
"""
from __future__ import annotations

import numpy as np

from neuronet.metrics.base import METRICS, Metric, _match, _weights
from neuronet.utils.validation import check_fraction, check_number

AVERAGES = (None, "micro", "macro", "weighted")


def _truth(y_true, y_pred):
    """Targets as a boolean (n, K) array: one-hot / multi-label rows (> 0.5), or integer labels (n,)."""
    y = np.asarray(y_true)
    n, k = y_pred.shape
    if k > 1 and y.size == n and y.shape[:1] == (n,) and y.ndim <= 2:
        labels = y.reshape(n)
        as_int = labels.astype(np.int64) if np.all(np.isfinite(labels)) else np.full(n, -1)
        if np.any(as_int != labels) or np.any(as_int < 0) or np.any(as_int >= k):
            raise ValueError(f"F-score targets of shape {y.shape} for a {k}-column output must be integer "
                             f"class labels in [0, {k}) or one-hot rows of shape (n, {k}).")
        truth = np.zeros((n, k), dtype=bool)
        truth[np.arange(n), as_int] = True
        return truth
    return _match(y, y_pred).reshape(y_pred.shape) > 0.5


@METRICS.register(name="FBetaScore", aliases=("fbeta_score", "fbeta"))
class FBetaScore(Metric):
    """F-beta score (see the module docstring): Keras' FBetaScore(average=None, beta=1.0, threshold=None).
    ``beta`` > 1 favours recall, < 1 precision."""

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score"):
        if average not in AVERAGES:
            raise ValueError("Received an invalid value for `average`, expected one of None, 'micro', "
                             f"'macro', 'weighted'. Received: average={average!r}")
        self.average = average
        self.beta = check_number(beta, "beta", minimum=0, strict=True)
        self.threshold = None if threshold is None else check_fraction(threshold, "threshold", low_inclusive=False,
                                                                       high_inclusive=True)
        super().__init__(name)

    def reset_state(self):
        self.tp = self.fp = self.fn = self.support = 0.0

    def _predicted(self, y_pred):
        if self.threshold is not None:
            return y_pred > self.threshold
        if y_pred.shape[-1] == 1:
            return y_pred > 0.5
        return (y_pred >= np.max(y_pred, axis=-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred)
        if y_pred.ndim == 1:
            y_pred = y_pred.reshape(-1, 1)
        truth, predicted = _truth(y_true, y_pred), self._predicted(y_pred)
        w = _weights(sample_weight, y_pred.shape[0])
        self.tp = self.tp + np.sum(w * (truth & predicted), axis=0)
        self.fp = self.fp + np.sum(w * (~truth & predicted), axis=0)
        self.fn = self.fn + np.sum(w * (truth & ~predicted), axis=0)
        self.support = self.support + np.sum(w * truth, axis=0)

    def _scores(self, tp, fp, fn):
        b2 = self.beta ** 2
        num = (1.0 + b2) * tp
        den = num + b2 * fn + fp
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)

    def result(self):
        """One float per class (a float64 array) for average=None, else a float."""
        if np.ndim(self.tp) == 0:          # nothing seen yet
            return np.zeros(0) if self.average is None else 0.0
        if self.average == "micro":
            return float(self._scores(np.sum(self.tp), np.sum(self.fp), np.sum(self.fn)))
        scores = self._scores(self.tp, self.fp, self.fn)
        if self.average is None:
            return scores
        if self.average == "macro":
            return float(np.mean(scores))
        total = float(np.sum(self.support))
        return float(np.dot(scores, self.support) / total) if total > 0 else 0.0

    def get_config(self):
        return {"name": self.name, "average": self.average, "beta": self.beta, "threshold": self.threshold}


@METRICS.register(name="F1Score", aliases=("f1_score", "f1", "fmeasure", "fmeasure_acc"))
class F1Score(FBetaScore):
    """F1 = 2 precision recall / (precision + recall) = 2 TP / (2 TP + FP + FN): FBetaScore with beta = 1.

    Keras' defaults (average=None: one score per class; threshold=None: argmax). The names 'f1' and
    'fmeasure' (the notes' Keras 2.0 metric) give one number instead: F1Score(average='micro',
    threshold=0.5), the F1 of the positive class for a single sigmoid output.
    """

    def __init__(self, average=None, threshold=None, name="f1_score"):
        super().__init__(average, 1.0, threshold, name)

    def get_config(self):
        return {"name": self.name, "average": self.average, "threshold": self.threshold}
