"""ops: the few NumPy one-liners the hot path computes in a faster form, each helper named after what it
computes and showing the one-liner it replaces (same values; sums may differ in the last bit, another
summation order). Why each form is faster, with figures, is in bench/notes/ops.txt.

    row_max(a)            np.max(a, axis=-1, keepdims=True)
    row_sum(a)            np.sum(a, axis=-1, keepdims=True)
    row_mean(a)           np.mean(a, axis=-1)
    zeros_like_shared(a)  np.zeros_like(a)          (read-only, shared: an operand, never written)
    ones_shared(n, dt)    np.ones(n, dt)            (read-only, shared)
"""
import functools

import numpy as np

_SHORT_ROW = 32   # up to this many columns, reducing the transposed copy wins
_ZEROS_CAP = 1 << 22   # elements: larger arrays get the scalar 0 rather than a 16 MB+ cached array


def row_max(a):
    """``np.max(a, axis=-1, keepdims=True)``: for a short last axis, the maximum over the first axis of
    the transposed copy.

    >>> row_max(np.array([[1.0, 3.0], [2.0, -1.0]]))
    array([[3.],
           [2.]])
    """
    if a.ndim == 2 and 1 < a.shape[1] <= _SHORT_ROW:
        return np.maximum.reduce(np.ascontiguousarray(a.T), axis=0)[:, None]
    return np.maximum.reduce(a, axis=-1, keepdims=True)


def row_sum(a):
    """``np.sum(a, axis=-1, keepdims=True)``: as one matrix-vector product with a vector of ones.

    >>> row_sum(np.array([[1.0, 3.0], [2.0, -1.0]]))
    array([[4.],
           [1.]])
    """
    if a.ndim == 2 and a.dtype.kind == "f" and a.shape[1] > 1:
        return np.dot(a, ones_shared(a.shape[1], a.dtype))[:, None]
    return np.add.reduce(a, axis=-1, keepdims=True)


def row_mean(a):
    """``np.mean(a, axis=-1)``: a view when there is one column, else ``row_sum(a) * (1/K)``.

    >>> row_mean(np.array([[1.0, 3.0], [2.0, 2.0]]))
    array([2., 2.])
    """
    k = a.shape[-1]
    if k == 1:
        return a.reshape(a.shape[:-1])
    return row_sum(a)[..., 0] * (1.0 / k)


def zeros_like_shared(a):
    """``np.zeros_like(a)`` for the float array ``a``, read-only and shared by all callers: an operand only,
    as in ``np.maximum(z, zeros_like_shared(z))`` for ``np.maximum(z, 0)``. Arrays that are not floating or
    hold more than 4M elements get the scalar 0, which gives the same results.

    >>> z = np.array([[-1.0, 2.0]])
    >>> np.maximum(z, zeros_like_shared(z))
    array([[0., 2.]])
    """
    if a.dtype.kind != "f" or a.size > _ZEROS_CAP:
        return 0
    return _constant(0, a.shape, a.dtype)


def ones_shared(n, dtype):
    """``np.ones(n, dtype)``, read-only and shared: ``np.dot(ones_shared(n, dt), g)`` is ``g.sum(0)`` as
    one BLAS call."""
    return _constant(1, (n,), np.dtype(dtype))


@functools.lru_cache(maxsize=256)   # a few shapes recur: the batch, the last batch, a predict chunk
def _constant(value, shape, dtype):
    array = np.full(shape, value, dtype=dtype)
    array.flags.writeable = False
    return array
