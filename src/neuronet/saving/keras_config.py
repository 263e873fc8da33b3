"""Configs in Keras' serialization schema, both ways, with the allow-list every loaded name passes.

Keras 3 writes every object as ``{"module": "keras.layers", "class_name": "Dense", "config": {...},
"registered_name": None}`` (a model adds ``build_config`` and ``compile_config``; a layer's ``dtype`` is
a ``DTypePolicy`` object); Keras 2 wrote ``{"class_name": ..., "config": ...}`` alone. ``to_keras``
turns neuronet's ``{"class_name", "config"}`` configs into the first; keras_reader.py reads either back
into neuronet's, refusing any class that is not in neuronet's registries (a ``Lambda``, an unknown
module) by name.

A model config is read by its class: a ``Sequential`` holds ``layers`` (an ``InputLayer`` first, or a
``build_input_shape``); a graph model (Keras' ``Functional``, neuronet's ``Model``) holds ``layers``
each with its ``name`` and ``inbound_nodes`` (Keras 2's nested lists ``[[layer, node, tensor, {}]]``,
which Keras 3 still reads and neuronet writes, or Keras 3's ``{"args": [...], "kwargs": {}}`` with
``__keras_tensor__`` entries), ``input_layers`` and ``output_layers``.

    >>> cfg = to_keras({"class_name": "Dense", "config": {"name": "d", "units": 2}}, "layer")
    >>> cfg["module"], cfg["config"]["dtype"]["class_name"]
    ('keras.layers', 'DTypePolicy')
    >>> from neuronet.saving.keras_reader import from_keras
    >>> from_keras(cfg, "layer")
    {'class_name': 'Dense', 'config': {'name': 'd', 'units': 2}}
"""
from __future__ import annotations

MODULES = {"layer": "keras.layers", "initializer": "keras.initializers", "regularizer": "keras.regularizers",
           "optimizer": "keras.optimizers", "schedule": "keras.optimizers.schedules", "loss": "keras.losses",
           "metric": "keras.metrics", "model": "keras", "constraint": "keras.constraints"}
MODEL_CLASSES = {"Sequential", "Model", "Functional"}
MAX_DEPTH = 64

# Keras' short names and the canonical ones it reloads everywhere (its .h5 reader knows only the latter).
CANONICAL_NAMES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
                   "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
                   "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
                   "huber_loss": "huber", "logcosh": "log_cosh"}

# Keys Keras writes that neuronet's classes do not take, dropped when they hold the value that means
# "not used"; any other value is refused (neuronet would silently compute something else).
UNUSED_KEYS = {"kernel_constraint": (None,), "bias_constraint": (None,), "beta_constraint": (None,),
           "gamma_constraint": (None,), "alpha_constraint": (None,), "synchronized": (False,),
           "data_format": (None, "channels_last"), "quantization_config": (None,), "lora_rank": (None,),
           "lora_alpha": (None,), "sparse": (False, None), "ragged": (False, None), "optional": (False,),
           "use_ema": (False,), "ema_momentum": "any", "ema_overwrite_frequency": (None,),
           "loss_scale_factor": (None,), "gradient_accumulation_steps": (None,), "is_legacy_optimizer": (False,),
           "jit_compile": "any", "seed": "initializer"}


def registry(family):
    from neuronet import constraints, initializers, losses, metrics, optimizers, regularizers
    from neuronet.layers import LAYERS
    from neuronet.optimizers.schedules import SCHEDULES
    return {"layer": LAYERS, "model": LAYERS, "initializer": initializers.INITIALIZERS,
            "regularizer": regularizers.REGULARIZERS, "optimizer": optimizers.OPTIMIZERS,
            "schedule": SCHEDULES, "loss": losses.LOSSES, "metric": metrics.METRICS,
            "constraint": constraints.CONSTRAINTS}[family]


def family_of_key(key, default):
    for suffix, family in (("_initializer", "initializer"), ("_regularizer", "regularizer"),
                           ("_constraint", "constraint")):
        if key.endswith(suffix):
            return family
    return {"learning_rate": "schedule", "optimizer": "optimizer", "loss": "loss"}.get(key, default)


# ---- writing ------------------------------------------------------------------------------------------
def dtype_policy(name):
    """Keras 3's serialized ``DTypePolicy`` for a float dtype name."""
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name}, "registered_name": None}


def _module_for(class_name, family):
    """'keras.layers' for neuronet's own classes; a user-registered class keeps its Python module."""
    try:
        obj = registry(family).lookup(class_name)
    except (ValueError, KeyError):
        return MODULES.get(family)
    module = getattr(obj, "__module__", "") or ""
    return MODULES[family] if module.startswith("neuronet.") else module


def to_keras(spec, family, dtype="float32"):
    """neuronet's ``{"class_name", "config"}`` (nested objects included) in Keras 3's schema."""
    if not (isinstance(spec, dict) and "class_name" in spec):
        return spec
    name, config = spec["class_name"], dict(spec.get("config") or {})
    out = {}
    for key, value in config.items():
        if isinstance(value, dict) and "class_name" in value:
            value = to_keras(value, family_of_key(key, family), dtype)
        out[key] = value
    if family == "layer" and name in MODEL_CLASSES:
        family = "model"
    if family == "model" and name == "Sequential":
        out = _sequential_to_keras(out, dtype)
    elif family == "model" and name in MODEL_CLASSES:
        out = _functional_to_keras(out, dtype)
        return {"module": "keras.src.models.functional", "class_name": "Functional", "config": out,
                "registered_name": "Functional"}
    elif family == "layer":
        out = _layer_to_keras(name, out, dtype)
    return {"module": _module_for(name, family), "class_name": name, "config": out, "registered_name": None}


def _layer_to_keras(name, config, dtype):
    for key in ("input_shape", "batch_input_shape", "input_dim"):
        config.pop(key, None)
    if name == "InputLayer":
        shape = config.pop("shape", None)
        return {"batch_shape": [None, *shape] if shape is not None else None, "dtype": dtype,
                "sparse": False, "name": config.get("name")}
    config["dtype"] = dtype_policy(dtype)
    return config


def _functional_to_keras(config, dtype):
    layers = []
    for spec in config.get("layers", []):
        entry = to_keras({"class_name": spec["class_name"], "config": spec["config"]}, "layer", dtype)
        entry["name"], entry["inbound_nodes"] = spec["name"], spec.get("inbound_nodes", [])
        layers.append(entry)
    return {"name": config.get("name"), "trainable": config.get("trainable", True), "layers": layers,
            "input_layers": config.get("input_layers"), "output_layers": config.get("output_layers")}


def _sequential_to_keras(config, dtype):
    layers = [to_keras(layer, "layer", dtype) for layer in config.get("layers", [])]
    shape = config.get("input_shape")
    if shape is not None and not (layers and layers[0]["class_name"] == "InputLayer"):
        layers.insert(0, to_keras({"class_name": "InputLayer", "config": {"name": "input_layer", "shape": shape}},
                                  "layer", dtype))
    out = {"name": config.get("name"), "trainable": True, "dtype": dtype_policy(dtype), "layers": layers}
    if shape is not None:
        out["build_input_shape"] = [None, *shape]
    return out


def canonical_name(name):
    return CANONICAL_NAMES.get(name, name) if isinstance(name, str) else name


def compile_to_keras(spec, dtype="float32"):
    """neuronet's compile config (optimizer, loss, metrics; per output for a model with several) as Keras
    3's ``compile_config``."""
    if spec is None:
        return None

    def convert(value, family):
        if isinstance(value, str):
            return canonical_name(value) if family == "loss" else value
        if isinstance(value, list):
            return [convert(v, family) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {k: convert(v, family) for k, v in value.items()}
        return to_keras(value, family, dtype)
    return {"optimizer": to_keras(spec["optimizer"], "optimizer", dtype), "loss": convert(spec.get("loss"), "loss"),
            "loss_weights": spec.get("loss_weights"), "metrics": convert(spec.get("metrics"), "metric") or None,
            "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}


__all__ = ["to_keras", "compile_to_keras", "dtype_policy", "canonical_name", "registry", "family_of_key",
           "CANONICAL_NAMES", "MODULES", "MODEL_CLASSES", "UNUSED_KEYS", "MAX_DEPTH"]
