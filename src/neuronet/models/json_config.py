"""A model's architecture as JSON: ``model.to_json()`` and ``model_from_json(text)``, as Keras' (the layers
and their connections; no weights, no compile arguments).

    >>> from neuronet.layers import Input, Dense
    >>> from neuronet.models import Model, model_from_json
    >>> x = Input(shape=(3,)); model = Model(x, Dense(1)(x), name="tiny")
    >>> model_from_json(model.to_json()).name
    'tiny'

Keras 3's JSON (``module``, ``class_name``, ``config``, ``registered_name``, ``build_config``,
``compile_config``: what ``keras.Model.to_json()`` writes) is read too, through neuronet.saving.json_io
(compiled when it holds a compile_config, as Keras does). Reading is as safe as ``load_model``: every ``class_name`` must be registered (or given in
``custom_objects``), a model is built by its registered class and never by running code from the text.
"""
from __future__ import annotations

import json

from neuronet.exceptions import ModelFormatError, UnsafeModelError

_ALIASES = {"Functional": "Model"}      # Keras' class name of a functional model


def model_to_json(model, **kwargs) -> str:
    """``{"class_name": ..., "config": model.get_config(), "keras_version": ..., "backend": ...}`` as JSON
    text; ``kwargs`` go to ``json.dumps`` (``indent=2``)."""
    from neuronet import __version__
    payload = {"class_name": type(model).__name__, "config": model.get_config(),
               "keras_version": __version__, "backend": "numpy"}
    return json.dumps(payload, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """A new model (new weights, not compiled) from the JSON text of ``model.to_json()``."""
    from neuronet.layers import LAYERS, deserialize
    from neuronet.registry import custom_object_scope
    from neuronet.saving.load import check_class_names
    if not isinstance(json_string, (str, bytes, bytearray)):
        raise TypeError(f"model_from_json expects the JSON text of model.to_json(); received "
                        f"json_string of type {type(json_string).__name__}.")
    try:
        spec = json.loads(json_string)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"model_from_json: the text is not valid JSON ({exc}). Pass the string that "
                         "model.to_json() returned.") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("config"), dict) or \
            not isinstance(spec.get("class_name"), str):
        raise ValueError("model_from_json: the JSON must be an object with 'class_name' and 'config', as "
                         f"model.to_json() writes; received {str(json_string)[:80]!r}.")
    if "module" in spec or "registered_name" in spec:    # Keras 3's schema (keras' model.to_json())
        from neuronet.saving.json_io import model_from_json as from_keras_json
        return from_keras_json(json_string, custom_objects)
    name = _ALIASES.get(spec["class_name"], spec["class_name"])
    custom = custom_objects or {}
    cls = custom.get(name) or (LAYERS.lookup(name) if name in LAYERS else None)
    if cls is None or not hasattr(cls, "layers"):
        raise UnsafeModelError(f"model_from_json: class_name {spec['class_name']!r} is not a registered model "
                               "class (Sequential, Model); refused. Pass custom_objects={...} for your own.")
    check_class_names("model_from_json", spec["config"], custom_objects)
    try:
        with custom_object_scope(custom_objects):
            return cls.from_config(spec["config"])
    except (ModelFormatError, UnsafeModelError):
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        raise ModelFormatError(f"model_from_json: invalid model config ({type(exc).__name__}: {exc})") from None
