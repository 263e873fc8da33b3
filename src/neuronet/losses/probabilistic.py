"""Probabilistic losses: binary / categorical / sparse categorical cross-entropy, KL divergence, Poisson.

Cross-entropies also have a logits form (``from_logits=True``, or chosen automatically by the model when
the last layer is sigmoid/softmax): log-sum-exp formulas that stay finite at +-1e4 and whose gradient is
the fused ``sigmoid(z) - y`` / ``softmax(z) - y``.

Binary and categorical cross-entropy take Keras' ``label_smoothing`` s in [0, 1]: the targets y become

    binary:       y' = y (1 - s) + s / 2        (0/1 labels -> s/2 and 1 - s/2)
    categorical:  y' = y (1 - s) + s / K        (K classes, the last axis)

and the loss, its gradient, the fused gradient p - y' and the logits form all use y'. Only the targets
change, so every formula below holds with y' for y. s = 0 (the default) leaves the targets untouched.

    >>> import numpy as np
    >>> from neuronet.losses import BinaryCrossentropy
    >>> round(BinaryCrossentropy(from_logits=True)(np.array([0., 1, 1]), np.array([1000., -1000, 0])), 4)
    666.8977
"""
from __future__ import annotations

import functools

import numpy as np

from neuronet.activations import sigmoid
from neuronet.losses.base import EPSILON, LOSSES, Loss, _match_shape, log1pexp
from neuronet.ops import row_mean, row_max, row_sum
from neuronet.utils.validation import check_fraction


class _Smoothing(Loss):
    """Keras' ``label_smoothing`` s of the two cross-entropies: y' = y (1 - s) + s * ``smooth_to(K)``, applied
    to the targets after they are shaped like y_pred (so fit's [0, 1] check sees the raw targets). With
    s = 0 the targets pass through: one attribute read more than a loss without the argument."""
    label_smoothing = 0.0

    def __init__(self, from_logits=False, label_smoothing=0.0, reduction="sum_over_batch_size", name=None):
        self.label_smoothing = check_fraction(label_smoothing, "label_smoothing", high_inclusive=True)
        super().__init__(name, from_logits, reduction)

    def prepare_target(self, y_true, y_pred):
        y = _match_shape(y_true, y_pred)
        return self._smooth(y) if self.label_smoothing else y

    def _smooth(self, y):
        """y (1 - s) + s * target of the uniform distribution (a new array, in y's float dtype)."""
        s = self.label_smoothing
        return y * (1.0 - s) + s * self.smooth_to(y.shape[-1])

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing}


@LOSSES.register(name="BinaryCrossentropy", aliases=("binary_crossentropy", "bce"))
class BinaryCrossentropy(_Smoothing):
    """l_i = -mean_k [y log p + (1 - y) log(1 - p)], p clipped to [1e-7, 1 - 1e-7] as in Keras.

    Logits form (z = logit, p = sigmoid(z)): l = mean_k [max(z, 0) - z y + log(1 + e^-|z|)],
    dl/dz = (sigmoid(z) - y) / K.

    ``label_smoothing`` s: y -> y (1 - s) + s / 2 (targets squeezed towards 0.5) before all of the above.
    """
    fused_activation = "sigmoid"

    @staticmethod
    def smooth_to(k):
        return 0.5

    def per_sample(self, y_true, y_pred):
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        return -row_mean(y_true * np.log(p) + (1 - y_true) * np.log1p(-p))

    def per_sample_grad(self, y_true, y_pred):
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        inside = (y_pred > EPSILON) & (y_pred < 1 - EPSILON)
        return (p - y_true) / (p * (1 - p)) * inside / y_pred.shape[-1]

    def per_sample_logits(self, y_true, z):
        return row_mean(log1pexp(z) - z * y_true)

    def grad_logits(self, y_true, z):
        return self.grad_from_output(y_true, sigmoid(z))     # sigmoid keeps float16 (SciPy's expit does not)

    def grad_from_output(self, y_true, p):
        """dl/dz from p = sigmoid(z), the last layer's output: (p - y) / K."""
        k = p.shape[-1]
        return p - y_true if k == 1 else (p - y_true) * (1.0 / k)


def _log_softmax(z):
    shifted = np.subtract(z, row_max(z))
    shifted -= np.log(row_sum(np.exp(shifted)))
    return shifted


@LOSSES.register(name="CategoricalCrossentropy", aliases=("categorical_crossentropy", "cce"))
class CategoricalCrossentropy(_Smoothing):
    """l_i = -sum_k y_k log q_k with q = p / sum(p) clipped to [1e-7, 1 - 1e-7] (Keras). A row whose sum
    is below 1e-7 (all zeros) is divided by 1e-7 instead, so the loss stays finite.

    Logits form: l = -sum_k y_k log_softmax(z)_k (log-sum-exp), dl/dz = softmax(z) sum(y) - y.

    ``label_smoothing`` s: y -> y (1 - s) + s / K over the K classes before all of the above (a one-hot
    row keeps its sum 1, so the fused gradient stays p - y').
    """
    fused_activation = "softmax"

    @staticmethod
    def smooth_to(k):
        return 1.0 / k

    def per_sample(self, y_true, y_pred):
        total = np.maximum(np.sum(y_pred, axis=-1, keepdims=True), EPSILON)
        q = np.clip(y_pred / total, EPSILON, 1 - EPSILON)
        return -np.sum(y_true * np.log(q), axis=-1)

    def per_sample_grad(self, y_true, y_pred):
        raw = np.sum(y_pred, axis=-1, keepdims=True)
        total = np.maximum(raw, EPSILON)
        q = y_pred / total
        inside = (q > EPSILON) & (q < 1 - EPSILON)
        dq = -y_true / np.clip(q, EPSILON, 1 - EPSILON) * inside
        return (dq - np.sum(dq * q, axis=-1, keepdims=True) * (raw > EPSILON)) / total

    def per_sample_logits(self, y_true, z):
        return -row_sum(y_true * _log_softmax(z))[..., 0]

    def grad_logits(self, y_true, z):
        return self.grad_from_output(y_true, np.exp(_log_softmax(z)))

    def grad_from_output(self, y_true, p):
        """dl/dz from p = softmax(z), the last layer's output: p sum(y) - y."""
        return p * row_sum(y_true) - y_true

    def logits_terms(self, y_true, z, need_grad=True):
        log_p = _log_softmax(z)                      # computed once for the value and the gradient
        per = -row_sum(y_true * log_p)[..., 0]
        return per, (self.grad_from_output(y_true, np.exp(log_p)) if need_grad else None)


@functools.lru_cache(maxsize=32)
def _identity(k, dtype):
    """The k x k identity whose rows are the one-hot targets (read-only, shared)."""
    eye = np.eye(k, dtype=dtype)
    eye.flags.writeable = False
    return eye


@LOSSES.register(name="SparseCategoricalCrossentropy", aliases=("sparse_categorical_crossentropy", "scce"))
class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical cross-entropy with integer class labels y in [0, K) instead of one-hot rows:
    l_i = -log q_{i, y_i}; logits form l_i = -log_softmax(z_i)_{y_i}, dl/dz = softmax(z) - onehot(y).
    Keras 3 gives this loss no ``label_smoothing`` (its extra argument is ``ignore_class``), nor does neuronet."""

    def __init__(self, from_logits=False, reduction="sum_over_batch_size", name=None):
        Loss.__init__(self, name, from_logits, reduction)

    def get_config(self):
        return Loss.get_config(self)

    def prepare_target(self, y_true, y_pred):
        """One-hot rows shaped like y_pred from one label per row of y_pred: (n,) or (n, 1) labels for
        (n, K) predictions, (n, T) or (n, T, 1) for (n, T, K), as Keras."""
        labels = np.asarray(y_true).reshape(-1)
        k = y_pred.shape[-1]
        rows = y_pred.size // k if k else 0
        if labels.dtype.kind in "iu" and labels.shape[0] == rows and labels.size \
                and np.minimum.reduce(labels) >= 0 and np.maximum.reduce(labels) < k:
            onehot = _identity(k, y_pred.dtype).take(labels, axis=0)   # the common case, checked in two reductions
            return onehot if y_pred.ndim == 2 else onehot.reshape(y_pred.shape)
        if not (np.issubdtype(labels.dtype, np.number) or labels.dtype == bool) \
                or np.iscomplexobj(labels) or not np.all(np.isfinite(labels)):
            raise ValueError(f"`y` for sparse_categorical_crossentropy must hold one integer class label in "
                             f"[0, {k}) per sample; received dtype {labels.dtype} or non-finite values.")
        if labels.shape[0] != rows:
            raise ValueError(f"`y` for sparse_categorical_crossentropy must hold one integer class label per "
                             f"row of the output: {rows} labels for output shape {y_pred.shape}; received y "
                             f"of shape {np.shape(y_true)}.")
        as_int = labels.astype(np.int64)
        if np.any(as_int != labels) or np.any(as_int < 0) \
                or np.any(as_int >= k):
            bad = labels[(as_int != labels) | (as_int < 0) | (as_int >= k)][:3]
            raise ValueError(f"`y` for sparse_categorical_crossentropy must hold one integer class label "
                             f"in [0, {k}) per sample; received values such as {bad.tolist()} "
                             f"(y shape {np.shape(y_true)}, output shape {y_pred.shape}).")
        onehot = np.zeros((rows, k), dtype=y_pred.dtype)
        onehot[np.arange(rows), as_int] = 1
        return onehot.reshape(y_pred.shape)

    def _training_target(self, y_true, y_pred):
        # Row y_i of the identity for each label (labels checked by fit's prepare_y). take() gathers the
        # same rows as indexing eye[y_true], faster on a batch (bench/notes/ops.txt).
        return _identity(y_pred.shape[-1], y_pred.dtype).take(y_true, axis=0)

    def grad_from_output(self, y_true, p):
        """dl/dz from p = softmax(z) and one-hot rows y: p - y (each row of y sums to 1)."""
        return p - y_true


@LOSSES.register(name="KLDivergence", aliases=("kl_divergence", "kld", "kullback_leibler_divergence"))
class KLDivergence(Loss):
    """l_i = sum_k y_k log(y_k / p_k) with y and p clipped to [1e-7, 1] (Keras);
    dl/dp = -y / p where 1e-7 < p < 1, else 0."""
    default_name = "kl_divergence"

    def per_sample(self, y_true, y_pred):
        y = np.clip(y_true, EPSILON, 1.0)
        p = np.clip(y_pred, EPSILON, 1.0)
        return np.sum(y * (np.log(y) - np.log(p)), axis=-1)

    def per_sample_grad(self, y_true, y_pred):
        y = np.clip(y_true, EPSILON, 1.0)
        inside = (y_pred > EPSILON) & (y_pred < 1.0)
        return -y / np.clip(y_pred, EPSILON, 1.0) * inside


@LOSSES.register(name="Poisson", aliases=("poisson",))
class Poisson(Loss):
    """l_i = mean_k [p - y log(p + 1e-7)] (Keras; p < 0 is treated as 0 so the log stays finite);
    dl/dp = (1 - y / (p + 1e-7)) / K for p > 0, 1 / K otherwise."""

    def per_sample(self, y_true, y_pred):
        return row_mean(y_pred - y_true * np.log(np.maximum(y_pred, 0.0) + EPSILON))

    def per_sample_grad(self, y_true, y_pred):
        ratio = y_true / (np.maximum(y_pred, 0.0) + EPSILON) * (y_pred > 0)
        return (1.0 - ratio) * (1.0 / y_pred.shape[-1])
