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

from neuronet.exceptions import NotFittedError
from neuronet.layers import LAYERS, InputLayer, Layer
from neuronet.models.parameters import ParameterBuffer
from neuronet.models.summary import summary_text
from neuronet.models.trainer import Trainer
from neuronet.utils.naming import unique_name


@LAYERS.register()
class Sequential(Trainer):
    """A stack of layers, each feeding the next. See the module docstring for the notes' example.

    Forward: a_0 = x;  a_l = layer_l.forward(a_{l-1}).   Backward: g = dL/da_L;  g = layer_l.backward(g)
    from the last layer to the first.
    """

    def __init__(self, layers=None, name=None):
        self.name = name or unique_name("sequential")
        self._all_layers: list[Layer] = []
        self.built = False
        self._parameters = None
        for layer in layers or []:
            self.add(layer)

    # ---- structure ------------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        """The model's layers (an Input declaration is not a layer, as in Keras)."""
        return [l for l in self._all_layers if not isinstance(l, InputLayer)]

    def add(self, layer):
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of neuronet.layers.Layer; received "
                            f"{layer!r} of type {type(layer).__name__}.")
        if any(l.name == layer.name for l in self._all_layers):
            raise ValueError(f"All layers added to a Sequential model should have unique names; "
                             f"name {layer.name!r} is already the name of a layer in this model.")
        self._all_layers.append(layer)
        first_shape = self._all_layers[0].declared_input_shape
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
            input_shape = self._all_layers[0].declared_input_shape if self._all_layers else None
            if input_shape is None:
                raise ValueError("The model has no input shape: pass input_shape to build(), to the first "
                                 "layer (input_shape=(13,)), or call fit/predict on data.")
        shape = tuple(input_shape)
        if shape and shape[0] is None:
            shape = shape[1:]
        self._build_from(shape)

    def _build_from(self, input_shape, new_layer=None):
        """Build the layers for samples of ``input_shape``, or only ``new_layer``, just added to a built
        model (so that building a model layer by layer stays linear in its size)."""
        layers = self.layers if new_layer is None else [new_layer]
        if not layers:
            raise ValueError("The model has no layers; add some with model.add(Dense(...)).")
        if new_layer is None:
            self.sample_shape = tuple(int(d) for d in input_shape)  # input_shape adds Keras' batch axis
            self._forward_order, self.regularized_layers = [], []
            shape = self.sample_shape
        else:
            shape = self.output_layer.output_shape
        for layer in layers:
            if not layer.built:
                layer.build(shape)
            elif layer.input_shape != shape:
                raise ValueError(f"Layer {layer.name!r} was built for input shape {layer.input_shape} but "
                                 f"receives {shape}.")
            shape = layer.output_shape
            layer.needs_input_grad = bool(self._forward_order)   # nothing needs dL/dx of the first layer
            self._forward_order.append(layer)                     # listed once, read every batch
            if layer.regularizers or getattr(layer, "activity_regularizer", None):
                self.regularized_layers.append(layer)
        self._backward_order = None if new_layer is not None else self._forward_order[::-1]
        self.built = True
        self.dtype = self._forward_order[0].dtype
        self.output_layer = self._forward_order[-1]
        self._parameters = None          # gathered when first needed (see `parameters`)
        self._update_fused()
        self._output_checked = False

    @property
    def parameters(self):
        """The ParameterBuffer: every trainable weight and its gradient in one flat array, which the
        optimizer updates in one call (``values``, ``grads``, ``segments``; see models.parameters)."""
        if self._parameters is None:
            self._require_built("parameters")
            self._parameters = ParameterBuffer.of(self.layers, self.dtype)
        return self._parameters

    def refresh_parameters(self, keep_entries=False):
        """Gather the trainable weights into a parameter buffer again: at compile when a layer's
        ``trainable`` changed (as Keras applies it), and before training when a layer shared with another
        model was moved into that model's buffer (``keep_entries``: the compiled set)."""
        if keep_entries:
            self._parameters = self.parameters.rebuilt()
        elif not self.parameters.covers(self.layers):
            self._parameters = ParameterBuffer.of(self.layers, self.dtype)

    @property
    def input_shape(self):
        """Keras' ``(None, *one sample's shape)``: ``(None, 30)`` for 30 features."""
        self._require_built("input_shape")
        return (None, *self.sample_shape)

    @property
    def output_shape(self):
        """Keras' ``(None, *one output's shape)``: ``(None, 1)`` for one sigmoid unit."""
        self._require_built("output_shape")
        return (None, *self.output_layer.output_shape)

    @property
    def output_sample_shape(self):
        """One output's shape, without the batch axis: ``(1,)`` for one sigmoid unit (``sample_shape`` is the
        input's)."""
        self._require_built("output_sample_shape")
        return self.output_layer.output_shape

    def _require_built(self, what):
        if not self.built:
            raise NotFittedError(f"This model has not yet been built, so `{what}` is unknown. Build it by "
                                 "giving the first layer an input_shape, calling model.build(input_shape), "
                                 "or calling fit/predict on data.")

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
            layers = layers[1:]
        for layer in layers:
            grad = layer.backward(grad)
        return grad

    def infer(self, x):
        """The lean inference path: no caches for backward (safe from several threads at once)."""
        for layer in self._forward_order:
            x = layer.infer(x)
        return x

    def get_layer(self, name=None, index=None):
        """A layer by its name, or by its position in ``model.layers``."""
        if (name is None) == (index is None):
            raise ValueError("Provide either a layer name or a layer index, not both (nor neither). Received: "
                             f"name={name!r}, index={index!r}")
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(f"Received an invalid value for `index`: the model has {len(self.layers)} "
                                 f"layers. Received: index={index!r}")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: {[l.name for l in self.layers]}.")

    # ---- weights, summary -----------------------------------------------------------------------------
    @property
    def weights(self):
        """Every layer's weight arrays in order (kernel, bias, ...): the live arrays, so changing one in
        place changes the model; ``get_weights()`` returns copies."""
        self._require_built("weights")
        return [w for layer in self.layers for w in layer.weights]

    def get_weights(self):
        return [w.copy() for layer in self.layers for w in layer.weights]

    def set_weights(self, weights):
        self._require_built("weights")
        weights = list(weights)
        expected = sum(len(layer.weights) for layer in self.layers)
        if len(weights) != expected:
            raise ValueError(f"set_weights expects {expected} arrays (the list get_weights() returns); "
                             f"received {len(weights)}.")
        i = 0
        for layer in self.layers:
            k = len(layer.weights)
            layer.set_weights(weights[i:i + k])
            i += k

    def count_params(self):
        self._require_built("count_params()")
        return sum(layer.count_params() for layer in self.layers)

    def summary(self, print_fn=None):
        """Print Keras' summary table (layer names, output shapes, parameter counts)."""
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by calling "
                             "`build()` or by calling `fit()` with some data, or specify an `input_shape` "
                             "argument in the first layer(s) for automatic build.")
        (print_fn or print)(summary_text(self))

    # ---- saving (neuronet.saving: one zip of config.json + .npy arrays, written atomically) -----------
    def save(self, filepath, overwrite=True, include_optimizer=True):
        """Save architecture, weights, compile configuration and optimizer state to one file (a neuronet
        zip archive whatever the extension, also for the notes' ``model.save("my_ann_model.h5")``)."""
        from neuronet.saving import save_model
        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        """Save only the weights; load them back with ``load_weights`` into the same architecture."""
        from neuronet.saving import save_weights
        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath):
        """Load weights written by ``save_weights`` (or ``save``); shapes must match this model."""
        from neuronet.saving import load_weights
        load_weights(self, filepath)

    def get_config(self):
        from neuronet.layers import serialize
        return {"name": self.name, "layers": [serialize(l) for l in self._all_layers],
                **({"input_shape": list(self.sample_shape)} if self.built else {})}

    @classmethod
    def from_config(cls, config):
        from neuronet.layers import deserialize
        model = cls(name=config.get("name"))
        for layer_cfg in config["layers"]:
            model.add(deserialize(layer_cfg))
        if not model.built and config.get("input_shape"):
            model.build(tuple(config["input_shape"]))
        return model

    def __setstate__(self, state):
        """copy.deepcopy (and pickle) copy each weight array on its own, so the copy's layers would no
        longer be views of one parameter buffer and training would not reach them: gather them again. A
        pickle whose ``input_shape`` held one sample's shape gives it as ``sample_shape``."""
        if "input_shape" in state:
            state = {**state, "sample_shape": tuple(state["input_shape"])}
            del state["input_shape"]
        self.__dict__.update(state)
        if self._parameters is not None:
            self._parameters = self._parameters.rebuilt()

    def __repr__(self):
        return f"<Sequential name={self.name!r}, layers={[l.name for l in self.layers]}>"
