"""fashion_mnist.load_data: idx files in Keras' cache folder."""
import numpy as np

from neuronet.datasets import fashion_mnist, mnist
from idx_files import idx_bytes


def test_fashion_mnist_load_data_reads_idx_folder_in_keras_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / ".keras" / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    labels = np.array([9, 0, 3], dtype=np.uint8)
    for name, arr in {"train-images-idx3-ubyte": np.zeros((3, 28, 28), np.uint8),
                      "train-labels-idx1-ubyte": labels,
                      "t10k-images-idx3-ubyte": np.ones((1, 28, 28), np.uint8),
                      "t10k-labels-idx1-ubyte": labels[:1]}.items():
        (folder / name).write_bytes(idx_bytes(arr, 0x08))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(y_train, labels)
    assert x_test.shape == (1, 28, 28) and int(x_test.sum()) == 28 * 28
