"""Every activation, loss and layer: analytic backward against float64 central differences."""
import numpy as np
import pytest

from gradcheck import numeric_gradient
from neuronet import activations, losses
from neuronet.activations import ACTIVATIONS
from neuronet.losses import LOSSES
from neuronet.layers import Activation, Dense, Flatten

RNG = np.random.default_rng(0)


def _distinct(names, registry):
    seen, out = set(), []
    for name in names:
        obj = registry.lookup(name)
        if id(obj) not in seen and name != "step":   # step has no gradient by design
            seen.add(id(obj))
            out.append(name)
    return out


@pytest.mark.parametrize("name", _distinct(ACTIVATIONS.names(), ACTIVATIONS))
def test_activation_backward_matches_finite_differences(name):
    fn = activations.get(name)
    x = RNG.normal(size=(4, 5)) * 2
    x[np.abs(x) < 1e-3] = 0.5  # keep away from kinks (relu at 0)
    upstream = RNG.normal(size=x.shape)
    analytic = fn.backward(x, fn(x), upstream)
    numeric = numeric_gradient(lambda: float(np.sum(fn(x) * upstream)), x)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def _loss_inputs(name, shape=(6, 3)):
    loss = losses.get(name)
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        return loss, RNG.integers(0, shape[1], size=shape[0]), RNG.dirichlet(np.ones(shape[1]), size=shape[0])
    if isinstance(loss, losses.CategoricalCrossentropy):
        y_true = np.eye(shape[1])[RNG.integers(0, shape[1], size=shape[0])]
        return loss, y_true, RNG.dirichlet(np.ones(shape[1]), size=shape[0])
    if getattr(loss, "fused_activation", None) == "sigmoid":
        return loss, RNG.integers(0, 2, size=shape).astype(float), RNG.uniform(0.05, 0.95, size=shape)
    if isinstance(loss, (losses.KLDivergence, losses.CategoricalHinge)):
        y_true = RNG.dirichlet(np.ones(shape[1]), size=shape[0])
        if isinstance(loss, losses.CategoricalHinge):
            y_true = np.eye(shape[1])[RNG.integers(0, shape[1], size=shape[0])]
        return loss, y_true, RNG.dirichlet(np.ones(shape[1]), size=shape[0]) * 0.98 + 0.005
    y_true = RNG.uniform(0.1, 2.0, size=shape)
    if "hinge" in name:
        y_true = RNG.choice([-1.0, 1.0], size=shape)
    return loss, y_true, RNG.uniform(0.2, 2.5, size=shape)


@pytest.mark.parametrize("name", _distinct(LOSSES.names(), LOSSES))
def test_loss_gradient_matches_finite_differences(name):
    loss, y_true, y_pred = _loss_inputs(name)
    weights = RNG.uniform(0.5, 2.0, size=len(y_pred))
    for w in (None, weights):
        _, analytic = loss.value_and_gradient(y_true, y_pred, w)
        numeric = numeric_gradient(lambda: loss(y_true, y_pred, w), y_pred)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("name", [n for n in _distinct(LOSSES.names(), LOSSES)
                                  if getattr(losses.get(n), "fused_activation", None)])
def test_fused_logits_gradient_matches_finite_differences(name):
    loss, y_true, _ = _loss_inputs(name)
    z = RNG.normal(size=(6, 3)) * 3
    _, analytic = loss.value_and_gradient(y_true, z, logits=z)
    numeric = numeric_gradient(lambda: loss.value_and_gradient(y_true, z, need_grad=False, logits=z)[0], z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def check_layer_gradients(layer, x, training=True):
    """dL/dx and dL/dparams of L = sum(forward(x) * upstream) against central differences."""
    out = layer(x, training=training)
    upstream = RNG.normal(size=out.shape)
    layer.needs_input_grad = True

    def objective():
        return float(np.sum(layer.forward(x, training=training) * upstream))

    layer.forward(x, training=training)
    dx = layer.backward(upstream)
    grads = {k: g.copy() for k, g in layer.grads.items()}
    np.testing.assert_allclose(dx, numeric_gradient(objective, x), rtol=1e-5, atol=1e-7)
    for key, param in layer.params.items():
        np.testing.assert_allclose(grads[key], numeric_gradient(objective, param), rtol=1e-5, atol=1e-7,
                                   err_msg=f"gradient of {layer.name}.{key}")


LAYER_CASES = {
    "dense_linear": lambda: (Dense(3), (5, 4)),
    "dense_tanh_no_bias": lambda: (Dense(3, activation="tanh", use_bias=False), (5, 4)),
    "dense_softmax": lambda: (Dense(4, activation="softmax"), (5, 3)),
    "activation_sigmoid": lambda: (Activation("sigmoid"), (5, 4)),
    "flatten": lambda: (Flatten(), (3, 2, 4)),
}


@pytest.mark.parametrize("case", sorted(LAYER_CASES))
def test_layer_backward_matches_finite_differences(case, float64):
    layer, shape = LAYER_CASES[case]()
    check_layer_gradients(layer, RNG.normal(size=shape))
