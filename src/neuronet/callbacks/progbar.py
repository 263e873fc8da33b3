"""ProgbarLogger: the Keras-style progress bar and per-epoch line, drawn with tqdm.

verbose=1:  ``Train on 340 samples, validate on 86 samples`` once, then per epoch
            ``Epoch 3/300``, a live bar ``128/340 [===========                   ] - ETA: 00:01`` (samples
            and time left; the loss shows at the epoch's end, so that fit need not compute it every batch),
            and ``340/340 [==============================] - 0s 72us/sample - loss: 0.4401 - acc: 0.8941 - val_loss: 0.4377 - val_acc: 0.8605``
verbose=2:  the same lines without the bar.
"""
import sys
import time

import numpy as np
from tqdm import tqdm

from neuronet.callbacks.base import Callback


def format_logs(logs) -> str:
    """'loss: 0.4401 - acc: 0.8941'; a per-class metric (an array, e.g. F1Score(average=None)) prints as
    'f1_score: [0.5000 0.8000 0.6667]', its first and last three values around '...' beyond 8 classes.

        >>> import numpy as np
        >>> format_logs({"loss": 0.25, "f1_score": np.array([0.5, 0.8]), "batch": "x"})
        'loss: 0.2500 - f1_score: [0.5000 0.8000]'
    """
    parts = []
    for k, v in logs.items():
        if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
            parts.append(f"{k}: {float(v):.4f}")
        elif isinstance(v, np.ndarray) and v.dtype.kind in "iuf":
            if v.ndim == 0:
                parts.append(f"{k}: {float(v):.4f}")
                continue
            flat = [f"{x:.4f}" for x in v.reshape(-1).tolist()]
            if len(flat) > 8:
                flat = flat[:3] + ["..."] + flat[-3:]
            parts.append(f"{k}: [{' '.join(flat)}]")
    return " - ".join(parts)


class ProgbarLogger(Callback):
    def __init__(self, verbose=1, stream=None):
        super().__init__()
        self.verbose = verbose
        self.stream = stream

    def on_train_begin(self, logs=None):
        self.epochs = self.params.get("epochs", 1)
        self.samples = self.params.get("samples", 0)
        self._out = self.stream or sys.stdout
        val = self.params.get("val_samples", 0)
        # The notes' (Keras 2.0) first line: "Train on 303 samples, validate on 76 samples"
        print(f"Train on {self.samples} samples" + (f", validate on {val} samples" if val else ""),
              file=self._out, flush=True)

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._seen = 0
        print(f"Epoch {epoch + 1}/{self.epochs}", file=self._out, flush=True)
        if self.verbose == 1:
            self._bar = tqdm(total=self.samples, file=self._out, ascii=" =", ncols=None, leave=False,
                             mininterval=0.2, bar_format="{n_fmt}/{total_fmt} [{bar:30}] - ETA: {remaining}",
                             disable=None if self.stream is None else False)

    def on_train_batch_begin(self, batch, logs=None):
        # Advanced when the next batch begins, by the batch just done: a batch-end hook would make fit
        # compute every batch's loss and metrics for a bar that only shows the sample count.
        if self.verbose == 1:
            self._bar.update(self._seen)
            self._seen = (logs or {}).get("size", 0)

    def on_epoch_end(self, epoch, logs=None):
        if self.verbose == 1:
            self._bar.close()
        print(summary_line(self.samples, time.perf_counter() - self._start, logs, bar=self.verbose == 1),
              file=self._out, flush=True)


def summary_line(samples, elapsed, logs, bar=True):
    """Keras 2's closing line: ``426/426 [====...====] - 0s 30us/sample - loss: 0.0506 - acc: 0.9859``."""
    per_sample = elapsed / max(1, samples)
    if per_sample >= 1 or per_sample == 0:             # Keras 2's Progbar picks the unit the same way
        unit = f"{per_sample:.0f}s/sample"
    else:
        unit = f"{per_sample * 1e6:.0f}us/sample" if per_sample < 1e-3 else f"{per_sample * 1e3:.0f}ms/sample"
    bar_text = f" [{'=' * 30}]" if bar else ""
    return f"{samples}/{samples}{bar_text} - {elapsed:.0f}s {unit} - {format_logs(logs or {})}"


def make_progbar(verbose):
    """A ProgbarLogger for verbose 1 or 2; verbose 2 registers no batch hook."""
    if verbose == 2:
        return _EpochLineLogger(verbose=2)
    return ProgbarLogger(verbose=1)


class _EpochLineLogger(ProgbarLogger):
    on_train_batch_begin = Callback.on_train_batch_begin  # no per-batch work at all for verbose=2
