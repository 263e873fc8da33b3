"""Adagrad: per-parameter learning rates from the sum of past squared gradients (Duchi et al., 2011)."""
import numpy as np

from neuronet.optimizers.base import Optimizer, check_epsilon
from neuronet.utils.validation import check_number


class Adagrad(Optimizer):
    """The notes' equations (g = dL/dW, eta = learning rate, (.) element-wise product):

        h <- h + g (.) g
        W <- W - eta * g / (sqrt(h) + eps)                 (notes, chapter 25)

    Keras 3 puts epsilon under the root and starts h at ``initial_accumulator_value``, which is what
    this class computes (in place, one work array):

        h <- h + g * g;          W <- W - lr * g / sqrt(h + epsilon)

    Keras defaults: learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7.

    >>> opt = Adagrad(lr=0.001, epsilon=10**-10)        # the notes' chapter 27 spelling
    >>> opt.initial_accumulator_value
    0.1
    """
    defaults = {"learning_rate": 0.001}
    slot_names = ("accumulator",)

    def __init__(self, learning_rate=None, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.initial_accumulator_value = check_number(initial_accumulator_value, "initial_accumulator_value",
                                                      minimum=0)
        self.epsilon = check_epsilon(epsilon)

    def _initial_slot_value(self, name):
        return self.initial_accumulator_value

    def update(self, param, grad, lr, slots):
        h, buf = slots["accumulator"], self._scratch(param)
        np.multiply(grad, grad, out=buf)
        h += buf                                         # h <- h + g^2
        np.add(h, self.epsilon, out=buf)
        np.sqrt(buf, out=buf)
        np.divide(grad, buf, out=buf)
        buf *= lr
        param -= buf                                     # W <- W - lr g / sqrt(h + eps)

    def get_config(self):
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
