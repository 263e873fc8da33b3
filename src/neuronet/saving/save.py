"""Saving a whole model (architecture, weights, compile configuration, optimizer state) or its weights.

``model.save(path)`` picks the format by extension, as Keras 3 does: ``.h5``/``.hdf5`` write Keras 2's
HDF5 file, ``.keras`` (and, unlike Keras, any other name) Keras 3's zip. Both load in Keras as well.

    >>> # model.save("my_ann_model.h5")        # Keras 2's HDF5 format
    >>> # model.save("my_ann_model.keras")     # Keras 3's format
    >>> # model = neuronet.models.load_model("my_ann_model.h5")

The in-memory form of a model, shared by both formats, BackupAndRestore and the scikit-learn estimators'
pickling, is ``model_payload``'s (config, arrays): a JSON-safe config in neuronet's schema and the
arrays keyed as Keras 3 stores them (``layers/dense/vars/0``; neuronet's own state under ``neuronet/``).
"""
from __future__ import annotations

import os

import numpy as np

from neuronet.utils.naming import to_snake_case

def weight_paths(model, prefix="layers"):
    """(path, layer) pairs in Keras 3's weights layout: ``layers/<snake_case class name>`` numbered
    ``_1``, ``_2`` in order within one model (not the layer's own name, which is not reproducible); a
    layer holding layers (a nested model) continues with ``<path>/layers/...``."""
    used, out = {}, []
    for layer in model.layers:
        base = to_snake_case(type(layer).__name__)
        used[base] = used.get(base, -1) + 1
        path = f"{prefix}/{base}" + (f"_{used[base]}" if used[base] else "")
        out.append((path, layer))
        if hasattr(layer, "layers"):
            out.extend(weight_paths(layer, f"{path}/layers"))
    return out


def leaf_layers(layers):
    """The layers of ``layers`` with every nested model (a layer that has ``layers``) replaced by its own."""
    for layer in layers:
        if hasattr(layer, "layers"):
            yield from leaf_layers(layer.layers)
        else:
            yield layer


def weight_keys(model):
    """[(key, live array)] of every weight, in ``model.weights`` order, keyed as Keras 3 stores them."""
    return [(f"{path}/vars/{i}", w) for path, layer in weight_paths(model) if not hasattr(layer, "layers")
            for i, w in enumerate(layer.weights)]


def compile_config(model):
    """The compile arguments as the user gave them (names stay names), with the optimizer's current
    hyper-parameters; None for an uncompiled model."""
    if model.optimizer is None or model.loss is None:
        return None
    from neuronet import losses, metrics as metrics_mod, optimizers
    args = model.get_compile_config() or {}
    if not hasattr(model.loss, "get_config"):             # several outputs: per-output losses and metrics
        return {"optimizer": optimizers.serialize(model.optimizer),
                "loss": _per_output(args.get("loss"), losses.serialize),
                "metrics": _per_output(args.get("metrics"), metrics_mod.serialize),
                "loss_weights": args.get("loss_weights")}
    loss_id = args.get("loss")
    loss = loss_id if isinstance(loss_id, str) else losses.serialize(model.loss)
    metric_ids = []
    for given, metric in zip(args.get("metrics") or [], model.compiled_metrics):
        metric_ids.append(given if isinstance(given, str) else metrics_mod.serialize(metric))
    return {"optimizer": optimizers.serialize(model.optimizer), "loss": loss, "metrics": metric_ids}


def _per_output(value, serialize):
    """compile's per-output arguments (a list or a dict by output name, nested for metrics) as JSON: names
    stay names, objects become their {class_name, config}."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return [_per_output(v, serialize) for v in value]
    if isinstance(value, dict):
        return {str(k): _per_output(v, serialize) for k, v in value.items()}
    return serialize(value)


def layer_paths(model, prefix=""):
    """(key, layer) for every layer of ``model``, nested models' layers included: a top-level layer's key is
    its name, a nested one's the path of names ('inner/dropout'), unique even where names repeat."""
    for layer in model.layers:
        if hasattr(layer, "layers") and hasattr(layer, "graph"):
            yield from layer_paths(layer, f"{prefix}{layer.name}/")
        else:
            yield f"{prefix}{layer.name}", layer


def optimizer_state(optimizer, arrays: dict, prefix="neuronet/optimizer"):
    """Step count in the returned dict; slot arrays added to ``arrays`` as '<prefix>/<i>/<slot>'."""
    state = optimizer.get_state()
    slots = []
    for index, named in state["slots"].items():
        for name, value in named.items():
            key = f"{prefix}/{index}/{name}"
            arrays[key] = value
            slots.append({"index": int(index), "slot": name, "key": key})
    return {"iterations": int(state["iterations"]), "slots": slots}


def model_payload(model, include_optimizer=True):
    """(config, arrays) describing ``model`` completely; shared by both file formats, BackupAndRestore
    and the scikit-learn estimators' pickling."""
    arrays = {key: w.copy() for key, w in weight_keys(model)} if model.built else {}
    config = {"kind": "model",
              "model": {"class_name": type(model).__name__, "config": model.get_config()},
              "dtype": np.dtype(model.dtype).name if model.built else None,
              "compile": compile_config(model)}
    rng = {key: l.get_rng_state() for key, l in layer_paths(model) if hasattr(l, "get_rng_state")} \
        if model.built else {}
    if rng:
        config["layer_rng"] = rng  # Dropout's generator: fit after load draws the same masks
    if include_optimizer and config["compile"] is not None:
        config["optimizer_state"] = optimizer_state(model.optimizer, arrays)
        from neuronet.saving.keras_optimizer import keras_optimizer_arrays
        arrays.update(keras_optimizer_arrays(model))
    return config, arrays


def is_hdf5_name(filepath):
    return os.fspath(filepath).lower().endswith((".h5", ".hdf5"))


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """Save ``model`` to ``filepath``: Keras 2's HDF5 file for ``.h5``/``.hdf5``, else Keras 3's
    ``.keras`` zip; atomically, so an interrupted save leaves the previous file intact."""
    from neuronet.saving import keras_v3, legacy_h5
    _check_overwrite(filepath, overwrite)
    config, arrays = model_payload(model, include_optimizer)
    if is_hdf5_name(filepath):
        legacy_h5.write_model(filepath, config, arrays, model)
    else:
        keras_v3.write_archive(filepath, config, arrays)


def save_weights(model, filepath, overwrite=True):
    """Save only the weights: Keras 3's weights file (``.weights.h5``, and any name not ending in .h5),
    or Keras 2's (another ``.h5``/``.hdf5`` name), which Keras' ``load_weights`` reads as well."""
    from neuronet.saving import keras_v3, legacy_h5
    if not model.built:
        raise ValueError("This model has not yet been built, so it has no weights to save: build it first.")
    _check_overwrite(filepath, overwrite)
    name = os.fspath(filepath).lower()
    if is_hdf5_name(name) and not name.endswith(".weights.h5"):
        legacy_h5.write_weights(filepath, model)
    else:
        keras_v3.write_weights(filepath, {key: w for key, w in weight_keys(model)}, model.name)


def _check_overwrite(filepath, overwrite):
    if not overwrite and os.path.exists(os.fspath(filepath)):
        raise FileExistsError(17, "Refusing to overwrite an existing file (overwrite=False)", os.fspath(filepath))
