"""Dense: the fully connected layer."""
from __future__ import annotations

import numpy as np

from neuronet import activations, initializers, regularizers
from neuronet.layers.base import Layer, WeightAttribute
from neuronet.utils.numeric import ones_shared


class Dense(Layer):
    """Fully connected layer: z = x @ W + b;  y = activation(z).

    Backward, with upstream gradient g = dL/dy:
        dL/dz = activation'(z) * g          (a vector-Jacobian product for softmax)
        dW    = x.T @ dL/dz
        db    = sum over the batch of dL/dz
        dx    = dL/dz @ W.T

    Parameters: units * (inputs + 1), e.g. 13 -> 128 has 13 * 128 + 128 = 1792.

    >>> import numpy as np
    >>> layer = Dense(2, activation="sigmoid", input_shape=(3,))
    >>> layer(np.zeros((4, 3))).shape
    (4, 2)
    """

    kernel = WeightAttribute()      # layer.kernel, layer.bias: the live arrays (bias None without use_bias)
    bias = WeightAttribute()

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, **kwargs):
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
        self._joint_cache, self._ones_column, self._joint = (None, None), None, None   # see _kernel_and_bias
        # Resolved once here, not in every forward/backward call.
        if isinstance(self.activation, Layer):
            # forward goes through the layer (it needs `training`); bound methods, not closures, so a copy
            # or an unpickled layer calls its own activation layer
            self._act_fn = None
            self._act_infer, self._act_backward = self._layer_act_infer, self._layer_act_backward
        else:
            # The bare functions, without the per-call np.errstate wrapper: models set errstate once per
            # fit/evaluate/predict call instead (a context manager per activation costs more than a ReLU).
            self._act_fn = self._act_infer = getattr(self.activation, "__wrapped__", self.activation)
            self._act_backward = getattr(self.activation.backward, "__wrapped__", self.activation.backward)

    def build(self, input_shape):
        super().build(input_shape)
        if len(self.input_shape) != 1:
            raise ValueError(f"Dense layer {self.name!r} expects 1-D samples (input of shape (batch, features)); "
                             f"received input_shape={self.input_shape}. Add a Flatten() layer before it.")
        self.add_weight("kernel", (self.input_shape[0], self.units), self.kernel_initializer,
                        self.kernel_regularizer)
        if self.use_bias:
            self.add_weight("bias", (self.units,), self.bias_initializer, self.bias_regularizer)
        if isinstance(self.activation, Layer) and not self.activation.built:
            self.activation.build(self.output_shape)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def forward(self, x, training=False):
        joint = self._kernel_and_bias() if training else None
        if joint is None:
            z = np.dot(x, self.params["kernel"])     # np.dot: ~0.3 us less dispatch than @ on small batches
            if self.use_bias:
                z += self.params["bias"]
        else:
            # [x | 1] @ [[W], [b]] = x @ W + b in one product, and backward gets dW and db from one
            # product too: [x | 1].T @ dz = [[dW], [db]]. Training only: the buffer is the layer's own.
            # One buffer, as many rows as the largest batch so far: its first rows serve a smaller one.
            buf = self._ones_column
            if buf is None or buf.shape[0] < x.shape[0] or buf.dtype != x.dtype:
                buf = self._ones_column = np.ones((x.shape[0], x.shape[1] + 1), dtype=x.dtype)
            buf = buf[:x.shape[0]]
            np.copyto(buf[:, :-1], x)
            x = buf
            z = np.dot(x, joint[0])
        fn = self._act_fn
        y = fn(z) if fn is not None else self.activation.forward(z, training=training)
        self._x, self._z, self._y, self._joint = x, z, y, joint
        return y

    def infer(self, x):
        """Inference only: the same arithmetic as forward(x, training=False), caching nothing."""
        z = np.dot(x, self.params["kernel"])
        if self.use_bias:
            z += self.params["bias"]
        return self._act_infer(z)

    def backward(self, grad):
        if self.activity_regularizer is not None:
            grad = grad + self._activity_gradient()          # dL/dy gains d(penalty)/dy
        return self._weight_gradients(self._act_backward(self._z, self._y, grad))

    def backward_from_logits(self, dz):
        """Backward from dL/dz (used by the fused softmax/sigmoid + cross-entropy gradient)."""
        if self.activity_regularizer is not None:
            dz = dz + self._act_backward(self._z, self._y, self._activity_gradient())
        return self._weight_gradients(dz)

    def _weight_gradients(self, dz):
        if self._joint is not None:
            np.dot(self._x.T, dz, out=self._joint[1])                     # [[dW], [db]] at once
        else:
            np.dot(self._x.T, dz, out=self.grads["kernel"])
            if self.use_bias:
                np.dot(ones_shared(dz.shape[0], dz.dtype), dz, out=self.grads["bias"])   # db = sum over the batch
        return np.dot(dz, self.params["kernel"].T) if self.needs_input_grad else None

    def _layer_act_infer(self, z):
        return self.activation.forward(z, training=False)

    def _layer_act_backward(self, z, y, grad):
        return self.activation.backward(grad)

    def _kernel_and_bias(self):
        """(W and b as one (inputs + 1, units) array, the same for their gradients), or None. They are
        views of the model's parameter buffer, where b follows W; a layer used alone has no such view.
        Found again whenever the model re-homes the kernel (the cache holds it, so its id is not reused)."""
        kernel = self.params["kernel"]
        cached = self._joint_cache
        if cached[0] is not kernel:
            joint = None
            if self.use_bias:
                w = _rows_with_next(kernel, self.params["bias"])
                g = _rows_with_next(self.grads["kernel"], self.grads["bias"])
                joint = None if w is None or g is None else (w, g)
            cached = self._joint_cache = (kernel, joint)
            self._ones_column = None        # the (batch, inputs + 1) buffer of [x | 1]
        return cached[1]

    def _activity_gradient(self):
        """d(penalty)/dy for the activity penalty R(y) / batch size (Keras averages it over the batch)."""
        return self.activity_regularizer.gradient(self._y) / self._y.shape[0]

    def __getstate__(self):
        """Copies and pickles drop the views into the model's buffer (found again on the next forward)."""
        state = dict(self.__dict__)
        state["_joint_cache"], state["_ones_column"], state["_joint"] = (None, None), None, None
        return state

    @property
    def logits(self):
        """The pre-activation z of the last forward pass."""
        return self._z

    def regularization_penalty(self):
        penalty = super().regularization_penalty()
        if self.activity_regularizer is not None and getattr(self, "_y", None) is not None:
            penalty += self.activity_regularizer(self._y) / self._y.shape[0]
        return penalty

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        act = config.get("activation")
        if isinstance(act, dict):
            from neuronet.layers import deserialize
            config["activation"] = deserialize(act)
        return cls(**config)


def _rows_with_next(matrix, row):
    """``matrix`` with ``row`` appended as one (rows + 1, cols) view, when ``row`` directly follows
    ``matrix`` in the same buffer (as the model packs kernel and bias); otherwise None."""
    base = matrix.base
    if base is None or row.base is not base or base.ndim != 1 or not base.flags.c_contiguous \
            or not matrix.flags.c_contiguous or matrix.dtype != row.dtype \
            or row.ctypes.data != matrix.ctypes.data + matrix.nbytes:
        return None
    start = (matrix.ctypes.data - base.ctypes.data) // base.itemsize
    return base[start:start + matrix.size + row.size].reshape(matrix.shape[0] + 1, matrix.shape[1])
