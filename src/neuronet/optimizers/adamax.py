"""Adamax: Adam with the infinity norm in place of the second moment (Kingma & Ba, 2014, sec. 7.1)."""
import numpy as np

from neuronet.optimizers.base import Optimizer, check_epsilon
from neuronet.utils.validation import check_fraction


class Adamax(Optimizer):
    """With g = dL/dW and t the step number from 1:

        m <- beta_1 m + (1 - beta_1) g
        u <- max(beta_2 u, |g|)                      (an exponentially weighted infinity norm)
        W <- W - lr / (1 - beta_1^t) * m / (u + epsilon)

    computed in place as Keras 3 does: ``m += (1 - beta_1) (g - m)``; ``u *= beta_2``;
    ``u = maximum(u, |g|)``; ``W -= lr * m / ((1 - beta_1^t) (u + epsilon))``.

    Keras defaults: learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7.
    The notes' deep MLP compiles with ``optimizer='adamax'``.

    >>> Adamax().beta_2
    0.999
    """
    defaults = {"learning_rate": 0.001}
    slot_names = ("m", "u")

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1 = check_fraction(beta_1, "beta_1")
        self.beta_2 = check_fraction(beta_2, "beta_2")
        self.epsilon = check_epsilon(epsilon)

    def update(self, param, grad, lr, slots):
        m, u, buf = slots["m"], slots["u"], self._scratch(param)
        np.subtract(grad, m, out=buf)
        buf *= 1 - self.beta_1
        m += buf                                         # m <- beta_1 m + (1 - beta_1) g
        u *= self.beta_2
        np.abs(grad, out=buf)
        np.maximum(u, buf, out=u)                        # u <- max(beta_2 u, |g|)
        np.add(u, self.epsilon, out=buf)
        buf *= 1 - self.beta_1 ** self.iterations
        np.divide(m, buf, out=buf)
        buf *= lr
        param -= buf                                     # W <- W - lr m / ((1 - beta_1^t)(u + eps))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
