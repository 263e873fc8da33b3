"""EarlyStopping: stop training when a monitored quantity has stopped improving (Keras semantics)."""
from __future__ import annotations

from neuronet.callbacks.base import Callback
from neuronet.callbacks.monitor import Monitor


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    Improvement in 'min' mode: current < best - min_delta ('max' mode: current > best + min_delta).
    With ``restore_best_weights=True`` the weights of the best epoch are put back at the end of
    training, whether or not stopping triggered (as Keras 3 does). ``baseline``: training stops unless
    the monitored value beats it within ``patience`` epochs. Epochs before ``start_from_epoch`` are
    ignored (warm-up).

        >>> from neuronet.callbacks import EarlyStopping
        >>> early_stop = EarlyStopping(monitor='val_loss', patience=30, restore_best_weights=True)
        >>> # model.fit(x, y, validation_split=0.2, epochs=1000, callbacks=[early_stop])
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        for arg, value in (("patience", patience), ("start_from_epoch", start_from_epoch)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Received an invalid value for `{arg}`, expected a non-negative integer. "
                                 f"Received: {arg}={value!r}")
        self._monitor = Monitor(monitor, mode, min_delta, owner="Early stopping")
        self.monitor, self.mode, self.min_delta = monitor, mode, self._monitor.min_delta
        self.patience, self.verbose, self.baseline = patience, verbose, baseline
        self.restore_best_weights, self.start_from_epoch = bool(restore_best_weights), start_from_epoch
        self.on_train_begin()

    def on_train_begin(self, logs=None):
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best, self.best_weights = self._monitor.worst, None

    def on_epoch_end(self, epoch, logs=None):
        current = self._monitor.get(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._monitor.is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._monitor.is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)
