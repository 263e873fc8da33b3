"""Loss functions. Each Loss gives the per-sample loss and its gradient with respect to the prediction.

The reduction is Keras' "sum over batch size": L = (1/n) * sum_i w_i * l_i, where l_i is averaged over
the last axis (so 'mse' of a 2-output network is (1/2) * sum (t - o)^2, the notes' E_total).

Cross-entropies also have a logits form (``from_logits=True``, or chosen automatically by the model when
the last layer is sigmoid/softmax): log-sum-exp formulas that stay finite at +-1e4 and whose gradient is
the fused ``sigmoid(z) - y`` / ``softmax(z) - y``.

    >>> import numpy as np
    >>> from neuronet.losses import get
    >>> float(get("binary_crossentropy")(np.array([1.0]), np.array([0.92])))   # -ln 0.92
    0.083381...
"""
from __future__ import annotations

import numpy as np
from scipy.special import expit

from neuronet.registry import Registry

LOSSES = Registry("loss", instantiate=True)
EPSILON = 1e-7  # Keras' backend epsilon, used to clip probabilities


def _match_shape(y_true, y_pred):
    """Targets (n,) against predictions (n, 1) become (n, 1), as Keras does."""
    y_true = np.asarray(y_true)
    if y_true.ndim == y_pred.ndim - 1:
        y_true = y_true.reshape(y_pred.shape[:-1] + (1,)) if y_pred.shape[-1] == 1 else y_true
    return y_true.astype(y_pred.dtype, copy=False)


class Loss:
    """Base class. Subclasses implement ``per_sample(y_true, y_pred)`` (shape (n,)) and
    ``per_sample_grad(y_true, y_pred)`` (d l_i / d y_pred, shape of y_pred).

    ``loss(y_true, y_pred, sample_weight=None)`` is the weighted mean, ``gradient(...)`` its gradient.
    """
    fused_activation = None  # 'sigmoid' / 'softmax' when the loss has a fused logits form

    def __init__(self, name=None, from_logits=False):
        self.name = name or _default_name(type(self))
        self.from_logits = bool(from_logits)

    def __call__(self, y_true, y_pred, sample_weight=None) -> float:
        return self.value_and_gradient(y_true, y_pred, sample_weight, need_grad=False)[0]

    def gradient(self, y_true, y_pred, sample_weight=None):
        return self.value_and_gradient(y_true, y_pred, sample_weight)[1]

    def value_and_gradient(self, y_true, y_pred, sample_weight=None, need_grad=True, logits=None):
        """(mean loss, dL/dy_pred) — or dL/dz when ``logits`` z is given for the fused form."""
        y_pred = np.asarray(y_pred)
        y_true = self._prepare_target(y_true, y_pred)
        n = y_pred.shape[0]
        if logits is not None:
            per, grad = self.per_sample_logits(y_true, logits), self.grad_logits(y_true, logits) if need_grad else None
        elif self.from_logits and self.fused_activation:
            per, grad = self.per_sample_logits(y_true, y_pred), self.grad_logits(y_true, y_pred) if need_grad else None
        else:
            per = self.per_sample(y_true, y_pred)
            grad = self.per_sample_grad(y_true, y_pred) if need_grad else None
        if sample_weight is None:
            value = float(np.mean(per))
            if grad is not None:
                grad *= 1.0 / n
        else:
            w = np.asarray(sample_weight, dtype=y_pred.dtype).reshape(n)
            value = float(np.dot(per.astype(np.float64), w) / n)
            if grad is not None:
                grad *= (w / n).reshape((n,) + (1,) * (grad.ndim - 1))
        return value, grad

    def _prepare_target(self, y_true, y_pred):
        return _match_shape(y_true, y_pred)

    def get_config(self):
        cfg = {"name": self.name}
        if self.fused_activation:
            cfg["from_logits"] = self.from_logits
        return cfg

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


def _default_name(cls):
    from neuronet.utils.naming import to_snake_case
    return to_snake_case(cls.__name__)


@LOSSES.register(name="MeanSquaredError", aliases=("mse", "mean_squared_error"))
class MeanSquaredError(Loss):
    """l_i = mean_k (y_pred - y_true)^2;  dl_i/dy_pred = 2 (y_pred - y_true) / K."""

    def per_sample(self, y_true, y_pred):
        return np.mean(np.square(y_pred - y_true), axis=-1)

    def per_sample_grad(self, y_true, y_pred):
        return (y_pred - y_true) * (2.0 / y_pred.shape[-1])


@LOSSES.register(name="MeanAbsoluteError", aliases=("mae", "mean_absolute_error"))
class MeanAbsoluteError(Loss):
    """l_i = mean_k |y_pred - y_true|;  dl_i/dy_pred = sign(y_pred - y_true) / K."""

    def per_sample(self, y_true, y_pred):
        return np.mean(np.abs(y_pred - y_true), axis=-1)

    def per_sample_grad(self, y_true, y_pred):
        return np.sign(y_pred - y_true) * (1.0 / y_pred.shape[-1])


@LOSSES.register(name="BinaryCrossentropy", aliases=("binary_crossentropy", "bce"))
class BinaryCrossentropy(Loss):
    """l_i = -mean_k [y log p + (1 - y) log(1 - p)], p clipped to [1e-7, 1 - 1e-7] as in Keras.

    Logits form (z = logit, p = sigmoid(z)): l = mean_k [max(z, 0) - z y + log(1 + e^-|z|)],
    dl/dz = (sigmoid(z) - y) / K.
    """
    fused_activation = "sigmoid"

    def per_sample(self, y_true, y_pred):
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log1p(-p), axis=-1)

    def per_sample_grad(self, y_true, y_pred):
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        inside = (y_pred > EPSILON) & (y_pred < 1 - EPSILON)
        return (p - y_true) / (p * (1 - p)) * inside / y_pred.shape[-1]

    def per_sample_logits(self, y_true, z):
        return np.mean(np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z))), axis=-1)

    def grad_logits(self, y_true, z):
        return (expit(z) - y_true) * (1.0 / z.shape[-1])


def _log_softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


@LOSSES.register(name="CategoricalCrossentropy", aliases=("categorical_crossentropy", "cce"))
class CategoricalCrossentropy(Loss):
    """l_i = -sum_k y_k log q_k with q = p / sum(p) clipped to [1e-7, 1 - 1e-7] (Keras).

    Logits form: l = -sum_k y_k log_softmax(z)_k (log-sum-exp), dl/dz = softmax(z) sum(y) - y.
    """
    fused_activation = "softmax"

    def per_sample(self, y_true, y_pred):
        q = np.clip(y_pred / np.sum(y_pred, axis=-1, keepdims=True), EPSILON, 1 - EPSILON)
        return -np.sum(y_true * np.log(q), axis=-1)

    def per_sample_grad(self, y_true, y_pred):
        total = np.sum(y_pred, axis=-1, keepdims=True)
        q = y_pred / total
        inside = (q > EPSILON) & (q < 1 - EPSILON)
        dq = -y_true / np.clip(q, EPSILON, 1 - EPSILON) * inside
        return (dq - np.sum(dq * q, axis=-1, keepdims=True)) / total

    def per_sample_logits(self, y_true, z):
        return -np.sum(y_true * _log_softmax(z), axis=-1)

    def grad_logits(self, y_true, z):
        return np.exp(_log_softmax(z)) * np.sum(y_true, axis=-1, keepdims=True) - y_true


@LOSSES.register(name="SparseCategoricalCrossentropy", aliases=("sparse_categorical_crossentropy", "scce"))
class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical cross-entropy with integer class labels y in [0, K) instead of one-hot rows."""

    def _prepare_target(self, y_true, y_pred):
        labels = np.asarray(y_true).reshape(-1)
        k = y_pred.shape[-1]
        as_int = labels.astype(np.int64)
        if labels.shape[0] != y_pred.shape[0] or np.any(as_int != labels) or np.any(as_int < 0) \
                or np.any(as_int >= k):
            bad = labels[(as_int != labels) | (as_int < 0) | (as_int >= k)][:3]
            raise ValueError(f"`y` for sparse_categorical_crossentropy must hold one integer class label "
                             f"in [0, {k}) per sample; received values such as {bad.tolist()} "
                             f"(y shape {np.shape(y_true)}, output shape {y_pred.shape}).")
        onehot = np.zeros(y_pred.shape, dtype=y_pred.dtype)
        onehot[np.arange(len(as_int)), as_int] = 1
        return onehot


def get(identifier):
    """A Loss from a name ('mse', 'binary_crossentropy', ...), a config dict, a Loss, or a callable.

    A plain function ``f(y_true, y_pred)`` without a gradient cannot train; wrap it in a Loss subclass.
    """
    if identifier is None:
        raise ValueError("Could not interpret loss identifier: None. Pass a loss to compile(), "
                         f"e.g. loss='mse'. Known: {', '.join(LOSSES.names())}.")
    if callable(identifier) and not isinstance(identifier, (Loss, type)) \
            and getattr(identifier, "__name__", None) in LOSSES:
        identifier = identifier.__name__  # the Keras function spelling, e.g. losses.binary_crossentropy
    loss = LOSSES.get(identifier)
    if isinstance(loss, type) and issubclass(loss, Loss):
        loss = loss()
    if not isinstance(loss, Loss):
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}. neuronet needs a "
                         "neuronet.losses.Loss (it knows its gradient); subclass Loss and implement "
                         f"per_sample and per_sample_grad. Known names: {', '.join(LOSSES.names())}.")
    return loss


def serialize(loss: Loss):
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


# Keras-style function spellings: neuronet.losses.mean_squared_error(y_true, y_pred)
def mean_squared_error(y_true, y_pred):
    return MeanSquaredError()(y_true, y_pred)


def binary_crossentropy(y_true, y_pred):
    return BinaryCrossentropy()(y_true, y_pred)
