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

from neuronet.models.training import fuses
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


def forward_backward(model, x, y, loss=None, sample_weight=None):
    """Forward and backward through ``model`` on (x, y) without changing any weight.

    Fills every layer's ``grads`` (as a training step would, regularization included) and returns
    ``(records, loss_value)``: one dict per layer with keys layer, input, z (pre-activation, or None for
    layers without one), a (output) and delta (dL/dz, or None).
    """
    from neuronet.layers import Layer
    from neuronet.models import training

    loss = _loss_of(model, loss)
    x = training.prepare_x(model, x)
    model._reclaim_weights()
    y = training.prepare_y(model, y, len(x))
    w = None if sample_weight is None else training.prepare_weights(model, y, len(x), sample_weight)
    records, out = [], x
    for layer in model.layers:
        rec = {"layer": layer, "input": out}
        out = layer.forward(out, training=True)
        rec["z"] = np.array(layer.logits) if hasattr(layer, "backward_from_logits") else None
        rec["a"] = out
        records.append(rec)
    last = model.layers[-1]
    if fuses(model.layers[-1], loss):
        value, g = loss.value_and_gradient(y, out, w, logits=last.logits)
        records[-1]["delta"] = g
        g = last.backward_from_logits(g)
        rest = records[-2::-1]
    else:
        value, g = loss.value_and_gradient(y, out, w)
        rest = records[::-1]
    for rec in rest:
        layer = rec["layer"]
        if rec["z"] is not None and hasattr(layer, "activation"):
            act = layer.activation
            dz = act.backward(g) if isinstance(act, Layer) else act.backward(rec["z"], rec["a"], g)
            rec["delta"] = dz
            g = layer.backward_from_logits(dz)
        else:
            rec.setdefault("delta", None)
            g = layer.backward(g)
    for layer in model.layers:
        if layer.regularizers or getattr(layer, "activity_regularizer", None):
            value += layer.regularization_penalty()
            layer.add_regularization_gradients()
    return records, float(value)


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
    records, value = forward_backward(model, x, y, loss, sample_weight)
    layers = [r["layer"] for r in records]
    before = {(l.name, k): p.copy() for l in layers for k, p in l.params.items()}
    grads = {(l.name, k): g.copy() for l in layers for k, g in l.grads.items()}
    if learning_rate is not None:
        how = f"W - {learning_rate:g} * dL/dW"
        after = {key: before[key] - float(learning_rate) * grads[key] for key in before}
        if apply:
            for l in layers:
                for k in l.params:
                    l.params[k][...] = after[(l.name, k)]
    else:
        how = repr(model.optimizer)
        state = model.optimizer.get_state()
        flat_before = [p.copy() for p in model._flat_params]
        model.optimizer.apply(model._flat_params, model._flat_grads, model._segments)
        after = {(l.name, k): p.copy() for l in layers for k, p in l.params.items()}
        if not apply:
            for dst, src in zip(model._flat_params, flat_before):
                dst[...] = src
            model.optimizer.set_state(state)
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
