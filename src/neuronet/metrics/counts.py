"""The four cells of the confusion matrix as metrics, Keras' TruePositives, FalsePositives,
TrueNegatives and FalseNegatives: weighted counts accumulated over the epoch.

A prediction is positive when y_pred > threshold (Keras' default 0.5; 0 for logits); a target is
positive when y_true > 0.5 (labels 0/1). Every output of a multi-label model counts. With one threshold
the result is a float; with a list of thresholds, an array with one count per threshold.

    TP = sum w * [y = 1] * [p > t]      FP = sum w * [y = 0] * [p > t]
    TN = sum w * [y = 0] * [p <= t]     FN = sum w * [y = 1] * [p <= t]

    >>> from neuronet.metrics import TruePositives
    >>> TruePositives()([0, 1, 1, 1], [1, 0, 1, 1])                              # Keras' example
    2.0
    >>> TruePositives()([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    1.0
    >>> TruePositives(thresholds=[0.3, 0.9])([0, 1, 1], [0.5, 0.4, 0.95])
    array([2., 1.])
"""
from __future__ import annotations

import numpy as np

from neuronet.metrics.base import METRICS, Metric, _match, _weights


def check_thresholds(thresholds):
    """(values as a float64 array, whether a single number was given); Keras' default 0.5."""
    if thresholds is None:
        return np.array([0.5]), True
    single = not isinstance(thresholds, (list, tuple, np.ndarray))
    values = [thresholds] if single else list(np.ravel(thresholds))
    ok = len(values) > 0 and all(isinstance(t, (int, float, np.integer, np.floating)) and not isinstance(t, bool)
                                 and 0 <= t <= 1 for t in values)
    if not ok:
        raise ValueError("Received an invalid value for `thresholds`, expected a number in [0, 1] or a list of "
                         f"them. Received: thresholds={thresholds!r}")
    return np.asarray(values, dtype=np.float64), single


class _ConditionCount(Metric):
    """Accumulates the weighted count of one confusion-matrix cell per threshold."""

    positive_truth = positive_prediction = True     # which cell: set by each subclass

    def __init__(self, thresholds=None, name=None, dtype=None):
        self._thresholds, self._single = check_thresholds(thresholds)
        self.thresholds = None if thresholds is None else (
            float(self._thresholds[0]) if self._single else self._thresholds.tolist())
        super().__init__(name)

    def reset_state(self):
        self.count = np.zeros(len(self._thresholds))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if y_pred.ndim == 1:
            y_pred = y_pred.reshape(-1, 1)
        truth = _match(y_true, y_pred).reshape(y_pred.shape) > 0.5
        w = _weights(sample_weight, y_pred.shape[0])                     # (n, 1)
        rows = w * (truth if self.positive_truth else ~truth)           # (n, k): weight where the target fits
        for i, t in enumerate(self._thresholds):
            predicted = y_pred > t
            self.count[i] += np.sum(rows, where=predicted if self.positive_prediction else ~predicted)

    def result(self):
        return float(self.count[0]) if self._single else self.count.copy()

    def get_config(self):
        return {"name": self.name, "thresholds": self.thresholds}


@METRICS.register(name="TruePositives", aliases=("true_positives",))
class TruePositives(_ConditionCount):
    """TP = sum of the weights of samples with y = 1 and p > threshold."""

    positive_truth, positive_prediction = True, True


@METRICS.register(name="FalsePositives", aliases=("false_positives",))
class FalsePositives(_ConditionCount):
    """FP = sum of the weights of samples with y = 0 and p > threshold.

        >>> FalsePositives()([0, 1, 0, 0], [0, 0, 1, 1])                            # Keras' example
        2.0
    """

    positive_truth, positive_prediction = False, True


@METRICS.register(name="TrueNegatives", aliases=("true_negatives",))
class TrueNegatives(_ConditionCount):
    """TN = sum of the weights of samples with y = 0 and p <= threshold.

        >>> TrueNegatives()([0, 1, 0, 0], [1, 1, 0, 0])                             # Keras' example
        2.0
    """

    positive_truth, positive_prediction = False, False


@METRICS.register(name="FalseNegatives", aliases=("false_negatives",))
class FalseNegatives(_ConditionCount):
    """FN = sum of the weights of samples with y = 1 and p <= threshold.

        >>> FalseNegatives()([0, 1, 1, 1], [0, 1, 0, 0])                            # Keras' example
        2.0
    """

    positive_truth, positive_prediction = True, False
