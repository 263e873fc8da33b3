"""Thin wrappers over scikit-learn's bundled data sets (no download involved).

Each returns what scikit-learn returns: a ``Bunch`` by default, ``(X, y)`` with ``return_X_y=True``,
pandas objects with ``as_frame=True``.

    >>> from neuronet.datasets import load_breast_cancer
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X.shape
    (569, 30)
"""
from __future__ import annotations

from sklearn import datasets as _sk


def _wrap(name: str, shape: str, task: str):
    loader = getattr(_sk, name)

    def load(return_X_y: bool = False, as_frame: bool = False):
        return loader(return_X_y=return_X_y, as_frame=as_frame)

    load.__name__ = load.__qualname__ = name
    load.__doc__ = (f"scikit-learn's ``{name}`` ({shape}, {task}), bundled with scikit-learn.\n\n"
                    f"    >>> X, y = {name}(return_X_y=True)\n\n"
                    "Returns a Bunch, or ``(X, y)`` with ``return_X_y=True``; ``as_frame=True`` gives a "
                    "DataFrame (and Series) instead of arrays.\n")
    return load


load_breast_cancer = _wrap("load_breast_cancer", "569 samples x 30 features", "binary classification")
load_wine = _wrap("load_wine", "178 samples x 13 features", "3-class classification")
load_iris = _wrap("load_iris", "150 samples x 4 features", "3-class classification")
load_digits = _wrap("load_digits", "1797 samples x 64 pixels of 8x8 images", "10-class classification")
load_diabetes = _wrap("load_diabetes", "442 samples x 10 features", "regression; an alternative to Boston")
