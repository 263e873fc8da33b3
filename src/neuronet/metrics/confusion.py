"""Classification metrics from counts or ranks: precision, recall, ROC and PR AUC and equal error rate
(the F-scores are in fscore.py).

Precision / Recall threshold the predictions (y_pred > threshold, Keras' 0.5) and accumulate
true/false positives and false negatives per label over the epoch; multi-label outputs are pooled
("micro"), which is also what scikit-learn's average='binary' gives for a single output.

AUC and EER keep every prediction of the epoch and compute the exact curve, with every distinct score
as a threshold (as scikit-learn's roc_curve / roc_auc_score), instead of Keras' approximation on 200
fixed thresholds. Memory is one float per prediction and label for the epoch.

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


def cumulative_counts(y_true, y_score, sample_weight=None):
    """(tps, fps): weighted true and false positives when every sample scoring at least each distinct
    score is predicted positive, highest score first, starting at (0, 0). Tied scores form one point."""
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1)
    y_score = np.asarray(y_score, dtype=np.float64).reshape(-1)
    w = np.ones_like(y_true) if sample_weight is None else np.asarray(sample_weight, np.float64).reshape(-1)
    order = np.argsort(-y_score, kind="mergesort")
    y_true, y_score, w = y_true[order], y_score[order], w[order]
    last_of_each = np.r_[np.flatnonzero(np.diff(y_score)), y_true.size - 1]
    tps = np.r_[0.0, np.cumsum(y_true * w)[last_of_each]]
    fps = np.r_[0.0, np.cumsum((1.0 - y_true) * w)[last_of_each]]
    return tps, fps


def roc_curve(y_true, y_score, sample_weight=None):
    """Exact ROC curve (fpr, tpr) over every distinct score, starting at (0, 0) — scikit-learn's
    roc_curve(drop_intermediate=False); None unless both classes are present."""
    tps, fps = cumulative_counts(y_true, y_score, sample_weight)
    if tps[-1] <= 0 or fps[-1] <= 0:
        return None
    return fps / fps[-1], tps / tps[-1]


def interpolated_pr_auc(tps, fps):
    """Area under the precision-recall curve, interpolated as Davis & Goadrich (2006) and Keras: between
    consecutive points A -> B, TP and P = TP + FP grow linearly, so precision = TP / P is a hyperbola in P
    and its area over the recall step is exact in closed form:

        slope = dTP / dP,  intercept = TP_A - slope P_A,
        area  = slope (dTP + intercept log(P_B / P_A)) / total positives    (log term 0 when P_A = 0)

    Not the step sum of scikit-learn's average_precision_score (it holds precision at P_B over the
    step); the two agree to O(1/n) (tests/metrics/test_confusion.py)."""
    total = tps[-1]
    if total <= 0:
        return 0.0
    p = tps + fps
    d_tp, d_p = np.diff(tps), np.diff(p)
    slope = np.divide(d_tp, d_p, out=np.zeros_like(d_tp), where=d_p > 0)
    intercept = tps[:-1] - slope * p[:-1]
    both = (p[:-1] > 0) & (p[1:] > 0)
    log_ratio = np.log(np.where(both, p[1:], 1.0) / np.where(both, p[:-1], 1.0))
    return float(np.sum(slope * (d_tp + intercept * log_ratio)) / total)


class _Ranked(Metric):
    """Keeps (label, score, weight) of every prediction of the epoch; labels pooled over outputs."""

    def reset_state(self):
        self._labels, self._scores, self._weights = [], [], []

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if y_pred.ndim == 1:
            y_pred = y_pred.reshape(-1, 1)
        truth = _match(y_true, y_pred).reshape(y_pred.shape) > 0.5
        self._labels.append(truth)
        self._scores.append(y_pred)
        self._weights.append(np.broadcast_to(_weights(sample_weight, y_pred.shape[0]), y_pred.shape))

    def _counts(self, column=None):
        """Cumulative (TP, FP) counts over every output pooled, or over one output ``column``."""
        if not self._labels:
            return None
        pick = (lambda a: a.reshape(-1)) if column is None else (lambda a: a[:, column])
        return cumulative_counts(*(np.concatenate([pick(a) for a in arrays])
                                   for arrays in (self._labels, self._scores, self._weights)))

    def _curve(self):
        counts = self._counts()
        if counts is None or counts[0][-1] <= 0 or counts[1][-1] <= 0:
            return None
        tps, fps = counts
        return fps / fps[-1], tps / tps[-1]


_SUMMATIONS = ("interpolation", "minoring", "majoring")


@METRICS.register(name="AUC", aliases=("auc",))
class AUC(_Ranked):
    """Area under the ROC or precision-recall curve, exact: every distinct score of the epoch is a
    threshold (Keras approximates with ``num_thresholds`` = 200 fixed ones; neuronet keeps the argument
    for compatibility and does not need it). Several outputs are pooled into one curve (Keras'
    multi_label=False); ``multi_label=True`` averages each output's own area, weighted by ``label_weights``
    when given (``num_labels`` is accepted for Keras compatibility: the outputs' count is read from the data).

    curve='ROC': x = FPR, y = TPR; 'interpolation' sums trapezoids (scikit-learn's roc_auc_score exactly).
    curve='PR': x = recall, y = precision; 'interpolation' is Davis & Goadrich's (``interpolated_pr_auc``),
    as Keras. 'minoring' / 'majoring' use the lower / upper of the two heights of each step (precision is
    0 where nothing is predicted positive, as in Keras). ``from_logits``: scores are logits (only their
    order matters, so the value is the same as for sigmoid(z)). 0.0 while ROC has seen one class only or
    PR no positive (Keras gives 0 there too; scikit-learn raises).

        >>> import numpy as np
        >>> y, p = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
        >>> round(AUC(curve="PR")(y, p), 4)      # (1 + (1 - ln 1.5)) / 2; average_precision_score: 0.8333
        0.7973
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name="auc",
                 multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, (int, np.integer)) \
                or num_thresholds <= 1:
            raise ValueError("Received an invalid value for `num_thresholds`, expected an integer > 1. "
                             f"Received: num_thresholds={num_thresholds!r}")
        if not isinstance(curve, str) or curve.upper() not in ("ROC", "PR"):
            raise ValueError("Received an invalid value for `curve`, expected 'ROC' or 'PR'. "
                             f"Received: curve={curve!r}")
        if not isinstance(summation_method, str) or summation_method.lower() not in _SUMMATIONS:
            raise ValueError("Received an invalid value for `summation_method`, expected 'interpolation', "
                             f"'minoring' or 'majoring'. Received: summation_method={summation_method!r}")
        self.num_thresholds, self.curve = int(num_thresholds), curve.upper()
        self.summation_method, self.from_logits = summation_method.lower(), bool(from_logits)
        self.multi_label, self.num_labels = bool(multi_label), num_labels
        self.label_weights = None if label_weights is None else [float(w) for w in np.ravel(label_weights)]
        if self.label_weights is not None and (not self.multi_label or min(self.label_weights) < 0
                                               or sum(self.label_weights) <= 0):
            raise ValueError("Received an invalid value for `label_weights`: they weight the per-label AUCs "
                             "of multi_label=True, so they need multi_label=True, no negative weight and a "
                             f"positive sum. Received: label_weights={label_weights!r}, multi_label={multi_label!r}")
        super().__init__(name)

    def result(self) -> float:
        """The area; with multi_label=True the (label_weights-weighted) mean of each output's own area."""
        if not self.multi_label or not self._labels:
            return self._area(self._counts())
        k = self._labels[0].shape[1]
        weights = np.ones(k) if self.label_weights is None else np.asarray(self.label_weights)
        if weights.shape != (k,):
            raise ValueError(f"AUC has {weights.size} label_weights for {k} outputs; give one weight per output.")
        areas = [self._area(self._counts(column)) for column in range(k)]
        return float(np.average(areas, weights=weights))

    def _area(self, counts) -> float:
        if counts is None:
            return 0.0
        tps, fps = counts
        if self.curve == "ROC":
            if tps[-1] <= 0 or fps[-1] <= 0:
                return 0.0
            x, y = fps / fps[-1], tps / tps[-1]
        else:
            if tps[-1] <= 0:
                return 0.0
            if self.summation_method == "interpolation":
                return interpolated_pr_auc(tps, fps)
            p = tps + fps
            x, y = tps / tps[-1], np.divide(tps, p, out=np.zeros_like(tps), where=p > 0)
        if self.summation_method == "interpolation":
            heights = 0.5 * (y[:-1] + y[1:])
        else:
            heights = (np.minimum if self.summation_method == "minoring" else np.maximum)(y[:-1], y[1:])
        return float(np.sum(np.diff(x) * heights))

    def get_config(self):
        return {"name": self.name, "num_thresholds": self.num_thresholds, "curve": self.curve,
                "summation_method": self.summation_method, "multi_label": self.multi_label,
                "num_labels": self.num_labels, "label_weights": self.label_weights, "from_logits": self.from_logits}


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
