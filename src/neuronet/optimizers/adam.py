"""Adam: adaptive moment estimation (Kingma & Ba, 2014), with the AMSGrad variant."""
import math

import numpy as np

from neuronet.optimizers.base import Optimizer, check_epsilon
from neuronet.utils.validation import check_fraction


class Adam(Optimizer):
    """The notes' equations (g = dL/dW, t = step number from 1):

        m <- beta_1 m + (1 - beta_1) g
        v <- beta_2 v + (1 - beta_2) g * g
        m_hat = m / (1 - beta_1^t),   v_hat = v / (1 - beta_2^t)
        W <- W - eta * m_hat / (sqrt(v_hat) + eps_hat)

    computed as Keras does, folding the bias corrections into the rate:

        alpha_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
        m += (1 - beta_1) (g - m);   v += (1 - beta_2) (g*g - v)
        W <- W - alpha_t * m / (sqrt(v) + epsilon)

    (the same update with eps_hat = epsilon / sqrt(1 - beta_2^t)). ``amsgrad=True`` keeps
    v_max <- max(v_max, v) and uses v_max in place of v in the last line.

    Keras defaults: learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False.

    >>> opt = Adam(lr=0.001, beta_1=0.9, beta_2=0.9)       # the notes' chapter 27 spelling
    >>> opt.epsilon
    1e-07
    """
    defaults = {"learning_rate": 0.001}

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1 = check_fraction(beta_1, "beta_1")
        self.beta_2 = check_fraction(beta_2, "beta_2")
        self.epsilon = check_epsilon(epsilon)
        self.amsgrad = bool(amsgrad)
        self.slot_names = ("m", "v", "v_max") if self.amsgrad else ("m", "v")

    def update(self, param, grad, lr, slots):
        t = self.iterations
        alpha_t = lr * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        one_minus_beta_1, one_minus_beta_2, epsilon = self._operands(
            param.dtype, 1 - self.beta_1, 1 - self.beta_2, self.epsilon)
        m, v, buf = slots["m"], slots["v"], self._scratch(param)
        np.subtract(grad, m, out=buf)
        buf *= one_minus_beta_1
        m += buf                                         # m <- beta_1 m + (1 - beta_1) g
        np.multiply(grad, grad, out=buf)
        buf -= v
        buf *= one_minus_beta_2
        v += buf                                         # v <- beta_2 v + (1 - beta_2) g^2
        if self.amsgrad:
            np.maximum(slots["v_max"], v, out=slots["v_max"])
            v = slots["v_max"]
        np.sqrt(v, out=buf)
        buf += epsilon
        np.divide(m, buf, out=buf)
        buf *= np.array(alpha_t, dtype=param.dtype)
        param -= buf                                     # W <- W - alpha_t m / (sqrt(v) + eps)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
