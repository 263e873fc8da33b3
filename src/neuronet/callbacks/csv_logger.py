"""CSVLogger: one CSV row per epoch with every logged quantity."""
from __future__ import annotations

import csv
import io
import os

import numpy as np

from neuronet.callbacks.base import Callback
from neuronet.utils.atomic import atomic_write_text


class CSVLogger(Callback):
    """Writes ``epoch,<sorted log keys>`` rows to ``filename``; ``append=True`` continues an existing
    file (the header is written only when the file is new or empty).

    The file is rewritten atomically after every epoch (``neuronet.utils.atomic``: a temporary file in
    the same folder, fsync, rename), so a crash or a full disk leaves the rows of the last completed
    epoch, never a half row.

        >>> from neuronet.callbacks import CSVLogger
        >>> logger = CSVLogger("training.log", separator=",", append=False)
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, bool(append)
        self.keys, self._buffer, self._writer = None, None, None

    def on_train_begin(self, logs=None):
        previous = ""
        if self.append and os.path.exists(self.filename):
            with open(self.filename, newline="", encoding="utf-8") as fh:
                previous = fh.read()
        self._header_needed, self.keys, self._writer = not previous, None, None
        self._buffer = io.StringIO(newline="")
        self._buffer.write(previous)
        atomic_write_text(self.filename, previous)      # the file exists from the start, as in Keras

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            keys = set(logs)
            if self.params.get("val_samples") and not any(k.startswith("val_") for k in keys):
                # validation_freq > 1: the first epoch has no val_ values yet; give them columns (NA there)
                keys |= {f"val_{k}" for k in getattr(self.model, "metrics_names", [])}
            self.keys = sorted(keys)
            self._writer = csv.DictWriter(self._buffer, fieldnames=["epoch", *self.keys], delimiter=self.sep,
                                          extrasaction="ignore")
            if self._header_needed:
                self._writer.writeheader()
        row = {"epoch": epoch, **{k: _fmt(logs.get(k, "NA")) for k in self.keys}}
        self._writer.writerow(row)
        atomic_write_text(self.filename, self._buffer.getvalue())

    def on_train_end(self, logs=None):
        self._buffer, self._writer = None, None


def _fmt(value):
    """A float as repr; a per-class array as '[0.5, 0.8, 0.6667]' (Keras' CSVLogger; csv quotes it)."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return "[" + ", ".join(repr(float(x)) for x in value.reshape(-1)) + "]"
    if isinstance(value, (float, np.floating)) or (isinstance(value, np.ndarray) and value.dtype.kind == "f"):
        return repr(float(value))
    return value
