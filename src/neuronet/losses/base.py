"""The Loss base class, the LOSSES registry and the shared helpers of every loss module.

Each loss gives per-sample values l_i (averaged over the last axis, so 'mse' of a 2-output network is
(1/2) * sum (t - o)^2, the notes' E_total); ``reduction`` (Keras 3's argument) turns them into L:

    "sum_over_batch_size" (default), "mean"   L = (1/n) * sum_i w_i l_i
    "sum"                                      L = sum_i w_i l_i        (gradient not divided by n)
    "mean_with_sample_weight"                  L = sum_i w_i l_i / sum_i w_i   (0 when the weights sum to 0;
                                               (1/n) * sum_i l_i without weights)
    "none" or None                             the vector (w_i l_i): per-sample losses, for direct calls
                                               only; a model trains on one number (``check_trainable``)

Predictions with more axes, (n, d1, ..., K), give one value per (i, d1, ...), as in Keras: l has shape
(n, d1, ...), w_i weighs every value of sample i, "sum_over_batch_size" divides by the number of values
(n * d1 * ...), "sum" adds them all, "mean_with_sample_weight" divides by sum_i w_i (Keras does not
repeat the weights along d1, ...) and "none" returns the (n, d1, ...) array.

Every loss runs under ``np.errstate(under='ignore')``: a value that underflows to 0 (e^-1e4, (1e-30)^2)
is exactly what we want, and callers running under ``np.errstate(all='raise')`` see no error for it.
Overflow and invalid operations are avoided by the formulas (log-sum-exp, clipping where Keras clips).

    >>> import numpy as np
    >>> from neuronet.losses import get
    >>> round(get("binary_crossentropy")(np.array([1.0]), np.array([0.92])), 6)   # -ln 0.92
    0.083382
"""
from __future__ import annotations

import numpy as np

from neuronet.registry import Registry

LOSSES = Registry("loss", instantiate=True)
EPSILON = 1e-7  # Keras' backend epsilon, used to clip probabilities
REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)
_UNREDUCED = ("none", None)
_SUMMED = ("sum", "none", None)   # the gradient of each sample's loss is not divided by n
_BATCH_MEAN = ("sum_over_batch_size", "mean")   # the default: the training step's fast path


def check_reduction(reduction):
    """``reduction`` if Keras 3 accepts it, else a ValueError naming the argument, the value and the choices."""
    if isinstance(reduction, str) and reduction in REDUCTIONS or reduction is None:
        return reduction
    hint = " ('auto' was Keras 2's default; it is 'sum_over_batch_size')" if reduction == "auto" else ""
    raise ValueError("Received an invalid value for `reduction`, expected one of 'sum_over_batch_size' "
                     "(the default), 'sum', 'mean', 'mean_with_sample_weight', 'none' or None"
                     f"{hint}. Received: reduction={reduction!r}")


def check_trainable(loss):
    """``loss`` if a model can train on it: compile() refuses reduction='none'/None, whose value is one loss
    per sample (Keras 3 leaves that case to its backend: the gradient of the vector's sum with TensorFlow,
    an error with JAX or PyTorch)."""
    if getattr(loss, "reduction", "sum_over_batch_size") in _UNREDUCED:
        raise ValueError(f"Received a loss with reduction={loss.reduction!r}, which gives one loss per sample; "
                         "a model trains on a single number. Use reduction='sum_over_batch_size' (the "
                         "default: the mean over the batch) or reduction='sum' in compile(), and keep "
                         f"reduction=None for calling the loss directly. Received: loss={loss!r}")
    return loss


def _match_shape(y_true, y_pred):
    """Targets (n,) against predictions (n, 1) become (n, 1), as Keras does."""
    y_true = np.asarray(y_true)
    if y_true.ndim == y_pred.ndim - 1:
        y_true = y_true.reshape(y_pred.shape[:-1] + (1,)) if y_pred.shape[-1] == 1 else y_true
    return y_true.astype(y_pred.dtype, copy=False)


def as_float(y_pred):
    """Predictions as a floating array (integers become floatx-independent float64)."""
    y_pred = np.asarray(y_pred)
    return y_pred if np.issubdtype(y_pred.dtype, np.floating) else y_pred.astype(np.float64)


class Loss:
    """Base class. Subclasses implement ``per_sample(y_true, y_pred)`` (shape (n,)) and
    ``per_sample_grad(y_true, y_pred)`` (d l_i / d y_pred, shape of y_pred).

    ``loss(y_true, y_pred, sample_weight=None)`` is the reduced loss (a float; for reduction 'none' the
    array of per-sample losses), ``gradient(...)`` its gradient (for 'none': row i is d(w_i l_i)/dy_pred_i,
    the gradient of the vector's sum). A 1-D ``y_pred`` is one sample (Keras reduces over the last axis).
    """
    fused_activation = None  # 'sigmoid' / 'softmax' when the loss has a fused logits form
    default_name = None      # Keras' default name when it is not the snake case of the class name
    # Keras' default reduction, also for a subclass whose __init__ does not call Loss.__init__.
    # _batch_mean (reduction 'sum_over_batch_size' or 'mean') is kept by the `reduction` setter, so the
    # training step picks the mean's gradient with one attribute read.
    _reduction = "sum_over_batch_size"
    _batch_mean = True

    def __init__(self, name=None, from_logits=False, reduction="sum_over_batch_size"):
        self.name = name or _default_name(type(self))
        self.from_logits = bool(from_logits)
        self.reduction = reduction

    @property
    def reduction(self):
        """Keras 3's ``reduction`` (see the module docstring); checked when set."""
        return self._reduction

    @reduction.setter
    def reduction(self, value):
        self._reduction = check_reduction(value)
        self._batch_mean = self._reduction in _BATCH_MEAN

    def __call__(self, y_true, y_pred, sample_weight=None):
        return self.value_and_gradient(y_true, y_pred, sample_weight, need_grad=False)[0]

    def gradient(self, y_true, y_pred, sample_weight=None):
        return self.value_and_gradient(y_true, y_pred, sample_weight)[1]

    def value_and_gradient(self, y_true, y_pred, sample_weight=None, need_grad=True, logits=None):
        """(reduced loss, dL/dy_pred) — or dL/dz when ``logits`` z is given for the fused form."""
        y_pred = as_float(y_pred)
        shape = y_pred.shape
        if y_pred.ndim == 1:
            y_pred = y_pred.reshape(1, -1)
            y_true = np.asarray(y_true).reshape(1, -1) if np.size(y_true) == y_pred.size else y_true
            logits = None if logits is None else np.asarray(logits).reshape(1, -1)
        if sample_weight is not None and np.size(sample_weight) != y_pred.shape[0]:
            raise ValueError(f"Received an invalid `sample_weight`, expected one weight per sample: "
                             f"{y_pred.shape[0]} for y_pred of shape {shape}. Received: sample_weight of "
                             f"shape {np.shape(sample_weight)}")
        with np.errstate(under="ignore"):
            value, grad = self.batch_loss(y_true, y_pred, sample_weight=sample_weight, logits=logits,
                                          need_grad=need_grad, targets_checked=False)
        if len(shape) == 1 and isinstance(value, np.ndarray):   # reduction 'none' of one sample: a scalar
            value = value.reshape(())
        return value, (None if grad is None else grad.reshape(shape))

    @property
    def is_batch_mean(self) -> bool:
        """Whether the loss of a batch is the mean over its samples (reduction 'sum_over_batch_size' or
        'mean'), so that batch values times batch sizes add up to the same sum however rows are grouped."""
        return self._batch_mean

    def batch_loss(self, y_true, y_pred, *, sample_weight=None, logits=None, need_grad=False,
                   targets_checked=True):
        """(L, dL/dy_pred or None) of a batch: what models call. 2-D ``y_pred``, no error-state handling
        (the caller sets it once). With ``logits`` z (the last layer's pre-activation) the fused
        log-sum-exp form is used and the gradient is dL/dz. ``targets_checked``: the targets come from
        the model's checks (fit, evaluate), so per-call checks are skipped."""
        y_true = self._training_target(y_true, y_pred) if targets_checked else self.prepare_target(y_true, y_pred)
        n = y_pred.shape[0]
        if logits is not None:
            per, grad = self.logits_terms(y_true, logits, need_grad)
        elif self.from_logits and self.fused_activation:
            per, grad = self.logits_terms(y_true, y_pred, need_grad)
        else:
            per = self.per_sample(y_true, y_pred)
            grad = self.per_sample_grad(y_true, y_pred) if need_grad else None
        if self._batch_mean and per.ndim == 1 and n:   # the default, (1/n) sum_i w_i l_i: nothing more
            if sample_weight is None:
                value = float(per.sum()) / n
            else:
                w = np.asarray(sample_weight, dtype=y_pred.dtype).reshape(n)
                value = float(np.dot(per.astype(np.float64), w) / n)
            return value, (None if grad is None else _mean_gradient(grad, sample_weight))
        return self._reduce(per, grad, sample_weight)

    def _reduce(self, per, grad, sample_weight):
        """Any reduction (module docstring) of the loss values ``per``, shape (n,) or (n, d1, ...), and of
        their gradient ``grad`` (scaled in place): (value, gradient or None)."""
        n = per.shape[0]
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=per.dtype).reshape(n)
        weighted = per if w is None else per * w.reshape((n,) + (1,) * (per.ndim - 1))
        divisor = _divisor(self._reduction, per.size, w)
        if self._reduction in _UNREDUCED:
            value = weighted
        else:
            value = float(np.sum(weighted, dtype=np.float64)) / divisor if divisor else 0.0
        return value, (None if grad is None else _scale_gradient(grad, w, divisor))

    def _value_count(self, grad):
        """How many loss values predictions shaped like ``grad`` give: one per row of the last axis."""
        return grad.size // grad.shape[-1] if grad.size else 0

    def training_gradient(self, y_true, y_pred, *, sample_weight=None, fused=False):
        """dL/dy_pred without the loss value, for the training step: fit computes the epoch's loss once,
        at the epoch's end, from the stored outputs (one vectorized pass instead of one per batch).
        With ``fused``, ``y_pred`` is the last layer's output p = sigmoid(z) or softmax(z) and the result
        is dL/dz (``grad_from_output``). Targets come from fit, which has already checked them."""
        y_true = self._training_target(y_true, y_pred)
        if fused:
            grad = self.grad_from_output(y_true, y_pred)
        elif self.from_logits and self.fused_activation:   # y_pred are logits: the log-sum-exp gradient
            grad = self.grad_logits(y_true, y_pred)
        else:
            grad = self.per_sample_grad(y_true, y_pred)
        if self._batch_mean and grad.ndim == 2:   # the default: two attribute reads, the mean's gradient
            return _mean_gradient(grad, sample_weight)
        if self._reduction in _UNREDUCED:      # set after compile, which checks it
            check_trainable(self)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=grad.dtype).reshape(grad.shape[0])
        return _scale_gradient(grad, w, _divisor(self._reduction, self._value_count(grad), w))

    def logits_terms(self, y_true, z, need_grad=True):
        """(per-sample loss, its gradient w.r.t. the logits z or None); a subclass may share work."""
        return self.per_sample_logits(y_true, z), (self.grad_logits(y_true, z) if need_grad else None)

    def prepare_target(self, y_true, y_pred):
        """The targets as this loss compares them with ``y_pred``: shaped like it (and label-smoothed by the
        cross-entropies). Metrics built on a loss use it too."""
        return _match_shape(y_true, y_pred)

    def _training_target(self, y_true, y_pred):
        """The targets of a training batch, checked once by fit (a subclass may skip its checks here)."""
        return self.prepare_target(y_true, y_pred)

    def get_config(self):
        cfg = {"name": self.name, "reduction": self.reduction}
        if self.fused_activation:
            cfg["from_logits"] = self.from_logits
        return cfg

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


def _divisor(reduction, count, w):
    """What the weighted sum of the loss values is divided by: 1 for 'sum' and 'none', sum_i w_i for
    'mean_with_sample_weight' with weights ``w`` (n,), else the number of values ``count`` (n for 2-D
    predictions)."""
    if reduction in _SUMMED:
        return 1
    if reduction == "mean_with_sample_weight" and w is not None:
        return float(np.sum(w, dtype=np.float64))
    return count


def _mean_gradient(grad, sample_weight):
    """Per-sample gradients (in place) to the gradient of the mean over the batch ('sum_over_batch_size',
    the default): grad / n, or grad * w / n. The training step's path: keep it this lean."""
    n = grad.shape[0]
    if sample_weight is None:
        grad *= np.array(1.0 / n, dtype=grad.dtype)   # a 0-d operand: no per-call float conversion
    else:
        w = np.asarray(sample_weight, dtype=grad.dtype).reshape(n)
        grad *= (w / n).reshape((n,) + (1,) * (grad.ndim - 1))
    return grad


def _scale_gradient(grad, w, divisor):
    """The gradients of the loss values (in place) to the gradient of the reduced loss: grad * w_i /
    divisor for every row of sample i (a zero divisor gives a zero gradient, as the value is then 0)."""
    if w is None:
        if divisor != 1:
            grad *= np.array(1.0 / divisor if divisor else 0.0, dtype=grad.dtype)
    else:
        scale = w / divisor if divisor else np.zeros_like(w)
        grad *= scale.reshape((grad.shape[0],) + (1,) * (grad.ndim - 1))
    return grad


def _default_name(cls):
    if cls.__dict__.get("default_name"):
        return cls.default_name
    from neuronet.utils.naming import to_snake_case
    return to_snake_case(cls.__name__)


def log1pexp(x):
    """softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): finite for every finite x.
    np.logaddexp(0, x) computes exactly that in one ufunc (one pass instead of six)."""
    x = np.asarray(x)
    return np.logaddexp(x.dtype.type(0) if x.dtype.kind == "f" else 0.0, x)
