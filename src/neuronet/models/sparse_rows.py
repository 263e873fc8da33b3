"""SparseRows: a SciPy sparse matrix (CSR or CSC) as model input, densified a batch at a time.

As Keras 3 accepts SciPy sparse matrices in ``fit``, ``evaluate`` and ``predict``: the rows stay sparse
(shuffled, split and sliced as a CSR matrix) and each batch or prediction chunk becomes a dense array
just before the forward pass, so memory grows with the batch, not with n_samples x n_features.

    >>> import numpy as np
    >>> from scipy import sparse
    >>> x = SparseRows(sparse.csr_matrix(np.eye(4)), np.float32)
    >>> len(x), x.shape, x.take([3, 0])[0:1].toarray()
    (4, (4, 4), array([[0., 0., 0., 1.]], dtype=float32))
"""
from __future__ import annotations

import numpy as np


def is_sparse(x) -> bool:
    """Whether ``x`` is a SciPy sparse matrix or array (without importing SciPy for dense input)."""
    return hasattr(x, "nnz") and hasattr(x, "tocsr")


class SparseRows:
    """The rows of a 2-D sparse matrix, stored as CSR in ``dtype``; indexing and ``take`` keep them sparse,
    ``toarray()`` (or ``np.asarray``) gives the dense rows."""

    def __init__(self, matrix, dtype=None):
        matrix = matrix.tocsr()
        self.matrix = matrix if dtype is None or matrix.dtype == dtype else matrix.astype(dtype)

    def __len__(self):
        return self.matrix.shape[0]

    @property
    def shape(self):
        return self.matrix.shape

    @property
    def ndim(self):
        return 2

    @property
    def dtype(self):
        return self.matrix.dtype

    @property
    def data(self):
        """The stored values (for the finiteness check)."""
        return self.matrix.data

    @property
    def nbytes(self):
        m = self.matrix
        return m.data.nbytes + m.indices.nbytes + m.indptr.nbytes

    def __getitem__(self, index):
        part = self.matrix[index]              # rows stay sparse; [i, j] is one value
        return SparseRows(part) if is_sparse(part) else part

    def take(self, indices, axis=0, out=None, mode="raise"):
        return SparseRows(self.matrix[np.asarray(indices)])

    def astype(self, dtype, copy=True):
        return SparseRows(self.matrix, dtype)

    def toarray(self):
        return self.matrix.toarray()

    def __array__(self, dtype=None, copy=None):
        dense = self.matrix.toarray()
        return dense if dtype is None else dense.astype(dtype, copy=False)

    def __repr__(self):
        return f"SparseRows(shape={self.shape}, nnz={self.matrix.nnz}, dtype={self.dtype})"


def dense_rows(x):
    """``x`` as the forward pass takes it: SparseRows densified, anything else unchanged."""
    return x.toarray() if isinstance(x, SparseRows) else x
