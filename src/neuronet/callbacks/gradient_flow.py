"""GradientFlow: per-layer gradient norms and dead-ReLU fractions recorded in History every epoch."""
from __future__ import annotations

import numpy as np

from neuronet.callbacks.base import Callback


def is_relu_layer(layer) -> bool:
    """True for a Dense/Activation layer with activation 'relu' or a ReLU layer: units that can die."""
    from neuronet import activations
    return getattr(layer, "activation", None) is activations.relu or type(layer).__name__ == "ReLU"


class GradientFlow(Callback):
    """Opt-in training monitor (cheap: one norm per layer per batch, read from ``layer.grads``).

    At each epoch end it appends to ``model.history.history`` (not to the progress-bar logs):

        "<layer>_grad_norm"      mean over the epoch's batches of ||dL/dparams|| = sqrt(sum of squares)
                                 over all of the layer's trainable weights
        "<layer>_dead_fraction"  for ReLU layers: fraction of units whose output was 0 for every sample
                                 of every batch of the epoch (the notes' dying ReLUs)

    The same per-epoch lists are in ``callback.history``.

    >>> # history = model.fit(x, y, epochs=5, callbacks=[GradientFlow()])
    >>> # history.history["dense_grad_norm"]
    """

    def on_train_begin(self, logs=None):
        self.history: dict[str, list] = {}
        self._layers = [l for l in self.model.layers if l.trainable and l.grads]
        self._relu = [l for l in self.model.layers if is_relu_layer(l)]

    def on_epoch_begin(self, epoch, logs=None):
        self._norm_sum = np.zeros(len(self._layers))
        self._batches = 0
        self._alive = {l.name: None for l in self._relu}

    def on_train_batch_end(self, batch, logs=None):
        for i, layer in enumerate(self._layers):
            self._norm_sum[i] += np.sqrt(sum(float(np.vdot(g, g)) for g in layer.grads.values()))
        self._batches += 1
        for layer in self._relu:
            out = getattr(layer, "y", None)   # the output its last forward cached
            if out is None:
                continue
            fired = (out.reshape(len(out), -1) > 0).any(axis=0)
            prev = self._alive[layer.name]
            self._alive[layer.name] = fired if prev is None else (prev | fired)

    def on_epoch_end(self, epoch, logs=None):
        record = {}
        for i, layer in enumerate(self._layers):
            record[f"{layer.name}_grad_norm"] = float(self._norm_sum[i] / max(self._batches, 1))
        for layer in self._relu:
            alive = self._alive[layer.name]
            if alive is not None:
                record[f"{layer.name}_dead_fraction"] = float(1.0 - alive.mean())
        target = getattr(getattr(self.model, "history", None), "history", None)
        for key, value in record.items():
            self.history.setdefault(key, []).append(value)
            if target is not None:
                target.setdefault(key, []).append(value)
