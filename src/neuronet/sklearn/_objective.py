"""scikit-learn's MLP objective on neuronet: the losses and the L2 penalty MLPClassifier / MLPRegressor
train on.

For a mini-batch B with sample weights w_i (all 1 without ``sample_weight``), S_B = sum_{i in B} w_i:

    L_B = sum_{i in B} w_i * l_i / S_B  +  0.5 * alpha * sum_layers ||W||^2 / S_B
    dL_B/dW = (sum_i w_i * dl_i/dW + alpha * W) / S_B          (biases are not penalised)

as sklearn.neural_network computes it (``_backprop``: the loss is averaged with the weights, the penalty
divided by the batch's weight sum). l_i is the binary log loss (sigmoid outputs), the log loss (softmax) or
half the squared error, 0.5 * mean_k (y_ik - f_ik)^2 (scikit-learn's squared loss, whose gradient
scikit-learn takes as that of the sum over outputs: with several regression outputs its steps on the
data term are K times these). So a weight of 2 trains exactly as a row given twice: the check
`check_sample_weight_equivalence_on_dense_data` holds.

The losses keep Keras' default reduction ('sum_over_batch_size') without weights and use
'mean_with_sample_weight' with them (the estimator sets ``reduction`` before each fit). Every call notes
the batch's weight sum (``batch_weight_sum``, also per thread for ``current_batch_weight_sum()``), which
the penalty ``BatchL2`` reads: a training step computes the loss gradient before the penalty's, in one
thread, so both see the same batch, and a saved and reloaded network trains on with no extra wiring.

    >>> import numpy as np
    >>> loss = SquaredErrorHalf(reduction="mean_with_sample_weight")
    >>> loss(np.array([[0.0], [0.0]]), np.array([[1.0], [2.0]]), sample_weight=np.array([1.0, 3.0]))
    1.625
    >>> loss.batch_weight_sum
    4.0
"""
from __future__ import annotations

import threading

import numpy as np

from neuronet.losses import BinaryCrossentropy, MeanSquaredError, SparseCategoricalCrossentropy


_LAST = threading.local()   # S_B of the last batch a loss of this module saw in this thread


def current_batch_weight_sum():
    """S_B of the last batch a loss of this module was called on in this thread (None before any)."""
    return getattr(_LAST, "weight_sum", None)


class _RecordsBatchWeightSum:
    """Mixin for a Loss: ``batch_weight_sum`` is S_B of the last batch the loss was called on (the number
    of rows when the batch has no weights), also noted for ``current_batch_weight_sum()``."""

    batch_weight_sum = None

    def _note(self, y_pred, sample_weight):
        self.batch_weight_sum = _LAST.weight_sum = float(len(y_pred)) if sample_weight is None else \
            float(np.sum(sample_weight, dtype=np.float64))

    def training_gradient(self, y_true, y_pred, *, sample_weight=None, fused=False):
        self._note(y_pred, sample_weight)
        return super().training_gradient(y_true, y_pred, sample_weight=sample_weight, fused=fused)

    def batch_loss(self, y_true, y_pred, *, sample_weight=None, logits=None, need_grad=False,
                   targets_checked=True):
        self._note(y_pred, sample_weight)
        return super().batch_loss(y_true, y_pred, sample_weight=sample_weight, logits=logits,
                                  need_grad=need_grad, targets_checked=targets_checked)


class BinaryLogLoss(_RecordsBatchWeightSum, BinaryCrossentropy):
    """scikit-learn's binary log loss (sigmoid outputs): l_i = -sum_k [y log p + (1 - y) log(1 - p)],
    summed over the labels of a multi-label target (Keras' binary cross-entropy averages them);
    dl_i/dz_k = p_k - y_k."""
    default_name = "binary_log_loss"

    def per_sample(self, y_true, y_pred):
        return y_pred.shape[-1] * super().per_sample(y_true, y_pred)

    def per_sample_grad(self, y_true, y_pred):
        return y_pred.shape[-1] * super().per_sample_grad(y_true, y_pred)

    def per_sample_logits(self, y_true, z):
        return z.shape[-1] * super().per_sample_logits(y_true, z)

    def grad_from_output(self, y_true, p):
        return p - y_true


class LogLoss(_RecordsBatchWeightSum, SparseCategoricalCrossentropy):
    """scikit-learn's log loss (softmax outputs, integer labels): l_i = -log p_{i, y_i}."""
    default_name = "log_loss"


class SquaredErrorHalf(_RecordsBatchWeightSum, MeanSquaredError):
    """scikit-learn's squared loss: l_i = 0.5 * mean_k (f_ik - y_ik)^2, dl_i/df_ik = (f_ik - y_ik) / K."""
    default_name = "squared_error"

    def per_sample(self, y_true, y_pred):
        return 0.5 * super().per_sample(y_true, y_pred)

    def per_sample_grad(self, y_true, y_pred):
        grad = super().per_sample_grad(y_true, y_pred)
        grad *= np.array(0.5, dtype=grad.dtype)
        return grad


# the estimators' loss names (Keras') -> scikit-learn's loss on neuronet
LOSSES = {"binary_crossentropy": BinaryLogLoss, "sparse_categorical_crossentropy": LogLoss,
          "mse": SquaredErrorHalf}


class BatchL2:
    """The L2 penalty of scikit-learn's MLP for one weight matrix W, scaled by the weight sum S_B of the
    current batch (``current_batch_weight_sum()``: the model's loss must be one of this module's):

        penalty = 0.5 * alpha * sum(W^2) / S_B;   gradient = alpha * W / S_B

        >>> import numpy as np
        >>> _ = SquaredErrorHalf()(np.zeros((4, 1)), np.ones((4, 1)))     # a batch of 4 rows
        >>> reg = BatchL2(alpha=0.5)
        >>> reg(np.array([[2.0]])), reg.gradient(np.array([[2.0]]))
        (0.25, array([[0.25]]))
    """

    def __init__(self, alpha=0.0001):
        self.alpha = float(alpha)

    @staticmethod
    def _weight_sum():
        total = current_batch_weight_sum()
        if total is None:
            raise RuntimeError("BatchL2 divides by the weight sum of the current batch, which only the losses of "
                               "neuronet.sklearn._objective record (BinaryLogLoss, LogLoss, SquaredErrorHalf): "
                               "compile the model with one of them.")
        return total

    def __call__(self, w) -> float:
        total = self._weight_sum()
        return 0.5 * self.alpha * float(np.sum(np.square(w))) / total if total else 0.0

    def gradient(self, w):
        total = self._weight_sum()
        return w * np.array(self.alpha / total if total else 0.0, dtype=w.dtype)

    def get_config(self):
        return {"alpha": self.alpha}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"BatchL2(alpha={self.alpha})"


# what load_model needs to read a saved ``est.model_``: load_model(path, custom_objects=custom_objects)
custom_objects = {cls.__name__: cls for cls in (BinaryLogLoss, LogLoss, SquaredErrorHalf, BatchL2)}
