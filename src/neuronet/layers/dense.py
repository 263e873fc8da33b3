"""Dense: the fully connected layer."""
from __future__ import annotations

import copy

import numpy as np

from neuronet import activations, constraints, initializers, regularizers
from neuronet.layers.base import Layer, WeightAttribute
from neuronet.ops import ones_shared


class Dense(Layer):
    """Fully connected layer: z = x @ W + b;  y = activation(z).

    Backward, with upstream gradient g = dL/dy:
        dL/dz = activation'(z) * g          (a vector-Jacobian product for softmax)
        dW    = x.T @ dL/dz
        db    = sum over the batch of dL/dz
        dx    = dL/dz @ W.T

    Parameters: units * (inputs + 1), e.g. 13 -> 128 has 13 * 128 + 128 = 1792.

    ``kernel_constraint`` / ``bias_constraint`` (neuronet.constraints) are applied after each optimizer
    update: W <- c(W), b <- c(b). Keras 2 spellings also accepted: ``Dense(output_dim=64, init='uniform')``
    for ``Dense(units=64, kernel_initializer='uniform')``.

    >>> import numpy as np
    >>> layer = Dense(2, activation="sigmoid", input_shape=(3,))
    >>> layer(np.zeros((4, 3))).shape
    (4, 2)
    """

    _Wb = _dWb = _ones_buffer = x1 = None    # [[W], [b]] views of the model's buffer (see use_block)
    kernel = WeightAttribute()      # layer.kernel, layer.bias: the live arrays (bias None without use_bias)
    bias = WeightAttribute()

    def __init__(self, units=None, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        units, kernel_initializer = _keras2_arguments(units, kernel_initializer, kwargs)
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. "
                             f"Received: units={units!r}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        super().build(input_shape)
        if len(self.input_shape) != 1:
            raise ValueError(f"Dense layer {self.name!r} expects 1-D samples (input of shape (batch, features)); "
                             f"received input_shape={self.input_shape}. Add a Flatten() layer before it.")
        self.add_weight("kernel", (self.input_shape[0], self.units), self.kernel_initializer,
                        self.kernel_regularizer, constraint=self.kernel_constraint)
        if self.use_bias:
            self.add_weight("bias", (self.units,), self.bias_initializer, self.bias_regularizer,
                            constraint=self.bias_constraint)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def forward(self, x, training=False):
        Wb = self._Wb if training else None
        if Wb is None:
            z = x @ self.params["kernel"]
            if self.use_bias:
                z += self.params["bias"]                 # z = x @ W + b
            self.x1 = None
        else:
            x1 = self._ones_buffer                       # [x | 1], in a buffer kept for the largest batch
            if x1 is None or x1.shape[0] < len(x) or x1.dtype != x.dtype:
                x1 = self._ones_buffer = np.ones((len(x), x.shape[1] + 1), dtype=x.dtype)
            self.x1 = x1 = x1[:len(x)]
            x1[:, :-1] = x
            z = np.dot(x1, Wb)                           # z = [x | 1] @ [[W], [b]] = x @ W + b
        y = self.activation(z)
        self.x, self.z, self.y = x, z, y                 # what backward reads
        return y

    def use_block(self, values, grads):
        """The model's parameter buffer keeps this layer's kernel and bias one after the other, so its
        block is the (inputs + 1, units) matrix [[W], [b]] (and [[dW], [db]]): in training, x @ W + b is
        one product [x | 1] @ [[W], [b]], and backward gets dW and db from one product [x | 1].T @ dz.
        Measured on the bench (bench/notes/training_step.md): W1 and W3 are step-bound on small layers."""
        if self.use_bias and values.size == (self.input_shape[0] + 1) * self.units:
            self._Wb = values.reshape(self.input_shape[0] + 1, self.units)
            self._dWb = grads.reshape(self.input_shape[0] + 1, self.units)
            self._ones_buffer = None

    def call_copy(self):
        """A copy for another call in the same forward pass: same weights, its own [x | 1] buffer."""
        twin = copy.copy(self)
        twin.__dict__["_ones_buffer"] = None
        return twin

    def __getstate__(self):
        """Copies and pickles own their arrays: the views of a model's buffer are set again by the model."""
        state = dict(self.__dict__)
        state.update(_Wb=None, _dWb=None, _ones_buffer=None, x1=None)
        return state

    def infer(self, x):
        """forward(x, training=False) without caching anything: predict from several threads at once."""
        z = np.dot(x, self.params["kernel"])
        if self.use_bias:
            z += self.params["bias"]
        return self.activation(z)

    def backward(self, grad):
        if self.activity_regularizer is not None:
            grad = grad + self._activity_gradient()          # dL/dy gains d(penalty)/dy
        dz = self.activation.backward(self.z, self.y, grad)  # dL/dz = f'(z) * dL/dy
        return self._weight_gradients(dz)

    def backward_from_logits(self, dz):
        """Backward from dL/dz: the model calls it with the fused softmax/sigmoid + cross-entropy gradient
        dL/dz = (y_pred - y_true) / n, skipping the activation's own backward."""
        if self.activity_regularizer is not None:
            dz = dz + self.activation.backward(self.z, self.y, self._activity_gradient())
        return self._weight_gradients(dz)

    def _weight_gradients(self, dz):
        self.dz = dz                                         # kept for explain_step's tables
        x, W = self.x, self.params["kernel"]
        if self.x1 is not None:
            np.dot(self.x1.T, dz, out=self._dWb)             # [[dW], [db]] = [x | 1].T @ dz
        else:
            np.dot(x.T, dz, out=self.grads["kernel"])        # dW = x.T @ dz
            if self.use_bias:                                # db = dz.sum(0), as ones @ dz: one BLAS call
                np.dot(ones_shared(len(dz), dz.dtype), dz, out=self.grads["bias"])
        if not self.needs_input_grad:
            return None                                      # the first layer: nothing needs dL/dx
        return np.dot(dz, W.T)                               # dx = dz @ W.T

    def _activity_gradient(self):
        """d(penalty)/dy for the activity penalty R(y) / batch size (Keras averages it over the batch)."""
        return self.activity_regularizer.gradient(self.y) / self.y.shape[0]

    @property
    def logits(self):
        """The pre-activation z of the last forward pass."""
        return self.z

    def regularization_penalty(self):
        penalty = super().regularization_penalty()
        if self.activity_regularizer is not None and getattr(self, "y", None) is not None:
            penalty += self.activity_regularizer(self.y) / self.y.shape[0]
        return penalty

    @property
    def losses(self):
        activity = [] if self.activity_regularizer is None or getattr(self, "y", None) is None else \
            [np.asarray(self.activity_regularizer(self.y) / self.y.shape[0], dtype=self.dtype)[()]]
        return super().losses + activity

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        act = config.get("activation")
        if isinstance(act, dict):            # an activation layer's config (Dense(activation=LeakyReLU()))
            from neuronet.layers import deserialize
            config["activation"] = deserialize(act)
        return cls(**config)



def _keras2_arguments(units, kernel_initializer, kwargs):
    """The Keras 2 spellings ``output_dim=`` (for ``units``) and ``init=`` (for ``kernel_initializer``),
    taken out of ``kwargs``; returns (units, kernel_initializer)."""
    if "output_dim" in kwargs:
        output_dim = kwargs.pop("output_dim")
        if units is not None:
            raise TypeError("Pass either `units` or its Keras 2 spelling `output_dim`, not both. "
                            f"Received: units={units!r}, output_dim={output_dim!r}")
        units = output_dim
    if "init" in kwargs:
        init = kwargs.pop("init")
        if kernel_initializer != "glorot_uniform":
            raise TypeError("Pass either `kernel_initializer` or its Keras 2 spelling `init`, not both. "
                            f"Received: kernel_initializer={kernel_initializer!r}, init={init!r}")
        kernel_initializer = init
    return units, kernel_initializer
