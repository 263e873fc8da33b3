"""MNIST as Keras spells it: ``(x_train, y_train), (x_test, y_test) = mnist.load_data()``.

    >>> from neuronet.datasets import mnist
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data("mnist.npz")   # doctest: +SKIP
    >>> x_train.shape, y_train.shape                                           # doctest: +SKIP
    ((60000, 28, 28), (60000,))
"""
from neuronet.datasets.keras_files import load_keras_set


def load_data(path="mnist.npz"):
    """The 28x28 handwritten digits (60,000 train, 10,000 test images, uint8) from ``path``: Keras'
    ``mnist.npz`` or a folder of the four IDX files, looked up as given, then in ``~/.keras/datasets/``.
    Nothing is downloaded."""
    return load_keras_set("mnist", path, "mnist.npz",
                          "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz")
