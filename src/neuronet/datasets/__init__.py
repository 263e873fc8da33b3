"""Data sets for the notes' examples. Nothing is ever downloaded.

- ``load_boston``: the Boston house prices, bundled as a CSV (read its docstring for the B-feature caveat).
- ``load_breast_cancer``, ``load_wine``, ``load_iris``, ``load_digits``, ``load_diabetes``: thin wrappers
  over scikit-learn's bundled loaders.
- ``load_idx`` / ``load_mnist``: MNIST and Fashion-MNIST IDX files that you already have on disk.
- ``mnist.load_data()`` / ``fashion_mnist.load_data()``: Keras' spelling, from Keras' ``mnist.npz`` or
  IDX files that you pass or that Keras cached in ``~/.keras/datasets/``.

    >>> from neuronet.datasets import load_boston
    >>> X, y = load_boston(return_X_y=True)
    >>> X.shape
    (506, 13)
"""
from neuronet.datasets.boston import load_boston
from neuronet.datasets.sklearn_sets import (load_breast_cancer, load_diabetes, load_digits, load_iris,
                                            load_wine)
from neuronet.datasets.idx import load_idx, load_mnist
from neuronet.datasets import fashion_mnist, mnist

__all__ = ["load_boston", "load_breast_cancer", "load_wine", "load_iris", "load_digits", "load_diabetes",
           "load_idx", "load_mnist", "mnist", "fashion_mnist"]
