"""Accuracy metrics: binary (per-label mean for multi-label outputs), categorical, sparse, top-k.

    >>> import numpy as np
    >>> from neuronet.metrics import BinaryAccuracy
    >>> m = BinaryAccuracy()
    >>> m.update_state(np.array([1, 0, 1]), np.array([0.9, 0.2, 0.3]))
    >>> round(m.result(), 4)
    0.6667

Keras' function spellings (binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
top_k_categorical_accuracy, sparse_top_k_categorical_accuracy) give one value per sample, shape
y_pred.shape[:-1] in y_pred's float dtype (a 0-d array for a 1-D y_pred, one sample), as Keras':

    >>> binary_accuracy([[1], [1], [0], [0]], [[0.9], [0.2], [0.3], [0.1]])
    array([1., 0., 1., 1.])
"""
from __future__ import annotations

import numpy as np

from neuronet.losses.base import as_float
from neuronet.metrics.base import METRICS, MeanMetricWrapper
from neuronet.ops import row_mean


@METRICS.register(name="BinaryAccuracy", aliases=("binary_accuracy",))
class BinaryAccuracy(MeanMetricWrapper):
    """mean over labels of [ (y_pred > threshold) == y_true ]: for a multi-label output (one sigmoid per
    label) each sample scores the fraction of its labels that are right (1 - Hamming loss overall)."""

    def __init__(self, name="binary_accuracy", threshold=0.5):
        self.threshold = float(threshold)
        super().__init__(name)

    def per_sample(self, y_true, y_pred):
        return row_mean((y_pred > self.threshold) == (y_true > 0.5))

    def get_config(self):
        return {"name": self.name, "threshold": self.threshold}


@METRICS.register(name="CategoricalAccuracy", aliases=("categorical_accuracy",))
class CategoricalAccuracy(MeanMetricWrapper):
    """[argmax y_pred == argmax y_true] for one-hot targets."""

    def per_sample(self, y_true, y_pred):
        return y_pred.argmax(axis=-1) == y_true.argmax(axis=-1)


def _labels(y_true, y_pred):
    return np.asarray(y_true).reshape(y_pred.shape[0]).astype(np.int64, copy=False)


@METRICS.register(name="SparseCategoricalAccuracy", aliases=("sparse_categorical_accuracy",))
class SparseCategoricalAccuracy(MeanMetricWrapper):
    """[argmax y_pred == y_true] for integer labels."""

    def per_sample(self, y_true, y_pred):
        return y_pred.argmax(axis=-1) == _labels(y_true, y_pred)   # the method: no np.argmax wrapper


def _in_top_k(scores, labels, k):
    """[fewer than k classes score strictly higher than the true class] (as tf.math.in_top_k)."""
    true_score = scores[np.arange(scores.shape[0]), labels]
    return np.add.reduce(scores > true_score[:, None], axis=-1) < k


@METRICS.register(name="TopKCategoricalAccuracy", aliases=("top_k_categorical_accuracy",))
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """[the true class (argmax of the one-hot y_true) is among the k highest scores]; Keras' k = 5."""

    def __init__(self, k=5, name="top_k_categorical_accuracy"):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"Received an invalid value for `k`, expected a positive integer. Received: k={k!r}")
        self.k = int(k)
        super().__init__(name)

    def per_sample(self, y_true, y_pred):
        return _in_top_k(y_pred, np.argmax(y_true, axis=-1), self.k)

    def get_config(self):
        return {"name": self.name, "k": self.k}


@METRICS.register(name="SparseTopKCategoricalAccuracy", aliases=("sparse_top_k_categorical_accuracy",))
class SparseTopKCategoricalAccuracy(TopKCategoricalAccuracy):
    """[the integer label y_true is among the k highest scores]; Keras' k = 5."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy"):
        super().__init__(k, name)

    def per_sample(self, y_true, y_pred):
        return _in_top_k(y_pred, _labels(y_true, y_pred), self.k)


def _per_sample(metric, y_true, y_pred):
    """``metric.per_sample`` of every sample (and position) of y_pred: shape y_pred.shape[:-1], y_pred's
    float dtype. Targets shaped like y_pred are one-hot rows or binary labels, else one label per row."""
    y_pred = as_float(y_pred)
    flat = y_pred.reshape(-1, y_pred.shape[-1]) if y_pred.ndim else y_pred.reshape(1, 1)
    y_true = np.asarray(y_true)
    y_true = y_true.reshape(flat.shape) if y_true.size == flat.size else y_true.reshape(-1)
    with np.errstate(under="ignore"):
        values = metric.per_sample(y_true, flat)
    return np.asarray(values, dtype=y_pred.dtype).reshape(y_pred.shape[:-1])


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """mean_k [(y_pred > threshold) == (y_true > 0.5)] of each sample (BinaryAccuracy per sample)."""
    return _per_sample(BinaryAccuracy(threshold=threshold), y_true, y_pred)


def categorical_accuracy(y_true, y_pred):
    """[argmax y_pred == argmax y_true] of each sample, one-hot targets (CategoricalAccuracy per sample)."""
    return _per_sample(CategoricalAccuracy(), y_true, y_pred)


def sparse_categorical_accuracy(y_true, y_pred):
    """[argmax y_pred == y_true] of each sample, integer labels (SparseCategoricalAccuracy per sample)."""
    return _per_sample(SparseCategoricalAccuracy(), y_true, y_pred)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """[the class of the one-hot y_true is among the k highest scores] of each sample."""
    return _per_sample(TopKCategoricalAccuracy(k=k), y_true, y_pred)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """[the integer label y_true is among the k highest scores] of each sample."""
    return _per_sample(SparseTopKCategoricalAccuracy(k=k), y_true, y_pred)
