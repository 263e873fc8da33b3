"""Merge layers: one output from a list of inputs (Keras' ``keras.layers.Add``, ``Multiply``, ...).

A merge layer's ``build`` receives a list of per-sample shapes, ``forward`` a list of arrays and
``backward(g)`` returns a list: dL/dx_i for each input, each of that input's shape. The elementwise ones
broadcast as Keras does: per-sample shapes are aligned from the right (an input of lower rank gets axes
of size 1 after its batch axis) and an axis of size 1 stretches to the other inputs' size; backward sums
the gradient back over the axes an input was stretched along. Concatenate and Dot, which merge along
an axis, live in concatenate.py and dot.py.

    >>> import numpy as np
    >>> from neuronet.layers import Add
    >>> Add()([np.ones((2, 3)), np.full((2, 3), 2.0)])
    array([[3., 3., 3.],
           [3., 3., 3.]])
"""
from functools import reduce

import numpy as np

from neuronet import config as _config
from neuronet.layers.symbolic import is_symbolic
from neuronet.layers.tape import current_tape
from neuronet.layers.base import Layer


def _batched(shapes):
    """Shapes as Keras prints them, with the batch axis: [(None, 3), (None, 4)]."""
    return [(None, *s) for s in shapes]


class Merge(Layer):
    """Base of the merge layers: ``__call__`` and ``build`` take a list; subclasses give ``forward`` and
    ``backward`` (or ``_merge`` and ``_merge_backward`` for the elementwise ones).

    The arrays ``backward`` returns may share memory with ``g`` and with each other (Add returns g itself
    for every input, Concatenate views of g): a caller summing gradients must add them into its own
    array, never into one of these in place."""

    def build(self, input_shapes):
        if (not isinstance(input_shapes, (list, tuple)) or not input_shapes
                or not all(isinstance(s, (list, tuple)) for s in input_shapes)):
            raise ValueError("A merge layer should be called on a list of inputs. "
                             f"Received: input_shape={input_shapes} (not a list of shapes)")
        self.dtype = _config.resolve_dtype(self._dtype_arg)
        self.input_shape = [tuple(int(d) for d in s) for s in input_shapes]
        self.output_shape = tuple(self.compute_output_shape(self.input_shape))
        self.built = True

    def compute_output_shape(self, input_shapes):
        """Keras' broadcast of per-sample shapes, aligned from the right; size 1 stretches."""
        out = tuple(input_shapes[0])
        for shape in input_shapes[1:]:
            long, short = (out, tuple(shape)) if len(out) >= len(shape) else (tuple(shape), out)
            tail = []
            for i, j in zip(long[len(long) - len(short):], short):
                if i != j and 1 not in (i, j):
                    raise ValueError(f"Inputs have incompatible shapes. Received shapes {long} and {short}")
                tail.append(j if i == 1 else i)
            out = long[:len(long) - len(short)] + tuple(tail)
        return out

    def __call__(self, inputs, training=False):
        """Merge concrete arrays: builds from their shapes on the first call, then runs forward. On symbolic
        tensors (or inside a model's call()), records the call as every layer does."""
        if is_symbolic(inputs) or current_tape() is not None:
            return super().__call__(inputs, training)
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs. Received: inputs of type "
                             f"{type(inputs).__name__} with shape {np.shape(inputs)} (not a list of tensors)")
        arrays = [np.asarray(x) for x in inputs]
        if len({len(a) if a.ndim else None for a in arrays}) > 1:
            raise ValueError("Cannot merge tensors with different batch sizes. "
                             f"Received tensors with shapes {[a.shape for a in arrays]}")
        if not self.built:
            self.build([a.shape[1:] for a in arrays])
        with np.errstate(under="ignore"):
            return self.forward(arrays, training=training)

    # ---- the elementwise merges: broadcast, merge, and sum the gradient back -------------------------------
    def forward(self, inputs, training=False):
        rank = max(x.ndim for x in inputs)
        self._shapes = [x.shape for x in inputs]
        # a lower-rank input gets size-1 axes after its batch axis (Keras' expand_dims(x, 1))
        self._xs = [x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in inputs]
        return self._merge(self._xs)

    def backward(self, grad):
        return [_unbroadcast(g, x.shape).reshape(shape)
                for g, x, shape in zip(self._merge_backward(grad), self._xs, self._shapes)]

    def _merge(self, xs):  # pragma: no cover - abstract
        raise NotImplementedError

    def _merge_backward(self, grad):  # pragma: no cover - abstract
        raise NotImplementedError


def _unbroadcast(g, shape):
    """Sum g over the axes where an input of ``shape`` (same rank) was stretched from size 1."""
    axes = tuple(i for i, (n, m) in enumerate(zip(shape, g.shape)) if n == 1 and m != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


class Add(Merge):
    """y = x_1 + x_2 + ... + x_n;  backward: dL/dx_i = g.

    >>> Add()([np.array([[1.0, 2.0]]), np.array([[10.0, 20.0]])])
    array([[11., 22.]])
    """

    def _merge(self, xs):
        return reduce(np.add, xs)

    def _merge_backward(self, grad):
        return [grad] * len(self._xs)


class Subtract(Merge):
    """y = x_1 - x_2 (exactly two inputs);  backward: dL/dx_1 = g, dL/dx_2 = -g.

    >>> Subtract()([np.array([[5.0, 5.0]]), np.array([[1.0, 2.0]])])
    array([[4., 3.]])
    """

    def build(self, input_shapes):
        super().build(input_shapes)
        if len(input_shapes) != 2:
            self.built = False
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={_batched(input_shapes)}")

    def _merge(self, xs):
        return xs[0] - xs[1]

    def _merge_backward(self, grad):
        return [grad, -grad]


class Multiply(Merge):
    """y = x_1 * x_2 * ... * x_n (elementwise);  backward: dL/dx_i = g * prod_{j != i} x_j.

    >>> Multiply()([np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]]), np.array([[2.0, 2.0]])])
    array([[ 6., 16.]])
    """

    def _merge(self, xs):
        return reduce(np.multiply, xs)

    def _merge_backward(self, grad):
        # the product of the others, not y / x_i: exact where some x_i is 0
        return [reduce(np.multiply, [x for j, x in enumerate(self._xs) if j != i], grad)
                for i in range(len(self._xs))]


class Average(Merge):
    """y = (x_1 + ... + x_n) / n;  backward: dL/dx_i = g / n.

    >>> Average()([np.array([[1.0, 2.0]]), np.array([[3.0, 6.0]])])
    array([[2., 4.]])
    """

    def _merge(self, xs):
        return reduce(np.add, xs) / len(xs)

    def _merge_backward(self, grad):
        return [grad / len(self._xs)] * len(self._xs)


class Maximum(Merge):
    """y = max_i x_i (elementwise);  backward: dL/dx_i = g where x_i is the maximum, 0 elsewhere.

    Ties: the gradient goes to the first input (in list order) that holds the maximum, as ``np.argmax``
    picks and as Keras' TensorFlow backend routes it (its maximum's gradient goes to the left operand
    where x >= y, and the inputs are folded from the left); the other tied inputs get 0.

    >>> Maximum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])
    array([[3., 5.]])
    """

    pick = staticmethod(np.argmax)

    def _merge(self, xs):
        stacked = np.stack(np.broadcast_arrays(*xs))
        self._winner = self.pick(stacked, axis=0)
        return np.take_along_axis(stacked, self._winner[None], axis=0)[0]

    def _merge_backward(self, grad):
        return [np.where(self._winner == i, grad, 0) for i in range(len(self._xs))]


class Minimum(Maximum):
    """y = min_i x_i (elementwise);  backward: dL/dx_i = g where x_i is the minimum, 0 elsewhere.

    Ties: the gradient goes to the first input that holds the minimum (``np.argmin``), as for Maximum.

    >>> Minimum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])
    array([[1., 2.]])
    """

    pick = staticmethod(np.argmin)


def _full_axis(axis, rank, what, value):
    """A Keras axis (0 is the batch axis, negatives count from the end) as an index into a rank-``rank``
    batched array; refuses the batch axis and axes out of range."""
    full = axis + rank if axis < 0 else axis
    if not 1 <= full < rank:
        raise ValueError(f"Received an invalid value for `{what}`: axis {axis} is "
                         f"{'the batch axis' if full == 0 else 'out of range'} for inputs of rank {rank} "
                         f"(batch axis included); use an axis from 1 to {rank - 1} or from -{rank - 1} to -1. "
                         f"Received: {what}={value!r}")
    return full


# ---- Keras' functional spellings: create the layer and call it on the inputs -------------------------------
def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)
