"""Fashion-MNIST as Keras spells it: ``(x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()``.

    >>> from neuronet.datasets import fashion_mnist
    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()      # doctest: +SKIP
"""
from neuronet.datasets.keras_files import load_keras_set


def load_data(path=None):
    """Zalando's 28x28 article images (10 classes, MNIST's sizes) from ``path`` (a folder of the four IDX
    files, or an .npz with x_train, y_train, x_test, y_test), or else from Keras' cache folder
    ``~/.keras/datasets/fashion-mnist/``. Nothing is downloaded."""
    return load_keras_set("fashion_mnist", path, "fashion-mnist",
                          "the four IDX files of https://github.com/zalandoresearch/fashion-mnist")
