"""Sequential: a linear stack of layers, each feeding the next; trained by the Trainer it mixes in.

    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
    >>> model = Sequential()
    >>> model.add(Dense(64, activation='relu', input_shape=(30,)))
    >>> model.add(Dense(32, activation='relu'))
    >>> model.add(Dense(1, activation='sigmoid'))
    >>> model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['acc'])
    >>> model.count_params()
    4097
"""
from __future__ import annotations

import copy
from itertools import islice

from neuronet.layers import LAYERS, InputLayer, Layer
from neuronet.layers.symbolic import KerasTensor
from neuronet.models.keras2 import Keras2SequentialMethods
from neuronet.models.model import BUILD_LOCK, Model, leaf_layers


@LAYERS.register()
class Sequential(Keras2SequentialMethods, Model):
    """A stack of layers, each feeding the next. See the module docstring for the notes' example.

    Forward: a_0 = x;  a_l = layer_l.forward(a_{l-1}).   Backward: g = dL/da_L;  g = layer_l.backward(g)
    from the last layer to the first.
    """

    def __init__(self, layers=None, name=None, trainable=True):
        self._init_fields(name, trainable)
        self._all_layers: list[Layer] = []
        for layer in layers or []:
            self.add(layer)

    # ---- structure ------------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        """The model's layers (an Input declaration is not a layer, as in Keras)."""
        return [l for l in self._all_layers if not isinstance(l, InputLayer)]

    def add(self, layer):
        if isinstance(layer, KerasTensor) and layer.node is not None and isinstance(layer.node.layer, InputLayer):
            layer = layer.node.layer                 # Sequential([Input(shape=(13,)), ...])
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of neuronet.layers.Layer; received "
                            f"{layer!r} of type {type(layer).__name__}.")
        if any(l.name == layer.name for l in self._all_layers):
            raise ValueError(f"All layers added to a Sequential model should have unique names; "
                             f"name {layer.name!r} is already the name of a layer in this model.")
        self._all_layers.append(layer)
        first_shape = _known_input_shape(self._all_layers[0])
        if self.built and not isinstance(layer, InputLayer):
            self._build_from(self.sample_shape, new_layer=layer)
        elif not self.built and first_shape is not None and self.layers:
            self._build_from(first_shape)

    def pop(self):
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._all_layers.pop()
        if self.built and self.layers:
            self._build_from(self.sample_shape)
        elif not self.layers:
            self.built = False      # nothing left to build: input_shape, summary, fit ask for layers again
        return layer

    def build(self, input_shape=None):
        """Build every layer for samples of ``input_shape`` (without the batch axis; Keras' (None, 13)
        is also accepted)."""
        if input_shape is None:
            input_shape = _known_input_shape(self._all_layers[0]) if self._all_layers else None
            if input_shape is None:
                raise ValueError("The model has no input shape: pass input_shape to build(), to the first "
                                 "layer (input_shape=(13,)), or call fit/predict on data.")
        shape = tuple(input_shape)
        if shape and shape[0] is None:
            shape = shape[1:]
        with BUILD_LOCK:       # threads predicting on an unbuilt model: one builds, the others wait
            if self.built and self._sample_shape == tuple(int(d) for d in shape):
                return
            self._build_from(shape)

    def _build_from(self, input_shape, new_layer=None):
        """Build the layers for samples of ``input_shape``, or only ``new_layer``, just added to a built
        model (so that building a model layer by layer stays linear in its size)."""
        layers = self.layers if new_layer is None else [new_layer]
        if not layers:
            raise ValueError("The model has no layers; add some with model.add(Dense(...)).")
        if new_layer is None:
            self._sample_shape = tuple(int(d) for d in input_shape)
            self._forward_order, self.regularized_layers, self.constrained_layers = [], [], []
            shape = self._sample_shape
        else:
            shape = self._output_layer.output_sample_shape
        for layer in layers:
            if not layer.built:
                layer.build(shape)
            elif tuple(layer.input_sample_shape) != shape:
                raise ValueError(f"Layer {layer.name!r} was built for input shape {layer.input_sample_shape} but "
                                 f"receives {shape}.")
            shape = tuple(layer.output_sample_shape)
            layer.needs_input_grad = bool(self._forward_order)   # nothing needs dL/dx of the first layer
            self._forward_order.append(layer)                     # listed once, read every batch
            self.regularized_layers += [l for l in leaf_layers([layer])
                                        if l.regularizers or getattr(l, "activity_regularizer", None)]
            self.constrained_layers += [l for l in leaf_layers([layer]) if getattr(l, "constraints", None)]
        self._backward_order = None if new_layer is not None else self._forward_order[::-1]
        self.dtype = next((l.dtype for l in leaf_layers(self._forward_order) if l.dtype is not None), None)
        self._output_layer = self._forward_order[-1]
        self._parameters = None          # gathered when first needed (see `parameters`)
        self.built = True                # last: a thread that sees it built finds everything predict reads
        self._update_fused()
        self._output_checked = False

    @property
    def sample_shape(self):
        """One input sample's shape (``input_shape`` adds Keras' batch axis)."""
        self._require_built("input_shape")
        return self._sample_shape

    input_sample_shape = sample_shape

    @property
    def output_sample_shape(self):
        """One output's shape, without the batch axis: ``(1,)`` for one sigmoid unit."""
        self._require_built("output_sample_shape")
        return tuple(self._output_layer.output_sample_shape)

    @property
    def output_layer(self):
        return self._output_layer if self.built else None

    def call_copy(self):
        """A copy for a second call in one forward pass: the same weights, every layer with its own cache."""
        twin = copy.copy(self)
        twin._run_on_call_copies()
        return twin

    def _run_on_call_copies(self):
        from neuronet.layers.tape import call_copy
        self._forward_order = [call_copy(layer) for layer in self._forward_order]
        self._backward_order = self._forward_order[::-1]
        self._output_layer = self._forward_order[-1]

    # ---- computing: the chain of layers ---------------------------------------------------------------
    def forward(self, x, training=False):
        """a_l = layer_l.forward(a_{l-1}); layers cache what their backward reads."""
        for layer in self._forward_order:
            x = layer.forward(x, training)
        return x

    def backward(self, grad, from_logits=False):
        """g = layer_l.backward(g) from the last layer to the first. With ``from_logits``, ``grad`` is
        dL/dz of the last layer (the fused sigmoid/softmax + cross-entropy gradient)."""
        layers = self._backward_order
        if layers is None:
            layers = self._backward_order = self._forward_order[::-1]
        if from_logits:
            grad = layers[0].backward_from_logits(grad)
            for layer in islice(layers, 1, None):
                grad = layer.backward(grad)
            return grad
        for layer in layers:
            grad = layer.backward(grad)
        return grad

    def infer(self, x):
        """The lean inference path: no caches for backward (safe from several threads at once)."""
        for layer in self._forward_order:
            x = layer.infer(x)
        return x

    def get_config(self):
        from neuronet.layers import serialize
        return {"name": self.name, "layers": [serialize(l) for l in self._all_layers],
                **({"input_shape": list(self.sample_shape)} if self.built else {})}

    @classmethod
    def from_config(cls, config):
        from neuronet.layers import deserialize
        from neuronet.saving.json_io import neuronet_config
        config = neuronet_config("Sequential", config)     # a Keras 3 get_config() too
        model = cls(name=config.get("name"))
        for layer_cfg in config["layers"]:
            model.add(deserialize(layer_cfg))
        if not model.built and config.get("input_shape"):
            model.build(tuple(config["input_shape"]))
        return model

    def __repr__(self):
        return f"<Sequential name={self.name!r}, layers={[l.name for l in self.layers]}>"


def _known_input_shape(layer):
    """The sample shape a first layer fixes: its declared ``input_shape``, or the input shape of a built
    model with one input (Keras builds ``Sequential([pretrained_model, Dense(1)])`` at once, as the
    nested model has an input shape)."""
    if layer.declared_input_shape is not None:
        return layer.declared_input_shape
    if isinstance(layer, Model) and layer.built:
        shape = layer.sample_shape
        return None if isinstance(shape, list) else tuple(shape)
    return None
