"""Activation functions: formulas, aliases, backward passes, numeric extremes."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import erf
from scipy.stats import norm
from hypothesis import given, settings, strategies as st

from neuronet import activations
from neuronet.layers import Dense
from neuronet.layers import Dense, LeakyReLU
from gradcheck import numeric_gradient
from neuronet.activations import ACTIVATIONS
from neuronet.layers import Dense, LeakyReLU, PReLU, ReLU
from neuronet.layers import Dense, LeakyReLU, PReLU
from neuronet.activations import relu


def test_softmax_example(float64):
    p = activations.softmax(np.array([2.1, 3.2, 1.5]))
    np.testing.assert_allclose(p, [0.2196364829, 0.6598244596, 0.1205390575], rtol=1e-9)
    np.testing.assert_array_equal(p.round(2), [0.22, 0.66, 0.12])       # the slide's rounding


def test_leaky_relu_function_takes_alpha_or_negative_slope(float64):
    from gradcheck import numeric_gradient
    from neuronet import activations
    x = np.array([[-2.0, 3.0, -0.5]])
    np.testing.assert_allclose(activations.leaky_relu(x), [[-0.4, 3.0, -0.1]])            # default 0.2
    np.testing.assert_allclose(activations.leaky_relu(x, alpha=0.1), [[-0.2, 3.0, -0.05]])
    np.testing.assert_allclose(activations.leaky_relu(x, negative_slope=0.1), [[-0.2, 3.0, -0.05]])
    up = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(activations.leaky_relu.backward(x, None, up, alpha=0.1),
                               numeric_gradient(lambda: float(np.sum(activations.leaky_relu(x, alpha=0.1) * up)), x))
    with pytest.raises(ValueError, match="alpha"):
        activations.leaky_relu(x, negative_slope=0.1, alpha=0.2)


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


X = np.linspace(-6, 6, 49)


NAMES = sorted({ACTIVATIONS.canonical(n) for n in ACTIVATIONS.names()})


FORMULAS = {
    "step": lambda x: np.where(x > 0, 1.0, 0.0),
    "linear": lambda x: x,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "hard_sigmoid": lambda x: np.minimum(np.maximum(x + 3, 0), 6) / 6,
    "tanh": lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
    "relu": lambda x: np.maximum(0, x),
    "relu6": lambda x: np.minimum(np.maximum(0, x), 6),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1)),
    "silu": lambda x: x / (1 + np.exp(-x)),
    "hard_silu": lambda x: x * np.minimum(np.maximum(x + 3, 0), 6) / 6,
    "gelu": lambda x: x * norm.cdf(x),
    "softplus": lambda x: np.log(1 + np.exp(x)),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "softmax": lambda x: np.exp(x) / np.exp(x).sum(),
    "mish": lambda x: x * np.tanh(np.log(1 + np.exp(x))),
    "log_softmax": lambda x: np.log(np.exp(x) / np.exp(x).sum()),
}


def test_every_activation_has_a_formula_test():
    assert set(NAMES) <= set(FORMULAS), set(NAMES) - set(FORMULAS)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_values_match_formula(name):
    np.testing.assert_allclose(activations.get(name)(X), FORMULAS[name](X), rtol=1e-12, atol=1e-12)


def test_aliases():
    assert activations.get("swish") is activations.silu is activations.swish
    assert activations.get("hard_swish") is activations.hard_silu is activations.hard_swish
    assert activations.get("identity") is activations.linear
    assert activations.get(None) is activations.linear
    assert activations.get("hard_swish") is activations.hard_silu


def test_notes_softmax_example():
    np.testing.assert_array_equal(activations.softmax(np.array([2.1, 3.2, 1.5])).round(2), [0.22, 0.66, 0.12])


def test_softmax_axis():
    x = np.random.default_rng(0).normal(size=(3, 4))
    y = activations.softmax(x, axis=0)
    np.testing.assert_allclose(y.sum(axis=0), 1.0)
    np.testing.assert_allclose(y[:, 1], FORMULAS["softmax"](x[:, 1]))


def test_selu_constants_and_gelu_forms():
    assert activations.SELU_SCALE == 1.0507009873554805 and activations.SELU_ALPHA == 1.6732632423543772
    np.testing.assert_allclose(activations.gelu(X), 0.5 * X * (1 + erf(X / math.sqrt(2))), rtol=1e-14)
    approx = 0.5 * X * (1 + np.tanh(math.sqrt(2 / math.pi) * (X + 0.044715 * X ** 3)))
    np.testing.assert_allclose(activations.gelu(X, approximate=True), approx, rtol=1e-14)
    assert np.max(np.abs(activations.gelu(X, approximate=True) - activations.gelu(X))) < 1e-2


@pytest.mark.parametrize("fn, kwargs", [(activations.leaky_relu, {"negative_slope": 0.01}),
                                        (activations.elu, {"alpha": 0.5}),
                                        (activations.gelu, {"approximate": True}),
                                        (activations.relu, {"negative_slope": 0.1}),
                                        (activations.relu, {"max_value": 0.8}),
                                        (activations.relu, {"threshold": 0.3, "negative_slope": 0.2, "max_value": 1.5})])
def test_parametrized_backward(fn, kwargs):
    x = np.random.default_rng(1).normal(size=(4, 3)) * 2 + 0.01   # none within eps of a kink
    g = np.random.default_rng(2).normal(size=x.shape)
    eps = 1e-6
    numeric = (fn(x + eps, **kwargs) - fn(x - eps, **kwargs)) / (2 * eps) * g
    np.testing.assert_allclose(fn.backward(x, fn(x, **kwargs), g, **kwargs), numeric, rtol=1e-6, atol=1e-9)


def test_relu_keras_options_match_the_relu_layer_and_keras_formula():
    from neuronet.layers import ReLU
    x = np.array([[-3.0, -0.5, 0.0, 0.2, 1.0, 2.0, 7.0]])
    for kwargs in ({}, {"max_value": 6.0}, {"negative_slope": 0.1}, {"threshold": 0.5},
                   {"negative_slope": 0.2, "max_value": 1.0, "threshold": -1.0}):
        t, a, m = kwargs.get("threshold", 0.0), kwargs.get("negative_slope", 0.0), kwargs.get("max_value", np.inf)
        expected = np.where(x >= m, m, np.where(x >= t, x, a * (x - t)))
        np.testing.assert_array_equal(activations.relu(x, **kwargs), expected, err_msg=str(kwargs))
        np.testing.assert_array_equal(ReLU(**kwargs)(x), expected, err_msg=str(kwargs))
    assert activations.relu(np.float32([1.5, 9.0]), max_value=6).dtype == np.float32


def test_step_is_the_notes_threshold_and_has_zero_gradient():
    np.testing.assert_array_equal(activations.step(np.array([-1.0, 0.0, 1e-9])), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(activations.step.backward(X, activations.step(X), np.ones_like(X)), 0.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", NAMES)
def test_extremes_are_finite_silent_and_keep_dtype(name, dtype):
    fn = activations.get(name)
    tiny = float(np.finfo(dtype).smallest_subnormal)
    for values in ([-1e4, -1e3, -100.0, 0.0, 100.0, 1e3, 1e4], [1e-30, -1e-30, 0.0], [tiny, -tiny, 3 * tiny],
                   [7.5] * 4):
        x = np.array([values], dtype=dtype)
        with np.errstate(all="raise", under="ignore"):   # underflow to 0 is exact; layers set this
            y = fn(x)
            g = fn.backward(x, y, np.ones_like(x))
        assert y.dtype == dtype and g.dtype == dtype, name
        assert np.all(np.isfinite(y)) and np.all(np.isfinite(g)), name


def test_softmax_all_equal_and_huge_spread():
    np.testing.assert_allclose(activations.softmax(np.full((2, 4), 1e4)), 0.25)
    with np.errstate(all="raise", under="ignore"):   # underflow to 0 is exact
        y = activations.softmax(np.array([[-1e4, 0.0, 1e4]], dtype=np.float32))
    np.testing.assert_array_equal(y, [[0.0, 0.0, 1.0]])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from([np.float32, np.float64]), st.data())
def test_property_finite_without_warnings(name, dtype, data):
    x = data.draw(arrays(dtype, st.integers(1, 6).map(lambda n: (2, n)),
                         elements=st.floats(-1e4, 1e4, width=32 if dtype == np.float32 else 64)))
    fn = activations.get(name)
    with np.errstate(all="raise", under="ignore"):   # underflow to 0 is exact; layers set this
        y = fn(x)
        g = fn.backward(x, y, np.ones_like(x))
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(g))
    if name in ("sigmoid", "softmax", "hard_sigmoid"):
        assert np.all((y >= 0) & (y <= 1))
    if name == "softmax":
        np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-5)


def test_unknown_name_suggests_near_names():
    with pytest.raises(ValueError, match="Did you mean 'selu'|Did you mean 'elu'"):
        activations.get("sellu")


def test_layer_object_as_activation_is_copied_and_serializable():
    leaky = LeakyReLU(alpha=0.01)
    a, b = Dense(3, activation=leaky), Dense(2, activation=leaky)
    assert a.activation is not b.activation and a.activation.negative_slope == 0.01
    assert activations.serialize(a.activation) == {"class_name": "LeakyReLU",
                                                   "config": a.activation.get_config()}
    with pytest.raises(ValueError, match="PReLU creates weights or is not an activation layer"):
        Dense(3, activation=PReLU())


def test_relu_with_options_passes_nan_through_like_plain_relu():
    x = np.array([np.nan, -1.0, 2.0])
    for kwargs in ({}, {"max_value": 1.0}, {"threshold": 0.5}, {"negative_slope": 0.1, "max_value": 6.0}):
        assert np.isnan(activations.relu(x, **kwargs)[0]), kwargs


@pytest.mark.parametrize("shape", [(64, 64), (64, 128), (128, 512)])   # both sides of 8,192 elements
def test_relu_backward_is_the_masked_gradient_at_every_size(shape):
    rng = np.random.default_rng(0)
    y = np.maximum(rng.normal(size=shape), 0).astype(np.float32)
    grad = rng.normal(size=shape).astype(np.float32)
    np.testing.assert_array_equal(relu.backward(None, y, grad), np.where(y > 0, grad, 0).astype(np.float32))
    y.flat[::7] = np.nan                                   # NaN activations: gradient 0, at every size
    assert np.isfinite(relu.backward(None, y, grad)).all()


def test_softmax_and_relu_accept_integer_and_list_input():
    from neuronet.activations import softmax
    np.testing.assert_allclose(softmax(np.array([[1, 2, 3]])), [[0.09003057, 0.24472847, 0.66524096]], rtol=1e-7)
    np.testing.assert_allclose(softmax([1.0, 2.0]), [0.26894142, 0.73105858], rtol=1e-7)
    assert relu(np.array([-2, 3])).tolist() == [0, 3]
    assert relu([-1.5, 2.0]).tolist() == [0.0, 2.0]
    assert relu(np.float32(-2.0)) == 0.0
    big = np.full(5_000_000, -1.0, dtype=np.float32)     # past the shared-zeros cap: the scalar form
    assert not relu(big).any()


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS.names())))
@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_every_activation_keeps_the_input_dtype_forward_and_backward(name, dtype):
    fn = activations.get(name)
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(4, 3)
    y = fn(x)
    grad = fn.backward(x, y, np.ones_like(x))
    assert y.dtype == np.dtype(dtype) and grad.dtype == np.dtype(dtype)
