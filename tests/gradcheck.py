"""Central finite differences in float64, shared by the gradient tests."""
import numpy as np


def numeric_gradient(f, x, eps=1e-6):
    """Central finite differences of the scalar function f at x (float64)."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f()
        flat[i] = old - eps
        down = f()
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad
