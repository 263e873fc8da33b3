"""Learning-rate schedules: callables ``schedule(step) -> learning rate``, usable as ``learning_rate=``.

    >>> from neuronet.optimizers.schedules import ExponentialDecay
    >>> s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> s(10)                           # lr0 * rate ** (step / decay_steps)
    0.05
"""
from __future__ import annotations

from neuronet.registry import Registry

SCHEDULES = Registry("learning rate schedule")


class LearningRateSchedule:
    def __call__(self, step) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_config(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@SCHEDULES.register(name="ExponentialDecay")
class ExponentialDecay(LearningRateSchedule):
    """lr = initial_learning_rate * decay_rate ** (step / decay_steps)  (floored exponent if staircase)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        if decay_steps <= 0:
            raise ValueError(f"Received an invalid value for `decay_steps`, expected a positive number. "
                             f"Received: decay_steps={decay_steps!r}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps, self.decay_rate, self.staircase = decay_steps, float(decay_rate), bool(staircase)

    def __call__(self, step):
        p = step / self.decay_steps
        if self.staircase:
            p = float(int(p))
        return self.initial_learning_rate * self.decay_rate ** p


def serialize_schedule(schedule):
    if isinstance(schedule, LearningRateSchedule):
        return {"class_name": type(schedule).__name__, "config": schedule.get_config()}
    raise ValueError(f"Cannot serialize learning-rate schedule {schedule!r}: use a "
                     "neuronet.optimizers.schedules class.")


def get_schedule(identifier):
    return SCHEDULES.get(identifier)
