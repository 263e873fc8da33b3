"""TerminateOnNaN: stop at the first non-finite loss and roll the model back to its last finite state."""
from __future__ import annotations

import math

import numpy as np

from neuronet.callbacks.base import Callback


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite, naming the epoch and batch, and puts back
    the weights and optimizer state (slots and step count) of the last batch whose loss and weights
    were finite — Keras leaves the NaN weights in place.

    The copy is cheap: after each finite batch the flat parameter buffer and the optimizer slots are
    copied with ``np.copyto`` into buffers allocated once, so no memory is allocated per batch.

        >>> from neuronet.callbacks import TerminateOnNaN
        >>> # model.fit(x, y, epochs=10, callbacks=[TerminateOnNaN()])
    """

    def __init__(self):
        super().__init__()
        self.stopped = None  # (epoch, batch) where training was terminated

    def on_train_begin(self, logs=None):
        self.stopped, self._epoch = None, 0
        self._params = self.model._flat_params[0].copy()
        self._slots: dict = {}
        self._snapshot_optimizer()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def _snapshot_optimizer(self):
        opt = self.model.optimizer
        self._iterations = opt.iterations
        live = {(i, k): arr for i, slots in opt._slots.items() for k, arr in slots.items()}
        for key, arr in live.items():
            buf = self._slots.get(key)
            if buf is None or buf.shape != arr.shape or buf.dtype != arr.dtype:
                self._slots[key] = arr.copy()
            else:
                np.copyto(buf, arr)
        for key in set(self._slots) - set(live):
            del self._slots[key]

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        flat = self.model._flat_params[0]
        if loss is not None and math.isfinite(loss) and np.isfinite(flat).all():
            np.copyto(self._params, flat)
            self._snapshot_optimizer()
            return
        self._rollback()
        self.stopped = (self._epoch, batch)
        self.model.stop_training = True
        print(f"Epoch {self._epoch + 1}, batch {batch}: invalid loss {loss}, terminating training; "
              "weights and optimizer state rolled back to the last finite state.")

    def _rollback(self):
        np.copyto(self.model._flat_params[0], self._params)
        opt = self.model.optimizer
        opt.iterations = self._iterations
        opt._slots = {}
        for (i, k), arr in self._slots.items():
            opt._slots.setdefault(i, {})[k] = arr.copy()
