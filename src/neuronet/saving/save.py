"""Saving a whole model (architecture, weights, compile configuration, optimizer state) or its weights.

    >>> # model.save("my_ann_model.h5")   # a neuronet zip archive whatever the extension (not HDF5)
    >>> # model = neuronet.models.load_model("my_ann_model.h5")
"""
from __future__ import annotations

import numpy as np

from neuronet.saving.format import write_archive


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


def optimizer_state(optimizer, arrays: dict, prefix="optimizer"):
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
    """(config, arrays) describing ``model`` completely; shared by save_model and BackupAndRestore."""
    arrays = {f"weights/{i}": w for i, w in enumerate(model.get_weights())} if model.built else {}
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
    return config, arrays


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """Save ``model`` to ``filepath`` as one neuronet archive (zip of config.json + .npy arrays),
    atomically: an interrupted save leaves the previous file intact."""
    _check_overwrite(filepath, overwrite)
    config, arrays = model_payload(model, include_optimizer)
    write_archive(filepath, config, arrays)


def save_weights(model, filepath, overwrite=True):
    """Save only the weights (in ``model.get_weights()`` order) with the layer names they belong to."""
    if not model.built:
        raise ValueError("This model has not yet been built, so it has no weights to save: build it first.")
    _check_overwrite(filepath, overwrite)
    layers = [{"name": layer.name, "shapes": [list(w.shape) for w in layer.weights]} for layer in model.layers]
    arrays = {f"weights/{i}": w for i, w in enumerate(model.get_weights())}
    write_archive(filepath, {"kind": "weights", "layers": layers}, arrays)


def _check_overwrite(filepath, overwrite):
    import os
    if not overwrite and os.path.exists(os.fspath(filepath)):
        raise FileExistsError(17, "Refusing to overwrite an existing file (overwrite=False)", os.fspath(filepath))
