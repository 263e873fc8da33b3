"""RMSprop: divide the gradient by a running root mean square of recent gradients (Hinton, 2012)."""
import numpy as np

from neuronet.optimizers.base import Optimizer, check_epsilon
from neuronet.utils.validation import check_fraction


class RMSprop(Optimizer):
    """The notes' equations (g = dL/dW, beta = rho = decay rate, 0.9):

        h <- beta h + (1 - beta) g (.) g
        W <- W - eta * g / sqrt(h + eps)

    which is Keras 3's rule. Its options, as Keras computes them:

        centered=True:  a <- rho a + (1 - rho) g;   the root is sqrt(h - a^2 + epsilon)
        momentum > 0:   s <- momentum s + lr g / sqrt(...);   W <- W - s

    Keras defaults: learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False.

    >>> opt = RMSprop(lr=0.001, rho=0.9)           # the notes' chapter 27 spelling
    >>> opt.centered
    False
    """
    defaults = {"learning_rate": 0.001}

    def __init__(self, learning_rate=None, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = check_fraction(rho, "rho")
        self.momentum = check_fraction(momentum, "momentum", high_inclusive=True)
        self.epsilon = check_epsilon(epsilon)
        self.centered = bool(centered)
        self.slot_names = ("velocity",) + (("momentum",) if self.momentum else ()) + \
            (("average_gradient",) if self.centered else ())

    def update(self, param, grad, lr, slots):
        h, buf, den = slots["velocity"], self._scratch(param), self._scratch(param, 1)
        np.multiply(grad, grad, out=buf)
        buf *= 1 - self.rho
        h *= self.rho
        h += buf                                         # h <- rho h + (1 - rho) g^2
        if self.centered:
            a = slots["average_gradient"]
            np.multiply(grad, 1 - self.rho, out=buf)
            a *= self.rho
            a += buf                                     # a <- rho a + (1 - rho) g
            np.multiply(a, a, out=buf)
            np.subtract(h, buf, out=den)
            den += self.epsilon                          # h - a^2 + eps
        else:
            np.add(h, self.epsilon, out=den)             # h + eps
        np.sqrt(den, out=den)
        np.multiply(grad, lr, out=buf)
        buf /= den                                       # lr g / sqrt(...)
        if self.momentum:
            s = slots["momentum"]
            s *= self.momentum
            s += buf
            param -= s                                   # W <- W - s
        else:
            param -= buf                                 # W <- W - lr g / sqrt(h + eps)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
