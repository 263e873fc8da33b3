"""Stochastic gradient descent, with optional momentum and Nesterov momentum."""
import numpy as np

from neuronet.optimizers.base import Optimizer
from neuronet.utils.validation import check_fraction


class SGD(Optimizer):
    """The notes' equations (g = dL/dW, eta = learning rate, alpha = momentum):

        Plain:     W <- W - eta * g
        Momentum:  v <- alpha * v - eta * g;   W <- W + v
        Nesterov:  v <- alpha * v - eta * g;   W <- W + alpha * v - eta * g

    computed in place with one work array ``buf``: ``buf = lr * g``; ``v *= momentum``; ``v -= buf``;
    ``W += v`` (Nesterov: ``W -= buf``; ``W += momentum * v``). This is Keras 3's rule exactly.

    Keras defaults: learning_rate=0.01, momentum=0.0, nesterov=False.

    >>> opt = SGD(lr=0.001, momentum=0.9)       # the notes' spelling
    >>> opt.learning_rate, opt.momentum
    (0.001, 0.9)
    """
    defaults = {"learning_rate": 0.01}

    def __init__(self, learning_rate=None, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.momentum = check_fraction(momentum, "momentum", high_inclusive=True)
        self.nesterov = bool(nesterov)
        self.slot_names = ("velocity",) if self.momentum else ()

    def update(self, param, grad, lr, slots):
        step = self._scratch(param)
        lr, momentum = self._operands(param.dtype, lr, self.momentum)   # 0-d: see Optimizer._operands
        np.multiply(grad, lr, out=step)                  # step = eta * g
        if not self.momentum:
            param -= step                                # W <- W - eta * g
            return
        v = slots["velocity"]
        v *= momentum
        v -= step                                        # v <- alpha v - eta g
        if self.nesterov:
            param -= step
            np.multiply(v, momentum, out=step)
            param += step                                # W <- W + alpha v - eta g
        else:
            param += v                                   # W <- W + v

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}

