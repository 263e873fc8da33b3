"""Hinge losses (maximum-margin classifiers). Labels are -1 / 1; {0, 1} labels are converted to
{-1, 1} (y -> 2y - 1) when every target of the batch is 0 or 1, as Keras does.

    >>> import numpy as np
    >>> from neuronet.losses import Hinge
    >>> Hinge()(np.array([[1.0], [0.0]]), np.array([[0.3], [-2.0]]))   # (0.7 + 0) / 2
    0.35
"""
from __future__ import annotations

import numpy as np

from neuronet.losses.base import LOSSES, Loss, _match_shape
from neuronet.ops import row_mean


def _signed_labels(y_true, y_pred):
    y = _match_shape(y_true, y_pred)
    if np.all((y == 0) | (y == 1)):
        y = 2 * y - 1
    return y


@LOSSES.register(name="Hinge", aliases=("hinge",))
class Hinge(Loss):
    """l_i = mean_k max(1 - y p, 0);  dl/dp = -y [1 - y p > 0] / K."""

    def prepare_target(self, y_true, y_pred):
        return _signed_labels(y_true, y_pred)

    def per_sample(self, y_true, y_pred):
        return row_mean(np.maximum(1.0 - y_true * y_pred, 0.0))

    def per_sample_grad(self, y_true, y_pred):
        return -y_true * (1.0 - y_true * y_pred > 0) * (1.0 / y_pred.shape[-1])


@LOSSES.register(name="SquaredHinge", aliases=("squared_hinge",))
class SquaredHinge(Hinge):
    """l_i = mean_k max(1 - y p, 0)^2;  dl/dp = -2 y max(1 - y p, 0) / K."""

    def per_sample(self, y_true, y_pred):
        return row_mean(np.square(np.maximum(1.0 - y_true * y_pred, 0.0)))

    def per_sample_grad(self, y_true, y_pred):
        return -2.0 * y_true * np.maximum(1.0 - y_true * y_pred, 0.0) * (1.0 / y_pred.shape[-1])


@LOSSES.register(name="CategoricalHinge", aliases=("categorical_hinge",))
class CategoricalHinge(Loss):
    """For one-hot y: pos = sum_k y_k p_k, neg = max_k (1 - y_k) p_k, l_i = max(neg - pos + 1, 0);
    dl/dp = [l_i > 0] ((1 - y_j) e_j - y), j = argmax_k (1 - y_k) p_k (Keras: no label conversion)."""

    def per_sample(self, y_true, y_pred):
        pos = np.sum(y_true * y_pred, axis=-1)
        neg = np.max((1.0 - y_true) * y_pred, axis=-1)
        return np.maximum(neg - pos + 1.0, 0.0)

    def per_sample_grad(self, y_true, y_pred):
        others = (1.0 - y_true) * y_pred
        j = np.argmax(others, axis=-1)
        rows = np.arange(y_pred.shape[0])
        grad = -y_true.astype(y_pred.dtype, copy=True)
        grad[rows, j] += 1.0 - y_true[rows, j]
        active = (np.max(others, axis=-1) - np.sum(y_true * y_pred, axis=-1) + 1.0) > 0
        return grad * active[:, None]
