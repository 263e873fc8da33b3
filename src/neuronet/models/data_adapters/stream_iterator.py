"""Iterators over streams, with the EpochIterator's interface (``start_epoch()``, ``batches(first)``,
``num_batches``, ``num_samples``, ``batch_size``): a Python generator or iterator, and a PyDataset.

Each batch is read, then checked and converted by a BatchChecker right before its step, so memory holds a
bounded number of batches. ``peek()`` reads and checks the first batch before training starts (it builds
the model), so a stream that cannot be used stops fit before any weight changes.

    >>> import numpy as np
    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
    >>> model = Sequential([Dense(1)]); model.compile("sgd", "mse")
    >>> gen = ((np.ones((4, 2)), np.zeros(4)) for _ in range(3))
    >>> it = GeneratorIterator(gen, BatchChecker(model))
    >>> it.peek(); it.start_epoch()
    >>> [(i, xb.shape) for i, xb, yb, wb in it.batches()]
    [(0, (4, 2)), (1, (4, 2)), (2, (4, 2))]
"""
from __future__ import annotations

import numpy as np

from neuronet.models.data_adapters.batch_checks import BatchChecker, StreamDataError  # noqa: F401
from neuronet.models.data_adapters.prefetch import ordered_load
from neuronet.utils.user_warning import warn

RAN_OUT = ("Your input ran out of data; interrupting training. Make sure that your dataset or generator can "
           "generate at least `steps_per_epoch * epochs` batches. You may need to pass a generator that "
           "loops over the data (`while True:`) and set `steps_per_epoch`.")


class GeneratorIterator:
    """The batches of a Python generator or iterator: ``steps`` batches per epoch, or (``steps=None``)
    until it is exhausted. A generator runs once: batches are never read twice, and one that runs out
    before ``steps`` batches ends training with Keras' "ran out of data" warning."""

    num_samples = None

    def __init__(self, generator, checker, steps=None, model=None):
        self.generator, self.checker, self.num_batches = generator, checker, steps
        self.model = model if model is not None else checker.model
        self._held = None          # a batch read ahead by peek
        self.exhausted = False
        self.batch_size = None

    def _next(self):
        if self._held is not None:
            raw, self._held = self._held, None
            return raw
        return next(self.generator)

    def peek(self):
        """Read and check the first batch (building the model); ValueError if there is none."""
        try:
            self._held = next(self.generator)
        except StopIteration:
            raise StreamDataError("The generator passed as `x` yielded nothing: it was empty or already "
                                  "exhausted. Pass a fresh generator (call the generator function again) "
                                  "that yields (x, y) batches.") from None
        x, _, _ = self.checker(0, self._held)
        self.batch_size = len(x)

    def start_epoch(self):
        pass

    def batches(self, first=0):
        """Yield (index, x, y, weights); a resumed epoch (``first > 0``) reads past ``first`` batches."""
        steps, index = self.num_batches, 0
        while steps is None or index < steps:
            try:
                raw = self._next()
            except StopIteration:
                if steps is not None or index == 0:
                    warn(RAN_OUT, UserWarning)
                    self.model.stop_training = True
                self.exhausted = True
                return
            if index >= first:
                yield (index, *self.checker(index, raw))
            index += 1


class DatasetIterator:
    """The batches of a PyDataset (or Sequence): ``len(dataset)`` batches per epoch (``steps``, when
    given, reads only the first ``steps`` of them), in a new random order each epoch when ``shuffle``
    (from ``rng``, so a seed repeats it and a resumed epoch redraws it), loaded ahead by
    ``dataset.workers`` workers. ``dataset.on_epoch_end()`` runs after every epoch."""

    num_samples = None

    def __init__(self, dataset, checker, steps=None, shuffle=False, rng=None, call_epoch_end=True):
        length = dataset_length(dataset)
        self.dataset, self.checker, self.length = dataset, checker, length
        self.num_batches = length if steps is None else min(int(steps), length)
        self.shuffle, self.rng, self.call_epoch_end = shuffle, rng, call_epoch_end
        self.requested = steps
        self.order = np.arange(length)
        self.batch_size = None

    def peek(self):
        x, _, _ = self.checker(0, self.dataset[0])
        self.batch_size = len(x)

    def start_epoch(self):
        if self.shuffle:
            self.order = self.rng.permutation(self.length)

    def batches(self, first=0):
        ds = self.dataset
        completed = False
        loads = ordered_load(ds, self.order[first:self.num_batches].tolist(), ds.workers,
                             ds.max_queue_size, ds.use_multiprocessing)
        try:
            for index, (_, raw) in enumerate(loads, start=first):
                yield (index, *self.checker(index, raw))
            completed = True
        finally:
            loads.close()
            if completed and self.requested is not None and self.requested > self.length:
                warn(RAN_OUT, UserWarning)
                self.checker.model.stop_training = True
            if self.call_epoch_end:
                ds.on_epoch_end()


def dataset_length(dataset):
    """``len(dataset)``, checked: a positive integer (the number of batches)."""
    name = type(dataset).__name__
    try:
        length = len(dataset)
    except TypeError as error:
        raise TypeError(f"{name}.__len__() failed ({error}); a PyDataset's __len__ must return the number "
                        "of batches.") from None
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
        raise ValueError(f"{name}.__len__() returned {length!r}: a PyDataset must hold at least one batch. "
                         "__len__ returns the number of batches, e.g. math.ceil(len(self.x) / "
                         "self.batch_size).")
    return int(length)
