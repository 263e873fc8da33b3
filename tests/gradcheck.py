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


def check_merge_gradients(layer, shapes, rng, inputs=None, rtol=1e-5, atol=1e-7, eps=1e-6):
    """A merge layer's backward list [dL/dx_1, ...] for L = sum(forward(xs) * upstream) against central
    differences on each input (float64 inputs drawn from ``rng`` unless ``inputs`` are given)."""
    xs = [rng.normal(size=s) for s in shapes] if inputs is None else [np.array(x, dtype=np.float64) for x in inputs]
    out = layer(xs)
    upstream = rng.normal(size=out.shape)

    def objective():
        return float(np.sum(layer.forward(xs) * upstream))

    layer.forward(xs)
    grads = layer.backward(upstream)
    assert isinstance(grads, list) and len(grads) == len(xs)
    for i, (x, g) in enumerate(zip(xs, grads)):
        assert g.shape == x.shape, f"dL/dx_{i} has shape {g.shape}, input {i} has {x.shape}"
        np.testing.assert_allclose(g, numeric_gradient(objective, x, eps), rtol=rtol, atol=atol,
                                   err_msg=f"dL/dx_{i} of {type(layer).__name__}")
    return grads
