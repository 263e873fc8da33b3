"""Read MNIST / Fashion-MNIST IDX files that are already on disk (raw or gzip). Nothing is downloaded.

IDX layout (big-endian): bytes 0-1 are zero, byte 2 the dtype code, byte 3 the number of dimensions d,
then d uint32 sizes, then prod(sizes) values.

    >>> from neuronet.datasets import load_idx
    >>> x = load_idx("train-images-idx3-ubyte.gz")      # doctest: +SKIP
    >>> x.shape, x.dtype                                 # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'))
"""
from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
# Decompression bombs: data may be at most MAX_RATIO times the compressed file, beyond a first FREE_BYTES
# (MNIST's files compress 2-5x; a run of zeros compresses about 1000x).
MAX_RATIO = 100
FREE_BYTES = 1 << 20


def check_ratio(source, member, declared: int, compressed: int) -> None:
    """ValueError when ``declared`` uncompressed bytes exceed MAX_RATIO times ``compressed`` (plus
    FREE_BYTES): checked before anything is decompressed or allocated."""
    if declared > MAX_RATIO * compressed + FREE_BYTES:
        raise ValueError(f"'{source}': {member} does not match its size: it declares {declared} bytes of data "
                         f"in {compressed} compressed bytes, more than {MAX_RATIO} times as much; refused as a "
                         "decompression bomb (or a truncated or corrupted file).")


def _missing(path) -> FileNotFoundError:
    return FileNotFoundError(f"IDX file not found: '{path}'. load_idx downloads nothing (mnist.load_data() does); get the file "
                             "yourself (e.g. the MNIST or Fashion-MNIST distribution) and pass its path.")


def _parse_header(head: bytes, path) -> tuple[np.dtype, tuple[int, ...], int]:
    """(dtype, shape, header length) from the first bytes of an IDX file; ValueError if malformed."""
    if len(head) < 4:
        raise ValueError(f"'{path}' is not an IDX file: {len(head)} bytes, shorter than the 4-byte magic number.")
    if head[0] != 0 or head[1] != 0:
        raise ValueError(f"'{path}' is not an IDX file: the magic number must start with two zero bytes; "
                         f"found {head[:4].hex()}.")
    code, ndim = head[2], head[3]
    if code not in DTYPES:
        raise ValueError(f"'{path}' has an unknown IDX dtype code 0x{code:02X}; expected one of "
                         f"{', '.join(f'0x{c:02X}' for c in DTYPES)}.")
    if ndim == 0:
        raise ValueError(f"'{path}' declares 0 dimensions; an IDX file needs at least 1.")
    size = 4 + 4 * ndim
    if len(head) < size:
        raise ValueError(f"'{path}' is truncated: its header declares {ndim} dimensions ({size} bytes) "
                         f"but the file has only {len(head)} bytes.")
    shape = tuple(int(d) for d in np.frombuffer(head[4:size], dtype=">u4"))
    return np.dtype(DTYPES[code]), shape, size


def _check_length(path, dtype, shape, have: int, more: bool = False) -> int:
    """The number of data bytes the header declares; ValueError unless the file holds exactly that."""
    expected = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if have != expected or more:
        held = f"more than {have}" if more else str(have)
        raise ValueError(f"'{path}' does not match its header: shape {shape} of {dtype.name} needs "
                         f"{expected} data bytes, but the file holds {held} (truncated or corrupted).")
    return expected


def _read_gzip(path):
    """Header, then the data read in chunks, stopping at the size the header declares (no allocation
    beyond what the file really holds)."""
    try:
        with gzip.open(path, "rb") as fh:
            head = fh.read(4)
            if len(head) == 4 and head[3]:
                head += fh.read(4 * head[3])
            dtype, shape, _ = _parse_header(head, path)
            expected = int(np.prod(shape, dtype=object)) * dtype.itemsize
            check_ratio(path, "the gzip file", expected, os.path.getsize(path))
            buf = bytearray()
            while len(buf) < expected:
                chunk = fh.read(min(_CHUNK, expected - len(buf)))
                if not chunk:
                    break
                buf += chunk
            _check_length(path, dtype, shape, len(buf), more=bool(fh.read(1)))
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"'{path}' is not a valid gzip file: {exc}") from None
    return dtype, shape, bytes(buf)


def load_idx(path) -> np.ndarray:
    """Read one IDX file (gzip-compressed or raw, detected from its first bytes) into a NumPy array.

    The magic number, dtype code, dimensions and file length are checked against the header before any
    array is allocated. Values come back in native byte order with the file's dtype (uint8 for MNIST).

    Raises FileNotFoundError for a missing file and ValueError for a malformed or truncated one.

        >>> images = load_idx("t10k-images-idx3-ubyte.gz")    # doctest: +SKIP
        >>> images.shape                                       # doctest: +SKIP
        (10000, 28, 28)
    """
    path = Path(os.fspath(path))
    if not path.is_file():
        raise _missing(path)
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == GZIP_MAGIC:
        dtype, shape, data = _read_gzip(path)
        arr = np.frombuffer(data, dtype=dtype)
    else:
        total = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4)
            if len(head) == 4:
                head += fh.read(4 * head[3])
            dtype, shape, hsize = _parse_header(head, path)
            expected = _check_length(path, dtype, shape, total - hsize)
            arr = np.fromfile(fh, dtype=dtype, count=expected // dtype.itemsize)
    return arr.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


MNIST_FILES = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
               "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}


def _find(directory: Path, stem: str):
    dotted = stem.replace("-idx", ".idx")  # some mirrors name them train-images.idx3-ubyte
    for name in (stem, stem + ".gz", dotted, dotted + ".gz"):
        if (directory / name).is_file():
            return directory / name
    return None


def load_mnist(directory):
    """``((x_train, y_train), (x_test, y_test))`` from the four standard IDX files in ``directory``.

    Works for MNIST and Fashion-MNIST (same file names), raw or ``.gz``, like Keras'
    ``mnist.load_data()`` but from files you already have; nothing is downloaded.

        >>> (x_train, y_train), (x_test, y_test) = load_mnist("~/data/mnist")   # doctest: +SKIP
    """
    directory = Path(os.path.expanduser(os.fspath(directory)))
    if not directory.is_dir():
        raise FileNotFoundError(f"MNIST directory not found: '{directory}'. load_mnist downloads nothing (mnist.load_data() does); "
                                "put the four IDX files there first.")
    found = {key: _find(directory, stem) for key, stem in MNIST_FILES.items()}
    missing = [MNIST_FILES[k] for k, v in found.items() if v is None]
    if missing:
        raise FileNotFoundError(f"Missing IDX file(s) in '{directory}': {', '.join(missing)} (raw or .gz). "
                                "load_mnist downloads nothing (mnist.load_data() does).")
    return check_splits({key: load_idx(p) for key, p in found.items()}, directory)


def check_splits(arrays, source):
    """``((x_train, y_train), (x_test, y_test))`` from ``arrays`` once each split's images and labels are
    arrays of the same length; else a ValueError naming ``source``."""
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.ndim == 0 or labels.ndim == 0:      # len() of a 0-d array is a TypeError
            raise ValueError(f"'{source}': x_{split} and y_{split} must be arrays of images and labels; "
                             f"received shapes {images.shape} and {labels.shape}.")
        if len(images) != len(labels):
            raise ValueError(f"'{source}': the {split} images and labels disagree: {len(images)} images "
                             f"(x_{split}), {len(labels)} labels (y_{split}).")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
