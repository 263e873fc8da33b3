"""HDF5 through h5py, for the two Keras layouts: arrays out of a file after checking every object, and
arrays into a new file.

Reading walks the file's groups itself: soft and external links, external and virtual datasets, and
any dtype but plain numbers are refused; every dataset's declared size is added up (and compared with
the bytes it stores when compressed) before one is read. Parsing the file's structure is libhdf5's
work, not neuronet's: see docs/saving.md for what that means for files from untrusted sources.

    >>> import io, numpy as np, h5py
    >>> buf = io.BytesIO()
    >>> with h5py.File(buf, "w") as f:
    ...     write_arrays(f, {"layers/dense/vars/0": np.ones((2, 3), "float32")})
    >>> with h5py.File(buf, "r") as f:
    ...     {k: v.shape for k, v in read_arrays(f, "<memory>", limit=10**6).items()}
    {'layers/dense/vars/0': (2, 3)}
"""
from __future__ import annotations

import numpy as np

from neuronet.exceptions import UnsafeModelError
from neuronet.saving.format import ALLOWED_DTYPES, corrupted

MAX_DEPTH = 32
MAX_OBJECTS = 100_000
MAX_EXPANSION = 100          # declared bytes per stored byte of a compressed dataset


def h5py_module():
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency of the saving extra
        raise ImportError("Reading and writing .keras and .h5 model files needs h5py: pip install "
                          "'neuronet[h5]' (or pip install h5py).") from None
    return h5py


def datasets(group, path, prefix="", depth=0, found=None):
    """{name: h5py.Dataset} of every dataset under ``group``, each checked (links, external storage,
    dtype); nothing is read yet."""
    h5py = h5py_module()
    found = {} if found is None else found
    if depth > MAX_DEPTH:
        raise corrupted(path, "HDF5 groups nested too deeply")
    for name in group:
        if len(found) > MAX_OBJECTS:
            raise corrupted(path, "too many HDF5 objects")
        link = group.get(name, getlink=True)
        full = f"{prefix}{name}"
        if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)):
            raise UnsafeModelError(f"{path!r}: HDF5 object {full!r} is a {type(link).__name__}; refused (a link "
                                   "can point outside the file).")
        obj = group[name]
        if isinstance(obj, h5py.Group):
            datasets(obj, path, full + "/", depth + 1, found)
            continue
        if not isinstance(obj, h5py.Dataset):
            raise corrupted(path, f"HDF5 object {full!r} is neither a group nor a dataset")
        if obj.external or obj.is_virtual:
            raise UnsafeModelError(f"{path!r}: HDF5 dataset {full!r} keeps its data outside the file "
                                   "(external or virtual); refused.")
        if obj.dtype.name not in ALLOWED_DTYPES or obj.dtype.hasobject:
            raise UnsafeModelError(f"{path!r}: HDF5 dataset {full!r} has dtype {obj.dtype}; only plain numeric "
                                   f"dtypes are accepted ({', '.join(sorted(ALLOWED_DTYPES))}); refused.")
        found[full] = obj
    return found


def declared_bytes(dataset) -> int:
    return int(np.prod(dataset.shape, dtype=object) if dataset.shape else 1) * dataset.dtype.itemsize


def read_arrays(group, path, limit, prefix=""):
    """{name: ndarray} of every dataset under ``group`` once all are checked and their declared
    sizes together stay within ``limit`` bytes (a compressed one may not expand beyond MAX_EXPANSION
    times what it stores)."""
    found = datasets(group, path, prefix)
    total = 0
    for name, ds in found.items():
        size = declared_bytes(ds)
        total += size
        if total > limit:
            raise UnsafeModelError(f"{path!r} declares {total} bytes of arrays, more than the limit of {limit} "
                                   "(the file's own size); refused before allocating.")
        if ds.compression is not None and size > 2**20 and size > MAX_EXPANSION * max(ds.id.get_storage_size(), 1):
            raise UnsafeModelError(f"{path!r}: HDF5 dataset {name!r} declares {size} bytes but stores "
                                   f"{ds.id.get_storage_size()} (a decompression bomb?); refused.")
    return {name: np.asarray(ds[()]) for name, ds in found.items()}


def write_arrays(group, arrays):
    """Each ``{"a/b/c": array}`` as dataset ``c`` in group ``a/b`` (groups made as needed)."""
    for name, value in arrays.items():
        group.create_dataset(name, data=np.ascontiguousarray(value))


def string_list(values):
    """A list of names as Keras stores it in an attribute: an array of UTF-8 byte strings (an empty
    list as an empty float array, as h5py writes [])."""
    return np.array([v.encode("utf-8") for v in values]) if values else np.zeros((0,))


def read_string_list(attrs, name, path):
    """A list attribute written by ``string_list`` (or Keras' chunked ``name0``, ``name1``, ...)."""
    if name in attrs:
        raw = [attrs[name]]
    else:
        raw, i = [], 0
        while f"{name}{i}" in attrs and i < MAX_OBJECTS:
            raw.append(attrs[f"{name}{i}"])
            i += 1
    out = []
    for chunk in raw:
        for item in np.atleast_1d(np.asarray(chunk)).tolist():
            if isinstance(item, bytes):
                item = item.decode("utf-8")
            if not isinstance(item, str):
                raise corrupted(path, f"attribute {name!r} holds {item!r}, not names")
            out.append(item)
    return out


def read_text_attr(attrs, name, path, limit):
    """A JSON text attribute (bytes or str), at most ``limit`` bytes; None if absent."""
    if name not in attrs:
        return None
    value = attrs[name]
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if not isinstance(value, str):
        raise corrupted(path, f"attribute {name!r} is not text")
    if len(value) > limit:
        raise UnsafeModelError(f"{path!r}: attribute {name!r} holds {len(value)} characters, more than the "
                               f"{limit} allowed; refused.")
    return value


__all__ = ["datasets", "read_arrays", "write_arrays", "string_list", "read_string_list", "read_text_attr",
           "declared_bytes"]
