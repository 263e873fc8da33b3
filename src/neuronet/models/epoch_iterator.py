"""EpochIterator: the batches of one epoch from in-memory arrays, shuffled or in order.

    >>> import numpy as np
    >>> it = EpochIterator(np.arange(10.0).reshape(5, 2), np.arange(5.0), batch_size=2, shuffle=False)
    >>> it.start_epoch()
    >>> [(i, xb.shape[0]) for i, xb, yb, wb in it.batches()]
    [(0, 2), (1, 2), (2, 1)]
"""
from __future__ import annotations

import numpy as np

from neuronet.models.sparse_rows import dense_rows

# Up to this size the epoch's shuffled copy of x is gathered in one call and stays in cache; a larger x
# is gathered batch by batch, so its batches are never written to memory and read back.
GATHER_WHOLE_MAX_BYTES = 1 << 22


class EpochIterator:
    """Owns shuffling, gathering and batching for fit: ``start_epoch()`` draws the epoch's order from
    ``rng`` (when ``shuffle``) and ``batches(first)`` yields ``(index, x_batch, y_batch, weight_batch)``
    from batch ``first`` on (a resumed epoch skips the batches already done).

    With shuffling, y and the weights are gathered into epoch-ordered copies once per epoch; x too while
    it is small (``GATHER_WHOLE_MAX_BYTES``), otherwise each batch's rows are gathered into one reused
    batch buffer right before its step, so a large x is read once per epoch. ``y_epoch`` and ``w_epoch``
    are the epoch's targets and weights in batch order (for losses computed at the epoch's end).
    A sparse x (SparseRows) is shuffled as a sparse matrix and each batch densified before its step.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=True, rng=None):
        self.x, self.y, self.w = x, y, sample_weight
        self.batch_size, self.shuffle, self.rng = int(batch_size), bool(shuffle), rng
        self.num_samples = len(x)
        self.num_batches = -(-self.num_samples // self.batch_size)
        self._buffers = {}       # the shuffled copies, allocated once per fit
        self._order = None
        self.x_epoch, self.y_epoch, self.w_epoch = x, y, sample_weight

    def start_epoch(self):
        if not self.shuffle:
            return
        order = self.rng.permutation(self.num_samples)
        self.y_epoch = self._gather(self.y, order, "y")
        self.w_epoch = None if self.w is None else self._gather(self.w, order, "w")
        if self.x.nbytes <= GATHER_WHOLE_MAX_BYTES or not isinstance(self.x, np.ndarray):
            self.x_epoch, self._order = self._gather(self.x, order, "x"), None
        else:
            self.x_epoch, self._order = self.x, order

    def batches(self, first=0):
        n, size, order = self.num_samples, self.batch_size, self._order
        xs, ys, ws = self.x_epoch, self.y_epoch, self.w_epoch
        buffer = None if order is None else np.empty((min(size, n), *xs.shape[1:]), dtype=xs.dtype)
        for index, start in enumerate(range(first * size, n, size), start=first):
            stop = min(start + size, n)
            if order is None:
                xb = dense_rows(xs[start:stop])        # a sparse x is densified one batch at a time
            else:
                xb = xs.take(order[start:stop], axis=0, out=buffer[:stop - start], mode="clip")
            yield index, xb, ys[start:stop], None if ws is None else ws[start:stop]

    def _gather(self, array, order, key):
        """array[order] into a buffer reused across epochs. C order, so every batch is a contiguous block.
        'clip': no extra buffering; the method, not np.take: the same call without its Python wrapper."""
        if not isinstance(array, np.ndarray):             # a MultiArray: each of its arrays
            return array.take(order, axis=0, mode="clip")
        buf = self._buffers.get(key)
        if buf is None:
            buf = self._buffers[key] = np.empty(array.shape, dtype=array.dtype)
        return array.take(order, axis=0, out=buf, mode="clip")
