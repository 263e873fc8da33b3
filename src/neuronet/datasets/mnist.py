"""MNIST as Keras spells it: ``(x_train, y_train), (x_test, y_test) = mnist.load_data()``.

    >>> from neuronet.datasets import mnist
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()     # doctest: +SKIP
    >>> x_train.shape, y_train.shape                                  # doctest: +SKIP
    ((60000, 28, 28), (60000,))
"""
from neuronet.datasets.keras_files import load_keras_set

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz"):
    """The 28x28 handwritten digits (60,000 train, 10,000 test images, uint8). ``path``: Keras'
    ``mnist.npz`` or a folder of the four IDX files when it exists; otherwise the name of the file in the
    cache folder (``~/.keras/datasets`` or neuronet's own), downloaded there once and checked by SHA-256."""
    return load_keras_set("mnist", path, ORIGIN, FILE_HASH)
