"""Small numeric helpers for the hot path."""
import numpy as np


def row_mean(a):
    """Mean over the last axis. A view when there is one column, else sum * (1/K): on small batches
    np.mean's Python wrapper costs more than the arithmetic itself.

    >>> row_mean(np.array([[1.0, 3.0], [2.0, 2.0]]))
    array([2., 2.])
    """
    k = a.shape[-1]
    if k == 1:
        return a.reshape(a.shape[:-1])
    return a.sum(axis=-1) * (1.0 / k)
