"""Data sets for the notes' examples.

- ``load_boston``: the Boston house prices, bundled as a CSV (read its docstring for the B-feature caveat).
- ``load_breast_cancer``, ``load_wine``, ``load_iris``, ``load_digits``, ``load_diabetes``: thin wrappers
  over scikit-learn's bundled loaders.
- ``load_idx`` / ``load_mnist``: MNIST and Fashion-MNIST IDX files that you already have on disk.
- ``mnist``, ``fashion_mnist``, ``cifar10``, ``boston_housing``: Keras' ``load_data()``. The first three
  download their files once into a cache folder (``~/.keras/datasets`` when it exists, else
  ``~/.neuronet/datasets``; ``NEURONET_HOME`` overrides) and check their SHA-256; boston_housing reads
  the bundled CSV. See neuronet.datasets.download.

    >>> from neuronet.datasets import load_boston
    >>> X, y = load_boston(return_X_y=True)
    >>> X.shape
    (506, 13)
"""
from neuronet.datasets.boston import load_boston
from neuronet.datasets.sklearn_sets import (load_breast_cancer, load_diabetes, load_digits, load_iris,
                                            load_wine)
from neuronet.datasets.idx import load_idx, load_mnist
from neuronet.datasets import boston_housing, cifar10, fashion_mnist, mnist

__all__ = ["load_boston", "load_breast_cancer", "load_wine", "load_iris", "load_digits", "load_diabetes",
           "load_idx", "load_mnist", "mnist", "fashion_mnist", "cifar10", "boston_housing"]
