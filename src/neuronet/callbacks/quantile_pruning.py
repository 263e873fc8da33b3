"""QuantilePruning: stop a run that is losing against other runs at the same epoch."""
from __future__ import annotations

import math

import numpy as np

from neuronet.callbacks.base import Callback


class QuantilePruning(Callback):
    """Stop training when this run's best ``monitor`` so far is worse than the ``quantile`` of the other
    runs' best values at the same epoch (Optuna's PercentilePruner; ``quantile=0.5`` is its
    MedianPruner):

        threshold_e = quantile({best_k(e) : runs k that reached epoch e}, q)        (mode 'min')
        prune when  min(value_1 .. value_e) > threshold_e                           (max: '<', 1 - q)

    ``reference`` holds the other runs' curves (lists of per-epoch values, e.g. History['val_loss']);
    the same callback passed to several fits also adds each finished run's curve to it, so a loop of
    fits prunes the later ones against the earlier ones. Nothing is pruned before ``warmup_epochs``
    epochs, nor at an epoch fewer than ``min_runs`` curves reached. A non-finite value stops the run.
    After fit: ``pruned`` (True when this callback stopped the last run) and ``pruned_at`` (the epoch).
    The run's own earlier epochs count when it continues a History (``initial_epoch`` with
    BackupAndRestore or a search's continuation).

        >>> pruning = QuantilePruning("val_loss", quantile=0.5, reference=[[0.9, 0.7], [0.8, 0.5]], min_runs=2)
        >>> # model.fit(x, y, validation_data=(xv, yv), epochs=100, callbacks=[pruning])
    """

    def __init__(self, monitor="val_loss", quantile=0.5, reference=(), min_runs=4, warmup_epochs=0, mode="auto"):
        super().__init__()
        from neuronet.callbacks.monitor import Monitor
        if isinstance(quantile, bool) or not isinstance(quantile, (int, float)) or not 0 < quantile < 1:
            raise ValueError(f"Received an invalid value for `quantile`, expected a number between 0 and 1 "
                             f"(0.5: prune runs worse than the median). Received: quantile={quantile!r}")
        for name, value in (("min_runs", min_runs), ("warmup_epochs", warmup_epochs)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"Received an invalid value for `{name}`, expected a non-negative integer. "
                                 f"Received: {name}={value!r}")
        self.monitor, self.quantile = monitor, float(quantile)
        self.min_runs, self.warmup_epochs = max(int(min_runs), 1), int(warmup_epochs)
        self.mode = Monitor(monitor, mode).mode
        self.curves = [self._running_best(curve) for curve in reference]
        self.pruned, self.pruned_at = False, None

    def _running_best(self, values):
        values = np.asarray([v if v is not None and math.isfinite(v) else np.nan for v in values], dtype=np.float64)
        worst = np.inf if self.mode == "min" else -np.inf
        values = np.where(np.isnan(values), worst, values)
        return np.minimum.accumulate(values) if self.mode == "min" else np.maximum.accumulate(values)

    def threshold(self, epoch):
        """The value a run must reach by ``epoch`` (0-based) to go on, or None when too few runs did."""
        reached = [curve[epoch] for curve in self.curves if len(curve) > epoch and math.isfinite(curve[epoch])]
        if len(reached) < self.min_runs:
            return None
        q = self.quantile if self.mode == "min" else 1.0 - self.quantile
        return float(np.quantile(reached, q))

    def on_train_begin(self, logs=None):
        self.pruned, self.pruned_at = False, None
        history = getattr(self.model, "history", None)
        earlier = list(history.history.get(self.monitor, [])) if history is not None else []
        self._values = earlier

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            return
        value = float(value)
        self._values.append(value)
        if not math.isfinite(value):
            self._stop(epoch)
            return
        threshold = self.threshold(epoch) if epoch + 1 > self.warmup_epochs else None
        best = self._running_best(self._values)[-1]
        if threshold is not None and (best > threshold if self.mode == "min" else best < threshold):
            self._stop(epoch)

    def _stop(self, epoch):
        self.pruned, self.pruned_at = True, epoch
        self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self._values:
            self.curves.append(self._running_best(self._values))
