"""Model architecture as JSON in Keras' schema: ``model.to_json()`` and ``models.model_from_json``.

``to_json`` writes what Keras 3's ``model.to_json()`` writes (the ``config.json`` of a ``.keras``
file: module, class_name, config, registered_name, build_config, compile_config), so
``keras.models.model_from_json`` reads it; ``model_from_json`` reads Keras 3's and Keras 2's JSON.
As in Keras, the JSON holds no weights: the model starts from its initializers, compiled when the
JSON has a compile_config. Names pass the same allow-list as model files.

    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
    >>> text = Sequential([Dense(2, input_shape=(3,))]).to_json()
    >>> model_from_json(text).count_params()
    8
"""
from __future__ import annotations

import json

from neuronet.exceptions import ModelFormatError
from neuronet.saving.format import MAX_CONFIG_BYTES

MAX_JSON_WEIGHT_BYTES = 2**32     # a JSON may not build models larger than this (4 GiB of weights)


def model_to_json(model, **kwargs):
    """``model.to_json(**kwargs)``: the Keras-schema config as JSON text (``kwargs`` go to json.dumps)."""
    from neuronet.saving.keras_v3 import keras_config
    from neuronet.saving.save import model_payload
    config, _ = model_payload(model, include_optimizer=False)
    return json.dumps(keras_config(config), **kwargs)


def neuronet_config(class_name, config, custom_objects=None, path="<config>"):
    """A model's ``get_config()`` dict as neuronet's ``from_config`` takes it: Keras 3's schema
    (layers with ``module``, dtype policies, InputLayer ``batch_shape``) is converted, neuronet's own
    passes unchanged."""
    from neuronet.saving.keras_reader import Reader
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list) or not any(isinstance(l, dict) and ("module" in l or "registered_name" in l)
                                               for l in layers):
        return config
    return Reader(path, custom_objects).read({"class_name": class_name, "config": config}, "model")["config"]


def model_from_json(json_string, custom_objects=None):
    """The model a Keras or neuronet JSON config describes (``keras.models.model_from_json``), with
    fresh weights; compiled when the JSON holds a compile_config. ModelFormatError or
    UnsafeModelError for text that is not such a config."""
    from neuronet.saving.keras_reader import Reader
    from neuronet.saving.load import build_model, compile_from_config
    path = "<json>"
    if not isinstance(json_string, (str, bytes)) or len(json_string) > MAX_CONFIG_BYTES:
        raise ModelFormatError(f"model_from_json expects the JSON text of a model config (at most {MAX_CONFIG_BYTES} "
                               f"characters); received {type(json_string).__name__} of length "
                               f"{len(json_string) if hasattr(json_string, '__len__') else '?'}.")
    try:
        spec = json.loads(json_string)
    except (ValueError, RecursionError) as exc:
        raise ModelFormatError(f"model_from_json: the text is not valid JSON ({type(exc).__name__}: {exc}).") from None
    if not isinstance(spec, dict):
        raise ModelFormatError("model_from_json: the JSON is not a model config object.")
    reader = Reader(path, custom_objects)
    config = {"kind": "model", "model": reader.read(spec, "model"), "compile": reader.compile(spec.get("compile_config"))}
    config["dtype"] = reader.dtype or "float32"
    build_model(path, config, {}, custom_objects, budget=MAX_JSON_WEIGHT_BYTES)   # sizes checked first
    from neuronet import config as nn_config
    from neuronet.layers import LAYERS
    from neuronet.registry import custom_object_scope
    previous = nn_config.floatx()
    try:
        if config["dtype"] != previous:
            nn_config.set_floatx(config["dtype"])
        with custom_object_scope(custom_objects):
            model = LAYERS.lookup(config["model"]["class_name"]).from_config(config["model"]["config"])
    finally:
        nn_config.set_floatx(previous)
    compile_from_config(path, model, config, {}, custom_objects)
    return model


__all__ = ["model_to_json", "model_from_json", "neuronet_config"]
