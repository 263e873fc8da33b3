"""Symbolic tensors: what ``Input(...)`` returns and what calling a layer on one gives, so that models can
be written as graphs of layers (Keras' functional API) before any data exists.

    >>> from neuronet.layers import Input, Dense
    >>> x = Input(shape=(13,), name="features")
    >>> h = Dense(8, activation="relu")(x)
    >>> h.shape
    (None, 8)

Each call of a layer on symbolic tensors records a ``Node`` (the layer, its input tensors, its output
tensor); a model walks the nodes from its outputs back to its inputs. Python arithmetic on a symbolic
tensor is refused: a graph holds layers only (``Add()([a, b])`` instead of ``a + b``), so it can be saved
and loaded without running code.
"""
from __future__ import annotations

import itertools

_IDS = itertools.count()


class Node:
    """One call of ``layer`` on symbolic ``inputs`` (a list of KerasTensors), giving ``outputs`` (a list)."""

    def __init__(self, layer, inputs, outputs):
        self.layer, self.inputs, self.outputs = layer, list(inputs), list(outputs)

    def __repr__(self):
        return f"<Node {self.layer.name}: {[t.name for t in self.inputs]} -> {[t.name for t in self.outputs]}>"


class KerasTensor:
    """A symbolic tensor: the ``shape`` (batch axis None) and ``dtype`` of a value that a graph of layers
    will compute, and the ``node`` (layer call) producing it."""

    def __init__(self, shape, dtype=None, node=None, name=None):
        self.shape, self.dtype, self.node = tuple(shape), dtype, node
        self.id = next(_IDS)
        self.name = name or f"keras_tensor_{self.id}"

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        producer = f", produced by {self.node.layer.name!r}" if self.node is not None else ""
        return f"<KerasTensor shape={self.shape}, name={self.name!r}{producer}>"

    def _refuse(self, *args, **kwargs):
        raise TypeError(
            f"A symbolic tensor ({self!r}) cannot take part in Python or NumPy arithmetic: a neuronet graph holds "
            "layers only, so that it can be saved and loaded without running code. Use a merge layer instead: "
            "Add()([a, b]) for a + b, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot; "
            "Reshape or Flatten for reshaping.")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __matmul__ = __rmatmul__ = __pow__ = __neg__ = __abs__ = __getitem__ = __array__ = __len__ = _refuse
    __floordiv__ = __mod__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __iter__ = _refuse
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        self._refuse()

    def __array_function__(self, func, types, args, kwargs):
        self._refuse()


def is_symbolic(x) -> bool:
    """Whether ``x`` is a KerasTensor or a list/tuple holding one."""
    if isinstance(x, KerasTensor):
        return True
    return isinstance(x, (list, tuple)) and any(isinstance(t, KerasTensor) for t in x)


def symbolic_call(layer, inputs):
    """Call ``layer`` on symbolic ``inputs`` (one KerasTensor, or a list for a merge layer): build it for
    their shapes (or check them against the shapes it was built for) and record the call."""
    many = isinstance(inputs, (list, tuple))
    tensors = list(inputs) if many else [inputs]
    if not all(isinstance(t, KerasTensor) for t in tensors):
        raise TypeError(f"Layer {layer.name!r} was called on a mix of symbolic tensors and arrays: "
                        f"{[type(t).__name__ for t in tensors]}. Call layers on the outputs of Input(...) or "
                        "of other layers only.")
    shapes = [t.shape[1:] for t in tensors]
    shape = shapes if many else shapes[0]
    if not layer.built:
        layer.build(shape)
    elif layer.input_sample_shape != (list(shape) if many else tuple(shape)):
        built_for = layer.input_sample_shape
        raise ValueError(f"Layer {layer.name!r} was built for inputs of shape {_batched(built_for)} and is now "
                         f"called on {_batched(shape)}. A layer reused in a graph shares its weights, so it must "
                         "receive inputs of the shape it was built for; create a new layer for other shapes.")
    out = KerasTensor((None, *layer.output_sample_shape), dtype=layer.dtype)
    out.node = Node(layer, tensors, [out])
    layer.inbound_nodes.append(out.node)
    return out


def _batched(shape):
    if isinstance(shape, list):
        return [(None, *s) for s in shape]
    return (None, *shape)
