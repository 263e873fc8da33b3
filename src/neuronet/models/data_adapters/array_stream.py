"""ArrayStreamIterator: the batches of arrays too large to hold in memory (a NumPy memmap, a Dask array),
read block by block with the EpochIterator's interface.

Rows are read in blocks (a Dask array's chunks; a memmap's rows in blocks of about BLOCK_BYTES, read from
its file rather than through the mapping, so the pages read do not stay in the process' memory). With
shuffling, each epoch draws an order of the blocks and an order of the rows inside each block: every
sample is seen once per epoch, and only the blocks the current batch touches are held.

    >>> import numpy as np
    >>> reader = RowReader(np.arange(10.0).reshape(5, 2))
    >>> reader.read(1, 3).tolist()
    [[2.0, 3.0], [4.0, 5.0]]
"""
from __future__ import annotations

import math
import mmap

import numpy as np

BLOCK_BYTES = 16 << 20


def is_dask_array(x):
    return type(x).__module__.startswith("dask.array") and hasattr(x, "chunks") and hasattr(x, "compute")


def is_file_memmap(x):
    """A memmap whose rows can be read from its file: the whole mapping of a C-ordered array."""
    return isinstance(x, np.memmap) and isinstance(x.base, mmap.mmap) and x.flags.c_contiguous and \
        x.filename is not None


class RowReader:
    """Rows ``start:stop`` of an array as an in-memory ndarray: sliced (in-memory arrays), read from the
    file (memmaps) or computed (Dask arrays, only the chunks those rows lie in)."""

    def __init__(self, array):
        self.array = array
        self.shape, self.dtype = tuple(array.shape), np.dtype(array.dtype)
        self.row_bytes = self.dtype.itemsize * math.prod(self.shape[1:])

    def read(self, start, stop):
        a = self.array
        if is_dask_array(a):
            return np.asarray(a[start:stop].compute())
        if is_file_memmap(a):
            out = np.empty((stop - start, *self.shape[1:]), dtype=self.dtype)
            with open(a.filename, "rb") as fh:
                fh.seek(a.offset + start * self.row_bytes)
                view = memoryview(out.reshape(-1).view(np.uint8))
                got = fh.readinto(view)
            if got != out.nbytes:
                raise ValueError(f"The memmap file '{a.filename}' ended after {got} of {out.nbytes} bytes "
                                 f"of rows {start}:{stop}: it is shorter than the array's shape says.")
            return out
        return np.asarray(a[start:stop])


def block_bounds(x, batch_size):
    """Row boundaries of the blocks: a Dask array's chunks, else about BLOCK_BYTES (and at least one
    batch) of rows."""
    n = x.shape[0]
    if is_dask_array(x):
        return np.concatenate([[0], np.cumsum(x.chunks[0])]).astype(np.int64)
    row_bytes = max(1, np.dtype(x.dtype).itemsize * math.prod(x.shape[1:]))
    rows = max(batch_size, BLOCK_BYTES // row_bytes)
    return np.append(np.arange(0, n, rows, dtype=np.int64), n)


class ArrayStreamIterator:
    """Batches of (x, y, sample_weight) read block by block, each checked by ``checker`` before its step.
    ``num_samples`` is known, so the epoch's size and progress are too."""

    def __init__(self, x, y, sample_weight, checker, batch_size=32, shuffle=False, rng=None):
        self.readers = [None if a is None else RowReader(a) for a in (x, y, sample_weight)]
        self.checker, self.batch_size, self.shuffle, self.rng = checker, batch_size, shuffle, rng
        self.num_samples = n = int(x.shape[0])
        for name, a in (("y", y), ("sample_weight", sample_weight)):
            if a is not None and a.shape[0] != n:
                raise ValueError(f"Found input variables with inconsistent numbers of samples: x has {n} "
                                 f"rows, {name} has {a.shape[0]}.")
        self.num_batches = math.ceil(n / batch_size)
        self.bounds = block_bounds(x, batch_size)
        self.order = None                   # None: rows in order

    def peek(self):
        self.checker(0, self._read_rows(np.arange(min(self.batch_size, self.num_samples)), {}))

    def start_epoch(self):
        if not self.shuffle:
            return
        starts, stops = self.bounds[:-1], self.bounds[1:]
        blocks = self.rng.permutation(len(starts))
        self.order = np.concatenate([starts[b] + self.rng.permutation(stops[b] - starts[b]) for b in blocks])

    def _read_rows(self, rows, cache):
        """The parts' rows ``rows`` (which lie in a few blocks), from blocks cached in ``cache``; blocks
        not touched by these rows are dropped."""
        blocks = np.searchsorted(self.bounds, rows, side="right") - 1
        needed = np.unique(blocks)
        for b in list(cache):
            if b not in needed:
                del cache[b]
        for b in needed:
            if b not in cache:
                start, stop = self.bounds[b], self.bounds[b + 1]
                cache[b] = [None if r is None else r.read(start, stop) for r in self.readers]
        if len(needed) == 1 and self.order is None:     # in order, inside one block: a slice
            b = needed[0]
            lo = rows[0] - self.bounds[b]
            return tuple(None if p is None else p[lo:lo + len(rows)] for p in cache[b])
        out = []
        for part, reader in enumerate(self.readers):
            if reader is None:
                out.append(None)
                continue
            first = cache[needed[0]][part]
            buf = np.empty((len(rows), *first.shape[1:]), dtype=first.dtype)
            for b in needed:
                mask = blocks == b
                buf[mask] = cache[b][part][rows[mask] - self.bounds[b]]
            out.append(buf)
        return tuple(out)

    def batches(self, first=0):
        n, size, cache = self.num_samples, self.batch_size, {}
        for index in range(first, self.num_batches):
            start, stop = index * size, min(index * size + size, n)
            rows = np.arange(start, stop) if self.order is None else self.order[start:stop]
            raw = self._read_rows(rows, cache)
            yield (index, *self.checker(index, raw))

