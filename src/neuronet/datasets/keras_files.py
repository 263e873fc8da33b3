"""``keras.datasets.mnist.load_data()`` and ``fashion_mnist.load_data()``: Keras' files, from a path you
pass or downloaded once into the cache folder (see neuronet.datasets.download).

A ``path`` that exists is read as it is -- Keras' ``mnist.npz`` (arrays x_train, y_train, x_test, y_test)
or a folder of the four IDX files. Otherwise the file is looked up in, or downloaded into, the cache folder
and its SHA-256 checked first. The ``.npz`` is read with ``allow_pickle=False``: a file can hold arrays
only, never code.
"""
from __future__ import annotations

import math
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from neuronet.datasets import download
from neuronet.datasets.idx import check_ratio, check_splits, load_mnist

_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_keras_set(name: str, path, origin: str, file_hash: str):
    """``((x_train, y_train), (x_test, y_test))`` of set ``name`` from ``path`` when it exists, else from
    the cache folder's copy of ``path`` (downloaded from ``origin`` and checked against ``file_hash``)."""
    given = Path(os.path.expanduser(os.fspath(path)))
    if given.exists():
        return _read(given)
    if given.is_absolute():
        raise FileNotFoundError(f"{name}.load_data() found no file at '{given}'. Pass the path of Keras' "
                                f"{given.name}, or no path to download it into '{download.cache_dir()}'.")
    return _read(download.get_file(os.fspath(path), origin, file_hash, what=f"{name} ({given.name})"))


def _read(target: Path):
    if target.is_dir():
        return load_mnist(target)
    try:
        with zipfile.ZipFile(target) as archive:
            members = {name[:-4]: archive.getinfo(name) for name in archive.namelist() if name.endswith(".npy")}
            missing = [k for k in _NPZ_KEYS if k not in members]
            if missing:
                raise ValueError(f"'{target}' is an .npz without the array(s) {missing}; Keras' files hold "
                                 f"{list(_NPZ_KEYS)} (it has {sorted(members)}).")
            arrays = {k: _read_member(archive, members[k], target) for k in _NPZ_KEYS}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as error:
        raise ValueError(f"'{target}' is not a readable .npz file ({error}). Pass Keras' mnist.npz or a "
                         "folder of the four IDX files.") from None
    return check_splits(arrays, target)


def _read_member(archive, info, target):
    """One .npy member, its header checked before anything is allocated: plain dtypes only (an object
    array would need pickle), no more bytes declared than the member holds, and no more than
    ``check_ratio`` allows for its compressed size."""
    with archive.open(info) as handle:
        try:
            version = np.lib.format.read_magic(handle)
            reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
                np.lib.format.read_array_header_2_0
            shape, fortran_order, dtype = reader(handle)
        except (ValueError, SyntaxError, TypeError) as error:
            raise ValueError(f"'{target}': {info.filename} is not a valid .npy array ({error}).") from None
        if dtype.hasobject:
            raise ValueError(f"'{target}': {info.filename} holds pickled objects; neuronet loads plain "
                             "arrays only (pickle can run code). Save the arrays with np.savez instead.")
        nbytes = math.prod(shape) * dtype.itemsize
        check_ratio(target, info.filename, nbytes, info.compress_size)
        if nbytes > info.file_size:
            raise ValueError(f"'{target}': {info.filename} declares shape {shape} ({nbytes} bytes) but the "
                             f"file holds {info.file_size} bytes; it is damaged or truncated.")
        data = handle.read(nbytes)
    if len(data) != nbytes:
        raise ValueError(f"'{target}': {info.filename} ends after {len(data)} of {nbytes} bytes; it is "
                         "damaged or truncated.")
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran_order else "C").copy()
