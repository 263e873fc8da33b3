"""Gradient-flow diagnostics: vanishing and exploding gradients and dying ReLUs, in words.

``check(model, x, y)`` runs one forward and backward pass on (x, y) (no weight changes) and measures,
for every layer with trainable weights, the gradient norm ||dL/dW|| (all of the layer's weights) and its
ratio to the last such layer's norm (the output layer, where the gradient starts); for every ReLU layer,
the fraction of units that output 0 for every sample of the batch. Thresholds (arguments):

    vanishing   ratio < 1e-3: the layer learns over a thousand times slower than the output layer,
                the product f'(x) f'(x) ... f'(x) ~ 0 of the notes (sigmoid: f' <= 0.25 per layer)
    exploding   ratio > 1e3, or norm > 1e3, or a non-finite gradient
    dying       dead fraction >= 0.5: at least half the layer's units never fire on the batch
                (the notes: a high learning rate pushes w negative and ReLU returns 0 for good)

For training-time monitoring use the :class:`GradientMonitor` callback (``neuronet.callbacks.GradientFlow``).

    >>> # report = neuronet.diagnostics.check(model, x_train[:256], y_train[:256]); print(report)
"""
from __future__ import annotations

import math

import numpy as np

from neuronet.callbacks.gradient_flow import GradientFlow, is_relu_layer
from neuronet.utils.validation import check_fraction, check_number

GradientMonitor = GradientFlow  # the callback, under the name this module's docs use


class GradientReport:
    """What :func:`check` found: ``layers`` (DataFrame: layer, activation, grad_norm, ratio_to_last,
    dead_fraction), the flagged layer names in ``vanishing``, ``exploding``, ``dying``, ``ok`` (nothing
    flagged), ``loss`` and a text (``str(report)`` / ``report.text``)."""

    def __init__(self, layers, vanishing, exploding, dying, loss, thresholds):
        self.layers, self.vanishing, self.exploding, self.dying = layers, vanishing, exploding, dying
        self.loss, self.thresholds = loss, thresholds

    @property
    def ok(self) -> bool:
        return not (self.vanishing or self.exploding or self.dying)

    @property
    def text(self) -> str:
        t = self.thresholds
        lines = [f"Gradient flow on this batch (loss {self.loss:.6g}):",
                 self.layers.to_string(index=False, float_format="{:.3g}".format, na_rep="-")]
        if self.vanishing:
            lines.append(f"VANISHING gradients in {len(self.vanishing)} layer(s): {', '.join(self.vanishing)} "
                         f"(gradient norm below {t['vanishing']:g} x the output layer's). These layers "
                         f"barely learn. Remedies from the notes: ReLU-family activations, He/Xavier "
                         f"initialization, batch normalization, fewer layers.")
        if self.exploding:
            lines.append(f"EXPLODING gradients in {len(self.exploding)} layer(s): {', '.join(self.exploding)} "
                         f"(norm above {t['exploding']:g}, {t['exploding']:g} x the output layer's, or "
                         f"not finite). Remedies: a lower learning rate, gradient clipping (clipnorm), "
                         f"careful initialization, batch normalization.")
        if self.dying:
            dead = self.layers.set_index("layer")["dead_fraction"]
            parts = [f"{name} ({dead[name]:.0%} of units dead)" for name in self.dying]
            lines.append(f"DYING ReLUs in {len(self.dying)} layer(s): {', '.join(parts)}: these units output "
                         f"0 for every sample, so they get no gradient and never recover. Remedies: a lower "
                         f"learning rate, LeakyReLU/ELU/SELU, He initialization.")
        if self.ok:
            lines.append("No vanishing or exploding gradients and no dying ReLUs detected.")
        return "\n".join(lines)

    __str__ = text.fget

    def __repr__(self):
        return (f"<GradientReport vanishing={self.vanishing}, exploding={self.exploding}, "
                f"dying={self.dying}>")


def _act_name(layer):
    act = getattr(layer, "activation", None)
    if act is None:
        return type(layer).__name__
    return getattr(act, "__name__", None) or getattr(act, "name", None) or type(act).__name__


def check(model, x, y, loss=None, vanishing=1e-3, exploding=1e3, dead=0.5):
    """Diagnose gradient flow on one batch (x, y); returns a :class:`GradientReport`.

    Thresholds as in the module docstring. ``loss`` defaults to the compiled loss. No weight changes
    (layer gradient buffers are overwritten, as by any training step).
    """
    import pandas as pd

    from neuronet.models.explain import forward_backward

    check_number(vanishing, "vanishing", minimum=0, strict=True)
    check_number(exploding, "exploding", minimum=0, strict=True)
    check_fraction(dead, "dead", low_inclusive=False, high_inclusive=True)
    records, value = forward_backward(model, x, y, loss)
    rows = []
    for rec in records:
        layer = rec["layer"]
        has_grad = layer.trainable and bool(layer.grads)
        norm = math.sqrt(sum(float(np.vdot(g, g)) for g in layer.grads.values())) if has_grad else np.nan
        dead_frac = np.nan
        if is_relu_layer(layer):
            a = rec["a"].reshape(len(rec["a"]), -1)
            if np.isfinite(a).all():  # with NaN activations "dead" means nothing: flagged as exploding
                dead_frac = float(1.0 - (a > 0).any(axis=0).mean())
        rows.append({"layer": layer.name, "activation": _act_name(layer), "grad_norm": norm,
                     "dead_fraction": dead_frac})
    frame = pd.DataFrame(rows)
    norms = frame["grad_norm"].dropna()
    last = float(norms.iloc[-1]) if len(norms) else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio_to_last"] = frame["grad_norm"] / last if last > 0 else np.nan
    frame = frame[["layer", "activation", "grad_norm", "ratio_to_last", "dead_fraction"]]
    van, exp, dying = [], [], []
    for rec, row in zip(records, frame.itertuples(index=False)):
        if rec["layer"].trainable and rec["layer"].grads:  # layers with gradients
            norm, ratio = row.grad_norm, row.ratio_to_last
            if not math.isfinite(norm) or norm > exploding or (math.isfinite(ratio) and ratio > exploding):
                exp.append(row.layer)
            elif math.isfinite(ratio) and ratio < vanishing:
                van.append(row.layer)
        if math.isfinite(row.dead_fraction) and row.dead_fraction >= dead:
            dying.append(row.layer)
    return GradientReport(frame, van, exp, dying, value,
                          {"vanishing": vanishing, "exploding": exploding, "dead": dead})
