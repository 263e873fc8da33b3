"""Data given to fit / evaluate / predict as a stream: which kind it is, and the iterator that reads it.

    in-memory arrays, lists, DataFrames,     -> EpochIterator (neuronet.models.epoch_iterator), unchanged
    SciPy sparse matrices
    NumPy memmap, Dask array                 -> ArrayStreamIterator: read block by block
    Python generator or iterator             -> GeneratorIterator: (x, y) or (x, y, sample_weight) batches
    neuronet.utils.PyDataset (or Sequence)   -> DatasetIterator: batch i = dataset[i], loaded ahead

Every stream iterator checks each batch right before its step (numbers, the first batch's dtypes and
sample shapes, finite values, named by batch index) and holds a bounded number of batches, so memory
grows with the batch, not the data. Any other iterable is refused with a TypeError before it is read.

    >>> import numpy as np
    >>> data_kind(np.zeros((2, 2))), data_kind(iter([])), data_kind(None)
    ('array', 'generator', 'array')
"""
from __future__ import annotations

import collections.abc

import numpy as np

from neuronet.models.data_adapters.array_stream import ArrayStreamIterator, is_dask_array
from neuronet.models.data_adapters.batch_checks import BatchChecker, StreamDataError
from neuronet.models.data_adapters.stream_iterator import DatasetIterator, GeneratorIterator
from neuronet.models.sparse_rows import SparseRows, is_sparse
from neuronet.utils.py_dataset import PyDataset

__all__ = ["data_kind", "is_stream", "make_iterator", "evaluate_stream", "predict_stream",
           "StreamDataError", "BatchChecker"]


def data_kind(x):
    """'array' (what EpochIterator takes), 'chunked' (memmap, Dask array), 'generator' or 'dataset'; a
    TypeError for an iterable of any other kind (it would be read whole to make an array)."""
    if type(x) is np.ndarray:            # the common case first: predict on one row is ~15 us in all
        return "array"
    if isinstance(x, PyDataset):
        return "dataset"
    if isinstance(x, np.memmap) or is_dask_array(x):
        return "chunked"
    if isinstance(x, (np.ndarray, list, tuple, dict, str, bytes, SparseRows)) or x is None or np.isscalar(x) or \
            is_sparse(x) or \
            hasattr(x, "__array__") or hasattr(x, "__array_interface__") or hasattr(x, "to_numpy"):
        return "array"
    if isinstance(x, collections.abc.Iterator):
        return "generator"
    if isinstance(x, collections.abc.Iterable) or hasattr(x, "__getitem__"):
        kind = type(x).__name__
        raise TypeError(
            f"Unrecognized data type: x={kind} object. fit, evaluate and predict accept NumPy arrays (memmaps "
            "too), lists of numbers, pandas objects, Dask arrays, Python generators or iterators yielding "
            "(x, y) or (x, y, sample_weight) batches, and neuronet.utils.PyDataset (Keras' Sequence). "
            f"A {kind} with __len__ and __getitem__ that returns batches must subclass "
            f"neuronet.utils.PyDataset (class {kind}(PyDataset): ...); for an iterable of batches pass "
            f"iter(...) of it, with steps_per_epoch.")
    return "array"


def is_stream(x):
    """Whether ``x`` is read batch by batch (anything but an in-memory array); TypeError as data_kind."""
    return data_kind(x) != "array"


def make_iterator(model, x, y=None, sample_weight=None, *, batch_size=32, shuffle=False, rng=None,
                  steps=None, epochs=1, source="x", targets=True, class_weight=None, train=False):
    """The stream iterator for ``x``, its first batch read and checked (the model is built from it)."""
    kind = data_kind(x)
    if getattr(model, "several_outputs", False):
        raise ValueError(f"`{source}` is a stream ({type(x).__name__}), but the model has several outputs: "
                         "streams feed models of one input and one output. Pass in-memory arrays (lists or "
                         "dicts of them) for this model.")
    checker = BatchChecker(model, source, targets, class_weight, train)
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1):
        raise ValueError(f"Received an invalid value for the number of steps of `{source}`, expected None or "
                         f"a positive integer. Received: {steps!r}")
    if kind in ("generator", "dataset"):
        for name, value in (("y", y), ("sample_weight", sample_weight)):
            if value is not None:
                raise ValueError(f"`{name}` argument is not supported when `{source}` is a "
                                 f"{'generator' if kind == 'generator' else 'PyDataset'}: its batches carry "
                                 f"y (and sample_weight); received {name} of type {type(value).__name__}.")
    if kind == "generator":
        if steps is None and epochs > 1:
            name = "steps_per_epoch" if source == "x" else "validation_steps"
            raise ValueError(f"`{source}` is a generator and {name} is None: a generator can be read once, "
                             f"so with epochs={epochs} fit needs {name} (the batches per epoch; an endless "
                             f"generator `while True: yield ...` always needs it). Pass {name}="
                             "len(samples) // batch_size, or use a PyDataset.")
        iterator = GeneratorIterator(x, checker, steps, model)
    elif kind == "dataset":
        iterator = DatasetIterator(x, checker, steps, shuffle=shuffle, rng=rng, call_epoch_end=train)
    else:
        if targets and y is None:
            raise ValueError(f"`y` is required with an array `{source}` ({type(x).__name__} of shape "
                             f"{tuple(x.shape)}); pass the targets as y.")
        iterator = ArrayStreamIterator(x, y, sample_weight, checker, batch_size, shuffle, rng)
    iterator.rng = rng if rng is not None else np.random.default_rng(0)   # FitState saves its state
    iterator.peek()
    if train:
        checker.keep_weights()
    return iterator


def evaluate_stream(model, iterator, metrics, callbacks=None):
    """Loss (with regularization penalties) and metrics over a stream's batches, changing no weight."""
    for m in metrics:
        m.reset_state()
    hooks = callbacks is not None and (callbacks.has("on_test_batch_begin") or callbacks.has("on_test_batch_end"))
    loss_sum, seen = 0.0, 0
    last, fused = model.output_layer, model.fused_loss
    iterator.start_epoch()
    with np.errstate(under="ignore"):
        for batch, xb, yb, wb in iterator.batches():
            if hooks:
                callbacks.call("on_test_batch_begin", batch, {"batch": batch, "size": len(xb)})
            out = model.forward(xb, training=False)
            value = model.loss.batch_loss(yb, out, sample_weight=wb, logits=last.logits if fused else None)[0]
            loss_sum, seen = loss_sum + value * len(xb), seen + len(xb)
            for m in metrics:
                m.update_state(yb, out, wb)
            if hooks:
                callbacks.call("on_test_batch_end", batch, {"batch": batch, "size": len(xb),
                                                            "loss": loss_sum / seen})
    loss = loss_sum / max(seen, 1) + sum(layer.regularization_penalty() for layer in model.regularized_layers)
    logs = {"loss": loss}
    logs.update((m.name, m.result()) for m in metrics)
    return logs


def predict_stream(model, iterator, callbacks):
    """The outputs of every batch of a stream, stacked (the inputs are never all in memory)."""
    outputs = []
    callbacks.call("on_predict_begin", {})
    iterator.start_epoch()
    with np.errstate(under="ignore"):
        for batch, xb, _, _ in iterator.batches():
            callbacks.call("on_predict_batch_begin", batch, {})
            outputs.append(model.infer(xb))
            callbacks.call("on_predict_batch_end", batch, {"outputs": outputs[-1]})
    callbacks.call("on_predict_end", {})
    return np.concatenate(outputs) if outputs else np.empty((0, *model.output_sample_shape), model.dtype)
