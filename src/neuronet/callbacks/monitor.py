"""Shared logic of the callbacks that watch a logged quantity (EarlyStopping, ModelCheckpoint,
ReduceLROnPlateau): the mode, the improvement test and the warning for a missing key.

    >>> from neuronet.callbacks.monitor import Monitor
    >>> m = Monitor("val_loss", mode="auto", min_delta=0.1)
    >>> m.is_improvement(0.5, 0.7), m.is_improvement(0.65, 0.7)
    (True, False)
"""
from __future__ import annotations

import math

import numpy as np

from neuronet.utils.user_warning import warn

# Quantities that grow when the model gets better; everything else (losses, errors) should shrink.
_MAX_WORDS = ("acc", "auc", "precision", "recall", "f1", "fbeta", "fmeasure", "r2", "iou", "cosine_similarity")


def _aliases(key: str) -> list[str]:
    """'val_acc' and 'val_accuracy' name the same thing; the logs use the spelling compiled."""
    prefix, base = ("val_", key[4:]) if key.startswith("val_") else ("", key)
    alias = {"acc": "accuracy", "accuracy": "acc"}.get(base)
    return [key] + ([prefix + alias] if alias else [])


class Monitor:
    """Improvement test for ``monitor``: in 'min' mode current < reference - min_delta, in 'max' mode
    current > reference + min_delta; 'auto' picks 'max' for accuracy-like names, 'min' otherwise."""

    def __init__(self, monitor="val_loss", mode="auto", min_delta=0.0, owner="Callback"):
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"Received an invalid value for `monitor`, expected a log key such as "
                             f"'val_loss'. Received: monitor={monitor!r}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"Received an invalid value for `mode`, expected 'auto', 'min' or 'max'. "
                             f"Received: mode={mode!r}")
        if isinstance(min_delta, bool) or not isinstance(min_delta, (int, float)) or not math.isfinite(min_delta):
            raise ValueError(f"Received an invalid value for `min_delta`, expected a finite number. "
                             f"Received: min_delta={min_delta!r}")
        self.monitor, self.owner = monitor, owner
        base = monitor[4:] if monitor.startswith("val_") else monitor
        if mode == "auto":
            mode = "max" if any(w in base.lower() for w in _MAX_WORDS) and "loss" not in base.lower() else "min"
        self.mode = mode
        self.min_delta = abs(float(min_delta))
        self._warned = False

    @property
    def worst(self) -> float:
        return math.inf if self.mode == "min" else -math.inf

    def is_improvement(self, current, reference) -> bool:
        if reference is None:
            return True
        if self.mode == "min":
            return current < reference - self.min_delta
        return current > reference + self.min_delta

    def get(self, logs):
        """The monitored value from ``logs`` (accepting acc/accuracy spellings), or None with a
        one-time warning listing the available keys."""
        logs = logs or {}
        for key in _aliases(self.monitor):
            if key in logs and logs[key] is not None:
                return _scalar(logs[key], key)
        if not self._warned:
            self._warned = True
            warn(f"{self.owner} is conditioned on metric `{self.monitor}` which is not available. "
                 f"Available metrics are: {','.join(logs)}", RuntimeWarning)
        return None


def _scalar(value, key):
    """The logged value as a float; a per-class array (more than one value) cannot be monitored."""
    size = getattr(value, "size", 1)
    if size != 1:
        shown = np.array2string(np.asarray(value, dtype=np.float64), precision=4, threshold=8)
        raise ValueError(f"Cannot monitor `{key}`: it logs {size} values, one per class "
                         f"({shown}), not one number. Monitor a single number instead: compile the "
                         "metric with average='macro' (or 'micro' / 'weighted'), e.g. "
                         "F1Score(average='macro'), or monitor another key such as 'val_loss'.")
    return float(value.item() if hasattr(value, "item") else value)
