"""Learning-rate schedules: callables ``schedule(step) -> learning rate``, usable as ``learning_rate=``.

The notes' "learning rate decay: set a high learning rate at the outset, and gradually lower it".
The optimizer evaluates its schedule at its step count before each update (0, 1, 2, ...), as Keras does.
Formulas are Keras 3's; every schedule round-trips through ``get_config`` / ``from_config``.

    >>> from neuronet.optimizers.schedules import ExponentialDecay
    >>> s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> s(10)                           # lr0 * rate ** (step / decay_steps)
    0.05
"""
from __future__ import annotations

import math

from neuronet.registry import Registry

SCHEDULES = Registry("learning rate schedule")


class LearningRateSchedule:
    """Base class: subclasses store their constructor arguments as attributes of the same names."""

    def __call__(self, step) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_config(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _check_decay_steps(decay_steps, name="decay_steps"):
    if isinstance(decay_steps, bool) or not isinstance(decay_steps, (int, float)) or not decay_steps > 0:
        raise ValueError(f"Received an invalid value for `{name}`, expected a positive number. "
                         f"Received: {name}={decay_steps!r}")
    return decay_steps


class _StepDecay(LearningRateSchedule):
    """Shared by ExponentialDecay and InverseTimeDecay: progress p = step / decay_steps (floored when
    ``staircase``); subclasses only write their formula in ``__call__``."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _check_decay_steps(decay_steps)
        self.decay_rate, self.staircase = float(decay_rate), bool(staircase)
        self.name = name or type(self).__name__

    def _progress(self, step):
        p = step / self.decay_steps
        return math.floor(p) if self.staircase else p


@SCHEDULES.register(name="ExponentialDecay")
class ExponentialDecay(_StepDecay):
    """lr(step) = initial_learning_rate * decay_rate ** (step / decay_steps)   (floored exponent if staircase).

    >>> ExponentialDecay(0.1, 100, 0.96, staircase=True)(150)     # 0.1 * 0.96 ** 1
    0.096
    """

    def __call__(self, step):
        return self.initial_learning_rate * self.decay_rate ** self._progress(step)


@SCHEDULES.register(name="InverseTimeDecay")
class InverseTimeDecay(_StepDecay):
    """lr(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)   (floored if staircase).

    This is the classic "1 / (1 + decay_rate * epoch_num)" learning-rate decay of the notes: with
    ``decay_steps`` = batches per epoch and ``staircase=True`` the rate is lr0 / (1 + decay_rate * epoch).
    (It is also the old Keras ``decay=`` argument, lr0 / (1 + decay * iterations), with decay_steps=1.)

    >>> InverseTimeDecay(0.2, decay_steps=1, decay_rate=1.0)(3)    # 0.2 / (1 + 1 * 3)
    0.05
    """

    def __call__(self, step):
        return self.initial_learning_rate / (1.0 + self.decay_rate * self._progress(step))


@SCHEDULES.register(name="PiecewiseConstantDecay", aliases=("PiecewiseConstant",))
class PiecewiseConstantDecay(LearningRateSchedule):
    """lr(step) = values[0] if step <= boundaries[0], values[i] if boundaries[i-1] < step <= boundaries[i],
    values[-1] if step > boundaries[-1].

    >>> s = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    >>> s(100), s(101), s(201)
    (1.0, 0.5, 0.1)
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), [float(v) for v in values]
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of `boundaries` should be 1 less than the length of `values`. "
                             f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                             f"values={values} of length {len(values)}.")
        if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
            raise ValueError(f"Received an invalid value for `boundaries`, expected strictly increasing "
                             f"numbers. Received: boundaries={boundaries}")
        self.boundaries, self.values, self.name = boundaries, values, name

    def __call__(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return value
        return self.values[-1]


PiecewiseConstant = PiecewiseConstantDecay


@SCHEDULES.register(name="PolynomialDecay")
class PolynomialDecay(LearningRateSchedule):
    """lr(step) = (initial - end) * (1 - s / D) ** power + end, where s = min(step, decay_steps) and
    D = decay_steps; with ``cycle=True`` s = step and D = decay_steps * ceil(step / decay_steps)
    (D = decay_steps at step 0).

    >>> PolynomialDecay(0.1, 10, end_learning_rate=0.0, power=1.0)(5)
    0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _check_decay_steps(decay_steps)
        self.end_learning_rate, self.power = float(end_learning_rate), float(power)
        self.cycle, self.name = bool(cycle), name

    def __call__(self, step):
        decay_steps = self.decay_steps
        if self.cycle:
            decay_steps = decay_steps * (1.0 if step == 0 else math.ceil(step / decay_steps))
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        return (self.initial_learning_rate - self.end_learning_rate) * (1.0 - p) ** self.power \
            + self.end_learning_rate


@SCHEDULES.register(name="CosineDecay")
class CosineDecay(LearningRateSchedule):
    """Cosine decay (Loshchilov & Hutter, SGDR) after an optional linear warmup, as Keras 3:

        warmup (warmup_target set and step < warmup_steps):
            lr = initial + (warmup_target - initial) * step / warmup_steps
        decay (s = min(step - warmup_steps, decay_steps), lr0 = warmup_target or initial):
            lr = lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)

    >>> CosineDecay(0.1, decay_steps=10)(5)             # half way: 0.1 * 0.5
    0.05
    >>> CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=4)(2)
    0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _check_decay_steps(decay_steps)
        self.alpha, self.name = float(alpha), name
        self.warmup_target = None if warmup_target is None else float(warmup_target)
        if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, (int, float)) or warmup_steps < 0:
            raise ValueError(f"Received an invalid value for `warmup_steps`, expected a non-negative number. "
                             f"Received: warmup_steps={warmup_steps!r}")
        self.warmup_steps = warmup_steps

    def _decay(self, step, start):
        fraction = min(step, self.decay_steps) / self.decay_steps
        return start * ((1.0 - self.alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + self.alpha)

    def __call__(self, step):
        if self.warmup_target is None:
            return self._decay(step, self.initial_learning_rate)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            delta = self.warmup_target - self.initial_learning_rate
            return delta * (step / self.warmup_steps) + self.initial_learning_rate
        return self._decay(step - self.warmup_steps, self.warmup_target)


def serialize_schedule(schedule):
    """``{"class_name": ..., "config": ...}`` for a neuronet schedule (plain functions cannot be saved)."""
    if isinstance(schedule, LearningRateSchedule):
        return {"class_name": type(schedule).__name__, "config": schedule.get_config()}
    raise ValueError(f"Cannot serialize learning-rate schedule {schedule!r}: use a "
                     "neuronet.optimizers.schedules class.")


def get_schedule(identifier):
    """A schedule from a config dict (as ``serialize_schedule`` writes), a name or an instance."""
    return SCHEDULES.get(identifier)


serialize = serialize_schedule
deserialize = get_schedule

__all__ = ["LearningRateSchedule", "ExponentialDecay", "InverseTimeDecay", "PiecewiseConstantDecay",
           "PiecewiseConstant", "PolynomialDecay", "CosineDecay", "SCHEDULES", "serialize_schedule",
           "get_schedule", "serialize", "deserialize"]
