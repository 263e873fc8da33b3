"""One training step, shown number by number: the notes' backpropagation worked example for any small model.

For each Dense layer l, with a_0 = x:

    forward:   z_l = a_{l-1} @ W_l + b_l          (pre-activation, the notes' "net")
               a_l = f_l(z_l)                      (activation, the notes' "out")
    backward:  delta_L = dL/dz_L = dL/da_L * f_L'(z_L)                (output layer)
               delta_l = (delta_{l+1} @ W_{l+1}.T) * f_l'(z_l)        (hidden layers)
               dL/dW_l = a_{l-1}.T @ delta_l,   dL/db_l = sum over the batch of delta_l
    update:    W_l <- W_l - lr * dL/dW_l   (or whatever the compiled optimizer does)

    >>> import neuronet
    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
    >>> model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,))])
    >>> step = explain_step(model, [[0.05, 0.1]], [[0.01, 0.99]], learning_rate=0.5, loss="mse")
    >>> sorted(step.weights.columns)[:3]
    ['gradient', 'index', 'layer']
"""
from __future__ import annotations

import numpy as np

from neuronet.models import data_checks
from neuronet.models.trainer import fuses
from neuronet.utils.snapshot import TrainingSnapshot
from neuronet.utils.validation import check_number

_FMT = "{:.9g}".format


def _loss_of(model, loss):
    from neuronet import losses
    if loss is not None:
        return losses.get(loss)
    if model.loss is None:
        raise ValueError("explain_step needs a loss: compile the model (model.compile(optimizer=..., "
                         "loss='mse')) or pass loss='mse'.")
    return model.loss


class _NoUpdate:
    """An optimizer that leaves the weights as they are: forward_backward's step computes gradients only."""
    iterations = 0
    variables = ()

    def apply(self, params, grads, segments=None):
        pass


def traced_step(model, x, y, loss=None, sample_weight=None, optimizer=None, keep=False):
    """The model's own training step (``model.train_step``) on (x, y), recording every layer's input, z
    (pre-activation, or None), a (output) and delta (dL/dz, or None), and each weight before and after
    the step. ``loss`` and ``optimizer`` replace the compiled ones for this step; unless ``keep``, the
    weights, optimizer state and layer states are put back afterwards (the gradients stay in
    ``layer.grads``). Returns ``(records, loss_value, before, after)``, the last two dicts
    (layer name, weight name) -> array."""
    loss = _loss_of(model, loss)
    x = data_checks.prepare_x(model, x)
    if not model.parameters.is_intact():
        model.refresh_parameters(keep_entries=True)
    saved = model.loss, model.optimizer, model.fused_loss
    model.loss = loss
    y = data_checks.prepare_y(model, y, len(x))
    w = None if sample_weight is None else data_checks.prepare_weights(model, y, len(x), sample_weight)
    model.optimizer = optimizer if optimizer is not None else saved[1] or _NoUpdate()
    model.fused_loss = fuses(model.output_layer, loss)
    records = []
    snapshot = TrainingSnapshot(model)
    snapshot.take()
    before = {(l.name, k): p.copy() for l in model.layers for k, p in l.params.items()}
    for layer in model.layers:
        layer.forward = _recording(layer, records)       # this step only: see the finally below
    try:
        with np.errstate(under="ignore"):
            _, value = model.train_step(x, y, w)
        after = {(l.name, k): p.copy() for l in model.layers for k, p in l.params.items()}
    finally:
        for layer in model.layers:
            del layer.forward
        if not keep:
            snapshot.restore()
        model.loss, model.optimizer, model.fused_loss = saved
    for rec in records:
        layer = rec["layer"]
        dense_like = hasattr(layer, "backward_from_logits") and getattr(layer, "dz", None) is not None
        rec["z"] = np.array(layer.logits) if dense_like else None
        rec["delta"] = np.array(layer.dz) if dense_like else None
    return records, float(value), before, after


def _recording(layer, records):
    forward = type(layer).forward.__get__(layer)

    def recorded(x, training=False):
        out = forward(x, training)
        records.append({"layer": layer, "input": x, "a": out})
        return out
    return recorded


def forward_backward(model, x, y, loss=None, sample_weight=None):
    """Forward and backward through ``model`` on (x, y) without changing any weight: the training step
    with no update. Fills every layer's ``grads`` (regularization included) and returns
    ``(records, loss_value)`` as ``traced_step`` does."""
    return traced_step(model, x, y, loss, sample_weight, optimizer=_NoUpdate())[:2]


class StepExplanation:
    """The result of :func:`explain_step`: ``loss``, ``units`` (DataFrame: layer, sample, unit, z, a,
    delta), ``weights`` (DataFrame: layer, param, index, value, gradient, updated), ``applied`` and a
    readable ``str()`` (one section per layer, as in the notes)."""

    def __init__(self, loss, units, weights, applied, how):
        self.loss, self.units, self.weights, self.applied, self.how = loss, units, weights, applied, how

    def weight(self, layer, param="kernel", index=(0, 0)):
        """The row (a Series) of one weight, e.g. ``step.weight(model.layers[1].name, "kernel", (0, 0))``."""
        idx = str(tuple(int(i) for i in np.atleast_1d(index)))
        in_layer = self.weights[self.weights.layer == layer]
        rows = in_layer[(in_layer.param == param) & (in_layer["index"] == idx)]
        if rows.empty:
            params = f"; params of {layer!r}: {list(dict.fromkeys(in_layer.param))}" if len(in_layer) else ""
            raise KeyError(f"No weight {param} {idx} in layer {layer!r}; layers: "
                           f"{list(dict.fromkeys(self.weights.layer))}{params}.")
        return rows.iloc[0]

    def to_string(self):
        lines = [f"loss = {_FMT(self.loss)}   (update: {self.how}; "
                 f"{'applied to the model' if self.applied else 'model left unchanged'})"]
        for name in dict.fromkeys(self.units.layer):
            lines.append(f"\n== layer {name} ==")
            u = self.units[self.units.layer == name].drop(columns="layer")
            lines.append(u.to_string(index=False, float_format=_FMT))
            wt = self.weights[self.weights.layer == name].drop(columns="layer")
            if len(wt):
                lines.append(wt.to_string(index=False, float_format=_FMT))
        return "\n".join(lines)

    __str__ = to_string

    def __repr__(self):
        return f"<StepExplanation loss={_FMT(self.loss)}, layers={len(set(self.units.layer))}>"


def explain_step(model, x, y, learning_rate=None, loss=None, sample_weight=None, apply=False):
    """One training step on (x, y) as tables: each layer's z, a and delta = dL/dz per sample and unit,
    and each weight's value, gradient and updated value.

    The update is ``W - learning_rate * dL/dW`` (plain gradient descent, the notes' rule) when
    ``learning_rate`` is given, otherwise the compiled optimizer's step. The model and the optimizer
    state are left unchanged unless ``apply=True`` (then the step really happens, as in ``fit``).
    ``loss`` defaults to the compiled loss. Meant for small models: the tables have one row per unit and
    per weight.

    >>> # step = model.explain_step([[0.05, 0.10]], [[0.01, 0.99]], learning_rate=0.5); print(step)
    """
    import pandas as pd

    check_number(learning_rate, "learning_rate", minimum=0, strict=True, allow_none=True)
    if learning_rate is None and model.optimizer is None:
        raise ValueError("explain_step needs an update rule: compile the model with an optimizer or pass "
                         "learning_rate=0.5.")
    from neuronet.optimizers import SGD
    optimizer = SGD(learning_rate=float(learning_rate)) if learning_rate is not None else model.optimizer
    how = f"W - {learning_rate:g} * dL/dW" if learning_rate is not None else repr(model.optimizer)
    records, value, before, after = traced_step(model, x, y, loss, sample_weight, optimizer, keep=apply)
    grads = {(r["layer"].name, k): g.copy() for r in records for k, g in r["layer"].grads.items()}
    unit_rows, weight_rows = [], []
    for rec in records:
        name, a = rec["layer"].name, rec["a"]
        for s in range(a.shape[0]):
            for u in range(int(np.prod(a.shape[1:]))):
                unit_rows.append({"layer": name, "sample": s, "unit": u,
                                  "z": np.nan if rec["z"] is None else float(rec["z"].reshape(len(a), -1)[s, u]),
                                  "a": float(a.reshape(len(a), -1)[s, u]),
                                  "delta": np.nan if rec["delta"] is None
                                  else float(rec["delta"].reshape(len(a), -1)[s, u])})
        for k in rec["layer"].params:
            key = (name, k)
            for idx in np.ndindex(before[key].shape):
                weight_rows.append({"layer": name, "param": k, "index": str(idx),
                                    "value": float(before[key][idx]), "gradient": float(grads[key][idx]),
                                    "updated": float(after[key][idx])})
    return StepExplanation(value, pd.DataFrame(unit_rows), pd.DataFrame(weight_rows), bool(apply), how)
