"""mnist.load_data and load_mnist: Keras' npz and idx files, read from disk only."""
import gzip

import numpy as np
import pytest

from neuronet.datasets import mnist
from neuronet import datasets
from neuronet.datasets import load_mnist
from idx_files import idx_bytes


def _keras_npz(path, n_train=5, n_test=3):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 255, (n_train, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
              "x_test": rng.integers(0, 255, (n_test, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, n_test, dtype=np.uint8)}
    np.savez(path, **arrays)
    return arrays


def test_mnist_load_data_reads_keras_npz_given_as_path(tmp_path):
    arrays = _keras_npz(tmp_path / "mnist.npz")
    (x_train, y_train), (x_test, y_test) = mnist.load_data(tmp_path / "mnist.npz")
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert x_train.dtype == np.uint8 and x_test.shape == (3, 28, 28) and y_train.shape == (5,)


def test_mnist_load_data_default_reads_keras_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".keras" / "datasets").mkdir(parents=True)
    arrays = _keras_npz(tmp_path / ".keras" / "datasets" / "mnist.npz", n_train=4)
    from neuronet.datasets.download import sha256
    monkeypatch.delenv("NEURONET_HOME", raising=False)
    monkeypatch.setattr(mnist, "FILE_HASH", sha256(tmp_path / ".keras" / "datasets" / "mnist.npz"))
    (x_train, _), _ = mnist.load_data()              # Keras' cached copy, its hash checked
    np.testing.assert_array_equal(x_train, arrays["x_train"])


def test_load_mnist(tmp_path):
    rng = np.random.default_rng(0)
    parts = {"train-images-idx3-ubyte.gz": rng.integers(0, 255, (6, 28, 28)),
             "train-labels-idx1-ubyte": rng.integers(0, 10, 6),
             "t10k-images-idx3-ubyte": rng.integers(0, 255, (2, 28, 28)),
             "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, 2)}
    for name, arr in parts.items():
        raw = idx_bytes(arr.astype(np.uint8), 0x08)
        (tmp_path / name).write_bytes(gzip.compress(raw) if name.endswith(".gz") else raw)
    (x_train, y_train), (x_test, y_test) = load_mnist(tmp_path)
    assert x_train.shape == (6, 28, 28) and y_test.shape == (2,)
    np.testing.assert_array_equal(y_train, parts["train-labels-idx1-ubyte"])
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="downloads nothing"):
        load_mnist(tmp_path / "absent")
