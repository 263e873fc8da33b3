"""The layer contract, the heart of neuronet.

A layer stores its hyper-parameters in ``__init__``, creates its weights in ``build(input_shape)``
(shapes exclude the batch axis), computes in ``forward(x, training)`` caching what backward needs, and in
``backward(grad)`` receives dL/d(output), fills ``self.grads`` and returns dL/d(input).

Weights live in ``self.params`` (trainable) and ``self.states`` (non-trainable, such as batch
normalization's moving mean). A model moves the trainable ones and their gradients into one contiguous
buffer (``use_storage``), so a layer updates them in place (``w[...] = ...``, ``out=``) and never rebinds
the dict entries; the same holds for ``self.grads``.

    >>> from neuronet.layers import Dense
    >>> layer = Dense(3)
    >>> layer.build((2,))
    >>> layer.count_params()
    9
"""
from __future__ import annotations

import contextlib
import threading

import numpy as np

from neuronet import config as _config
from neuronet.layers.symbolic import is_symbolic, symbolic_call
from neuronet.layers.tape import current_tape
from neuronet.utils.naming import to_snake_case, unique_name
from neuronet.utils.random import global_generator


class WeightAttribute:
    """Keras' attribute spelling of a weight a layer class creates (``kernel = WeightAttribute()`` in Dense):
    ``layer.kernel`` is the live array once built (changing it in place changes the model), None when the
    layer's configuration creates no such weight (``Dense(use_bias=False).bias``, as Keras), and an
    AttributeError before build (so ``hasattr`` is False). Assigning is refused: the model would go on
    training its own array while ``layer.kernel`` showed the new one. A descriptor per weight name rather
    than a ``Layer.__getattr__`` fallback: defining ``__getattr__`` makes every attribute read of every
    layer slower (CPython then cannot specialise ``self.x``), which cost the training step 2-3%."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, layer, owner=None):
        if layer is None:
            return self
        state = layer.__dict__
        for store in ("params", "states"):
            arrays = state.get(store)
            if arrays and self.name in arrays:
                return arrays[self.name]
        if not state.get("built"):
            raise AttributeError(self.unbuilt_message(layer))
        return None

    def unbuilt_message(self, layer):
        return (f"Layer {layer.__dict__.get('name', type(layer).__name__)!r} is not built yet, so it has no "
                f"`{self.name}`: build(input_shape) creates its weights (give the first layer an input_shape, "
                "call model.build(input_shape), or fit/predict once).")

    def __set__(self, layer, value):
        current = self.__get__(layer)
        where = f"shape {current.shape}" if current is not None else "none: this layer has no such weight"
        raise AttributeError(f"Cannot assign `{self.name}` of layer {layer.name!r}: it is the array the model "
                             f"trains ({where}). Write into it instead, layer.{self.name}[...] = new_values, "
                             f"or use layer.set_weights([...]). Received: {self.name} of shape {np.shape(value)}")


class Layer:
    """Base class of every layer; see the module docstring for the contract."""

    def __init__(self, name=None, trainable=True, dtype=None, input_shape=None, input_dim=None,
                 batch_input_shape=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s): {sorted(kwargs)}.")
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"Received an invalid value for `name`, expected a non-empty string. Received: name={name!r}")
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.trainable = bool(trainable)
        self._dtype_arg = dtype
        self.dtype = None
        if batch_input_shape is not None:
            input_shape = tuple(batch_input_shape)[1:]
        if input_dim is not None:
            input_shape = (input_dim,)
        self.declared_input_shape = _check_shape(input_shape, "input_shape") if input_shape is not None else None
        self.built = False
        self.input_shape = self.output_shape = None
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.states: dict[str, np.ndarray] = {}
        self.regularizers: dict[str, object] = {}
        self.constraints: dict[str, object] = {}   # weight name -> w <- c(w) after each update
        self.needs_input_grad = True  # the model turns this off for the first layer: saves a matmul
        self.inbound_nodes = []       # its calls on symbolic tensors (neuronet.layers.symbolic)

    # ---- building -------------------------------------------------------------------------------------
    def build(self, input_shape):
        """Create the weights for inputs of shape ``(batch,) + input_shape``; sets output_shape."""
        self.dtype = _config.resolve_dtype(self._dtype_arg)
        self.input_shape = tuple(input_shape)
        self.output_shape = tuple(self.compute_output_shape(self.input_shape))
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def add_weight(self, name, shape, initializer, regularizer=None, trainable=True, constraint=None):
        guard = getattr(_FROM_FILE, "guard", None)
        if guard is not None:                      # building from a file: checked, and zeros (loaded next)
            shape = guard.allow(self, shape)
            initializer = _zeros
        value = initializer(tuple(shape), self.dtype, global_generator())
        value = np.asarray(value, dtype=self.dtype).reshape(shape)
        if trainable:
            self.params[name] = value
            self.grads[name] = np.zeros_like(value)
            if regularizer is not None:
                self.regularizers[name] = regularizer
            if constraint is not None:
                self.constraints[name] = constraint
        else:
            self.states[name] = value
        return value

    def use_storage(self, key, value, grad):
        """Keep trainable weight ``key`` in ``value`` and its gradient in ``grad`` (views of a model's
        parameter buffer): the current values are copied in, and from then on the layer reads and writes
        there."""
        value[...] = self.params[key]
        self.params[key], self.grads[key] = value, grad

    def use_block(self, values, grads):
        """All of this layer's trainable weights as one contiguous block of the model's buffer (flat
        ``values`` and ``grads``, in the order of ``params``); a layer may keep a view of it (Dense does)."""

    # ---- computing ------------------------------------------------------------------------------------
    def forward(self, x, training=False):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, grad):  # pragma: no cover - abstract
        raise NotImplementedError

    def as_activation(self):
        """A layer given as another layer's ``activation=``: only weightless activation layers can be."""
        raise ValueError(f"{type(self).__name__} creates weights or is not an activation layer, so it cannot "
                         "be used as `activation`; add it to the model as its own layer instead.")

    def infer(self, x):
        """Inference for predict: forward(x, training=False); a layer may override it to skip caching."""
        return self.forward(x, training=False)

    @property
    def input_sample_shape(self):
        """The shape of one input sample it was built for (``input_shape``; a list for several inputs)."""
        return self.input_shape

    @property
    def output_sample_shape(self):
        """The shape of one output sample (``output_shape``: layers give shapes without the batch axis)."""
        return self.output_shape

    def __call__(self, x, training=False):
        """On arrays: build if needed and compute ``forward``. On symbolic tensors (``Input(...)`` and the
        outputs of other layers): record the call in a graph (see neuronet.layers.symbolic)."""
        if is_symbolic(x):
            return symbolic_call(self, x)
        tape = current_tape()
        if tape is not None:                     # inside a subclassed model's call(): recorded for backward
            return tape.call(self, x, training)
        x = np.asarray(x)
        if not self.built:
            self.build(x.shape[1:])
        # Layers use the activations' bare functions (models set the error state once per call); a layer
        # called alone ignores underflow itself: exp(-1e4) -> 0 is the right answer, not an error.
        with np.errstate(under="ignore"):
            return self.forward(x, training=training)

    # ---- weights --------------------------------------------------------------------------------------
    @property
    def weights(self) -> list[np.ndarray]:
        return [*self.params.values(), *self.states.values()]

    def gradient_arrays(self) -> list:
        """The arrays its backward writes weight gradients into (a model: every layer's, nested ones too)."""
        return list(self.grads.values())

    def count_params(self) -> int:
        return int(sum(w.size for w in self.weights))

    def get_weights(self) -> list[np.ndarray]:
        return [w.copy() for w in self.weights]

    def set_weights(self, weights) -> None:
        current = self.weights
        if len(weights) != len(current):
            raise ValueError(f"Layer {self.name!r} expects {len(current)} weight arrays "
                             f"({', '.join(str(w.shape) for w in current)}), received {len(weights)}.")
        for i, (dst, src) in enumerate(zip(current, weights)):
            src = np.asarray(src)
            if src.shape != dst.shape:
                raise ValueError(f"Layer {self.name!r} weight {i} has shape {dst.shape}; the array given "
                                 f"has shape {src.shape}.")
        for dst, src in zip(current, weights):
            dst[...] = src

    def regularization_penalty(self) -> float:
        return sum(reg(self.params[k]) for k, reg in self.regularizers.items())

    @property
    def losses(self) -> list:
        """Keras' ``layer.losses``: each regularization penalty as a scalar, one per regularized weight (in
        the order the weights were created), then any activity penalty of the last forward pass."""
        return [np.asarray(reg(self.params[k]), dtype=self.dtype)[()] for k, reg in self.regularizers.items()]

    def add_regularization_gradients(self) -> None:
        for key, reg in self.regularizers.items():
            self.grads[key] += reg.gradient(self.params[key])

    def apply_constraints(self) -> None:
        """w <- constraint(w) for each constrained weight, in place (the model calls it after each update)."""
        for key, constraint in self.constraints.items():
            self.params[key][...] = constraint(self.params[key])

    # ---- config ---------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        cfg = {"name": self.name, "trainable": self.trainable}
        if self._dtype_arg is not None:
            cfg["dtype"] = np.dtype(self._dtype_arg).name
        if self.declared_input_shape is not None:
            cfg["input_shape"] = list(self.declared_input_shape)
        return cfg

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        shape = f", output_shape={(None, *self.output_shape)}" if self.built else ""
        return f"<{type(self).__name__} name={self.name!r}{shape}, params={self.count_params() if self.built else '?'}>"


_FROM_FILE = threading.local()


def _zeros(shape, dtype, rng=None):
    return np.zeros(shape, dtype=dtype)


@contextlib.contextmanager
def weights_from_file(guard):
    """Within the block (this thread), every weight any layer creates, at any depth, first passes
    ``guard.allow(layer, shape)`` (which returns the shape or raises) and starts as zeros: a model file
    cannot make the loader allocate more than the file holds."""
    previous = getattr(_FROM_FILE, "guard", None)
    _FROM_FILE.guard = guard
    try:
        yield
    finally:
        _FROM_FILE.guard = previous


def _check_shape(shape, name):
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        shape = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"Received an invalid value for `{name}`, expected a tuple of positive integers. "
                         f"Received: {name}={shape!r}") from None
    if not shape or any(d <= 0 for d in shape):
        raise ValueError(f"Received an invalid value for `{name}`, expected a tuple of positive integers. "
                         f"Received: {name}={shape!r}")
    return shape
