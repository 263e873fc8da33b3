"""Metrics reported during fit and by evaluate: the METRICS registry, ``get`` and every metric class.

    base.py        Metric, MeanMetricWrapper, FunctionMetric, METRICS
    accuracy.py       binary / categorical / sparse accuracy, top-k (k=5) accuracy
    regression.py     mae, mse, rmse, mape, msle, logcosh, cosine_similarity, r2
    confusion.py      precision, recall, auc (exact ROC or PR), eer
    counts.py         true_positives, false_positives, true_negatives, false_negatives (thresholds)
    fscore.py         f1_score, fbeta_score (average=None/'micro'/'macro'/'weighted'); f1 / fmeasure
    probabilistic.py  the losses as metrics: binary / categorical / sparse_categorical_crossentropy,
                      kl_divergence (kld), poisson, hinge, squared_hinge, categorical_hinge

Keras' function spellings, one value per sample as Keras': the accuracies (binary_accuracy, ...,
sparse_top_k_categorical_accuracy, from accuracy.py) and the loss functions Keras 3 re-exports here
(mean_squared_error, ..., binary_crossentropy: the same objects as neuronet.losses'). Passed to
``compile(metrics=[...])`` they become the metric class of their name (a function without one, huber, is
wrapped in a mean), logged under that name.

    >>> import numpy as np
    >>> from neuronet import metrics
    >>> m = metrics.get("accuracy", loss=None, output_shape=(1,))
    >>> m(np.array([1, 0, 1]), np.array([0.9, 0.2, 0.3]))     # BinaryAccuracy named 'accuracy'
    0.6666666666666666
"""
from __future__ import annotations

from neuronet import losses as _losses
from neuronet.losses.functions import (binary_crossentropy, categorical_crossentropy, categorical_hinge, hinge,
                                       huber, kl_divergence, kld, log_cosh, mae, mape, mean_absolute_error,
                                       mean_absolute_percentage_error, mean_squared_error,
                                       mean_squared_logarithmic_error, mse, msle, poisson,
                                       sparse_categorical_crossentropy, squared_hinge)
from neuronet.metrics.accuracy import (BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                                       SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, binary_accuracy,
                                       categorical_accuracy, sparse_categorical_accuracy,
                                       sparse_top_k_categorical_accuracy, top_k_categorical_accuracy)
from neuronet.metrics.base import METRICS, FunctionMetric, MeanMetricWrapper, Metric, _match
from neuronet.metrics.confusion import AUC, EER, Precision, Recall, roc_curve
from neuronet.metrics.counts import FalseNegatives, FalsePositives, TrueNegatives, TruePositives
from neuronet.metrics.fscore import F1Score, FBetaScore
from neuronet.metrics.probabilistic import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge,
                                            CosineSimilarityLoss, Hinge, KLDivergence, LossMetric, Poisson,
                                            SparseCategoricalCrossentropy, SquaredHinge)
from neuronet.metrics.regression import (CosineSimilarity, LogCoshError, MeanAbsoluteError,
                                         MeanAbsolutePercentageError, MeanSquaredError,
                                         MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError)

# Keras' function spellings (one value per sample): keras.metrics' accuracies and the loss functions it
# re-exports, plus Keras 2's short aliases of those.
_FUNCTIONS = ("binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
              "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "mean_squared_error", "mse",
              "mean_absolute_error", "mae", "mean_absolute_percentage_error", "mape",
              "mean_squared_logarithmic_error", "msle", "huber", "log_cosh", "binary_crossentropy",
              "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence", "kld", "poisson",
              "hinge", "squared_hinge", "categorical_hinge")

__all__ = ["METRICS", "Metric", "MeanMetricWrapper", "FunctionMetric", "get", "serialize", "BinaryAccuracy",
           "CategoricalAccuracy", "SparseCategoricalAccuracy", "TopKCategoricalAccuracy",
           "SparseTopKCategoricalAccuracy", "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError",
           "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "R2Score", "Precision", "Recall",
           "F1Score", "FBetaScore", "AUC", "EER", "TruePositives", "FalsePositives", "TrueNegatives",
           "FalseNegatives", "roc_curve", "LossMetric", "BinaryCrossentropy",
           "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "KLDivergence", "Poisson", "Hinge",
           "SquaredHinge", "CategoricalHinge", "LogCoshError", "CosineSimilarity", "CosineSimilarityLoss",
           *_FUNCTIONS]

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
    if isinstance(identifier, str) and identifier not in METRICS and _spelled(identifier) is not None:
        return FunctionMetric(_spelled(identifier))    # 'huber': a saved metrics=[metrics.huber] comes back
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
    spelling = _function_spelling(identifier)
    if spelling in _LOSS_FUNCTION_METRICS:
        return _LOSS_FUNCTION_METRICS[spelling]()   # the loss's value, not the metric's
    if spelling in METRICS:
        return get(spelling)      # losses.kld, metrics.binary_accuracy: the metric class of that name, as Keras
    if callable(identifier):
        return FunctionMetric(identifier)
    raise ValueError(METRICS.unknown_message(identifier))


def _function_spelling(identifier):
    """The name of one of neuronet's Keras function spellings (losses.kld, metrics.binary_accuracy), else None
    (a user's function of the same name stays the user's)."""
    name = getattr(identifier, "__name__", None)
    return name if isinstance(name, str) and identifier is _spelled(name) else None


def _spelled(name):
    """neuronet's Keras function spelling called ``name`` (losses.huber_loss, metrics.binary_accuracy), or None."""
    if name in _FUNCTIONS:
        return globals()[name]
    return getattr(_losses, name) if name in _losses.functions.FUNCTIONS else None


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
