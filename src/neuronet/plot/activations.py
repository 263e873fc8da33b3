"""Activation functions and their derivatives, one subplot each."""
from __future__ import annotations

import numpy as np

from neuronet.plot._common import finish, subplots

_DEFAULT_FIRST = ("linear", "sigmoid", "tanh", "relu")
_NOT_ELEMENTWISE = ("softmax",)  # its derivative is a Jacobian, not one curve


def activation_functions(names=None, path=None, x=None, ncols=3):
    """Each activation f (solid) and its derivative f'(x) (dashed), one subplot per activation.

    The derivative is the activation's own backward with an upstream gradient of ones,
    f'(x) = f.backward(x, f(x), 1), i.e. exactly what backpropagation uses. ``names`` defaults to every
    elementwise activation registered in ``neuronet.activations`` (softmax excluded), the notes' sigmoid,
    tanh, ReLU and identity first. ``x`` defaults to 401 points on [-5, 5]. Returns the Figure.

    >>> # neuronet.plot.activation_functions(['sigmoid', 'tanh', 'relu'], path='activations.png')
    """
    from neuronet import activations

    if names is None:
        names = _default_names(activations)
    elif isinstance(names, str):
        names = [names]
    fns = [(_label(n), activations.get(n)) for n in names]
    if not fns:
        raise ValueError("Received an invalid value for `names`, expected at least one activation name.")
    x = np.linspace(-5.0, 5.0, 401) if x is None else np.asarray(x, dtype=np.float64).reshape(-1)
    ncols = min(ncols, len(fns))
    nrows = -(-len(fns) // ncols)
    fig, axes = subplots(nrows, ncols, figsize=(3.6 * ncols, 2.9 * nrows), squeeze=False)
    for ax, (name, fn) in zip(axes.ravel(), fns):
        with np.errstate(all="ignore"):
            y, dy = _curves(fn, x)
        ax.plot(x, y, label=name)
        ax.plot(x, dy, linestyle="--", label=f"{name}'")
        ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
        ax.set_title(name)
        ax.set_xlabel("x")
        ax.set_ylabel("f(x)")
        ax.legend(loc="best")
    for ax in axes.ravel()[len(fns):]:
        ax.set_visible(False)
    return finish(fig, path)


def _default_names(activations):
    seen, names = set(), []
    registry = activations.ACTIVATIONS
    candidates = [n for n in _DEFAULT_FIRST if n in registry] + registry.names()
    for name in candidates:
        fn = registry.lookup(name)
        canonical = registry.canonical(name)
        if id(fn) in seen or canonical in _NOT_ELEMENTWISE or not hasattr(fn, "backward"):
            continue
        seen.add(id(fn))
        names.append(canonical if canonical in registry else name)
    return names


def _label(identifier):
    if isinstance(identifier, str):
        return identifier
    return getattr(identifier, "__name__", None) or type(identifier).__name__


def _curves(fn, x):
    """(f(x), f'(x)) for an activation function, or for an activation layer object (LeakyReLU(0.1))."""
    from neuronet.layers import Layer

    if isinstance(fn, Layer):
        if not fn.built:
            fn.build((1,))
        fn.needs_input_grad = True
        y = fn.forward(x.reshape(-1, 1).astype(fn.dtype), training=False)
        dy = fn.backward(np.ones_like(y))
        return np.asarray(y, dtype=np.float64).ravel(), np.asarray(dy, dtype=np.float64).ravel()
    y = fn(x)
    return np.asarray(y, dtype=np.float64), np.asarray(fn.backward(x, y, np.ones_like(x)), dtype=np.float64)
