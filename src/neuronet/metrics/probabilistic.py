"""Loss-valued metrics: the mean over the samples seen of a loss's per-sample value, under Keras' metric
names (history keys 'binary_crossentropy', 'val_binary_crossentropy', ...).

    m = sum_i w_i l_i / sum_i w_i      (l_i: the loss of sample i, from neuronet.losses)

Each metric holds one loss object and reuses its ``per_sample`` formula (clipped probabilities, log-sum-exp
logits), so a metric named like the compiled loss reports the same number as the loss (up to the 1e-7
clipping of probabilities, which the fused logits form of the training loss does not need).

    >>> import numpy as np
    >>> from neuronet.metrics import BinaryCrossentropy
    >>> m = BinaryCrossentropy()
    >>> m.update_state(np.array([[0, 1], [0, 0]]), np.array([[0.6, 0.4], [0.4, 0.6]]))
    >>> round(m.result(), 6)                              # Keras' documented example: 0.81492424
    0.814924
"""
from __future__ import annotations

import numpy as np

from neuronet import losses
from neuronet.metrics.base import METRICS, MeanMetricWrapper
from neuronet.utils.validation import check_fraction


class LossMetric(MeanMetricWrapper):
    """Weighted mean over samples of ``loss_class().per_sample(y_true, y_pred)``; a subclass names the loss.

    The targets go through the loss's own preparation (hinge: {0, 1} -> {-1, 1}; sparse: labels ->
    one-hot rows), so the metric accepts exactly what the loss accepts."""
    loss_class = None

    def __init__(self, name=None, **loss_kwargs):
        self._loss = self.loss_class(**loss_kwargs)
        super().__init__(name)

    def _targets(self, y_true, y_pred):
        return self._loss.prepare_target(y_true, y_pred)

    def per_sample(self, y_true, y_pred):
        y_pred = losses.base.as_float(y_pred)
        return self._loss.per_sample(self._targets(y_true, y_pred), y_pred)


class _Crossentropy(LossMetric):
    """Shared by the cross-entropies: ``from_logits`` (log-sum-exp on raw scores) and label smoothing."""

    def __init__(self, name=None, from_logits=False, label_smoothing=0.0):
        self.from_logits = bool(from_logits)
        self.label_smoothing = check_fraction(label_smoothing, "label_smoothing", high_inclusive=True)
        super().__init__(name)

    def per_sample(self, y_true, y_pred):
        y_pred = losses.base.as_float(y_pred)
        y = self._targets(y_true, y_pred)
        if self.label_smoothing:
            y = y * (1.0 - self.label_smoothing) + self.label_smoothing * self._smooth_to(y_pred)
        if self.from_logits:
            return self._loss.per_sample_logits(y, y_pred)
        return self._loss.per_sample(y, y_pred)

    def get_config(self):
        return {"name": self.name, "from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


@METRICS.register(name="BinaryCrossentropy", aliases=("binary_crossentropy", "bce"))
class BinaryCrossentropy(_Crossentropy):
    """mean_i -mean_k [y log p + (1 - y) log(1 - p)], p clipped to [1e-7, 1 - 1e-7]; with
    ``from_logits=True`` the stable form max(z, 0) - z y + log(1 + e^-|z|). ``label_smoothing`` s moves
    the targets to y (1 - s) + s / 2 (0.1 and 0.9 for s = 0.2), as Keras."""
    loss_class = losses.BinaryCrossentropy

    def __init__(self, name="binary_crossentropy", from_logits=False, label_smoothing=0.0):
        super().__init__(name, from_logits, label_smoothing)

    def _smooth_to(self, y_pred):
        return 0.5


@METRICS.register(name="CategoricalCrossentropy", aliases=("categorical_crossentropy", "cce"))
class CategoricalCrossentropy(_Crossentropy):
    """mean_i -sum_k y_k log q_k (q = p / sum p, clipped) for one-hot targets; ``from_logits=True``:
    -sum_k y_k log_softmax(z)_k. ``label_smoothing`` s: y (1 - s) + s / K."""
    loss_class = losses.CategoricalCrossentropy

    def __init__(self, name="categorical_crossentropy", from_logits=False, label_smoothing=0.0):
        super().__init__(name, from_logits, label_smoothing)

    def _smooth_to(self, y_pred):
        return 1.0 / y_pred.shape[-1]


@METRICS.register(name="SparseCategoricalCrossentropy", aliases=("sparse_categorical_crossentropy", "scce"))
class SparseCategoricalCrossentropy(_Crossentropy):
    """mean_i -log q_{i, y_i} for integer labels y_i in [0, K) (Keras has no label smoothing here)."""
    loss_class = losses.SparseCategoricalCrossentropy

    def __init__(self, name="sparse_categorical_crossentropy", from_logits=False):
        super().__init__(name, from_logits, 0.0)

    def get_config(self):
        return {"name": self.name, "from_logits": self.from_logits}


@METRICS.register(name="KLDivergence", aliases=("kl_divergence", "kld", "kullback_leibler_divergence"))
class KLDivergence(LossMetric):
    """mean_i sum_k y_k log(y_k / p_k), y and p clipped to [1e-7, 1]."""
    loss_class = losses.KLDivergence


@METRICS.register(name="Poisson", aliases=("poisson",))
class Poisson(LossMetric):
    """mean_i mean_k [p - y log(p + 1e-7)]."""
    loss_class = losses.Poisson


@METRICS.register(name="Hinge", aliases=("hinge",))
class Hinge(LossMetric):
    """mean_i mean_k max(1 - y p, 0); {0, 1} targets become {-1, 1}."""
    loss_class = losses.Hinge


@METRICS.register(name="SquaredHinge", aliases=("squared_hinge",))
class SquaredHinge(LossMetric):
    """mean_i mean_k max(1 - y p, 0)^2; {0, 1} targets become {-1, 1}."""
    loss_class = losses.SquaredHinge


@METRICS.register(name="CategoricalHinge", aliases=("categorical_hinge",))
class CategoricalHinge(LossMetric):
    """mean_i max(max_k (1 - y_k) p_k - sum_k y_k p_k + 1, 0) for one-hot targets."""
    loss_class = losses.CategoricalHinge


@METRICS.register(name="CosineSimilarityLoss")
class CosineSimilarityLoss(LossMetric):
    """The cosine similarity *loss* as a metric: mean_i -cos(y_i, p_i) (in [-1, 1], lower is better), the
    negative of the CosineSimilarity metric. It is what Keras reports for
    ``metrics=[keras.losses.cosine_similarity]`` (the loss function, wrapped in a mean), under that name:

        >>> y, p = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])
        >>> round(CosineSimilarityLoss()(y, p), 6)            # -(0 + 1) / 2
        -0.5
    """
    loss_class = losses.CosineSimilarity

    def __init__(self, name="cosine_similarity"):
        super().__init__(name)
