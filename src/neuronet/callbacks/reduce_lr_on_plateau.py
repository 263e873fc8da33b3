"""ReduceLROnPlateau: multiply the learning rate by ``factor`` when a metric stops improving."""
from __future__ import annotations

from neuronet.callbacks.base import Callback
from neuronet.callbacks.monitor import Monitor


class ReduceLROnPlateau(Callback):
    """After ``patience`` epochs without improvement: lr <- max(lr * factor, min_lr), then wait
    ``cooldown`` epochs before counting again. Improvement ('min' mode): current < best - min_delta.
    The rate in use is logged as 'learning_rate' each epoch.

        >>> from neuronet.callbacks import ReduceLROnPlateau
        >>> reduce_lr = ReduceLROnPlateau(monitor='val_loss', factor=0.2, patience=5, min_lr=0.001)
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        super().__init__()
        if "epsilon" in kwargs:  # the old Keras spelling
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected keyword argument(s) {sorted(kwargs)}.")
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor < 1:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0 (or < 0). "
                             f"Received: factor={factor!r}")
        for arg, value in (("patience", patience), ("cooldown", cooldown)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Received an invalid value for `{arg}`, expected a non-negative integer. "
                                 f"Received: {arg}={value!r}")
        self._monitor = Monitor(monitor, mode, min_delta, owner="Learning rate reduction")
        self.monitor, self.mode, self.min_delta = monitor, mode, self._monitor.min_delta
        self.factor, self.patience, self.verbose = float(factor), patience, verbose
        self.cooldown, self.min_lr = cooldown, float(min_lr)
        self._reset()

    def _reset(self):
        self.best, self.wait, self.cooldown_counter = self._monitor.worst, 0, 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = float(optimizer.learning_rate)
        current = self._monitor.get(logs)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._monitor.is_improvement(current, self.best):
            self.best, self.wait = current, 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = float(optimizer.learning_rate)
                if old_lr > self.min_lr:
                    if getattr(optimizer, "schedule", None) is not None:
                        raise TypeError("ReduceLROnPlateau cannot change a learning rate given as a "
                                        "schedule; compile with a number as learning_rate.")
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    optimizer.learning_rate = new_lr
                    if self.verbose > 0:
                        print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0
