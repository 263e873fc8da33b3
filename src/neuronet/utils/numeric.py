"""Small numeric helpers for the hot path: reductions over the last axis of (batch, K) arrays.

NumPy reduces a short last axis one row at a time, so ``np.max(z, axis=-1)`` of a 1000 x 10 batch takes
about 45 us where the same maximum over the first axis of the transposed copy takes 6 us, and a row sum is
fastest as one matrix-vector product with a vector of ones (4 us instead of 21). These helpers pick the
fast form and give the same values (sums may differ in the last bit: another summation order).
"""
import functools

import numpy as np

_SHORT_ROW = 32   # up to this many columns, reducing the transposed copy wins
_ZEROS_CAP = 1 << 22   # elements: larger arrays get the scalar 0 rather than a 16 MB+ cached array


def row_max(a):
    """Maximum over the last axis, keeping it (shape (n, 1) for a 2-D ``a``).

    >>> row_max(np.array([[1.0, 3.0], [2.0, -1.0]]))
    array([[3.],
           [2.]])
    """
    if a.ndim == 2 and 1 < a.shape[1] <= _SHORT_ROW:
        return np.maximum.reduce(np.ascontiguousarray(a.T), axis=0)[:, None]
    return np.maximum.reduce(a, axis=-1, keepdims=True)


def row_sum(a):
    """Sum over the last axis, keeping it (shape (n, 1) for a 2-D ``a``).

    >>> row_sum(np.array([[1.0, 3.0], [2.0, -1.0]]))
    array([[4.],
           [1.]])
    """
    if a.ndim == 2 and a.dtype.kind == "f" and a.shape[1] > 1:
        return np.dot(a, ones_shared(a.shape[1], a.dtype))[:, None]
    return np.add.reduce(a, axis=-1, keepdims=True)


def row_mean(a):
    """Mean over the last axis (dropping it). A view when there is one column, else sum * (1/K): on small
    batches np.mean's Python wrapper costs more than the arithmetic itself.

    >>> row_mean(np.array([[1.0, 3.0], [2.0, 2.0]]))
    array([2., 2.])
    """
    k = a.shape[-1]
    if k == 1:
        return a.reshape(a.shape[:-1])
    return row_sum(a)[..., 0] * (1.0 / k)


def zeros_like_shared(a):
    """Zeros shaped like the float array ``a``, read-only and shared by all callers (for operands only).
    ``np.maximum(z, 0)`` takes NumPy's slow scalar loop: with an array of zeros it is 2-3x faster (a
    128 x 512 batch: 9 instead of 26 us). Arrays that are not floating or hold more than 4M elements get
    the scalar 0, which gives the same results.

    >>> z = np.array([[-1.0, 2.0]])
    >>> np.maximum(z, zeros_like_shared(z))
    array([[0., 2.]])
    """
    if a.dtype.kind != "f" or a.size > _ZEROS_CAP:
        return 0
    return _constant(0, a.shape, a.dtype)


def ones_shared(n, dtype):
    """A read-only vector of ``n`` ones (shared): ``np.dot(ones_shared(n, dt), g)`` sums a batch's rows
    in one BLAS call, 2-3x faster than a column reduction."""
    return _constant(1, (n,), np.dtype(dtype))


@functools.lru_cache(maxsize=256)   # a few shapes recur: the batch, the last batch, a predict chunk
def _constant(value, shape, dtype):
    array = np.full(shape, value, dtype=dtype)
    array.flags.writeable = False
    return array
