"""Weight penalties added to the loss (and their gradients to the weights' gradients).

    L1:    penalty = l1 * sum(|W|)        gradient = l1 * sign(W)
    L2:    penalty = l2 * sum(W^2)        gradient = 2 * l2 * W
    L1L2:  both.
    OrthogonalRegularizer: factor * mean over pairs i != j of |u_i . u_j|, u_i the L2-normalized rows
                           (or columns) of W (Keras 3).

    >>> from neuronet import regularizers
    >>> reg = regularizers.l2(0.01)          # Keras: keras.regularizers.l2(0.01)
"""
from __future__ import annotations

import numpy as np

from neuronet.registry import Registry
from neuronet.utils.validation import check_number

REGULARIZERS = Registry("regularizer", instantiate=True)


@REGULARIZERS.register(name="L1L2", aliases=("l1_l2",))
class L1L2:
    """penalty = l1 * sum(|W|) + l2 * sum(W^2); gradient = l1 * sign(W) + 2 * l2 * W."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = check_number(l1, "l1", minimum=0), check_number(l2, "l2", minimum=0)

    def __call__(self, w) -> float:
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * float(np.sum(np.abs(w)))
        if self.l2:
            penalty += self.l2 * float(np.sum(np.square(w)))
        return penalty

    def gradient(self, w):
        grad = np.zeros_like(w)
        if self.l1:
            grad += self.l1 * np.sign(w)
        if self.l2:
            grad += (2.0 * self.l2) * w
        return grad

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}(l1={self.l1}, l2={self.l2})"


@REGULARIZERS.register(name="L1", aliases=("l1",))
class L1(L1L2):
    """penalty = l1 * sum(|W|); gradient = l1 * sign(W). Keras' default l1=0.01."""

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


@REGULARIZERS.register(name="L2", aliases=("l2",))
class L2(L1L2):
    """penalty = l2 * sum(W^2); gradient = 2 * l2 * W. Keras' default l2=0.01."""

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


@REGULARIZERS.register(name="OrthogonalRegularizer", aliases=("orthogonal_regularizer",))
class OrthogonalRegularizer:
    """Pushes the rows (``mode='rows'``) or columns of a 2-D weight towards being orthogonal (Keras 3):

        u_i = w_i / ||w_i||                  (rows of W; columns: the rows of W.T)
        P   = U U^T                          (P_ij = cosine of the angle between w_i and w_j)
        penalty = factor * 0.5 * sum_{i != j} |P_ij| / (n (n - 1) / 2)

    Gradient, with S = sign(P) off the diagonal and c = factor / (n (n - 1)):
        dpenalty/dU = 2 c S U;   dpenalty/dw_i = (g_i - (g_i . u_i) u_i) / ||w_i||   (g = dpenalty/dU)

    >>> import numpy as np
    >>> round(OrthogonalRegularizer(factor=1.0)(np.array([[1.0, 0.0], [1.0, 1.0]])), 4)   # cos 45 degrees
    0.7071
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = check_number(factor, "factor", minimum=0)
        if mode not in ("rows", "columns"):
            raise ValueError(f"Received an invalid value for `mode`, expected 'rows' or 'columns'. "
                             f"Received: mode={mode!r}")
        self.mode = mode

    def _normalized(self, w):
        w = np.asarray(w)
        if w.ndim != 2:
            raise ValueError(f"OrthogonalRegularizer needs a 2-D weight (a Dense kernel); received shape {w.shape}.")
        v = w if self.mode == "rows" else w.T
        norm = np.sqrt(np.maximum(np.sum(v * v, axis=1, keepdims=True), 1e-12))   # Keras' l2_normalize
        return v, v / norm, norm

    def __call__(self, w) -> float:
        _, u, _ = self._normalized(w)
        n = u.shape[0]
        if n < 2:
            return 0.0
        off_diagonal = np.abs(u @ u.T).sum() - np.abs(np.einsum("ij,ij->i", u, u)).sum()
        return self.factor * float(off_diagonal) / (n * (n - 1))

    def gradient(self, w):
        v, u, norm = self._normalized(w)
        n = u.shape[0]
        if n < 2:
            return np.zeros_like(w)
        s = np.sign(u @ u.T)
        np.fill_diagonal(s, 0.0)
        g = (2.0 * self.factor / (n * (n - 1))) * (s @ u)
        grad = (g - np.sum(g * u, axis=1, keepdims=True) * u) / norm
        return (grad if self.mode == "rows" else grad.T).astype(np.asarray(w).dtype, copy=False)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"OrthogonalRegularizer(factor={self.factor}, mode={self.mode!r})"


l1, l2, l1_l2 = L1, L2, L1L2  # keras.regularizers.l1(0.01) spelling
orthogonal_regularizer = OrthogonalRegularizer


def get(identifier):
    return REGULARIZERS.get(identifier)


def serialize(reg):
    if reg is None:
        return None
    if hasattr(reg, "get_config"):
        return {"class_name": type(reg).__name__, "config": reg.get_config()}
    raise ValueError(f"Cannot serialize regularizer {reg!r}: it needs a get_config() method.")
