"""Optuna's pruning as a neuronet callback: each epoch's validation score goes to the trial, and the fit
stops when the study's pruner says the trial is losing."""
from __future__ import annotations

import math

from neuronet.callbacks.base import Callback


class PruningCallback(Callback):
    """Report ``logs[monitor]`` to an Optuna ``trial`` after every epoch (step = epoch index) and stop
    training when ``trial.should_prune()``; ``pruned`` then is True and ``reported`` lists the (step,
    value) pairs sent. Optuna's ``KerasPruningCallback``, for neuronet's fit.

    Only the first fit it is attached to reports (with cross-validation: the first fold), so steps stay
    the epochs of one run. An epoch that did not log ``monitor`` (``validation_freq``) is skipped.

    >>> # model.fit(x, y, validation_data=(xv, yv), callbacks=[PruningCallback(trial, 'val_loss')])
    """

    def __init__(self, trial, monitor="val_loss"):
        super().__init__()
        self.trial, self.monitor = trial, monitor
        self.pruned, self.reported, self._finished = False, [], False

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if self._finished or value is None:
            return
        value = float(value)
        if not math.isfinite(value):      # a diverged run: nothing to compare, stop it
            self.pruned = True
            self.model.stop_training = True
            return
        self.trial.report(value, epoch)
        self.reported.append((epoch, value))
        if self.trial.should_prune():
            self.pruned = True
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        self._finished = True
