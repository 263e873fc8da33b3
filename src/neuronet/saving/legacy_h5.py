"""Keras 2's HDF5 model file (``model.save("my_ann_model.h5")``), which ``keras.models.load_model``
still reads, and its weights-only variant.

    attrs        keras_version, backend, model_config (JSON: {"class_name": "Sequential", "config":
                 {...}} in Keras 2's schema: no module, dtype as a string), training_config (JSON: loss,
                 metrics, loss_weights, optimizer_config)
    model_weights/            attrs layer_names (byte strings), backend, keras_version
        <layer name>/         attrs weight_names ("dense/kernel:0", ...), one dataset per name
    optimizer_weights/        attrs weight_names; Keras 3's optimizer variables in order
    neuronet_config, neuronet_state/   neuronet's own state (Keras ignores them)

A weights-only file (``save_weights("w.h5")``) is ``model_weights``' content at the file's root.

    >>> # model.save("my_ann_model.h5"); model = load_model("my_ann_model.h5")
"""
from __future__ import annotations

import io
import json
import os

from neuronet.saving import hdf5
from neuronet.saving.format import MAX_CONFIG_BYTES, atomic_write, check_file, corrupted, reading_errors
from neuronet.saving.keras_config import compile_to_keras, to_keras
from neuronet.saving.keras_v3 import FORMAT_VERSION, is_keras_key, payload_from_keras

KERAS_VERSION = "2.15.0"


def legacy_schema(obj):
    """Keras 3's schema as Keras 2 wrote it: no module/registered_name, a dtype policy as its name, an
    InputLayer's batch_shape as batch_input_shape."""
    if isinstance(obj, list):
        return [legacy_schema(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if obj.get("class_name") == "DTypePolicy":
        return obj["config"]["name"]
    out = {k: legacy_schema(v) for k, v in obj.items() if k not in ("module", "registered_name")}
    if out.get("class_name") == "InputLayer" and "batch_shape" in out.get("config", {}):
        out["config"]["batch_input_shape"] = out["config"].pop("batch_shape")
    return out


def _layer_groups(group, model):
    """Each layer's weights under ``group`` as Keras 2 writes them (sorted by layer name)."""
    group.attrs["layer_names"] = hdf5.string_list([layer.name for layer in model.layers])
    group.attrs["backend"] = b"numpy"
    group.attrs["keras_version"] = KERAS_VERSION.encode()
    from neuronet.saving.save import leaf_layers
    for layer in sorted(model.layers, key=lambda l: l.name):
        sub = group.create_group(layer.name)
        leaves = list(leaf_layers([layer]))     # a nested model's weights are its layers', in order
        names = [f"{leaf.name}/{key}:0" for leaf in leaves for key in [*leaf.params, *leaf.states]]
        values = [w for leaf in leaves for w in leaf.weights]
        sub.attrs["weight_names"] = hdf5.string_list(names)
        for name, value in zip(names, values):
            sub.create_dataset(name, data=value)


def _write(path, fill):
    h5py = hdf5.h5py_module()
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        fill(f)
    data = buf.getvalue()
    atomic_write(path, lambda fh: fh.write(data))


def write_model(path, config, arrays, model):
    """A payload (``save.model_payload``) and its model as Keras 2's HDF5 model file, atomically."""
    dtype = config.get("dtype") or "float32"

    def fill(f):
        f.attrs["keras_version"] = KERAS_VERSION
        f.attrs["backend"] = "numpy"
        f.attrs["model_config"] = json.dumps(legacy_schema(to_keras(config["model"], "model", dtype))).encode()
        if config.get("compile") is not None:
            training = legacy_schema(compile_to_keras(config["compile"], dtype))
            training["optimizer_config"] = training.pop("optimizer")
            f.attrs["training_config"] = json.dumps(training).encode()
        if model.built:
            _layer_groups(f.create_group("model_weights"), model)
        optimizer = sorted((k for k in arrays if k.startswith("optimizer/vars/")), key=lambda k: int(k.rsplit("/", 1)[1]))
        if optimizer:
            group = f.create_group("optimizer_weights")
            names = [f"optimizer/variable_{k.rsplit('/', 1)[1]}" for k in optimizer]
            group.attrs["weight_names"] = hdf5.string_list(names)
            for name, key in zip(names, optimizer):
                group.create_dataset(name, data=arrays[key])
        extra = {"format": "neuronet", "format_version": FORMAT_VERSION,
                 **{k: v for k, v in config.items() if k not in ("model", "compile")}}
        f.attrs["neuronet_config"] = json.dumps(extra, allow_nan=True).encode()
        extra_arrays = {k: v for k, v in arrays.items() if not is_keras_key(k)}
        if extra_arrays:
            hdf5.write_arrays(f.create_group("neuronet_state"), extra_arrays)
    _write(path, fill)


def write_weights(path, model):
    """Keras 2's weights-only HDF5 file (``model.save_weights("w.h5")``)."""
    _write(path, lambda f: _layer_groups(f, model))


def _json_attr(f, name, path):
    text = hdf5.read_text_attr(f.attrs, name, path, MAX_CONFIG_BYTES)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise corrupted(path, f"attribute {name!r} is not valid JSON ({type(exc).__name__})") from None
    if not isinstance(value, dict):
        raise corrupted(path, f"attribute {name!r} is not a JSON object")
    return value


def layer_weights(group, path, limit):
    """[(layer name, [arrays])] in ``layer_names`` order, skipping layers without weights, as Keras' loader
    matches them to the model's layers that have weights."""
    names = hdf5.read_string_list(group.attrs, "layer_names", path)
    arrays = hdf5.read_arrays(group, path, limit)
    out = []
    for name in names:
        if name not in group:
            raise corrupted(path, f"layer {name!r} is listed in layer_names but has no group")
        weight_names = hdf5.read_string_list(group[name].attrs, "weight_names", path)
        missing = [w for w in weight_names if f"{name}/{w}" not in arrays]
        if missing:
            raise corrupted(path, f"layer {name!r} lists weights {missing[:3]} that are not in the file")
        if weight_names:
            out.append((name, [arrays[f"{name}/{w}"] for w in weight_names]))
    return out


def read_model(path, custom_objects=None):
    """(config, layer weights) from Keras 2's HDF5 model file: the payload config and
    [(layer name, [arrays])] (neuronet's own state arrays under the payload's keys)."""
    path = os.fspath(path)
    if check_file(path) != "hdf5":
        raise corrupted(path, "it is not an HDF5 file")
    h5py = hdf5.h5py_module()
    limit = os.path.getsize(path)
    with reading_errors(path), h5py.File(path, "r") as f:
        spec = _json_attr(f, "model_config", path)
        if spec is None:
            raise corrupted(path, "no model_config attribute: a weights file? Use model.load_weights() for it")
        training = _json_attr(f, "training_config", path)
        extra = _json_attr(f, "neuronet_config", path) or {}
        if "model_weights" not in f:
            raise corrupted(path, "no model_weights group")
        weights = layer_weights(f["model_weights"], path, limit)
        arrays = {}
        if "neuronet_state" in f:
            arrays.update(hdf5.read_arrays(f["neuronet_state"], path, limit))
        if "optimizer_weights" in f:
            group = f["optimizer_weights"]
            opt = hdf5.read_arrays(group, path, limit)
            names = hdf5.read_string_list(group.attrs, "weight_names", path)
            if all(n in opt for n in names):
                arrays.update({f"optimizer/vars/{i}": opt[n] for i, n in enumerate(names)})
        if isinstance(training, dict) and "optimizer_config" in training:
            training["optimizer"] = training.pop("optimizer_config")
        spec = {**spec, "compile_config": training}
        config, arrays = payload_from_keras(path, spec, extra, arrays, custom_objects)
    return config, weights, arrays


def read_weights(path):
    """[(layer name, [arrays])] from Keras 2's weights-only file (or a whole-model .h5 file)."""
    h5py = hdf5.h5py_module()
    with reading_errors(path), h5py.File(path, "r") as f:
        group = f["model_weights"] if "model_weights" in f else f
        return layer_weights(group, path, os.path.getsize(path))


def is_legacy(path):
    """True for an HDF5 file in Keras 2's layout (a layer_names attribute or a model_weights group)."""
    h5py = hdf5.h5py_module()
    with reading_errors(path), h5py.File(path, "r") as f:
        return "model_weights" in f or "layer_names" in f.attrs


__all__ = ["write_model", "write_weights", "read_model", "read_weights", "is_legacy", "legacy_schema",
           "layer_weights"]
