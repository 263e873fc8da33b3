"""MultiArray: the inputs of a model with several inputs, one array each, sliced and gathered together.

    >>> import numpy as np
    >>> x = MultiArray([np.zeros((5, 2)), np.ones((5, 3))])
    >>> len(x), [a.shape for a in x[1:3].arrays]
    (5, [(2, 2), (2, 3)])
"""
from __future__ import annotations

import numpy as np


class MultiArray:
    """Several arrays with the same number of rows; indexing and ``take`` apply to the rows of each."""

    def __init__(self, arrays):
        self.arrays = list(arrays)

    def __len__(self):
        return len(self.arrays[0])

    @property
    def shape(self):
        return (len(self),)

    @property
    def nbytes(self):
        return sum(a.nbytes for a in self.arrays)

    def __getitem__(self, index):
        return MultiArray([a[index] for a in self.arrays])

    def take(self, indices, axis=0, out=None, mode="raise"):
        return MultiArray([np.take(a, indices, axis=0, mode=mode) for a in self.arrays])

    def __repr__(self):
        return f"MultiArray({[a.shape for a in self.arrays]})"


def as_list(x):
    """The arrays of ``x``: a MultiArray's list, or [x]."""
    return list(x.arrays) if isinstance(x, MultiArray) else [x]
