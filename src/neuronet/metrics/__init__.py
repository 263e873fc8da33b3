"""Metrics reported during fit and by evaluate: the METRICS registry, ``get`` and every metric class.

    base.py        Metric, MeanMetricWrapper, FunctionMetric, METRICS
    accuracy.py       binary / categorical / sparse accuracy, top-k (k=5) accuracy
    regression.py     mae, mse, rmse, mape, msle, logcosh, cosine_similarity, r2
    confusion.py      precision, recall, auc (exact ROC or PR), eer
    fscore.py         f1_score, fbeta_score (average=None/'micro'/'macro'/'weighted'); f1 / fmeasure
    probabilistic.py  the losses as metrics: binary / categorical / sparse_categorical_crossentropy,
                      kl_divergence (kld), poisson, hinge, squared_hinge, categorical_hinge

    >>> import numpy as np
    >>> from neuronet import metrics
    >>> m = metrics.get("accuracy", loss=None, output_shape=(1,))
    >>> m(np.array([1, 0, 1]), np.array([0.9, 0.2, 0.3]))     # BinaryAccuracy named 'accuracy'
    0.6666666666666666
"""
from __future__ import annotations

from neuronet.metrics.accuracy import (BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                                       SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy)
from neuronet.metrics.base import METRICS, FunctionMetric, MeanMetricWrapper, Metric, _match
from neuronet.metrics.confusion import AUC, EER, Precision, Recall, roc_curve
from neuronet.metrics.fscore import F1Score, FBetaScore
from neuronet.metrics.probabilistic import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge,
                                            CosineSimilarityLoss, Hinge, KLDivergence, LossMetric, Poisson,
                                            SparseCategoricalCrossentropy, SquaredHinge)
from neuronet.metrics.regression import (CosineSimilarity, LogCoshError, MeanAbsoluteError,
                                         MeanAbsolutePercentageError, MeanSquaredError,
                                         MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError)

__all__ = ["METRICS", "Metric", "MeanMetricWrapper", "FunctionMetric", "get", "serialize", "BinaryAccuracy",
           "CategoricalAccuracy", "SparseCategoricalAccuracy", "TopKCategoricalAccuracy",
           "SparseTopKCategoricalAccuracy", "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError",
           "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "R2Score", "Precision", "Recall",
           "F1Score", "FBetaScore", "AUC", "EER", "roc_curve", "LossMetric", "BinaryCrossentropy",
           "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "KLDivergence", "Poisson", "Hinge",
           "SquaredHinge", "CategoricalHinge", "LogCoshError", "CosineSimilarity", "CosineSimilarityLoss"]

# Names whose metric is not the class's Keras defaults: the notes' Keras 2.0 'fmeasure' (and 'f1') is one
# number, the F1 of the positive class thresholded at 0.5, where Keras 3's F1Score() scores every class.
# Talos' 'fmeasure_acc' is the same F-measure under another name.
_F_MEASURE = {"average": "micro", "threshold": 0.5}
_PRESETS = {"f1": _F_MEASURE, "fmeasure": _F_MEASURE, "fmeasure_acc": _F_MEASURE}
# Loss functions whose value differs from the metric of the same name: Keras wraps the loss function itself
# (metrics=[keras.losses.cosine_similarity] logs -cos under 'cosine_similarity'; the metric logs +cos).
_LOSS_FUNCTION_METRICS = {"cosine_similarity": CosineSimilarityLoss}


def get(identifier, loss=None, output_shape=None):
    """A Metric instance. 'acc'/'accuracy' become binary, categorical or sparse accuracy chosen from the
    loss and output width as Keras does; the metric keeps the name the user wrote (for History keys)."""
    if isinstance(identifier, str) and identifier.lower() in ("acc", "accuracy"):
        return _accuracy_for(loss, output_shape)(name=identifier)
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _PRESETS:
        return F1Score(name=identifier, **_PRESETS[identifier.lower()])
    if isinstance(identifier, str):
        name = identifier
        metric = METRICS.get(identifier)
        if isinstance(metric, Metric) and metric.name != name:
            metric.name = name
        return metric
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, dict):
        return METRICS.get(identifier)
    if callable(identifier) and getattr(identifier, "__module__", None) == "neuronet.losses" \
            and getattr(identifier, "__name__", None) in _LOSS_FUNCTION_METRICS:
        return _LOSS_FUNCTION_METRICS[identifier.__name__]()   # the loss's value, not the metric's
    if callable(identifier) and getattr(identifier, "__module__", None) == "neuronet.losses" \
            and getattr(identifier, "__name__", None) in METRICS:
        return get(identifier.__name__)      # losses.kld etc.: the metric class of that name, as Keras
    if callable(identifier):
        return FunctionMetric(identifier)
    raise ValueError(METRICS.unknown_message(identifier))


def _accuracy_for(loss, output_shape):
    loss_name = type(loss).__name__ if loss is not None else ""
    if loss_name == "SparseCategoricalCrossentropy":
        return SparseCategoricalAccuracy
    if loss_name == "BinaryCrossentropy" or (output_shape and output_shape[-1] == 1):
        return BinaryAccuracy
    return CategoricalAccuracy


def serialize(metric):
    if isinstance(metric, FunctionMetric):
        return metric.name
    return {"class_name": type(metric).__name__, "config": metric.get_config()}
