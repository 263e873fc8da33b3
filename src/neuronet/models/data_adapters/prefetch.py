"""Loading batches ahead of the training step, in order, with worker threads (or processes)."""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from itertools import islice

_DATASET = None   # the data set a worker process reads (set once per process by its initializer)


def _set_dataset(dataset):
    global _DATASET
    _DATASET = dataset


def _load_in_process(index):
    return _DATASET[index]


def ordered_load(dataset, indices, workers=1, max_queue_size=10, use_multiprocessing=False):
    """Yield ``(index, dataset[index])`` for ``indices`` in order. With ``workers > 1`` up to
    ``max_queue_size`` batches are loaded ahead by a pool of threads (processes with
    ``use_multiprocessing``, forked so the data set is not pickled), so loading overlaps the step while
    at most ``max_queue_size + 1`` batches are held."""
    if workers <= 1:
        for index in indices:
            yield index, dataset[index]
        return
    if use_multiprocessing and "fork" in multiprocessing.get_all_start_methods():
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_set_dataset, initargs=(dataset,))
        load = _load_in_process
    else:
        pool, load = ThreadPoolExecutor(workers, thread_name_prefix="neuronet-loader"), dataset.__getitem__
    todo, pending = iter(indices), deque()
    try:
        for index in islice(todo, max_queue_size):
            pending.append((index, pool.submit(load, index)))
        while pending:
            index, future = pending.popleft()
            item = future.result()
            following = next(todo, None)
            if following is not None:
                pending.append((following, pool.submit(load, following)))
            yield index, item
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
