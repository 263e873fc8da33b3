"""Losses and metrics of a model with several outputs, compiled from Keras' lists and dicts:

    model.compile(loss={"price": "mse", "kind": "sparse_categorical_crossentropy"},
                  loss_weights={"price": 1.0, "kind": 0.5}, metrics={"price": ["mae"], "kind": ["acc"]})

The model's loss is the weighted sum of the outputs' losses, L = sum_k w_k L_k, so its gradient with respect to
output k is w_k dL_k/d(output k). History records ``loss``, each ``<output>_loss`` and ``<output>_<metric>``.
"""
from __future__ import annotations

import math

from neuronet import losses as losses_mod, metrics as metrics_mod
from neuronet.metrics.base import Metric
from neuronet.models.multi_array import as_list


def per_output(value, names, what, default=None):
    """``value`` as one entry per output: a dict keyed by output names, a list in output order, or one
    value used for every output (``default`` for missing dict keys)."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise ValueError(f"`{what}` names outputs {unknown}, but the model's outputs are {names}.")
        return [value.get(n, default) for n in names]
    if isinstance(value, (list, tuple)) and len(value) and (what != "metrics" or
                                                            all(isinstance(v, (list, tuple)) for v in value)):
        if len(value) != len(names):
            raise ValueError(f"`{what}` has {len(value)} entries, but the model has {len(names)} outputs {names}: "
                             f"give one per output (a list in that order, or a dict keyed by those names).")
        return list(value)
    return [value] * len(names)


class MultiOutputLoss:
    """L = sum_k w_k L_k over the outputs, with the interface of a Loss (batch_loss, training_gradient)."""

    fused_activation = None
    from_logits = False

    def __init__(self, losses, weights, names):
        self.losses, self.names = losses, names
        self.weights = [1.0 if w is None else float(w) for w in weights]
        for name, w in zip(names, self.weights):
            if not math.isfinite(w) or w < 0:
                raise ValueError(f"`loss_weights` must be finite and >= 0; received {w!r} for output {name!r}.")
        self.name = "loss"

    @property
    def is_batch_mean(self):
        return all(loss.is_batch_mean for loss in self.losses)

    def batch_loss(self, y_true, y_pred, *, sample_weight=None, logits=None, need_grad=False, targets_checked=True):
        values = [loss.batch_loss(y, p, sample_weight=sample_weight, targets_checked=targets_checked)[0]
                  for loss, y, p in zip(self.losses, as_list(y_true), y_pred)]
        return sum(w * v for w, v in zip(self.weights, values)), None

    def training_gradient(self, y_true, y_pred, *, sample_weight=None, fused=False):
        grads = []
        for loss, w, y, p in zip(self.losses, self.weights, as_list(y_true), y_pred):
            g = loss.training_gradient(y, p, sample_weight=sample_weight)
            grads.append(g if w == 1.0 else g * w)
        return grads

    def __repr__(self):
        return f"MultiOutputLoss({dict(zip(self.names, self.losses))}, weights={self.weights})"


class OutputMetric(Metric):
    """A metric of one output, logged as ``<output>_<metric>``."""

    def __init__(self, metric, index, output_name):
        self.metric, self.index = metric, index
        super().__init__(name=f"{output_name}_{metric.name}")

    def reset_state(self):
        if hasattr(self, "metric"):
            self.metric.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.metric.update_state(as_list(y_true)[self.index], y_pred[self.index], sample_weight)

    def result(self):
        return self.metric.result()

    def get_state(self):
        return self.metric.get_state()

    def set_state(self, state):
        self.metric.set_state(state)


class OutputLoss(Metric):
    """The loss of one output, averaged over the epoch's samples: History's ``<output>_loss``."""

    def __init__(self, loss, index, output_name):
        self.loss, self.index = loss, index
        super().__init__(name=f"{output_name}_loss")

    def reset_state(self):
        self.total, self.count = 0.0, 0

    def update_state(self, y_true, y_pred, sample_weight=None):
        p = y_pred[self.index]
        self.total += self.loss.batch_loss(as_list(y_true)[self.index], p, sample_weight=sample_weight)[0] * len(p)
        self.count += len(p)

    def result(self):
        return self.total / self.count if self.count else 0.0


def compile_outputs(loss, loss_weights, metrics, names, shapes):
    """(MultiOutputLoss, compiled metrics) for outputs ``names`` of per-sample ``shapes``."""
    if loss is None:
        raise ValueError(f"compile() needs a loss for the outputs {names}: one for all, a list, or a dict.")
    given = per_output(loss, names, "loss")
    if any(l is None for l in given):
        missing = [n for n, l in zip(names, given) if l is None]
        raise ValueError(f"`loss` gives no loss for outputs {missing}; the model's outputs are {names}.")
    losses = [losses_mod.get(l) for l in given]
    weights = per_output(1.0 if loss_weights is None else loss_weights, names, "loss_weights", default=1.0)
    compiled = [OutputLoss(l, i, n) for i, (l, n) in enumerate(zip(losses, names))]
    for i, (ids, name, shape) in enumerate(zip(per_output(metrics or [], names, "metrics", default=[]), names, shapes)):
        for m in ids or []:
            compiled.append(OutputMetric(metrics_mod.get(m, loss=losses[i], output_shape=shape), i, name))
    return MultiOutputLoss(losses, weights, names), compiled
