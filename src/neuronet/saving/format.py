"""The neuronet file format: a zip archive holding ``config.json`` and ``arrays/<i>.npy``.

    config.json   {"format": "neuronet", "format_version": 1, "kind": "model" | "weights" | "backup",
                   ..., "arrays": [{"key": "weights/0", "shape": [13, 64], "dtype": "float32"}, ...]}
    arrays/i.npy  the i-th array of the manifest, written by ``np.save(allow_pickle=False)``, stored
                  uncompressed

The file is the same whatever the extension (``model.save("my_ann_model.h5")`` writes this zip, not
HDF5). Writing is atomic: a temporary file in the target's folder, flush, fsync, ``os.replace``.
Reading trusts nothing: member names, sizes, compression ratios, the .npy headers (shape, dtype,
object arrays) are checked against the manifest and size limits before any array is allocated; no
pickle, marshal, eval or exec is ever used.

    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.neuronet")
    >>> write_archive(path, {"kind": "weights"}, {"w": np.ones(3, "float32")})
    >>> cfg, arrays = read_archive(path)
    >>> cfg["kind"], arrays["w"]
    ('weights', array([1., 1., 1.], dtype=float32))
"""
from __future__ import annotations

import errno
import json
import os
import stat
import zipfile

import numpy as np

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.utils.atomic import atomic_write

FORMAT_NAME = "neuronet"
FORMAT_VERSION = 1
CONFIG_MEMBER = "config.json"
MAX_CONFIG_BYTES = 16 * 2**20          # a config larger than this is refused
MAX_TOTAL_BYTES = 16 * 2**30           # all arrays together, as declared
MAX_COMPRESSION_RATIO = 200            # per member (we store arrays uncompressed)
MAX_ARRAYS = 100_000
ALLOWED_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                  "float16", "float32", "float64"}
_PICKLE_START = tuple(bytes([0x80, p]) for p in range(2, 6))
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


# ---- writing ------------------------------------------------------------------------------------------
def write_archive(path, config: dict, arrays: dict) -> None:
    """Write ``config`` (JSON-safe) and named ``arrays`` to ``path`` atomically; OSError names ``path``."""
    path = os.fspath(path)
    manifest, members = [], []
    for i, (key, value) in enumerate(arrays.items()):
        arr = np.ascontiguousarray(value)
        if arr.dtype.name not in ALLOWED_DTYPES:
            raise TypeError(f"Cannot save array {key!r} of dtype {arr.dtype}; accepted: {sorted(ALLOWED_DTYPES)}.")
        manifest.append({"key": key, "shape": list(arr.shape), "dtype": arr.dtype.name})
        members.append((f"arrays/{i}.npy", arr))
    full = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, **config, "arrays": manifest}
    text = json.dumps(full, indent=1, allow_nan=True).encode("utf-8")

    def write(fh):
        with zipfile.ZipFile(fh, "w") as zf:
            zf.writestr(CONFIG_MEMBER, text, compress_type=zipfile.ZIP_DEFLATED)
            for name, arr in members:
                with zf.open(zipfile.ZipInfo(name), "w", force_zip64=arr.nbytes > 2**30) as out:
                    np.save(out, arr, allow_pickle=False)
    atomic_write(path, write)


# ---- reading ------------------------------------------------------------------------------------------
def _corrupted(path, why) -> ModelFormatError:
    return ModelFormatError(f"{path!r} is not a neuronet model file or corrupted: {why}")


def _cwd() -> str:
    """The current folder, quoted, for a message; it can itself be gone (removed after a chdir into it)."""
    try:
        return repr(os.getcwd())
    except OSError as exc:
        return f"which is unavailable: {exc.strerror}"


def read_archive(path, max_total_bytes: int = MAX_TOTAL_BYTES):
    """(config, {key: array}) from a file written by write_archive; every check happens before any
    array is allocated. Raises FileNotFoundError for a missing path, ModelFormatError for anything that
    is not an intact neuronet file and UnsafeModelError for a file that tries to escape or exhaust."""
    path = os.fspath(path)
    if not os.path.exists(path):
        where = "" if os.path.isabs(path) else f" (a relative path starts in the current folder, {_cwd()})"
        raise FileNotFoundError(errno.ENOENT, f"No model file at {path!r}: nothing exists there. Check the "
                                f"path{where}, or write the model first with model.save(path).")
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head.startswith(_PICKLE_START):
            raise UnsafeModelError(f"{path!r} is a Python pickle, which can run arbitrary code when loaded; "
                                   "neuronet never unpickles. Not a neuronet model file.")
        if head.startswith(_HDF5_SIGNATURE):
            raise _corrupted(path, "it is an HDF5 file (a Keras .h5 model?); neuronet reads only its own zip "
                                   "format, whatever the extension")
        fh.seek(0)
        try:
            with zipfile.ZipFile(fh) as zf:
                return _read_zip(path, zf, max_total_bytes)
        except (ModelFormatError, UnsafeModelError):
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, KeyError, IndexError,
                TypeError, NotImplementedError, RecursionError, OverflowError, UnicodeDecodeError,
                RuntimeError, OSError) as exc:
            # zlib.error is an Exception subclass caught below
            raise _corrupted(path, f"{type(exc).__name__}: {exc}") from None
        except Exception as exc:  # zlib.error and other decoder failures of a corrupted stream
            if type(exc).__module__ in ("zlib", "zipfile", "bz2", "lzma", "_lzma", "_bz2"):
                raise _corrupted(path, f"{type(exc).__name__}: {exc}") from None
            raise


def _check_member(path, info: zipfile.ZipInfo):
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts or "\\" in name:
        raise UnsafeModelError(f"{path!r} holds a member {name!r} whose path escapes the archive; refused.")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeModelError(f"{path!r} holds a symbolic link {name!r}; refused.")
    if info.flag_bits & 0x1:
        raise _corrupted(path, f"member {name!r} is encrypted")
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > 2**20 and \
            info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
        raise UnsafeModelError(f"{path!r}: member {name!r} declares {info.file_size} bytes from "
                               f"{info.compress_size} compressed bytes (a decompression bomb?); refused.")


def _read_zip(path, zf: zipfile.ZipFile, max_total_bytes):
    infos = zf.infolist()
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        raise _corrupted(path, "duplicate member names")
    for info in infos:
        _check_member(path, info)
    if CONFIG_MEMBER not in names:
        raise _corrupted(path, f"no {CONFIG_MEMBER} in the archive")
    cinfo = zf.getinfo(CONFIG_MEMBER)
    if cinfo.file_size > MAX_CONFIG_BYTES:
        raise UnsafeModelError(f"{path!r}: {CONFIG_MEMBER} declares {cinfo.file_size} bytes, more than the "
                               f"{MAX_CONFIG_BYTES} allowed; refused.")
    with zf.open(cinfo) as fh:
        config = json.loads(fh.read(MAX_CONFIG_BYTES + 1).decode("utf-8"))
    if not isinstance(config, dict) or config.get("format") != FORMAT_NAME:
        raise _corrupted(path, "config.json does not declare format 'neuronet'")
    version = config.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _corrupted(path, f"invalid format_version {version!r}")
    if version > FORMAT_VERSION:
        raise ModelFormatError(f"{path!r} was written in neuronet format version {version}, newer than "
                               f"the version {FORMAT_VERSION} this neuronet reads; upgrade neuronet.")
    manifest = config.get("arrays")
    if not isinstance(manifest, list) or len(manifest) > MAX_ARRAYS:
        raise _corrupted(path, "config.json has no valid 'arrays' manifest")
    expected = {CONFIG_MEMBER} | {f"arrays/{i}.npy" for i in range(len(manifest))}
    if set(names) != expected:
        extra, missing = sorted(set(names) - expected)[:5], sorted(expected - set(names))[:5]
        raise _corrupted(path, f"archive members disagree with the manifest (unexpected {extra}, missing {missing})")
    specs, total = [], 0
    for i, entry in enumerate(manifest):
        key, shape, dtype = _check_entry(path, entry)
        nbytes = int(np.prod(shape, dtype=object) if shape else 1) * np.dtype(dtype).itemsize
        total += nbytes
        if total > max_total_bytes:
            raise UnsafeModelError(f"{path!r} declares {total} bytes of arrays, more than the limit of "
                                   f"{max_total_bytes}; refused before allocating.")
        specs.append((key, tuple(shape), np.dtype(dtype), nbytes, zf.getinfo(f"arrays/{i}.npy")))
    keys = [s[0] for s in specs]
    if len(set(keys)) != len(keys):
        raise _corrupted(path, "duplicate array keys in the manifest")
    arrays = {}
    for key, shape, dtype, nbytes, info in specs:
        arrays[key] = _read_npy(path, zf, info, shape, dtype, nbytes)
    return config, arrays


def _check_entry(path, entry):
    if not isinstance(entry, dict):
        raise _corrupted(path, f"manifest entry {entry!r} is not an object")
    key, shape, dtype = entry.get("key"), entry.get("shape"), entry.get("dtype")
    if not isinstance(key, str) or not isinstance(shape, list) or len(shape) > 32 or \
            any(isinstance(d, bool) or not isinstance(d, int) or d < 0 for d in shape):
        raise _corrupted(path, f"invalid manifest entry {entry!r}")
    if dtype not in ALLOWED_DTYPES:
        raise UnsafeModelError(f"{path!r}: array {key!r} has dtype {dtype!r}; only plain numeric dtypes "
                               f"are accepted ({', '.join(sorted(ALLOWED_DTYPES))}); refused.")
    return key, shape, dtype


def _read_npy(path, zf, info, shape, dtype, nbytes):
    # neuronet stores arrays uncompressed, so an array's bytes must physically be in the file: nothing
    # can make the loader allocate more than the file holds (no decompression or size-field bomb).
    if info.compress_type != zipfile.ZIP_STORED:
        raise UnsafeModelError(f"{path!r}: array member {info.filename!r} is compressed; neuronet stores "
                               "arrays uncompressed, so this file was not written by neuronet; refused.")
    if info.header_offset + info.compress_size > zf.fp.seek(0, os.SEEK_END):
        raise _corrupted(path, f"member {info.filename!r} runs past the end of the file (truncated)")
    if info.file_size < nbytes or info.file_size > nbytes + 65536 + 16:
        raise _corrupted(path, f"member {info.filename!r} holds {info.file_size} bytes; the manifest "
                               f"declares a {shape} {dtype} array ({nbytes} bytes of data)")
    with zf.open(info) as fh:
        try:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                header = np.lib.format.read_array_header_1_0(fh, max_header_size=10000)
            elif version in ((2, 0), (3, 0)):
                header = np.lib.format.read_array_header_2_0(fh, max_header_size=10000)
            else:
                raise ValueError(f"unsupported .npy version {version}")
        except (ValueError, SyntaxError, EOFError) as exc:
            raise _corrupted(path, f"member {info.filename!r} has an invalid .npy header: {exc}") from None
        file_shape, fortran, file_dtype = header
        if file_dtype.hasobject:
            raise UnsafeModelError(f"{path!r}: member {info.filename!r} is an object array (it could only be "
                                   "read with pickle); refused.")
        if tuple(file_shape) != shape or file_dtype != dtype or fortran:
            raise _corrupted(path, f"member {info.filename!r} holds a {tuple(file_shape)} {file_dtype} array "
                                   f"but the manifest declares {shape} {dtype}")
        data = fh.read(nbytes)
        if len(data) != nbytes:
            raise _corrupted(path, f"member {info.filename!r} is truncated")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


__all__ = ["write_archive", "atomic_write", "read_archive", "FORMAT_NAME", "FORMAT_VERSION"]
