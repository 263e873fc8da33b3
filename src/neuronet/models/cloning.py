"""``clone_model``: a new model with the same architecture (config) and new, freshly initialized weights,
as Keras' ``keras.models.clone_model``.

    >>> from neuronet.layers import Input, Dense
    >>> from neuronet.models import Model, clone_model
    >>> x = Input(shape=(3,)); model = Model(x, Dense(1)(Dense(4, activation="relu")(x)))
    >>> copy = clone_model(model)
    >>> copy.count_params() == model.count_params(), copy.layers[0] is model.layers[0]
    (True, False)

Each layer is replaced by ``clone_function(layer)`` (default: a new layer of the same class from
``layer.get_config()``; a nested model is cloned the same way); a functional model's calls are replayed on
the clones, so a shared layer stays shared. Copy the weights with ``clone.set_weights(model.get_weights())``.
"""
from __future__ import annotations

from neuronet.layers import InputLayer, Layer


def _default_clone(layer):
    from neuronet.models.model import Model
    if isinstance(layer, Model):
        return clone_model(layer)
    return type(layer).from_config(layer.get_config())


def clone_model(model, clone_function=None):
    """A new model like ``model`` (a Sequential or a functional Model), each layer made by
    ``clone_function(layer)`` (default: from its config, new weights). Not compiled."""
    from neuronet.models.model import Model
    from neuronet.models.sequential import Sequential
    if not isinstance(model, Model):
        raise TypeError(f"clone_model expects a neuronet Sequential or functional Model; received "
                        f"model={model!r} of type {type(model).__name__}.")
    clone = clone_function or _default_clone
    if isinstance(model, Sequential):
        copy = Sequential([_checked(clone, layer) for layer in model.layers], name=model.name)
        if model.built and not copy.built:
            copy.build(model.sample_shape)
        return copy
    if model.graph is None:
        raise NotImplementedError(f"{type(model).__name__} is a subclassed model: its call() is Python code, "
                                  "which clone_model does not copy. Create a new instance of the class instead.")
    new_layers, tensors = {}, {}
    for node in model.graph.nodes:
        layer = node.layer
        if isinstance(layer, InputLayer):
            config = layer.get_config()
            tensors[node.outputs[0].id] = InputLayer(shape=config["shape"], name=layer.name,
                                                     dtype=config.get("dtype")).output
            continue
        if layer not in new_layers:
            new_layers[layer] = _checked(clone, layer)
        args = [tensors[t.id] for t in node.inputs]
        many = isinstance(layer.input_sample_shape, list)
        tensors[node.outputs[0].id] = new_layers[layer](args if many else args[0])
    inputs = [tensors[t.id] for t in model.graph.inputs]
    outputs = [tensors[t.id] for t in model.graph.outputs]
    return Model(inputs if len(inputs) > 1 else inputs[0], outputs if len(outputs) > 1 else outputs[0],
                 name=model.name, trainable=model.trainable)


def _checked(clone, layer):
    new = clone(layer)
    if not isinstance(new, Layer):
        raise TypeError(f"clone_function must return a layer; for layer {layer.name!r} it returned {new!r}.")
    return new
