"""CSVLogger: one CSV row per epoch with every logged quantity."""
from __future__ import annotations

import csv
import os

import numpy as np

from neuronet.callbacks.base import Callback


class CSVLogger(Callback):
    """Writes ``epoch,<sorted log keys>`` rows to ``filename``; ``append=True`` continues an existing
    file (the header is written only when the file is new or empty).

        >>> from neuronet.callbacks import CSVLogger
        >>> logger = CSVLogger("training.log", separator=",", append=False)
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, bool(append)
        self.keys, self._file, self._writer = None, None, None

    def on_train_begin(self, logs=None):
        header_needed = not (self.append and os.path.exists(self.filename) and os.path.getsize(self.filename) > 0)
        self._file = open(self.filename, "a" if self.append else "w", newline="", encoding="utf-8")
        self._header_needed, self.keys, self._writer = header_needed, None, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            keys = set(logs)
            if self.params.get("val_samples") and not any(k.startswith("val_") for k in keys):
                # validation_freq > 1: the first epoch has no val_ values yet; give them columns (NA there)
                keys |= {f"val_{k}" for k in getattr(self.model, "metrics_names", [])}
            self.keys = sorted(keys)
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch", *self.keys], delimiter=self.sep,
                                          extrasaction="ignore")
            if self._header_needed:
                self._writer.writeheader()
        row = {"epoch": epoch, **{k: _fmt(logs.get(k, "NA")) for k in self.keys}}
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file, self._writer = None, None


def _fmt(value):
    """A float as repr; a per-class array as '[0.5, 0.8, 0.6667]' (Keras' CSVLogger; csv quotes it)."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return "[" + ", ".join(repr(float(x)) for x in value.reshape(-1)) + "]"
    if isinstance(value, (float, np.floating)) or (isinstance(value, np.ndarray) and value.dtype.kind == "f"):
        return repr(float(value))
    return value
