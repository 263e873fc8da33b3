"""Fashion-MNIST as Keras spells it: ``(x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()``.

    >>> from neuronet.datasets import fashion_mnist
    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()      # doctest: +SKIP
"""
import os

from neuronet.datasets import download
from neuronet.datasets.idx import load_mnist
from neuronet.datasets.keras_files import _read

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASHES = {
    "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
}


def load_data(path=None):
    """Zalando's 28x28 article images (10 classes, MNIST's sizes). From ``path`` when given (a folder of
    the four IDX files, or an .npz with x_train, y_train, x_test, y_test); otherwise Keras' four .gz files
    in the cache folder's ``fashion-mnist/``, downloaded there once and checked by SHA-256."""
    if path is not None:
        return _read(download.Path(os.path.expanduser(os.fspath(path))))
    for fname, file_hash in FILE_HASHES.items():
        folder = download.get_file(fname, BASE + fname, file_hash, cache_subdir="fashion-mnist",
                                   what=f"fashion_mnist ({fname})").parent
    return load_mnist(folder)
