"""ModelCheckpoint: save the model (or its weights) during training, optionally only on improvement."""
from __future__ import annotations

import os

from neuronet.callbacks.base import Callback
from neuronet.callbacks.monitor import Monitor


class ModelCheckpoint(Callback):
    """Save to ``filepath`` at the end of every epoch (``save_freq='epoch'``) or every ``save_freq``
    batches. ``filepath`` may hold ``{epoch:02d}`` (1-based, as Keras) and any log key, e.g.
    ``"weights.{epoch:02d}-{val_loss:.2f}.neuronet"``. With ``save_best_only=True`` a file is written
    only when ``monitor`` improves (current < best - 0 in 'min' mode, > in 'max' mode). Every write is
    atomic (one file per checkpoint: weights and metadata never come from different epochs).

        >>> from neuronet.callbacks import ModelCheckpoint
        >>> checkpoint = ModelCheckpoint("best.neuronet", monitor="val_loss", save_best_only=True)
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__()
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq <= 0):
            raise ValueError(f"Received an invalid value for `save_freq`, expected 'epoch' or a positive "
                             f"integer (batches). Received: save_freq={save_freq!r}")
        self.filepath = os.fspath(filepath)
        self._monitor = Monitor(monitor, mode, 0.0, owner="Can save best model only with")
        self.monitor, self.mode, self.verbose = monitor, self._monitor.mode, verbose
        self.save_best_only, self.save_weights_only, self.save_freq = save_best_only, save_weights_only, save_freq
        self.initial_value_threshold = initial_value_threshold
        self.best = self._monitor.worst if initial_value_threshold is None else float(initial_value_threshold)
        self._epoch, self._batches = 0, 0
        if save_freq == "epoch":  # no per-batch call at all
            self.on_train_batch_end = Callback.on_train_batch_end.__get__(self)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self._batches % self.save_freq == 0:
            self._save(self._epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def format_path(self, epoch, batch, logs):
        try:
            return self.filepath.format(epoch=epoch + 1, batch=batch, **(logs or {}))
        except (KeyError, IndexError, ValueError) as exc:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {exc!r}. '
                           f"Available keys: epoch, batch, {', '.join(logs or {})}.") from None

    def _save(self, epoch, batch, logs):
        path = self.format_path(epoch, batch, logs)
        if self.save_best_only:
            current = self._monitor.get(logs)
            if current is None:
                return
            if not self._monitor.is_improvement(current, self.best):
                if self.verbose > 0:
                    print(f"Epoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            if self.verbose > 0:
                print(f"Epoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, "
                      f"saving model to {path}")
            self.best = current
        elif self.verbose > 0:
            print(f"Epoch {epoch + 1}: saving model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
