"""Dot: the batchwise dot product of two inputs (Keras' ``keras.layers.Dot``)."""
import numpy as np

from neuronet.layers.merge import Merge, _batched, _full_axis


class Dot(Merge):
    """Batchwise dot product of two inputs along ``axes`` (Keras' axes: 0 is the batch axis).

    With a = x_1's axis, b = x_2's axis and k running over their common size,
        y[n, i..., j...] = sum_k x_1[n, i..., k (at a)] * x_2[n, k (at b), j...]
    that is, with X = x_1 moved to (n, P, K) and Y = x_2 to (n, K, Q):  y = X @ Y, shape (n, P, Q)
    reshaped to x_1's other axes then x_2's (to (n, 1) when none is left). Backward, with g of shape
    (n, P, Q):  dL/dX = g @ Y^T;  dL/dY = X^T @ g.

    normalize=True dots v_i = x_i / max(||x_i||, eps) (the l2 norm along the dot axis, eps = 1e-7, as
    Keras' ``ops.normalize``): the cosine similarity. Its backward adds the normalisation's Jacobian:
        dL/dx_i = (dL/dv_i - v_i * sum_k(v_i * dL/dv_i)) / ||x_i||   where ||x_i|| > eps,
        dL/dx_i = dL/dv_i / eps                                       where the norm is clamped.

    >>> Dot(axes=1)([np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])])
    array([[11.]])
    >>> Dot(axes=1, normalize=True)([np.array([[3.0, 4.0]]), np.array([[3.0, 4.0]])]).round(6)
    array([[1.]])
    """

    epsilon = 1e-7

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2:
                raise ValueError("Invalid format for argument `axes`: it should contain two elements. "
                                 f"Received: axes={axes}")
            if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
                raise ValueError("Invalid format for argument `axes`: list elements should be integers. "
                                 f"Received: axes={axes}")
            axes = [int(a) for a in axes]
        elif not isinstance(axes, (int, np.integer)) or isinstance(axes, bool):
            raise TypeError(f"Invalid type for argument `axes`: it should be a list or an int. Received: axes={axes}")
        else:
            axes = int(axes)
        self.axes = axes
        self.normalize = bool(normalize)

    def _full_axes(self, rank1, rank2):
        axes = self.axes if isinstance(self.axes, list) else [self.axes, self.axes]
        return [_full_axis(a, r, "axes", self.axes) for a, r in zip(axes, (rank1, rank2))]

    def compute_output_shape(self, input_shapes):
        if len(input_shapes) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. "
                             f"Received: input_shape={_batched(input_shapes)}")
        s1, s2 = (list(s) for s in input_shapes)
        a1, a2 = (a - 1 for a in self._full_axes(len(s1) + 1, len(s2) + 1))   # per-sample indices
        if s1[a1] != s2[a2]:
            raise ValueError(f"Incompatible input shapes: axis values {s1[a1]} (at axis {a1 + 1}) != {s2[a2]} "
                             f"(at axis {a2 + 1}). Full input shapes: {(None, *s1)}, {(None, *s2)}")
        del s1[a1], s2[a2]
        return tuple(s1 + s2) or (1,)

    def forward(self, inputs, training=False):
        x1, x2 = inputs
        a1, a2 = self._full_axes(x1.ndim, x2.ndim)
        self._axes_used = a1, a2
        if self.normalize:
            (x1, self._norm1), (x2, self._norm2) = self._l2_normalize(x1, a1), self._l2_normalize(x2, a2)
        self._v1, self._v2 = x1, x2
        X, Y = np.moveaxis(x1, a1, -1), np.moveaxis(x2, a2, 1)         # (n, P..., K), (n, K, Q...)
        self._X_shape, self._Y_shape = X.shape, Y.shape
        n, k = X.shape[0], X.shape[-1]
        self._X, self._Y = X.reshape(n, -1, k), Y.reshape(n, k, -1)     # (n, P, K), (n, K, Q)
        y = self._X @ self._Y                                             # y = X @ Y
        return y.reshape((n, *X.shape[1:-1], *Y.shape[2:]) if X.ndim + Y.ndim > 4 else (n, 1))

    def backward(self, grad):
        n = grad.shape[0]
        g = grad.reshape(n, self._X.shape[1], self._Y.shape[2])          # (n, P, Q)
        dX = g @ self._Y.transpose(0, 2, 1)                               # dL/dX = g @ Y^T
        dY = self._X.transpose(0, 2, 1) @ g                               # dL/dY = X^T @ g
        a1, a2 = self._axes_used
        d1 = np.moveaxis(dX.reshape(self._X_shape), -1, a1)
        d2 = np.moveaxis(dY.reshape(self._Y_shape), 1, a2)
        if self.normalize:
            d1 = self._l2_normalize_backward(d1, self._v1, self._norm1, a1)
            d2 = self._l2_normalize_backward(d2, self._v2, self._norm2, a2)
        return [d1, d2]

    def _l2_normalize(self, x, axis):
        norm = np.sqrt(np.sum(x * x, axis=axis, keepdims=True))
        return x / np.maximum(norm, self.epsilon), norm

    def _l2_normalize_backward(self, dv, v, norm, axis):
        unclamped = norm > self.epsilon      # below eps, v = x / eps is linear in x
        radial = np.where(unclamped, v * np.sum(v * dv, axis=axis, keepdims=True), 0)
        return (dv - radial) / np.maximum(norm, self.epsilon)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}



def dot(inputs, axes=-1, **kwargs):
    """``Dot(axes=axes, **kwargs)(inputs)``; ``normalize=`` passes through kwargs."""
    return Dot(axes=axes, **kwargs)(inputs)
