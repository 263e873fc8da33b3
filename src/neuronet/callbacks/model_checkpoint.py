"""ModelCheckpoint: save the model (or its weights) during training, optionally only on improvement."""
from __future__ import annotations

import math
import os

from neuronet.callbacks.base import Callback
from neuronet.callbacks.monitor import Monitor


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class ModelCheckpoint(Callback):
    """Save to ``filepath`` at the end of every epoch (``save_freq='epoch'``) or every ``save_freq``
    training batches (counted across epochs, as Keras). ``filepath`` may hold ``{epoch:02d}`` (1-based, as
    Keras), ``{batch}`` (1-based, with an integer ``save_freq``) and any log key, e.g.
    ``"ckpt/weights.{epoch:02d}-{val_loss:.2f}.keras"``; its folder is created when missing (also when
    it is removed during training). With ``save_best_only=True`` a file is written only when ``monitor``
    improves on the best value so far (current < best in 'min' mode, > in 'max' mode), starting from
    ``initial_value_threshold`` when given. Every write is atomic (one file per checkpoint: weights and
    metadata never come from different epochs).

    ``period=N`` is the Keras 2 spelling of saving every N epochs (epochs N, 2N, ...); Keras 3 dropped it.

        >>> from neuronet.callbacks import ModelCheckpoint
        >>> checkpoint = ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True)
        >>> every_100 = ModelCheckpoint("ckpt/step-{batch}.keras", save_freq=100)
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch", initial_value_threshold=None,
                 period=None):
        super().__init__()
        if save_freq != "epoch" and not _positive_int(save_freq):
            raise ValueError(f"Received an invalid value for `save_freq`, expected 'epoch' or a positive "
                             f"integer (batches). Received: save_freq={save_freq!r}")
        if period is not None and not _positive_int(period):
            raise ValueError(f"Received an invalid value for `period`, expected a positive integer (epochs; "
                             f"the Keras 2 spelling of saving every `period` epochs). Received: period={period!r}")
        if period is not None and save_freq != "epoch":
            raise ValueError(f"`period` counts epochs and an integer `save_freq` counts batches: pass one of "
                             f"them. Received: period={period!r}, save_freq={save_freq!r}")
        if initial_value_threshold is not None and (
                isinstance(initial_value_threshold, bool) or not isinstance(initial_value_threshold, (int, float))
                or math.isnan(initial_value_threshold)):
            raise ValueError(f"Received an invalid value for `initial_value_threshold`, expected a number or "
                             f"None. Received: initial_value_threshold={initial_value_threshold!r}")
        self.filepath = os.fspath(filepath)
        self._monitor = Monitor(monitor, mode, 0.0, owner="Can save best model only with")
        self.monitor, self.mode, self.verbose = monitor, self._monitor.mode, verbose
        self.save_best_only, self.save_weights_only, self.save_freq = save_best_only, save_weights_only, save_freq
        self.period = 1 if period is None else period
        self.initial_value_threshold = initial_value_threshold
        self.best = self._monitor.worst if initial_value_threshold is None else float(initial_value_threshold)
        self._epoch, self._batches, self._epochs_since_save = 0, 0, 0
        if save_freq == "epoch":  # no per-batch call at all
            self.on_train_batch_end = Callback.on_train_batch_end.__get__(self)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self._batches >= self.save_freq:
            self._batches = 0
            self._save(self._epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._epochs_since_save += 1
            if self._epochs_since_save >= self.period:
                self._epochs_since_save = 0
                self._save(epoch, None, logs)

    def format_path(self, epoch, batch, logs):
        """``filepath`` with ``epoch`` (1-based), ``batch`` (1-based, when saving by batch) and the log
        values filled in."""
        # The batch logs' own 'batch' (0-based) and 'size' are not Keras' log keys.
        values = {k: v for k, v in (logs or {}).items() if k not in ("batch", "size")}
        values["epoch"] = epoch + 1
        if batch is not None:
            values["batch"] = batch + 1
        try:
            return self.filepath.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {exc!r}. '
                           f"Available keys: {', '.join(values)}.") from None

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
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)     # created when missing, as Keras; also if removed meanwhile
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
