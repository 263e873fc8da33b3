"""PyDataset (Keras 3) and Sequence (its Keras 2 name): a data set of batches that fit reads by index.

A subclass gives ``__len__`` (the number of batches, not samples) and ``__getitem__(index)`` (batch
``index`` as ``(x, y)`` or ``(x, y, sample_weight)``, or ``x`` alone for predict), and may give
``on_epoch_end`` (called by fit after every epoch). ``workers``, ``use_multiprocessing`` and
``max_queue_size`` tell fit how to load batches ahead of the training step; the class does not use them
itself, and iterating over a PyDataset by hand loads one batch at a time.

    >>> import math
    >>> import numpy as np
    >>> class Squares(PyDataset):
    ...     def __init__(self, x, batch_size, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.x, self.batch_size = x, batch_size
    ...     def __len__(self):
    ...         return math.ceil(len(self.x) / self.batch_size)
    ...     def __getitem__(self, idx):
    ...         xb = self.x[idx * self.batch_size:(idx + 1) * self.batch_size]
    ...         return xb, xb ** 2
    >>> data = Squares(np.arange(10.0).reshape(-1, 1), batch_size=4)
    >>> len(data), data[2][1].ravel().tolist()
    (3, [64.0, 81.0])
"""
from __future__ import annotations

import numpy as np


class PyDataset:
    """Base class of a data set read batch by batch (Keras' ``keras.utils.PyDataset``).

    ``workers``: threads (or processes with ``use_multiprocessing=True``) that load batches ahead of the
    step; 1 loads each batch right before its step. ``max_queue_size``: at most this many batches are
    loaded ahead, which bounds the memory (``max_queue_size`` batches).
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        for name, value in (("workers", workers), ("max_queue_size", max_queue_size)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Received an invalid value for `{name}`, expected a positive integer. "
                                 f"Received: {name}={value!r}")
        self._workers, self._use_multiprocessing = int(workers), bool(use_multiprocessing)
        self._max_queue_size = int(max_queue_size)

    # Read through properties so a subclass that forgets super().__init__() still gets Keras' defaults.
    @property
    def workers(self) -> int:
        return self.__dict__.get("_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        return self.__dict__.get("_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        return self.__dict__.get("_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index), returning "
                                  "batch `index` as (x, y) or (x, y, sample_weight).")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__(), returning the number "
                                  "of batches.")

    @property
    def num_batches(self):
        """The number of batches (``len(self)``)."""
        return len(self)

    def on_epoch_end(self):
        """Called by fit at the end of every epoch; override it to change the data between epochs."""

    def __iter__(self):
        """The batches in order, one at a time (by index, as fit reads them)."""
        for index in range(len(self)):
            yield self[index]


class Sequence(PyDataset):
    """Keras 2's name of PyDataset (``keras.utils.Sequence``): the same class."""
