"""Adadelta: Adagrad with a decaying window of squared gradients and updates (Zeiler, 2012)."""
import numpy as np

from neuronet.optimizers.base import Optimizer, check_epsilon
from neuronet.utils.validation import check_fraction


class Adadelta(Optimizer):
    """The notes: "Adadelta restricts the window of accumulated past gradients to some fixed size w",
    realised as exponential averages. With g = dL/dW and RMS[x] = sqrt(x + epsilon):

        E[g^2]  <- rho E[g^2] + (1 - rho) g^2
        dW      = - RMS[E[dW^2]] / RMS[E[g^2]] * g
        E[dW^2] <- rho E[dW^2] + (1 - rho) dW^2
        W       <- W + lr * dW

    computed in place as Keras 3 does (two work arrays). Zeiler's paper corresponds to lr=1.0.

    Keras defaults: learning_rate=0.001, rho=0.95, epsilon=1e-7.

    >>> Adadelta().rho
    0.95
    """
    defaults = {"learning_rate": 0.001}
    slot_names = ("accumulated_grad", "accumulated_delta")

    def __init__(self, learning_rate=None, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = check_fraction(rho, "rho")
        self.epsilon = check_epsilon(epsilon)

    def update(self, param, grad, lr, slots):
        eg2, edx2 = slots["accumulated_grad"], slots["accumulated_delta"]
        step, buf = self._scratch(param), self._scratch(param, 1)
        np.multiply(grad, grad, out=buf)
        buf *= 1 - self.rho
        eg2 *= self.rho
        eg2 += buf                                       # E[g^2] <- rho E[g^2] + (1 - rho) g^2
        np.add(edx2, self.epsilon, out=step)
        np.sqrt(step, out=step)
        step *= grad
        np.add(eg2, self.epsilon, out=buf)
        np.sqrt(buf, out=buf)
        step /= buf                                      # step = -dW = RMS[E[dW^2]] g / RMS[E[g^2]]
        np.multiply(step, step, out=buf)
        buf *= 1 - self.rho
        edx2 *= self.rho
        edx2 += buf                                      # E[dW^2] <- rho E[dW^2] + (1 - rho) dW^2
        step *= lr
        param -= step                                    # W <- W + lr dW

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
