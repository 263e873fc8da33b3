"""The tape: the layer calls of one forward pass through a graph of layers, replayed in reverse by backward.

No autograd engine: each recorded call is a layer with its own ``forward`` and ``backward``. Backward visits
the calls from the last to the first, hands each layer dL/d(its output) and routes dL/d(its inputs) back to
the values they came from. A value used by several calls (fan-out) receives the sum of their gradients, the
chain rule's sum over paths:

    dL/dv = sum over the calls c reading v of  dL/d(input of c)

A layer called more than once shares its weights: each call runs on its own shallow copy of the layer
(the same weight arrays, its own cache of x and z), and its weight gradients add up over the calls.

Subclassed models record through it: during ``call(x)`` the model hands layers ``Tracked`` arrays, and
``layer(x)`` on one is recorded here instead of running alone.
"""
from __future__ import annotations

import contextlib
import copy
import threading

import numpy as np

_ACTIVE = threading.local()


def current_tape():
    """The tape recording in this thread, or None."""
    return getattr(_ACTIVE, "tape", None)


class Tracked(np.ndarray):
    """An array a subclassed model's ``call`` passes between layers while the tape records. NumPy arithmetic
    on it is refused: outside layers the tape could not carry its gradient back."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        raise TypeError(_ARITHMETIC)

    def __array_function__(self, func, types, args, kwargs):
        raise TypeError(_ARITHMETIC)


_ARITHMETIC = ("Array arithmetic on a layer's output inside a model's call() cannot be trained: neuronet "
               "computes gradients layer by layer, so combine values with merge layers (Add()([a, b]) for a + b, "
               "Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot) and reshape with Reshape or "
               "Flatten.")


def plain(x):
    """A Tracked array (or a list of them) as plain ndarrays."""
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x.view(np.ndarray) if isinstance(x, Tracked) else x


def call_copy(layer):
    """A copy of ``layer`` for another call in the same forward pass: the same weight arrays, its own cache
    of x and z (a model's ``call_copy`` copies its layers the same way)."""
    return layer.call_copy() if hasattr(layer, "call_copy") else copy.copy(layer)


class Record:
    __slots__ = ("layer", "runner", "inputs", "output", "keep")

    def __init__(self, layer, runner, inputs, output, keep):
        self.layer, self.runner, self.inputs, self.output, self.keep = layer, runner, inputs, output, keep


class Tape:
    """Records ``(layer, input keys, output key)`` per call; ``backward`` replays them in reverse."""

    def __init__(self):
        self.records = []
        self._calls = {}

    @contextlib.contextmanager
    def recording(self):
        previous = current_tape()
        _ACTIVE.tape = self
        try:
            yield self
        finally:
            _ACTIVE.tape = previous

    def run(self, layer, inputs, input_keys, output_key, training):
        """Run ``layer`` on ``inputs`` (an array, or a list for a merge layer) and record the call."""
        calls = self._calls.get(id(layer), 0)
        self._calls[id(layer)] = calls + 1
        runner = layer if calls == 0 else call_copy(layer)      # a second call: its own cache, same weights
        previous = getattr(_ACTIVE, "tape", None)
        if previous is None:
            out = runner.forward(inputs, training)
        else:
            _ACTIVE.tape = None                                   # a nested model records its own calls
            try:
                out = runner.forward(inputs, training)
            finally:
                _ACTIVE.tape = previous
        self.records.append(Record(layer, runner, input_keys, output_key, out))
        return out

    def call(self, layer, x, training=False):
        """``layer(x)`` inside a subclassed model's call(): build, run and record; the output is Tracked."""
        many = isinstance(x, (list, tuple))
        values = [plain(v) for v in x] if many else plain(x)
        if not layer.built:
            layer.build([v.shape[1:] for v in values] if many else values.shape[1:])
        keys = [id(v) for v in x] if many else [id(x)]
        out = self.run(layer, values, keys, None, training).view(Tracked)
        self.records[-1].output = id(out)
        self.records[-1].keep = (x, out)                          # ids stay unique while the tape lives
        return out

    def backward(self, grads, from_logits_key=None):
        """Replay the calls in reverse. ``grads`` maps output keys to dL/d(value); returns the map with the
        gradients of the values no call produced (the model's inputs). For ``from_logits_key`` the gradient
        is dL/dz of the layer producing it (the fused sigmoid/softmax + cross-entropy gradient)."""
        remaining = dict(self._calls)
        for rec in reversed(self.records):
            g = grads.pop(rec.output, None)
            if g is None:
                continue                                          # the value does not reach the loss
            layer, runner = rec.layer, rec.runner
            remaining[id(layer)] -= 1
            shared = self._calls[id(layer)] > 1 and remaining[id(layer)] < self._calls[id(layer)] - 1
            saved = [g.copy() for g in layer.gradient_arrays()] if shared else None
            if rec.output == from_logits_key:
                dx = runner.backward_from_logits(g)
            else:
                dx = runner.backward(g)
            if saved:                                             # weights shared by several calls: sum
                for g, before in zip(layer.gradient_arrays(), saved):
                    g += before
            if dx is None:
                continue
            for key, gx in zip(rec.inputs, dx if isinstance(dx, (list, tuple)) else [dx]):
                grads[key] = gx if key not in grads else grads[key] + gx    # fan-out: the sum over paths
        for rec in self.records:            # a layer whose output reached no loss: its gradient is 0
            if remaining.get(id(rec.layer)) == self._calls[id(rec.layer)]:
                for g in rec.layer.gradient_arrays():
                    g[...] = 0
        return grads
