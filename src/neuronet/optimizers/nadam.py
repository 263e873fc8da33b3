"""Nadam: Adam with Nesterov momentum (Dozat, 2015), with Keras' momentum-cache schedule."""
import numpy as np

from neuronet.optimizers.base import Optimizer, check_epsilon
from neuronet.utils.validation import check_fraction


class Nadam(Optimizer):
    """With g = dL/dW and t the step number from 1, the momentum schedule

        mu_t = beta_1 * (1 - 0.5 * 0.96^t),     P_t = mu_1 * mu_2 * ... * mu_t   (the "momentum cache")

    and the update

        m <- beta_1 m + (1 - beta_1) g;          v <- beta_2 v + (1 - beta_2) g^2
        m_hat = mu_{t+1} m / (1 - P_t mu_{t+1}) + (1 - mu_t) g / (1 - P_t)
        v_hat = v / (1 - beta_2^t)
        W <- W - lr * m_hat / (sqrt(v_hat) + epsilon)

    exactly as Keras 3 computes it (P_t is recomputed from t after ``set_state``, so it needs no slot).

    Keras defaults: learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7.
    The notes' Talos grid lists ``Nadam`` (the class, called with no arguments).

    >>> Nadam().beta_1
    0.9
    """
    defaults = {"learning_rate": 0.001}
    slot_names = ("m", "v")

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1 = check_fraction(beta_1, "beta_1")
        self.beta_2 = check_fraction(beta_2, "beta_2")
        self.epsilon = check_epsilon(epsilon)
        self._cache_step, self._cache = 0, 1.0           # P_0 = 1

    def _mu(self, t):
        return self.beta_1 * (1.0 - 0.5 * 0.96 ** t)

    def _prepare_step(self):
        t = self.iterations
        if self._cache_step != t - 1:                    # after set_state: rebuild P_{t-1} from t
            self._cache_step, self._cache = 0, 1.0
            for s in range(1, t):
                self._cache *= self._mu(s)
        self._cache *= self._mu(t)                       # P_t = P_{t-1} mu_t
        self._cache_step = t

    def update(self, param, grad, lr, slots):
        t, p_t = self.iterations, self._cache
        mu_t, mu_next = self._mu(t), self._mu(t + 1)
        m, v = slots["m"], slots["v"]
        buf, buf2 = self._scratch(param), self._scratch(param, 1)
        np.subtract(grad, m, out=buf)
        buf *= 1 - self.beta_1
        m += buf                                         # m <- beta_1 m + (1 - beta_1) g
        np.multiply(grad, grad, out=buf)
        buf -= v
        buf *= 1 - self.beta_2
        v += buf                                         # v <- beta_2 v + (1 - beta_2) g^2
        np.multiply(m, mu_next / (1 - p_t * mu_next), out=buf)
        np.multiply(grad, (1 - mu_t) / (1 - p_t), out=buf2)
        buf += buf2                                      # m_hat
        np.divide(v, 1 - self.beta_2 ** t, out=buf2)
        np.sqrt(buf2, out=buf2)
        buf2 += self.epsilon
        np.divide(buf, buf2, out=buf)
        buf *= lr
        param -= buf                                     # W <- W - lr m_hat / (sqrt(v_hat) + eps)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
