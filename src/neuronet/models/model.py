"""Model: a network of layers that trains (the Trainer) and is itself a layer (it nests in other models).

Three ways to make one, as in Keras:

    inputs = Input(shape=(13,))                        # the functional API: any graph of layers
    x = Dense(64, activation="relu")(inputs)
    model = Model(inputs, Dense(1)(x))

    model = Sequential([Dense(64, activation="relu"), Dense(1)])     # a chain (models.sequential)

    class MyModel(Model):                              # subclassing: layers in __init__, their use in call
        def __init__(self):
            super().__init__()
            self.hidden, self.out = Dense(64, activation="relu"), Dense(1)
        def call(self, x, training=False):
            return self.out(self.hidden(x))

Forward runs the layers (a graph in topological order, or ``call``) while a tape records each layer call;
backward replays the tape in reverse (neuronet.layers.tape): no autograd engine, only each layer's own
backward, with the gradients of a value used twice added up.

    >>> from neuronet.layers import Input, Dense, Add
    >>> a = Input(shape=(3,)); h = Dense(4, activation="relu")(a)
    >>> model = Model(a, Dense(1)(Add()([h, Dense(4)(a)])))
    >>> model.count_params()
    37
"""
from __future__ import annotations

import threading

import copy

import numpy as np

from neuronet.exceptions import NotFittedError
from neuronet.layers import LAYERS, InputLayer, Layer
from neuronet.layers.symbolic import KerasTensor
from neuronet.layers.tape import Tape, Tracked, plain
from neuronet.models.graph import Graph
from neuronet.models.keras2 import Keras2Methods
from neuronet.models.parameters import ParameterBuffer
from neuronet.models.trainer import Trainer
from neuronet.utils.naming import to_snake_case, unique_name

# Held while a model builds (re-entrant: a model builds the models nested in it). One lock for all models:
# builds are rare, and a model holding a lock could no longer be pickled or deep-copied.
BUILD_LOCK = threading.RLock()


def leaf_layers(layers):
    """The layers of ``layers`` with every nested model replaced by its own layers, recursively."""
    for layer in layers:
        if isinstance(layer, Model):
            yield from leaf_layers(layer.layers)
        else:
            yield layer


@LAYERS.register()
class Model(Keras2Methods, Trainer, Layer):
    """A trainable network of layers; see the module docstring. ``Model(inputs, outputs, name=...)`` builds a
    graph from symbolic tensors; a subclass defines ``call(self, x, training=False)``."""

    def __init__(self, inputs=None, outputs=None, name=None, trainable=True, **kwargs):
        if kwargs:
            raise TypeError(f"Model got unexpected keyword argument(s) {sorted(kwargs)}. Accepted: inputs, "
                            "outputs, name, trainable.")
        self._init_fields(name, trainable)
        if (inputs is None) != (outputs is None):
            raise ValueError("Pass both `inputs` and `outputs` to Model (the functional API), or neither (a "
                             f"subclass with call()). Received: inputs={inputs!r}, outputs={outputs!r}")
        if inputs is not None:
            self.graph = Graph(inputs, outputs)
            self._finish_build()
        elif type(self).call is Model.call:
            raise TypeError("Model() needs `inputs` and `outputs` (Model(inputs=Input(shape=(13,)), outputs=...)), "
                            "or subclass Model and define call(self, x, training=False).")

    def _init_fields(self, name, trainable):
        """What every model has as a layer (models do not call Layer.__init__: their shapes are Keras')."""
        default = type(self).__name__ if type(self) is not Model else "functional"
        self.name = name or unique_name(to_snake_case(default))
        self._trainable, self.built, self.dtype = bool(trainable), False, None
        self.params, self.grads, self.states, self.regularizers = {}, {}, {}, {}
        self.declared_input_shape, self.needs_input_grad, self.inbound_nodes = None, True, []
        self._parameters, self._tracked, self.graph = None, [], None

    def __setattr__(self, name, value):
        if isinstance(value, Layer) and not name.startswith("_") and value not in getattr(self, "_tracked", [value]):
            self._tracked.append(value)        # a subclass's layers, in the order __init__ sets them
        super().__setattr__(name, value)

    # ---- structure ------------------------------------------------------------------------------------
    @property
    def trainable(self):
        """Whether training changes its weights. Setting it sets every layer of the model (nested models'
        too), as Keras does; fit applies a change at the next compile."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self.layers if self.built or self.__dict__.get("_tracked") else ():
            layer.trainable = self._trainable

    @property
    def layers(self) -> list:
        if self.graph is not None:
            return self.graph.layers
        return list(self._tracked)

    def _finish_build(self):
        layers = self.layers
        self.dtype = next((l.dtype for l in leaf_layers(layers) if l.dtype is not None), None)
        self.regularized_layers = [l for l in leaf_layers(layers)
                                   if l.regularizers or getattr(l, "activity_regularizer", None)]
        self.constrained_layers = [l for l in leaf_layers(layers) if getattr(l, "constraints", None)]
        self._parameters = None
        self.built = True            # last: a thread that sees it built finds everything predict reads
        self._update_fused()
        self._output_checked = False

    def build(self, input_shape=None):
        """A subclassed model builds by running call() once on zeros of ``input_shape`` (without the batch
        axis; a list for several inputs). A functional model is built when created."""
        if self.graph is not None:
            return
        if input_shape is None:
            raise ValueError("Build a subclassed model with model.build(input_shape) or by calling fit/predict.")
        with BUILD_LOCK:       # threads predicting on an unbuilt model: one builds, the others wait
            if not self.built:
                self._build_call(input_shape)

    def _build_call(self, input_shape):
        shapes = input_shape if isinstance(input_shape, list) else [input_shape]
        shapes = [tuple(s)[1:] if s and tuple(s)[0] is None else tuple(s) for s in shapes]
        from neuronet import config
        zeros = [np.zeros((1, *s), dtype=config.floatx()) for s in shapes]
        self._call_shapes = shapes if isinstance(input_shape, list) else shapes[0]
        with np.errstate(under="ignore"):
            out = self.call(zeros if isinstance(input_shape, list) else zeros[0], training=False)
        if not self._tracked:
            raise ValueError(f"Model {self.name!r} has no layers: set them as attributes in __init__ "
                             "(self.dense = Dense(8)) and use them in call().")
        self._out_shape = tuple(np.shape(out)[1:])
        self._finish_build()

    @property
    def sample_shape(self):
        self._require_built("input_shape")
        return self.graph.input_shapes if self.graph is not None else self._call_shapes

    @property
    def output_sample_shape(self):
        self._require_built("output_shape")
        return self.graph.output_shapes if self.graph is not None else self._out_shape

    input_sample_shape = sample_shape

    @property
    def input_shape(self):
        shape = self.sample_shape
        return [(None, *s) for s in shape] if isinstance(shape, list) else (None, *shape)

    @property
    def output_shape(self):
        shape = self.output_sample_shape
        return [(None, *s) for s in shape] if isinstance(shape, list) else (None, *shape)

    @property
    def output_layer(self):
        return self.graph.output_layer if self.graph is not None else None

    @property
    def output_names(self):
        """The names of the model's outputs (the layers producing them): keys of dict ``y``, loss and
        metrics, and the prefixes of History's per-output keys."""
        if self.graph is None:
            return ["output"]
        return [t.node.layer.name for t in self.graph.outputs]

    @property
    def input_names(self):
        """The names of the model's inputs (their Input layers'), the keys of a dict ``x``."""
        return [t.node.layer.name for t in self.graph.inputs] if self.graph is not None else ["input"]

    @property
    def parameters(self):
        """The ParameterBuffer of every trainable weight (nested models' included) and its gradient."""
        if self._parameters is None:
            self._require_built("parameters")
            self._parameters = ParameterBuffer.of(list(leaf_layers(self.layers)), self.dtype)
        return self._parameters

    def refresh_parameters(self, keep_entries=False):
        layers = list(leaf_layers(self.layers))
        if keep_entries:
            self._parameters = self.parameters.rebuilt()
        elif not self.parameters.covers(layers):
            self._parameters = ParameterBuffer.of(layers, self.dtype)

    def _require_built(self, what):
        if not self.built:
            raise NotFittedError(f"This model has not yet been built, so `{what}` is unknown. Build it by "
                                 "calling model.build(input_shape), or fit/predict on data.")

    # ---- computing ------------------------------------------------------------------------------------
    def call(self, inputs, training=False):
        """A subclass composes its layers here: ``return self.out(self.hidden(inputs))``."""
        raise NotImplementedError

    def forward(self, x, training=False):
        """The outputs for ``x`` (an array, or a list for several inputs); the layer calls are recorded for
        backward."""
        tape = self._tape = Tape()
        if self.graph is not None:
            return self.graph.forward(x, tape, training)
        inputs = [v.view(Tracked) for v in x] if isinstance(x, list) else x.view(Tracked)
        self._input_keys = [id(v) for v in inputs] if isinstance(inputs, list) else [id(inputs)]
        with tape.recording():
            out = self.call(inputs, training=training)
        if not isinstance(out, Tracked):
            raise TypeError(f"{type(self).__name__}.call() must return the output of a layer; it returned "
                            f"{type(out).__name__}.")
        self._output_key = id(out)
        return plain(out)

    def backward(self, grad, from_logits=False):
        """dL/d(outputs) back through the recorded layer calls; returns dL/d(inputs)."""
        if self.graph is not None:
            return self.graph.backward(self._tape, grad, from_logits)
        grads = self._tape.backward({self._output_key: grad})
        dx = [grads.get(k) for k in self._input_keys]
        return dx if len(dx) > 1 else dx[0]

    def infer(self, x):
        if self.graph is not None:
            return self.graph.infer(x)
        return self.call(x, training=False)

    # ---- as a layer inside another model --------------------------------------------------------------
    def gradient_arrays(self):
        return [g for layer in leaf_layers(self.layers) for g in layer.grads.values()]

    def call_copy(self):
        """A copy for a second call in one forward pass (a siamese tower): its layers are call copies
        (same weights, own caches)."""
        from neuronet.layers.tape import call_copy
        twin = copy.copy(self)
        if self.graph is not None:
            twin.graph = self.graph.call_copy()
        else:
            for name, value in vars(self).items():
                if isinstance(value, Layer) and value in self._tracked:
                    object.__setattr__(twin, name, call_copy(value))
        return twin

    def regularization_penalty(self):
        return sum(l.regularization_penalty() for l in self.regularized_layers)

    def add_regularization_gradients(self):
        for layer in self.regularized_layers:
            layer.add_regularization_gradients()

    @property
    def losses(self):
        """Keras' ``model.losses``: the regularization penalties of every layer (nested models' too), one
        scalar per regularized weight, then each layer's activity penalty of the last forward pass; their
        sum is what training adds to the loss.

            >>> # model.add(Dense(64, kernel_regularizer=regularizers.l2(0.01))); sum(model.losses)
        """
        return [v for layer in (self.regularized_layers if self.built else ()) for v in layer.losses]

    # ---- weights, summary -----------------------------------------------------------------------------
    @property
    def weights(self):
        self._require_built("weights")
        return [w for layer in self.layers for w in layer.weights]

    def get_weights(self):
        return [w.copy() for layer in self.layers for w in layer.get_weights()]

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

    def get_layer(self, name=None, index=None):
        """A layer by its name, or by its position in ``model.layers``."""
        if (name is None) == (index is None):
            raise ValueError("Provide either a layer name or a layer index, not both (nor neither). Received: "
                             f"name={name!r}, index={index!r}")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"Received an invalid value for `index`: the model has {len(layers)} "
                                 f"layers. Received: index={index!r}")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: {[l.name for l in layers]}.")

    def summary(self, print_fn=None):
        """Print Keras' summary table (layer names, output shapes, parameter counts; for a graph, the
        layers each one is connected to)."""
        from neuronet.models.summary import summary_text
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by calling "
                             "`build()` or by calling `fit()` with some data, or specify an `input_shape` "
                             "argument in the first layer(s) for automatic build.")
        (print_fn or print)(summary_text(self))

    # ---- saving ---------------------------------------------------------------------------------------
    def save(self, filepath, overwrite=True, include_optimizer=True):
        """Save architecture, weights, compile configuration and optimizer state to one file."""
        from neuronet.saving import save_model
        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        from neuronet.saving import save_weights
        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath):
        from neuronet.saving import load_weights
        load_weights(self, filepath)

    def get_config(self):
        if self.graph is None:
            raise NotImplementedError(f"{type(self).__name__} is a subclassed model: its call() is Python code, "
                                      "which neuronet does not serialize. Save its weights (save_weights) and "
                                      "build it again in code, or write it as a functional Model.")
        return {"name": self.name, "trainable": self.trainable, **self.graph.get_config()}

    def export(self, filepath, format="onnx", **kwargs):
        """Write the inference graph for serving: ``format="onnx"`` (Keras 3's spelling; neuronet writes no
        TensorFlow SavedModel), a graph onnxruntime runs with a dynamic batch axis named ``batch``.

            >>> # model.export("model.onnx", format="onnx")
        """
        if format != "onnx":
            raise ValueError(f"Received an invalid value for `format`, expected 'onnx' (neuronet exports ONNX "
                             f"only: no TensorFlow, so no 'tf_saved_model'). Received: format={format!r}")
        from neuronet.saving.onnx_export import export_onnx
        export_onnx(self, filepath, **kwargs)

    def to_json(self, **kwargs):
        """The architecture as JSON text (``models.model_from_json`` reads it back); ``kwargs`` go to
        ``json.dumps``."""
        from neuronet.models.json_config import model_to_json
        return model_to_json(self, **kwargs)

    @classmethod
    def from_config(cls, config):
        from neuronet.saving.json_io import neuronet_config
        config = neuronet_config("Model", config)          # a Keras 3 get_config() too
        inputs, outputs = Graph.from_config(config)
        return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))

    def __setstate__(self, state):
        """copy.deepcopy (and pickle) copy each weight array on its own, so the copy's layers would no
        longer be views of one parameter buffer and training would not reach them: gather them again."""
        self.__dict__.update(state)
        if self.__dict__.get("_parameters") is not None:
            self._parameters = self._parameters.rebuilt()

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}, layers={[l.name for l in self.layers]}>"
