"""Keras 3's ``.keras`` file: a zip archive that Keras' ``keras.models.load_model`` opens, and neuronet
opens Keras' own.

    metadata.json        {"keras_version": ..., "date_saved": ...}
    config.json          the model in Keras' serialization schema (module, class_name, config,
                         registered_name, build_config, compile_config): see keras_config.py
    model.weights.h5     HDF5: ``layers/<snake_case class>/vars/<i>`` per weight, in the layer's order
                         (Dense: 0 kernel, 1 bias); ``optimizer/vars/<i>``: iterations, learning_rate,
                         then the slots (SGD, Adam, RMSprop)
    neuronet.json        neuronet's own state, which Keras ignores: format version, kind, each random
                         layer's generator state, the optimizer's slots in neuronet's layout,
                         BackupAndRestore's fit state
    neuronet.state.h5    the arrays of that state (when there are any)

Keras' other weights variant, ``model.weights.npz``, stores object arrays that only pickle can read: it
is refused with a message to re-save with h5 weights.

    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "w.keras")
    >>> cfg = {"kind": "model", "model": {"class_name": "Sequential", "config": {"name": "s", "layers": []}}}
    >>> write_archive(path, cfg, {"layers/dense/vars/0": np.ones(3, "float32")})
    >>> read_archive(path)[1]["layers/dense/vars/0"]
    array([1., 1., 1.], dtype=float32)
"""
from __future__ import annotations

import datetime
import io
import json
import os
import re
import zipfile

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.saving import hdf5
from neuronet.saving.format import (MAX_CONFIG_BYTES, MAX_TOTAL_BYTES, SafeZip, atomic_write, check_file,
                                    corrupted, reading_errors)
from neuronet.saving.keras_config import compile_to_keras, to_keras
from neuronet.saving.keras_reader import Reader

KERAS_VERSION = "3.5.0"         # the Keras file layout these files follow
FORMAT_VERSION = 2              # neuronet.json's own version
CONFIG, METADATA, WEIGHTS, NPZ_WEIGHTS = "config.json", "metadata.json", "model.weights.h5", "model.weights.npz"
EXTRA, EXTRA_ARRAYS = "neuronet.json", "neuronet.state.h5"
_KERAS_KEY = re.compile(r"^(?:.+/)?vars/\d+$")


def is_keras_key(key):
    """True for the arrays Keras' weights file holds (``layers/dense/vars/0``, ``optimizer/vars/3``)."""
    return bool(_KERAS_KEY.match(key))


def _h5_bytes(arrays, root_name=None):
    h5py = hdf5.h5py_module()
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        top = f.create_group("vars")
        if root_name is not None:
            top.attrs["name"] = root_name
        hdf5.write_arrays(f, arrays)
    return buf.getvalue()


def keras_config(config):
    """config.json's content for a payload's config."""
    dtype = config.get("dtype") or "float32"
    spec = to_keras(config["model"], "model", dtype)
    shape = config["model"]["config"].get("input_shape")
    if shape is not None:
        spec["build_config"] = {"input_shape": [None, *shape]}
    if config.get("compile") is not None:
        spec["compile_config"] = compile_to_keras(config["compile"], dtype)
    return spec


def write_archive(path, config: dict, arrays: dict) -> None:
    """Write a payload (``save.model_payload``'s config and arrays) as a ``.keras`` file, atomically."""
    from neuronet import __version__
    keras_arrays = {k: v for k, v in arrays.items() if is_keras_key(k)}
    extra_arrays = {k: v for k, v in arrays.items() if not is_keras_key(k)}
    extra = {"format": "neuronet", "format_version": FORMAT_VERSION,
             **{k: v for k, v in config.items() if k not in ("model", "compile")}}
    metadata = {"keras_version": KERAS_VERSION, "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
                "producer": f"neuronet {__version__}"}
    members = [(METADATA, json.dumps(metadata).encode()), (CONFIG, json.dumps(keras_config(config)).encode()),
               (WEIGHTS, _h5_bytes(keras_arrays, config["model"]["config"].get("name"))),
               (EXTRA, json.dumps(extra, allow_nan=True).encode())]
    if extra_arrays:
        members.append((EXTRA_ARRAYS, _h5_bytes(extra_arrays)))

    def write(fh):
        with zipfile.ZipFile(fh, "w") as zf:
            for name, data in members:
                zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if name.endswith(".h5")
                            else zipfile.ZIP_DEFLATED)
    atomic_write(path, write)


def _json(path, text, what):
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise corrupted(path, f"{what} is not valid JSON ({type(exc).__name__}: {exc})") from None
    if not isinstance(value, dict):
        raise corrupted(path, f"{what} is not a JSON object")
    return value


def _h5_arrays(path, data, limit):
    h5py = hdf5.h5py_module()
    with h5py.File(io.BytesIO(data), "r") as f:
        return hdf5.read_arrays(f, path, limit=min(limit, len(data)))


def read_archive(path, custom_objects=None):
    """(config, arrays) in neuronet's payload form from a ``.keras`` file, written by neuronet or by
    Keras 3. Every name passes the registries' allow-list and every array is checked before it is
    read; FileNotFoundError, ModelFormatError or UnsafeModelError otherwise."""
    path = os.fspath(path)
    if check_file(path) != "zip":
        raise corrupted(path, "it is an HDF5 file, not a .keras zip archive")
    with open(path, "rb") as fh, reading_errors(path):
        archive = SafeZip(path, fh)
        if CONFIG not in archive:
            raise corrupted(path, f"no {CONFIG} in the archive")
        if WEIGHTS not in archive and NPZ_WEIGHTS in archive:
            raise UnsafeModelError(f"{path!r} stores its weights as {NPZ_WEIGHTS}, whose object arrays only "
                                   "pickle can read; neuronet never unpickles. Re-save it in Keras with h5 "
                                   "weights: model.save('model.keras') (the default weights_format='h5').")
        spec = _json(path, archive.read(CONFIG, MAX_CONFIG_BYTES).decode("utf-8"), CONFIG)
        extra = _json(path, archive.read(EXTRA, MAX_CONFIG_BYTES).decode("utf-8"), EXTRA) \
            if EXTRA in archive else {}
        arrays = _h5_arrays(path, archive.read(WEIGHTS, MAX_TOTAL_BYTES), MAX_TOTAL_BYTES) \
            if WEIGHTS in archive else {}
        if EXTRA_ARRAYS in archive:
            arrays.update(_h5_arrays(path, archive.read(EXTRA_ARRAYS, MAX_TOTAL_BYTES), MAX_TOTAL_BYTES))
        return payload_from_keras(path, spec, extra, arrays, custom_objects)


def payload_from_keras(path, spec, extra, arrays, custom_objects=None):
    """The payload of a Keras-schema model config, neuronet's extra state and the arrays."""
    version = extra.get("format_version", FORMAT_VERSION)
    if extra and (extra.get("format") != "neuronet" or isinstance(version, bool) or not isinstance(version, int)):
        raise corrupted(path, f"{EXTRA} does not declare a valid neuronet format version")
    if version > FORMAT_VERSION:
        raise ModelFormatError(f"{path!r} was written in neuronet format version {version}, newer than the "
                               f"version {FORMAT_VERSION} this neuronet reads; upgrade neuronet.")
    reader = Reader(path, custom_objects)
    model = reader.read(spec, "model")
    compile_spec = reader.compile(spec.get("compile_config"))
    config = {k: v for k, v in extra.items() if k not in ("format", "format_version")}
    config.update({"model": model, "compile": compile_spec})
    config.setdefault("kind", "model")
    config["dtype"] = config.get("dtype") or reader.dtype or "float32"
    return config, arrays


def write_weights(path, arrays, name=None):
    """Keras 3's weights-only file (``model.save_weights("x.weights.h5")``): the HDF5 file that is
    ``model.weights.h5`` inside a ``.keras`` archive."""
    data = _h5_bytes(arrays, name)
    atomic_write(path, lambda fh: fh.write(data))


def read_weights(path):
    """{key: array} from a Keras 3 weights file (HDF5) or a ``.keras`` archive."""
    path = os.fspath(path)
    if check_file(path) == "zip":
        return read_archive(path)[1]
    h5py = hdf5.h5py_module()
    with reading_errors(path), h5py.File(path, "r") as f:
        return hdf5.read_arrays(f, path, limit=os.path.getsize(path))


__all__ = ["write_archive", "read_archive", "write_weights", "read_weights", "keras_config", "is_keras_key",
           "payload_from_keras", "KERAS_VERSION", "FORMAT_VERSION"]
