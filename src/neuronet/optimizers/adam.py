"""Adam: adaptive moment estimation."""
import math

import numpy as np

from neuronet.optimizers.base import Optimizer


class Adam(Optimizer):
    """The notes' equations, t = step number from 1:
        m <- beta_1 m + (1 - beta_1) g
        v <- beta_2 v + (1 - beta_2) g * g
        m_hat = m / (1 - beta_1^t),   v_hat = v / (1 - beta_2^t)
        W <- W - lr * m_hat / (sqrt(v_hat) + eps_hat)
    computed as Keras does, folding the bias corrections into the rate:
        lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t);   W <- W - lr_t * m / (sqrt(v) + epsilon)
    (the same update with eps_hat = epsilon * sqrt(1 - beta_2^t)).
    amsgrad=True uses v_max = max(v_max, v) in place of v.

    Keras defaults: learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False.

    >>> opt = Adam(lr=0.01)       # the notes' spelling
    """
    defaults = {"learning_rate": 0.001}

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        for name, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0 <= value < 1:
                raise ValueError(f"Received an invalid value for `{name}`, expected a number in [0, 1). "
                                 f"Received: {name}={value!r}")
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.amsgrad = bool(amsgrad)
        self.slot_names = ("m", "v", "v_max") if amsgrad else ("m", "v")

    def update(self, param, grad, lr, slots):
        t = self.iterations
        lr_t = lr * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        m, v = slots["m"], slots["v"]
        m += (1 - self.beta_1) * (grad - m)
        v += (1 - self.beta_2) * (grad * grad - v)
        if self.amsgrad:
            np.maximum(slots["v_max"], v, out=slots["v_max"])
            v = slots["v_max"]
        param -= lr_t * m / (np.sqrt(v) + self.epsilon)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
