"""CIFAR-10 as Keras spells it: ``(x_train, y_train), (x_test, y_test) = cifar10.load_data()``.

The archive (``cifar-10-python.tar.gz``, 163 MB) is downloaded once into the cache folder and checked by
SHA-256; its batches are Python pickles, read member by member from the archive with an unpickler that
accepts only dicts, lists, strings, numbers and NumPy arrays, so a planted file cannot run code.

    >>> from neuronet.datasets import cifar10
    >>> (x_train, y_train), (x_test, y_test) = cifar10.load_data()     # doctest: +SKIP
    >>> x_train.shape, y_train.shape                                    # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1))
"""
from __future__ import annotations

import io
import pickle
import tarfile

import numpy as np

from neuronet.datasets import download

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
FOLDER = "cifar-10-batches-py"
# What the batches' pickles may name: NumPy's array reconstruction, and the codec protocol 2 uses for bytes.
SAFE_GLOBALS = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
                ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode")}


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in SAFE_GLOBALS:
            raise ValueError(f"A CIFAR-10 batch refers to {module}.{name}; only plain arrays, lists and "
                             "numbers are accepted (the file is not the original archive).")
        return super().find_class(module, name)


def load_batch(data: bytes):
    """(images (n, 3, 32, 32) uint8, labels (n,) uint8) from one pickled batch's bytes."""
    try:
        batch = _ArraysOnly(io.BytesIO(data), encoding="bytes").load()
        images, labels = np.asarray(batch[b"data"], dtype=np.uint8), np.asarray(batch[b"labels"], np.uint8)
        return images.reshape(-1, 3, 32, 32), labels
    except (pickle.UnpicklingError, EOFError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"A CIFAR-10 batch could not be read ({type(error).__name__}: {error}); the "
                         "archive is damaged.") from None


def load_data():
    """50,000 train and 10,000 test 32x32 colour images (uint8, channels last) of 10 classes; labels of
    shape (n, 1), as Keras returns them."""
    archive = download.get_file("cifar-10-python.tar.gz", ORIGIN, FILE_HASH, what="cifar10")
    return read_archive(archive)


def read_archive(archive):
    names = [f"{FOLDER}/data_batch_{i}" for i in range(1, 6)] + [f"{FOLDER}/test_batch"]
    parts = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for name in names:
                member = tar.getmember(name)
                if not member.isfile():
                    raise ValueError(f"'{archive}': {name} is not a file.")
                parts[name] = load_batch(tar.extractfile(member).read())
    except (tarfile.TarError, KeyError, EOFError, OSError) as error:
        raise ValueError(f"'{archive}' is not the CIFAR-10 archive or is damaged ({error}). Delete it and "
                         "call load_data() again to download it anew.") from None
    x_train = np.concatenate([parts[n][0] for n in names[:5]]).transpose(0, 2, 3, 1)
    y_train = np.concatenate([parts[n][1] for n in names[:5]]).reshape(-1, 1)
    x_test, y_test = parts[names[5]]
    return (x_train, y_train), (x_test.transpose(0, 2, 3, 1), y_test.reshape(-1, 1))
