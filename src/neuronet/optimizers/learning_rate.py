"""LearningRate: the value ``optimizer.learning_rate`` (and ``optimizer.lr``) returns.

A float that remembers its optimizer, so the Keras 2 ways of changing a rate through the value work:
``K.set_value(model.optimizer.lr, 0.01)`` and ``model.optimizer.lr.assign(0.01)``. Everywhere else it is
the number: arithmetic gives plain floats, it prints, compares, formats and serializes as one, and it
pickles and copies as a plain float.

    >>> from neuronet.optimizers import SGD
    >>> opt = SGD(learning_rate=0.1)
    >>> opt.lr.assign(0.01)
    >>> opt.learning_rate
    0.01
"""
from __future__ import annotations


class LearningRate(float):
    """``float(rate)`` with ``assign(value)`` (sets the optimizer's rate) and ``numpy()`` (the float).

    In NumPy arithmetic it counts as a float64 scalar (NumPy keeps float32 only for plain Python floats):
    write ``float(opt.learning_rate) * array`` to keep float32 arrays float32.
    """

    __slots__ = ("_optimizer",)

    def __new__(cls, value, optimizer):
        return super().__new__(cls, value)

    def __init__(self, value, optimizer):
        self._optimizer = optimizer

    @property
    def optimizer(self):
        """The optimizer whose rate this is."""
        return self._optimizer

    def assign(self, value):
        """Set the optimizer's learning rate (TensorFlow's ``Variable.assign``)."""
        self._optimizer.learning_rate = value

    def numpy(self) -> float:
        return float(self)

    def __reduce__(self):
        return float, (float(self),)

    def __repr__(self):
        return float.__repr__(self)
