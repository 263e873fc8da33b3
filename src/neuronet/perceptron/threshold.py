"""The threshold perceptron of the notes and the logic gates built from it.

A perceptron with weights w, bias b and threshold theta outputs

    y = 0   if w1*x1 + w2*x2 + b <= theta
    y = 1   if w1*x1 + w2*x2 + b >  theta

    >>> from neuronet.perceptron import and_gate, xor_gate
    >>> [and_gate(x1, x2) for x1, x2 in [(0, 0), (1, 0), (0, 1), (1, 1)]]
    [0, 0, 0, 1]
    >>> [xor_gate(x1, x2) for x1, x2 in [(0, 0), (1, 0), (0, 1), (1, 1)]]
    [0, 1, 1, 0]
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np


class Line(NamedTuple):
    """The separation line x2 = slope * x1 + intercept (the notes' x2 = beta_1 x1 + beta_2)."""
    slope: float
    intercept: float


def separation_line(weights, bias=0.0, theta=0.0) -> Line:
    """Where w1*x1 + w2*x2 + b = theta: x2 = -(w1/w2) x1 + (theta - b)/w2.

    The notes print the slope as +w1/w2; solving w2*x2 = -w1*x1 - b + theta gives -w1/w2.
    A zero ``w2`` has no such line (it is vertical, x1 = (theta - b)/w1): a ValueError says so.

    >>> separation_line([0.3, 0.3], bias=0.1, theta=0.5)    # AND: x2 = -x1 + 4/3
    Line(slope=-1.0, intercept=1.3333333333333335)
    """
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    if w.size != 2:
        raise ValueError(f"A separation line needs exactly 2 weights (inputs x1, x2); received "
                         f"weights={w.tolist()}. With n inputs the boundary is a hyperplane.")
    w1, w2 = float(w[0]), float(w[1])
    if w2 == 0.0:
        where = f"x1 = (theta - b)/w1 = {(theta - bias) / w1!r}" if w1 != 0.0 else \
            "and with w1 = 0 too there is no line at all: the output is constant"
        raise ValueError(f"Received weights={w.tolist()}: with w2 = 0 the line w1*x1 + w2*x2 + b = theta is "
                         f"vertical, {where}, so it has no slope or intercept in x2 = slope * x1 + intercept. "
                         f"neuronet.plot.decision_boundary draws it; or give w2 a non-zero value.")
    return Line(slope=-w1 / w2 + 0.0, intercept=(float(theta) - float(bias)) / w2 + 0.0)   # + 0.0: no -0.0


class Perceptron:
    """A fixed threshold unit: y = 1 if w . x + b > theta else 0 (the notes' rule, ``<=`` gives 0).

    ``weights`` is one number per input; ``bias`` and ``theta`` are numbers. Calling it accepts the
    inputs as separate arguments (``p(x1, x2)``, each a number or an array, broadcast together) or as
    one array whose last axis holds the inputs (``p(X)`` with X of shape (n, 2)). Scalars give a Python
    int, arrays an int array.

    The notes' two examples (theta = 0):
    >>> round(Perceptron([0.4, 0.5], bias=-0.8).net_input(1.0, 0.4), 12)    # 0.4*1.0 + 0.5*0.4 - 0.8
    -0.2
    >>> Perceptron([0.4, 0.5], bias=-0.8)(1.0, 0.4), Perceptron([0.8, 0.5], bias=-0.2)(0.5, 1.2)
    (0, 1)
    """

    def __init__(self, weights, bias=0.0, theta=0.0, name=None):
        w = np.asarray(weights, dtype=np.float64).reshape(-1)
        if w.size == 0 or not np.isfinite(w).all():
            raise ValueError(f"Received an invalid value for `weights`, expected a non-empty sequence of "
                             f"finite numbers. Received: weights={weights!r}")
        for arg, value in (("bias", bias), ("theta", theta)):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(value):
                raise ValueError(f"Received an invalid value for `{arg}`, expected a finite number. "
                                 f"Received: {arg}={value!r}")
        self.weights = w
        self.bias, self.theta = float(bias), float(theta)
        self.name = name

    @property
    def n_inputs(self) -> int:
        return self.weights.size

    def _stack(self, inputs):
        if len(inputs) == 1:
            x = np.asarray(inputs[0], dtype=np.float64)
            if x.ndim == 0 and self.n_inputs == 1:
                x = x.reshape(1)
        elif len(inputs) == self.n_inputs:
            x = np.stack(np.broadcast_arrays(*[np.asarray(v, dtype=np.float64) for v in inputs]), axis=-1)
        else:
            raise ValueError(f"This perceptron has {self.n_inputs} inputs; received {len(inputs)} "
                             f"arguments. Pass the inputs one by one (p(x1, x2)) or as one array whose "
                             f"last axis has length {self.n_inputs}.")
        if x.shape[-1:] != (self.n_inputs,):
            raise ValueError(f"Expected inputs with a last axis of length {self.n_inputs}; received an "
                             f"array of shape {x.shape}.")
        return x

    def net_input(self, *inputs):
        """a = w . x + b (a float for one sample, an array otherwise)."""
        a = self._stack(inputs) @ self.weights + self.bias
        return float(a) if np.ndim(a) == 0 else a

    def decision_function(self, X):
        """w . x + b - theta for every row of X, shape (n_samples, n_inputs): positive means 1.

        >>> AND.decision_function([[1, 1], [1, 0]]).round(6).tolist()
        [0.2, -0.1]
        """
        return self._rows(X) @ self.weights + self.bias - self.theta

    def predict(self, X):
        """The outputs (0 or 1, an int array) for the rows of X, shape (n_samples, n_inputs), as
        scikit-learn's predict: 1 where w . x + b > theta.

        >>> OR.predict([[0, 0], [1, 0], [0, 1], [1, 1]]).tolist()
        [0, 1, 1, 1]
        """
        return (self._rows(X) @ self.weights + self.bias > self.theta).astype(np.int64)

    def boundary(self) -> Line:
        """The separation line of a 2-input perceptron, ``Line(slope, intercept)``:
        x2 = -(w1/w2) x1 + (theta - b)/w2. A ValueError explains a vertical line (w2 = 0).

        >>> Perceptron([0.5, 0.5], bias=0.1, theta=0.5).boundary()        # OR: x2 = -x1 + 0.8
        Line(slope=-1.0, intercept=0.8)
        """
        return separation_line(self.weights, self.bias, self.theta)

    def _rows(self, X):
        x = np.asarray(X, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.n_inputs:
            raise ValueError(f"Received an invalid value for `X`, expected an array of shape (n_samples, "
                             f"{self.n_inputs}). Received: shape {x.shape}; for one sample pass [[x1, x2, ...]] "
                             f"or call the perceptron, p(x1, x2).")
        return x

    def __call__(self, *inputs):
        """0 where w . x + b <= theta, else 1."""
        a = self.net_input(*inputs)
        if np.ndim(a) == 0:
            return int(a > self.theta)
        return (a > self.theta).astype(np.int64)

    def __repr__(self):
        label = f"name={self.name!r}, " if self.name else ""
        return (f"Perceptron({label}weights={self.weights.tolist()}, bias={self.bias}, "
                f"theta={self.theta})")


# The notes' Python gates ("5. Logic Gate with Python"): (w1, w2, b, theta).
AND = Perceptron([0.3, 0.3], bias=0.1, theta=0.5, name="AND")
OR = Perceptron([0.5, 0.5], bias=0.1, theta=0.5, name="OR")
NAND = Perceptron([-0.2, -0.2], bias=-0.2, theta=-0.5, name="NAND")


def and_gate(x1, x2):
    """AND: 1 only when both inputs are 1; w = (0.3, 0.3), b = 0.1, theta = 0.5. Vectorized.

    >>> and_gate(1, 1), and_gate(1, 0)
    (1, 0)
    """
    return AND(x1, x2)


def or_gate(x1, x2):
    """OR: 1 when at least one input is 1; w = (0.5, 0.5), b = 0.1, theta = 0.5. Vectorized.

    >>> or_gate(0, 0), or_gate(0, 1)
    (0, 1)
    """
    return OR(x1, x2)


def nand_gate(x1, x2):
    """NAND (not AND): 0 only when both inputs are 1; w = (-0.2, -0.2), b = -0.2, theta = -0.5.

    >>> nand_gate(1, 1), nand_gate(0, 1)
    (0, 1)
    """
    return NAND(x1, x2)


def xor_gate(x1, x2):
    """XOR as the notes' two-layer perceptron: s1 = NAND(x1, x2), s2 = OR(x1, x2), y = AND(s1, s2).

    No single perceptron can do it (no line separates {(1,0), (0,1)} from {(0,0), (1,1)}).

    >>> import numpy as np
    >>> xor_gate(np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1]))
    array([0, 1, 1, 0])
    """
    return and_gate(nand_gate(x1, x2), or_gate(x1, x2))


INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])  # the notes' row order


def truth_table(gate, print_table=False):
    """The truth table of a two-input gate as a DataFrame with columns x_1, x_2, y, in the notes' row
    order (0 0, 1 0, 0 1, 1 1); ``print_table=True`` also prints it tab-separated as the notes do.

    >>> truth_table(or_gate)["y"].tolist()
    [0, 1, 1, 1]
    """
    import pandas as pd

    y = np.asarray(gate(INPUTS[:, 0], INPUTS[:, 1])).astype(np.int64).reshape(-1)
    table = pd.DataFrame({"x_1": INPUTS[:, 0], "x_2": INPUTS[:, 1], "y": y})
    if print_table:
        print(format_truth_table(table))
    return table


def format_truth_table(table) -> str:
    """The table as the notes print it: a header line then one tab-separated row per input pair."""
    lines = ["\t".join(table.columns)]
    lines += ["\t".join(str(v) for v in row) for row in table.itertuples(index=False)]
    return "\n".join(lines)
