"""BatchNormalization: normalize each feature over the mini-batch, then scale and shift."""
from __future__ import annotations

import numpy as np

from neuronet import initializers, regularizers
from neuronet.layers.base import Layer, WeightAttribute

class BatchNormalization(Layer):
    """Batch normalization (Ioffe & Szegedy, 2015), the notes' equations, per feature over a batch of m:

        mean:             mu_b      = (1/m) sum_i x_i
        variance:         sigma_b^2 = (1/m) sum_i (x_i - mu_b)^2            (biased, as in the notes)
        standardization:  x_hat_i   = (x_i - mu_b) / sqrt(sigma_b^2 + epsilon)
        scale and shift:  y_i       = gamma * x_hat_i + beta

    Training (``training=True``) uses the batch statistics and updates the moving ones as Keras does:
        moving_mean     <- moving_mean * momentum + mu_b * (1 - momentum)
        moving_variance <- moving_variance * momentum + sigma_b^2 * (1 - momentum)
    Inference uses y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta. A frozen layer
    (``trainable=False``) always runs in inference mode, as in Keras.

    Backward in training mode, with g = dL/dy, N the number of reduced entries per feature and
    inv = 1 / sqrt(sigma_b^2 + epsilon):
        d beta  = sum g;   d gamma = sum g * x_hat;   g_hat = g * gamma
        dx      = inv / N * (N g_hat - sum g_hat - x_hat * sum(g_hat * x_hat))

    Weights: gamma and beta are trainable, moving_mean and moving_variance are not (the summary counts them
    as "Non-trainable params"): after Dense(128) the layer has 4 * 128 = 512 params, 256 non-trainable.

    >>> layer = BatchNormalization()
    >>> y = layer(np.array([[1.0, 2.0], [3.0, 6.0]]), training=True)
    >>> y.round(3)
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> bool(np.allclose(layer.states["moving_mean"], [0.02, 0.04]))    # 0.99 * 0 + 0.01 * (2, 4)
    True
    """

    # The live arrays; gamma is None with scale=False, beta with center=False (as Keras).
    gamma, beta = WeightAttribute(), WeightAttribute()
    moving_mean, moving_variance = WeightAttribute(), WeightAttribute()

    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise ValueError(f"Received an invalid value for `axis`, expected an integer. Received: axis={axis!r}")
        for name, value, low in (("momentum", momentum, 0.0), ("epsilon", epsilon, 0.0)):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                    or not (low <= value <= 1.0 if name == "momentum" else value > low):
                expected = "a float in [0, 1]" if name == "momentum" else "a positive float"
                raise ValueError(f"Received an invalid value for `{name}`, expected {expected}. "
                                 f"Received: {name}={value!r}")
        self.axis = int(axis)
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)

    def build(self, input_shape):
        super().build(input_shape)
        ndim = len(self.input_shape) + 1
        axis = self.axis + ndim if self.axis < 0 else self.axis
        if not 1 <= axis < ndim:
            raise ValueError(f"Received an invalid value for `axis`: {self.axis} for inputs of shape "
                             f"(batch, *{self.input_shape}); expected a feature axis (not the batch axis 0).")
        dim = self.input_shape[axis - 1]
        self._reduce = tuple(a for a in range(ndim) if a != axis)
        self._bshape = tuple(dim if a == axis else 1 for a in range(ndim))  # broadcastable against x
        if self.scale:
            self.add_weight("gamma", (dim,), self.gamma_initializer, self.gamma_regularizer)
        if self.center:
            self.add_weight("beta", (dim,), self.beta_initializer, self.beta_regularizer)
        self.add_weight("moving_mean", (dim,), self.moving_mean_initializer, trainable=False)
        self.add_weight("moving_variance", (dim,), self.moving_variance_initializer, trainable=False)

    def _b(self, v):
        return v.reshape(self._bshape)

    def forward(self, x, training=False):
        training = bool(training) and self.trainable
        if training:
            mean = np.mean(x, axis=self._reduce)
            centered = x - self._b(mean)
            var = np.mean(centered * centered, axis=self._reduce)   # np.var would compute the mean again
            m = 1.0 - self.momentum
            mm, mv = self.states["moving_mean"], self.states["moving_variance"]
            mm *= self.momentum
            mm += m * mean
            mv *= self.momentum
            mv += m * var
        else:
            mean, var = self.states["moving_mean"], self.states["moving_variance"]
            centered = x - self._b(mean)
        inv = 1.0 / np.sqrt(var + self.epsilon)
        x_hat = centered * self._b(inv)
        self._x_hat, self._inv, self._training = x_hat, inv, training
        y = x_hat * self._b(self.params["gamma"]) if self.scale else x_hat.copy()
        if self.center:
            y += self._b(self.params["beta"])
        return y

    def backward(self, grad):
        x_hat, inv = self._x_hat, self._inv
        if self.center:
            np.sum(grad, axis=self._reduce, out=self.grads["beta"])
        if self.scale:
            np.sum(grad * x_hat, axis=self._reduce, out=self.grads["gamma"])
            g_hat = grad * self._b(self.params["gamma"])
        else:
            g_hat = grad
        if not self.needs_input_grad:
            return None
        if not self._training:
            return g_hat * self._b(inv)
        n = grad.size // inv.size
        sum_g = np.sum(g_hat, axis=self._reduce, keepdims=True)
        sum_gx = np.sum(g_hat * x_hat, axis=self._reduce, keepdims=True)
        return (g_hat - (sum_g + x_hat * sum_gx) * (1.0 / n)) * self._b(inv)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer)}
