"""LearningRateScheduler: set the learning rate at the start of every epoch from a function."""
from __future__ import annotations

import math

from neuronet.callbacks.base import Callback


class LearningRateScheduler(Callback):
    """lr <- schedule(epoch, lr) at each epoch begin (``schedule(epoch)`` with one argument also works);
    the rate is logged as 'learning_rate'.

        >>> from neuronet.callbacks import LearningRateScheduler
        >>> halve = LearningRateScheduler(lambda epoch, lr: lr if epoch < 10 else lr * 0.5)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"`schedule` must be a function schedule(epoch, lr) -> float; received {schedule!r}.")
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        lr = float(optimizer.learning_rate)
        try:
            new_lr = self.schedule(epoch, lr)
        except TypeError:  # a one-argument schedule, as older Keras allowed
            new_lr = self.schedule(epoch)
        if isinstance(new_lr, bool) or not isinstance(new_lr, (int, float)) and not hasattr(new_lr, "__float__"):
            raise ValueError(f'The output of the "schedule" function should be a float. Got: {new_lr!r}')
        new_lr = float(new_lr)
        if not math.isfinite(new_lr) or new_lr < 0:
            raise ValueError(f"The schedule returned learning_rate={new_lr} at epoch {epoch}; expected a "
                             "finite non-negative number.")
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {new_lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
