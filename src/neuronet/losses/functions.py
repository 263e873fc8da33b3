"""Keras' function spellings of the losses: ONE LOSS PER SAMPLE, as keras.losses.categorical_crossentropy.

    f(y_true, y_pred) = the loss class with reduction=None: an array of shape y_pred.shape[:-1] (a 0-d
                        array for a 1-D y_pred, which is one sample), in y_pred's float dtype; integer
                        or boolean predictions are computed and returned in floatx (float32), as Keras

The classes reduce (by default to the mean over the batch); a function's values average to the class's
value. The notes' per-row cross-entropy table (natural log):

    >>> from neuronet import losses
    >>> y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    >>> p = [[0.6, 0.2, 0.2], [0.3, 0.4, 0.3], [0.2, 0.3, 0.5]]
    >>> losses.categorical_crossentropy(y, p).round(4)          # -ln 0.6, -ln 0.4, -ln 0.5
    array([0.5108, 0.9163, 0.6931])
    >>> round(losses.CategoricalCrossentropy()(y, p), 4)        # the class: their mean
    0.7068

Each function's ``__name__`` is a registered loss name, so ``compile(loss=losses.binary_crossentropy)``
trains with the BinaryCrossentropy class (its gradient, its fused sigmoid path) exactly as
``loss='binary_crossentropy'``. Arguments are Keras' where the class has them (``from_logits``,
``label_smoothing``, ``delta``, ``axis``), in Keras' order; Keras' ``ignore_class`` and the cross-entropies'
``axis`` are not offered.

    >>> from neuronet import config
    >>> losses.binary_crossentropy([[1, 0]], [[1, 0]]).dtype == config.floatx()   # integers: floatx (float32)
    True
    >>> losses.binary_crossentropy([[1.0, 0.0]], [[0.9, 0.1]], label_smoothing=0.2).round(4)   # y -> .9, .1
    array([0.3251])
"""
from __future__ import annotations

import functools

import numpy as np

from neuronet import config
from neuronet.losses.hinge import CategoricalHinge, Hinge, SquaredHinge
from neuronet.losses.probabilistic import (BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
                                           SparseCategoricalCrossentropy)
from neuronet.losses.regression import (CosineSimilarity, Huber, LogCosh, MeanAbsoluteError,
                                        MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError)


def _floatx(y_pred):
    """y_pred as an array; integer or boolean predictions in floatx (Keras computes and returns floatx),
    float ones in their own dtype."""
    y_pred = np.asarray(y_pred)
    return y_pred.astype(config.floatx()) if y_pred.dtype.kind in "biu" else y_pred


def mean_squared_error(y_true, y_pred):
    """mean_k (y_pred - y_true)^2 of each sample (MeanSquaredError per sample)."""
    return MeanSquaredError(reduction=None)(y_true, _floatx(y_pred))


def mean_absolute_error(y_true, y_pred):
    """mean_k |y_pred - y_true| of each sample (MeanAbsoluteError per sample)."""
    return MeanAbsoluteError(reduction=None)(y_true, _floatx(y_pred))


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean_k |y - p| / max(|y|, 1e-7) of each sample, a percentage (MeanAbsolutePercentageError)."""
    return MeanAbsolutePercentageError(reduction=None)(y_true, _floatx(y_pred))


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean_k (log(1 + p) - log(1 + y))^2 of each sample, both clipped at 1e-7 (MeanSquaredLogarithmicError)."""
    return MeanSquaredLogarithmicError(reduction=None)(y_true, _floatx(y_pred))


def cosine_similarity(y_true, y_pred, axis=-1):
    """-cos(y_true, y_pred) along ``axis`` for each sample: -1 for parallel rows, 1 for opposite ones
    (the CosineSimilarity loss per sample; the metric of that name is +cos)."""
    return CosineSimilarity(axis=axis, reduction=None)(y_true, _floatx(y_pred))


def huber(y_true, y_pred, delta=1.0):
    """mean_k of 0.5 e^2 where |e| <= delta, else delta (|e| - delta / 2), e = p - y, for each sample."""
    return Huber(delta=delta, reduction=None)(y_true, _floatx(y_pred))


def log_cosh(y_true, y_pred):
    """mean_k log(cosh(y_pred - y_true)) of each sample, without overflow (LogCosh per sample)."""
    return LogCosh(reduction=None)(y_true, _floatx(y_pred))


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """-mean_k [y log p + (1 - y) log(1 - p)] of each sample, p clipped to [1e-7, 1 - 1e-7];
    ``from_logits=True``: y_pred are logits (the log-sum-exp form); ``label_smoothing`` s in [0, 1]:
    y -> y (1 - s) + s / 2."""
    return BinaryCrossentropy(from_logits=from_logits, label_smoothing=label_smoothing,
                              reduction=None)(y_true, _floatx(y_pred))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """-sum_k y_k log q_k of each sample, q = y_pred / sum(y_pred) clipped to [1e-7, 1 - 1e-7], for one-hot
    (or probability) targets; ``from_logits=True``: -sum_k y_k log_softmax(y_pred)_k; ``label_smoothing`` s
    in [0, 1]: y -> y (1 - s) + s / K over the K classes."""
    return CategoricalCrossentropy(from_logits=from_logits, label_smoothing=label_smoothing,
                                   reduction=None)(y_true, _floatx(y_pred))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """-log q_{y_true} of each sample for integer labels y_true in [0, K) (shape y_pred.shape[:-1]);
    ``from_logits=True``: -log_softmax(y_pred)_{y_true}."""
    return SparseCategoricalCrossentropy(from_logits=from_logits, reduction=None)(y_true, _floatx(y_pred))


def kl_divergence(y_true, y_pred):
    """sum_k y_k log(y_k / p_k) of each sample, y and p clipped to [1e-7, 1] (KLDivergence per sample)."""
    return KLDivergence(reduction=None)(y_true, _floatx(y_pred))


def poisson(y_true, y_pred):
    """mean_k [p - y log(p + 1e-7)] of each sample (Poisson per sample)."""
    return Poisson(reduction=None)(y_true, _floatx(y_pred))


def hinge(y_true, y_pred):
    """mean_k max(1 - y p, 0) of each sample; {0, 1} targets become {-1, 1} (Hinge per sample)."""
    return Hinge(reduction=None)(y_true, _floatx(y_pred))


def squared_hinge(y_true, y_pred):
    """mean_k max(1 - y p, 0)^2 of each sample; {0, 1} targets become {-1, 1} (SquaredHinge per sample)."""
    return SquaredHinge(reduction=None)(y_true, _floatx(y_pred))


def categorical_hinge(y_true, y_pred):
    """max(max_k (1 - y_k) p_k - sum_k y_k p_k + 1, 0) of each sample, one-hot targets (CategoricalHinge)."""
    return CategoricalHinge(reduction=None)(y_true, _floatx(y_pred))


def _alias(fn, name):
    """``fn`` under another registered name (Keras 2's mse, mae, kld, ...): the same arguments and values;
    its ``__name__`` is the alias, so metrics=[losses.mse] logs 'mse' as metrics=['mse'] does."""
    @functools.wraps(fn)
    def alias(*args, **kwargs):
        return fn(*args, **kwargs)
    alias.__name__ = alias.__qualname__ = name
    return alias


mse = _alias(mean_squared_error, "mse")
mae = _alias(mean_absolute_error, "mae")
mape = _alias(mean_absolute_percentage_error, "mape")
msle = _alias(mean_squared_logarithmic_error, "msle")
huber_loss = _alias(huber, "huber_loss")
kld = _alias(kl_divergence, "kld")
kullback_leibler_divergence = _alias(kl_divergence, "kullback_leibler_divergence")

FUNCTIONS = ("mean_squared_error", "mse", "mean_absolute_error", "mae", "mean_absolute_percentage_error",
             "mape", "mean_squared_logarithmic_error", "msle", "cosine_similarity", "huber", "huber_loss",
             "log_cosh", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
             "kl_divergence", "kld", "kullback_leibler_divergence", "poisson", "hinge", "squared_hinge",
             "categorical_hinge")
