"""fashion_mnist.load_data: a folder of idx files given as path (downloads: test_download.py)."""
import numpy as np

from neuronet.datasets import fashion_mnist, mnist
from idx_files import idx_bytes


def test_fashion_mnist_load_data_reads_an_idx_folder_given_as_path(tmp_path):
    folder = tmp_path / ".keras" / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    labels = np.array([9, 0, 3], dtype=np.uint8)
    for name, arr in {"train-images-idx3-ubyte": np.zeros((3, 28, 28), np.uint8),
                      "train-labels-idx1-ubyte": labels,
                      "t10k-images-idx3-ubyte": np.ones((1, 28, 28), np.uint8),
                      "t10k-labels-idx1-ubyte": labels[:1]}.items():
        (folder / name).write_bytes(idx_bytes(arr, 0x08))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(folder)
    np.testing.assert_array_equal(y_train, labels)
    assert x_test.shape == (1, 28, 28) and int(x_test.sum()) == 28 * 28
