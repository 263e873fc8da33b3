"""TerminateOnNaN: stop at the first non-finite loss and roll the model back to its last finite state."""
from __future__ import annotations

import math


from neuronet.callbacks.base import Callback
from neuronet.utils.snapshot import TrainingSnapshot


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite, naming the epoch and batch, and puts back
    the weights, layer states (batch-norm statistics) and optimizer state (slots and step count) of the
    last batch whose loss and weights were finite — Keras leaves the NaN weights in place.

    The copy is cheap: after each finite batch they are copied with ``np.copyto`` into buffers
    allocated once (neuronet.utils.snapshot.TrainingSnapshot), so no memory is allocated per batch.

        >>> from neuronet.callbacks import TerminateOnNaN
        >>> # model.fit(x, y, epochs=10, callbacks=[TerminateOnNaN()])
    """

    def __init__(self):
        super().__init__()
        self.stopped = None  # (epoch, batch) where training was terminated

    def on_train_begin(self, logs=None):
        self.stopped, self._epoch = None, 0
        self._snapshot = TrainingSnapshot(self.model)
        self._snapshot.take()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and math.isfinite(loss) and self.model.parameters.all_finite():
            self._snapshot.take()
            return
        self._snapshot.restore()
        self.stopped = (self._epoch, batch)
        self.model.stop_training = True
        print(f"Epoch {self._epoch + 1}, batch {batch}: invalid loss {loss}, terminating training; "
              "weights, layer states and optimizer state rolled back to the last finite state.")
