"""Stochastic gradient descent, with optional momentum and Nesterov momentum."""
import numpy as np

from neuronet.optimizers.base import Optimizer


class SGD(Optimizer):
    """Plain:     W <- W - lr * g
    Momentum:  v <- momentum * v - lr * g;   W <- W + v          (the notes' v <- a v - eta dL/dW)
    Nesterov:  v <- momentum * v - lr * g;   W <- W + momentum * v - lr * g

    Keras defaults: learning_rate=0.01, momentum=0.0, nesterov=False.

    >>> opt = SGD(lr=0.001, momentum=0.9)       # the notes' spelling
    """
    defaults = {"learning_rate": 0.01}

    def __init__(self, learning_rate=None, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError(f"Received an invalid value for `momentum`, expected a number in [0, 1]. "
                             f"Received: momentum={momentum!r}")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)
        self.slot_names = ("velocity",) if self.momentum else ()

    def update(self, param, grad, lr, slots):
        if not self.momentum:
            param -= lr * grad
            return
        v = slots["velocity"]
        v *= self.momentum
        v -= lr * grad
        if self.nesterov:
            param += self.momentum * v - lr * grad
        else:
            param += v

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
