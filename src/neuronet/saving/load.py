"""Loading models and weights from untrusted files: only registered classes, sizes checked first.

The format is told by the file's first bytes, not its name: a zip is Keras 3's ``.keras`` archive, an
HDF5 file Keras 2's model (or weights) file or Keras 3's weights file.

    >>> # from neuronet.models import load_model
    >>> # model = load_model("my_ann_model.h5")      # written by neuronet or by Keras
"""
from __future__ import annotations

import numpy as np

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.saving.format import check_file

# What building from a hostile config can raise; each becomes ModelFormatError (MemoryError too: a size
# the allocation guard does not see, such as a huge Python list, must not escape as a crash).
_CONFIG_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OverflowError,
                  MemoryError)


def _registries():
    from neuronet import activations, constraints, initializers, losses, metrics, optimizers, regularizers
    from neuronet.layers import LAYERS
    from neuronet.optimizers.schedules import SCHEDULES
    return (LAYERS, activations.ACTIVATIONS, initializers.INITIALIZERS, regularizers.REGULARIZERS,
            losses.LOSSES, metrics.METRICS, optimizers.OPTIMIZERS, SCHEDULES, constraints.CONSTRAINTS)


def _config_dicts(path, obj, depth=0):
    """Every dict in a config, at any depth (refusing a config nested more than 64 levels)."""
    if depth > 64:
        raise ModelFormatError(f"{path!r}: the config is nested too deeply; not a model file neuronet can read or it is corrupted.")
    if isinstance(obj, dict):
        yield obj
        values = obj.values()
    elif isinstance(obj, list):
        values = obj
    else:
        return
    for value in values:
        yield from _config_dicts(path, value, depth + 1)


def check_class_names(path, obj, custom_objects=None):
    """Refuse any ``class_name`` that is not in one of neuronet's registries (which hold the classes the
    user registered) or in ``custom_objects``."""
    for spec in _config_dicts(path, obj):
        name = spec.get("class_name")
        if name is not None:
            known = isinstance(name, str) and (name in (custom_objects or {}) or any(name in r for r in _registries()))
            if not known:
                raise UnsafeModelError(f"{path!r} names class {name!r}, which is not in neuronet's registries; "
                                       "refused. Register your own classes (neuronet.layers.register) or pass "
                                       "custom_objects={...} to load_model.")


def check_activations(path, obj, custom_objects=None):
    """Refuse an ``activation`` entry that is a serialized layer other than a weightless activation layer
    (``creates_weights = False``: LeakyReLU, ReLU, ...), before anything is built from it."""
    from neuronet.layers import LAYERS
    custom = custom_objects or {}
    for spec in _config_dicts(path, obj):
        act = spec.get("activation")
        if isinstance(act, dict):
            name = act.get("class_name")
            cls = custom.get(name) if isinstance(name, str) and name in custom else \
                LAYERS.lookup(name) if isinstance(name, str) and name in LAYERS else None
            if cls is None or getattr(cls, "creates_weights", True) is not False:
                raise ModelFormatError(f"{path!r}: an `activation` is a {name!r} layer, which is not an activation "
                                       "layer; not a model file neuronet can read or it is corrupted.")


class WeightBudget:
    """The loader's allocation guard (``neuronet.layers.base.weights_from_file``): every weight any layer
    of the file's model creates must have a valid shape, and together they may not take more bytes than
    the file's weight arrays hold (a config asking for a billion units is refused before allocating)."""

    def __init__(self, path, budget):
        self.path, self.budget, self.used = path, budget, 0

    def allow(self, layer, shape):
        shape = tuple(shape)
        if any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 0 for d in shape):
            raise ModelFormatError(f"{self.path!r}: layer {layer.name!r} asks for a weight of shape {shape}.")
        self.used += int(np.prod(shape, dtype=object) if shape else 1) * np.dtype(layer.dtype).itemsize
        if self.used > self.budget:
            raise ModelFormatError(f"{self.path!r}: the model config builds more weights than the file holds "
                                   f"({self.used} > {self.budget} bytes); not a model file neuronet can read or it is corrupted.")
        return shape


def build_model(path, config, arrays, custom_objects=None, budget=None):
    """An (uncompiled) model from ``config['model']``, built by its registered class name. Weights are
    allocated through a WeightBudget (``budget`` bytes: by default what the file's layer weights hold)
    and start as zeros instead of random initializers."""
    from neuronet import config as nn_config
    from neuronet.layers import LAYERS
    from neuronet.layers.base import weights_from_file
    from neuronet.registry import custom_object_scope
    spec = config.get("model")
    if not isinstance(spec, dict) or not isinstance(spec.get("config"), dict) or \
            spec.get("class_name") not in LAYERS or not hasattr(LAYERS.lookup(spec["class_name"]), "layers"):
        raise ModelFormatError(f"{path!r} is not a model file neuronet can read or it is corrupted: no model config.")
    check_class_names(path, spec["config"], custom_objects)
    check_class_names(path, config.get("compile"), custom_objects)
    check_activations(path, spec["config"], custom_objects)
    layer_cfgs = spec["config"].get("layers")
    if not isinstance(layer_cfgs, list) or not all(isinstance(c, dict) and isinstance(c.get("config", {}), dict)
                                                   for c in layer_cfgs):
        raise ModelFormatError(f"{path!r} is not a model file neuronet can read or it is corrupted: no valid layer list.")
    if budget is None:
        budget = sum(a.nbytes for k, a in arrays.items() if k.startswith("layers/"))
    saved_dtype = config.get("dtype")
    previous = nn_config.floatx()
    try:
        if saved_dtype in ("float16", "float32", "float64") and saved_dtype != previous:
            nn_config.set_floatx(saved_dtype)
        with custom_object_scope(custom_objects), weights_from_file(WeightBudget(path, budget)):
            model = LAYERS.lookup(spec["class_name"]).from_config(spec["config"])
    except (ModelFormatError, UnsafeModelError):
        raise
    except _CONFIG_ERRORS as exc:
        raise ModelFormatError(f"{path!r} is not a model file neuronet can read or it is corrupted: invalid model config "
                               f"({type(exc).__name__}: {exc})") from None
    finally:
        nn_config.set_floatx(previous)
    return model


def assign_weights(path, model, arrays, check_only=False):
    """Copy each ``layers/<path>/vars/<i>`` array into the model after checking that the file holds
    exactly the model's weights, each of the shape the config builds (a float array of another width
    is cast, as Keras does). With ``check_only``, return the checked (model array, file array) pairs and
    copy nothing."""
    from neuronet.saving.save import weight_keys
    expected = weight_keys(model) if model.built else []
    stored = {k for k in arrays if k.startswith("layers/")}
    missing = [k for k, _ in expected if k not in stored]
    extra = sorted(stored - {k for k, _ in expected})
    if missing or extra:
        raise ModelFormatError(f"{path!r}: the file's weights do not match the model its config builds "
                               f"(missing {missing[:3]}, unexpected {extra[:3]}); not a model file neuronet "
                               "can read or it is corrupted.")
    return _copy(path, [(key, arrays[key], dst) for key, dst in expected], check_only)


def assign_layer_weights(path, model, weights):
    """Keras 2's order-based loading: the file's layers with weights, in order, into the model's layers
    with weights (names may differ), after checking counts and shapes."""
    layers = [layer for layer in model.layers if layer.weights] if model.built else []
    if len(layers) != len(weights):
        raise ModelFormatError(f"{path!r}: the file holds weights for {len(weights)} layers but the model has "
                               f"{len(layers)} layers with weights; not a model file neuronet can read or it is "
                               "corrupted.")
    pairs = []
    for layer, (name, arrays) in zip(layers, weights):
        if len(arrays) != len(layer.weights):
            raise ModelFormatError(f"{path!r}: layer {name!r} of the file has {len(arrays)} weights; layer "
                                   f"{layer.name!r} of the model has {len(layer.weights)}.")
        pairs.extend((f"{name}/{i}", src, dst) for i, (src, dst) in enumerate(zip(arrays, layer.weights)))
    _copy(path, pairs)


def _copy(path, pairs, check_only=False):
    for key, src, dst in pairs:
        if src.shape != dst.shape or (src.dtype != dst.dtype and not (src.dtype.kind == dst.dtype.kind == "f")):
            raise ModelFormatError(f"{path!r}: weight {key!r} is a {src.shape} {src.dtype} array but the config "
                                   f"builds {dst.shape} {dst.dtype}; not a model file neuronet can read or it is "
                                   "corrupted.")
    if check_only:
        return [(dst, src) for _, src, dst in pairs]
    for _, src, dst in pairs:
        dst[...] = src


def restore_layer_rng(path, model, states, check_only=False):
    """Put back each random layer's generator state (JSON dicts of ints): all are checked first, then
    set (unless ``check_only``), so a bad one leaves every layer as it was."""
    from neuronet.utils.random import generator_from_state
    if not states:
        return
    if not isinstance(states, dict):
        raise ModelFormatError(f"{path!r}: invalid layer_rng entry; not a model file neuronet can read or it is corrupted.")
    from neuronet.saving.save import layer_paths
    layers = [(key, layer) for key, layer in layer_paths(model) if key in states and hasattr(layer, "set_rng_state")]
    try:
        for key, layer in layers:
            generator_from_state(states[key], f"layer_rng[{key!r}]")
        for key, layer in layers if not check_only else ():
            layer.set_rng_state(states[key])
    except _CONFIG_ERRORS as exc:
        raise ModelFormatError(f"{path!r}: invalid random state ({type(exc).__name__}: {exc}); not a "
                               "model file neuronet can read or it is corrupted.") from None


def restore_optimizer_state(optimizer, state, arrays, params=None):
    """Step count and slot arrays, as ``save.optimizer_state`` wrote them (index, slot name, array key).
    ``optimizer.set_state`` checks every piece (against ``params``, the arrays it updates) before it
    assigns any, so a tampered state leaves the optimizer as it was."""
    if state is None:
        return
    optimizer.set_state(optimizer_state_from_file(state, arrays), params)


def optimizer_state_from_file(state, arrays):
    """The ``get_state()`` dict that ``save.optimizer_state`` stored as (config entry, arrays)."""
    if not isinstance(state, dict) or not isinstance(state.get("slots"), list):
        raise ValueError("the optimizer state is not a dict with a list of slots")
    slots = {}
    for entry in state["slots"]:
        index, name = entry["index"], entry["slot"]
        if isinstance(index, bool) or not isinstance(index, int) or not isinstance(name, str):
            raise ValueError(f"invalid optimizer slot entry {entry!r}")
        slots.setdefault(str(index), {})[name] = arrays[entry["key"]]
    return {"iterations": state.get("iterations"), "slots": slots}


def model_parameters(model):
    """The arrays the model's optimizer updates (its ParameterBuffer), or None before it is built."""
    return [model.parameters.values] if model.built else None


def compile_from_config(path, model, config, arrays, custom_objects=None):
    from neuronet import losses, metrics as metrics_mod, optimizers
    spec = config.get("compile")
    if spec is None:
        return
    custom = custom_objects or {}
    try:
        opt_cfg = spec["optimizer"]
        cls = custom.get(opt_cfg.get("class_name")) if isinstance(opt_cfg, dict) else None
        optimizer = cls.from_config(opt_cfg["config"]) if cls else optimizers.get(opt_cfg)
        loss = spec["loss"]
        if "loss_weights" in spec:                        # several outputs
            model.compile(optimizer=optimizer, loss=_per_output(loss, custom, losses.get),
                          loss_weights=spec["loss_weights"],
                          metrics=_per_output(spec.get("metrics"), custom, metrics_mod.get))
            restore_optimizer_state(optimizer, config.get("optimizer_state"), arrays)
            return
        if isinstance(loss, dict) and loss.get("class_name") in custom:
            loss = custom[loss["class_name"]].from_config(loss.get("config") or {})
        metric_ids = [_metric_from_config(m, custom, metrics_mod) for m in spec.get("metrics") or []]
        model.compile(optimizer=optimizer, loss=loss if isinstance(loss, str) else losses.get(loss),
                      metrics=metric_ids)
        if config.get("optimizer_state") is not None:
            restore_optimizer_state(optimizer, config["optimizer_state"], arrays, model_parameters(model))
        else:
            from neuronet.saving.keras_optimizer import keras_optimizer_state
            state = keras_optimizer_state(model, arrays)   # a file Keras wrote
            if state is not None:
                optimizer.set_state(state, model_parameters(model))
    except (ModelFormatError, UnsafeModelError):
        raise
    except _CONFIG_ERRORS as exc:
        raise ModelFormatError(f"{path!r} is not a model file neuronet can read or it is corrupted: invalid compile "
                               f"config ({type(exc).__name__}: {exc})") from None


def _per_output(value, custom, get):
    """The per-output losses or metrics save.compile_config wrote (lists, dicts by output name, names and
    {class_name, config} entries) back as compile arguments; classes from ``custom`` first."""
    if isinstance(value, list):
        return [_per_output(v, custom, get) for v in value]
    if isinstance(value, dict) and "class_name" in value:
        cls = custom.get(value["class_name"])
        return cls.from_config(dict(value.get("config") or {})) if cls else get(value)
    if isinstance(value, dict):
        return {k: _per_output(v, custom, get) for k, v in value.items()}
    return custom.get(value, value) if isinstance(value, str) else value


def _metric_from_config(metric, custom, metrics_mod):
    """A compiled metric's saved form back: a name or a class of ``custom_objects`` wins (a user function
    saved under its name, a user Metric class), then neuronet's registry."""
    if isinstance(metric, dict):
        cls = custom.get(metric.get("class_name"))
        return cls.from_config(dict(metric.get("config") or {})) if cls else metrics_mod.get(metric)
    return custom.get(metric, metric) if isinstance(metric, str) else metric


def load_model(filepath, custom_objects=None, compile=True):
    """A model saved by ``model.save`` (neuronet's or Keras'): ``.keras`` (Keras 3) or ``.h5`` (Keras 2),
    told apart by content. Architecture, weights and (with ``compile=True``) the compile configuration
    and optimizer state, so training continues exactly where it stopped.

    Raises FileNotFoundError for a missing path, ModelFormatError (a ValueError) for a file that is not
    an intact model file, UnsafeModelError (a ValueError) for pickles, paths escaping the archive, links
    and external data, size bombs or classes outside neuronet's registries.
    """
    from neuronet.saving import keras_v3, legacy_h5
    path = str(filepath)
    if check_file(filepath) == "zip":
        config, arrays = keras_v3.read_archive(filepath, custom_objects)
        return model_from_payload(config, arrays, custom_objects, compile, path)
    if not legacy_h5.is_legacy(filepath):
        raise ModelFormatError(f"{path!r} is a weights-only HDF5 file (Keras 3's .weights.h5), not a whole model; "
                               "build the model and call model.load_weights() on it.")
    config, weights, arrays = legacy_h5.read_model(filepath, custom_objects)
    budget = sum(a.nbytes for _, layer_arrays in weights for a in layer_arrays)
    return _finish(path, config, arrays, custom_objects, compile, budget,
                   lambda model: assign_layer_weights(path, model, weights))


def model_from_payload(config, arrays, custom_objects=None, compile=True, path="<in-memory model>"):
    """The model described by ``model_payload``'s (config, arrays), held in memory instead of a file
    (the scikit-learn estimators pickle through it): the same checks and steps as ``load_model``.

    Building runs under a throw-away generator, so it draws nothing from neuronet's global generator
    (a random layer's generator, drawn at build, is then replaced by its saved state).

        >>> # model = model_from_payload(*model_payload(trained))   # weights, optimizer, Dropout RNG
    """
    return _finish(path, config, arrays, custom_objects, compile, None,
                   lambda model: assign_weights(path, model, arrays))


def _finish(path, config, arrays, custom_objects, compile, budget, assign):
    from neuronet.utils.random import using_generator
    if config.get("kind") not in ("model", "backup"):
        raise ModelFormatError(f"{path!r} holds {config.get('kind')!r}, not a whole model; "
                               "use model.load_weights() for a weights file.")
    with using_generator(np.random.default_rng(0)):
        model = build_model(path, config, arrays, custom_objects, budget)
    assign(model)
    restore_layer_rng(path, model, config.get("layer_rng"))
    if compile:
        compile_from_config(path, model, config, arrays, custom_objects)
    return model


def load_weights(model, filepath):
    """Load weights into a built ``model`` from any weights or model file neuronet or Keras writes:
    ``.weights.h5`` (Keras 3), ``.keras``, or Keras 2's ``.h5`` (matched by order, as Keras does)."""
    from neuronet.saving import keras_v3, legacy_h5
    path = str(filepath)
    kind = check_file(filepath)
    if not model.built:
        raise ValueError("Load weights into a built model: build it first (give the first layer an "
                         "input_shape, or call model.build(input_shape)).")
    if kind == "hdf5" and legacy_h5.is_legacy(filepath):
        assign_layer_weights(path, model, legacy_h5.read_weights(filepath))
    else:
        assign_weights(path, model, keras_v3.read_weights(filepath))
