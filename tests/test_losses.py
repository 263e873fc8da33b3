"""Losses: the notes' worked numbers, Keras semantics, scikit-learn agreement and numeric extremes."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import metrics as skm

from neuronet import activations, losses
from neuronet.losses import LOSSES

DISTINCT = sorted({LOSSES.canonical(n) for n in LOSSES.names()})
RNG = np.random.default_rng(0)


# ---- the notes' numbers -------------------------------------------------------------------------------
def test_notes_cross_entropy_of_0_6():
    # 000 notes: "-log 0.6 = 0.22". That is log base 10 (-log10 0.6 = 0.2218); Keras and neuronet use the
    # natural log, -ln 0.6 = 0.5108.
    value = losses.get("categorical_crossentropy")(np.array([[1.0, 0, 0]]), np.array([[0.6, 0.2, 0.2]]))
    assert value == pytest.approx(0.5108256, abs=1e-6)
    assert -np.log10(0.6) == pytest.approx(0.2218, abs=1e-4)


def test_notes_binary_crossentropy_examples():
    bce = losses.get("binary_crossentropy")
    assert bce(np.array([[1.0]]), np.array([[0.92]])) == pytest.approx(0.083381, abs=1e-6)   # -ln 0.92
    assert bce(np.array([[0.0]]), np.array([[0.94]])) == pytest.approx(2.813411, abs=1e-6)   # -ln(1 - 0.94)
    assert bce(np.array([[1.0]]), np.array([[0.09]])) == pytest.approx(2.41, abs=5e-3)
    assert bce(np.array([[0.0]]), np.array([[0.03]])) == pytest.approx(0.03, abs=5e-3)


def test_notes_categorical_crossentropy_in_bits():
    # 002 notes: -[1 log2(0.775) + 0 log2(0.126) + 0 log2(0.039) + 0 log2(0.070)] = -log2(0.775) = 0.3677.
    assert -np.log2(0.775) == pytest.approx(0.3677, abs=1e-4)
    # The notes' row sums to 1.01, and Keras (so neuronet) renormalises probabilities before the log:
    # the natural-log loss is ln(1.01 / 0.775) = 0.2648, i.e. 0.3821 bits. On a row summing to 1 with the
    # same first entry the loss is exactly the notes' 0.3677 bits.
    cce = losses.get("categorical_crossentropy")
    row = np.array([[0.775, 0.126, 0.039, 0.070]])
    target = np.array([[1.0, 0, 0, 0]])
    assert cce(target, row) / np.log(2) == pytest.approx(np.log2(1.01 / 0.775), abs=1e-9)
    assert cce(target, np.array([[0.775, 0.126, 0.039, 0.060]])) / np.log(2) == pytest.approx(0.3677, abs=1e-4)


def test_bce_from_logits_issue7_value():
    # Keras and PyTorch: 666.8977 for logits [1000, -1000, 0], targets [0, 1, 1].
    loss = losses.BinaryCrossentropy(from_logits=True)
    assert loss(np.array([0.0, 1, 1]), np.array([1000.0, -1000, 0])) == pytest.approx(666.8977, abs=1e-4)
    value, grad = loss.value_and_gradient(np.array([[0.0, 1, 1]]), np.array([[1000.0, -1000, 0]], np.float32))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[1 / 3, -1 / 3, -1 / 6]], rtol=1e-6)


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy", "kl_divergence", "poisson",
                                  "mean_squared_logarithmic_error"])
def test_probabilities_exactly_zero_and_one_are_finite(name):
    y_true, y_pred = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.0, 1.0], [0.0, 1.0]])
    with np.errstate(all="raise"):
        value, grad = losses.get(name).value_and_gradient(y_true, y_pred)
    assert np.isfinite(value) and np.all(np.isfinite(grad))


# ---- Keras semantics ----------------------------------------------------------------------------------
@pytest.mark.parametrize("prob_name, act", [("binary_crossentropy", "sigmoid"),
                                            ("categorical_crossentropy", "softmax"),
                                            ("sparse_categorical_crossentropy", "softmax")])
def test_from_logits_equals_probability_path(prob_name, act):
    z = RNG.normal(size=(8, 4)) * 2
    if prob_name.startswith("sparse"):
        y = RNG.integers(0, 4, size=8)
    elif act == "softmax":
        y = np.eye(4)[RNG.integers(0, 4, size=8)]
    else:
        y = RNG.integers(0, 2, size=(8, 4)).astype(float)
    probs = activations.get(act)(z)
    from_probs = losses.get(prob_name)(y, probs)
    from_logits = type(losses.get(prob_name))(from_logits=True)(y, z)
    assert from_logits == pytest.approx(from_probs, rel=1e-6)


def test_from_logits_trains_without_output_activation():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    x = RNG.normal(size=(64, 2)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="adam", loss=losses.BinaryCrossentropy(from_logits=True))
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    before, after = (v[0] if isinstance(v, list) else v for v in (before, after))
    assert after < before


def test_hinge_converts_zero_one_labels():
    p = RNG.normal(size=(5, 2))
    y01 = RNG.integers(0, 2, size=(5, 2)).astype(float)
    for name in ("hinge", "squared_hinge"):
        loss = losses.get(name)
        assert loss(y01, p) == pytest.approx(loss(2 * y01 - 1, p))
    expected = np.mean(np.maximum(1 - (2 * y01 - 1) * p, 0), axis=-1).mean()
    assert losses.get("hinge")(y01, p) == pytest.approx(expected)


def test_categorical_hinge_formula():
    y = np.array([[0.0, 1, 0], [1, 0, 0]])
    p = np.array([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1]])
    # max(neg - pos + 1, 0): row 1: 0.3 - 0.5 + 1 = 0.8; row 2: 0.8 - 0.1 + 1 = 1.7
    assert losses.get("categorical_hinge")(y, p) == pytest.approx((0.8 + 1.7) / 2)


def test_regression_losses_formulas_and_sklearn():
    y = RNG.uniform(0.5, 3.0, size=(20, 3))
    p = y + RNG.normal(size=y.shape)
    p_pos = np.abs(p)
    assert losses.mse(y, p) == pytest.approx(skm.mean_squared_error(y, p))
    assert losses.mae(y, p) == pytest.approx(skm.mean_absolute_error(y, p))
    assert losses.msle(y, p_pos) == pytest.approx(skm.mean_squared_log_error(y, p_pos))
    # scikit-learn's MAPE is a fraction, Keras' (and neuronet's) a percentage
    assert losses.mape(y, p) == pytest.approx(100 * skm.mean_absolute_percentage_error(y, p))
    e = p - y
    huber = np.where(np.abs(e) <= 1, 0.5 * e ** 2, np.abs(e) - 0.5).mean()
    assert losses.huber(y, p) == pytest.approx(huber)
    assert losses.Huber(delta=0.5)(y, p) == pytest.approx(
        np.where(np.abs(e) <= 0.5, 0.5 * e ** 2, 0.5 * (np.abs(e) - 0.25)).mean())
    assert losses.log_cosh(y, p) == pytest.approx(np.log(np.cosh(e)).mean())
    assert losses.poisson(y, p_pos) == pytest.approx(np.mean(p_pos - y * np.log(p_pos + 1e-7)))
    y_prob = RNG.dirichlet(np.ones(3), size=20)
    p_prob = RNG.dirichlet(np.ones(3), size=20)
    assert losses.kld(y_prob, p_prob) == pytest.approx(np.sum(y_prob * np.log(y_prob / p_prob), -1).mean())


def test_log_cosh_small_and_huge_errors():
    loss = losses.LogCosh()
    tiny = loss(np.zeros((1, 1), np.float32), np.full((1, 1), 1e-4, np.float32))
    assert tiny == pytest.approx(0.5e-8, rel=1e-3)            # no cancellation to 0 or below
    huge = loss(np.zeros((1, 1)), np.full((1, 1), 1e4))
    assert huge == pytest.approx(1e4 - np.log(2))


def test_aliases_and_names():
    assert type(losses.get("kld")) is type(losses.get("kullback_leibler_divergence")) is losses.KLDivergence
    assert isinstance(losses.get("MSLE"), losses.MeanSquaredLogarithmicError)
    assert isinstance(losses.get("mape"), losses.MeanAbsolutePercentageError)
    assert isinstance(losses.get(losses.log_cosh), losses.LogCosh)
    assert losses.get("kld").name == "kl_divergence"
    with pytest.raises(ValueError, match="Did you mean 'hinge'"):
        losses.get("hinje")


@pytest.mark.parametrize("name", DISTINCT)
def test_config_round_trip(name):
    loss = losses.get(name)
    again = losses.LOSSES.get(losses.serialize(loss))
    assert type(again) is type(loss) and again.get_config() == loss.get_config()
    assert loss.__doc__ and "l_i" in loss.__doc__


# ---- numeric extremes (issue 7) ----------------------------------------------------------------------
_EXTREMES = [1e4, -1e4, 1e-30, -1e-30, 0.0, 1.0, 0.5, -0.5, 3.0]


def _check_finite(loss, y_true, y_pred, weights=None):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            value, grad = loss.value_and_gradient(y_true, y_pred, weights)
    assert np.isfinite(value), (loss, y_true, y_pred)
    assert np.all(np.isfinite(grad)), (loss, y_true, y_pred)


@pytest.mark.parametrize("name", DISTINCT)
@settings(max_examples=25, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]))
def test_every_loss_finite_on_extremes(name, data, dtype):
    shape = data.draw(st.tuples(st.integers(1, 4), st.integers(2, 3)))
    values = hnp.arrays(dtype, shape, elements=st.sampled_from(_EXTREMES).map(dtype))
    y_pred = data.draw(values)
    if name == "SparseCategoricalCrossentropy":
        y_true = data.draw(hnp.arrays(np.int64, shape[0], elements=st.integers(0, shape[1] - 1)))
    else:
        y_true = data.draw(values)
    loss = losses.get(name)
    _check_finite(loss, y_true, y_pred)
    if loss.fused_activation:
        _check_finite(type(loss)(from_logits=True), y_true, y_pred, np.ones(shape[0]))


@pytest.mark.parametrize("name", DISTINCT)
@pytest.mark.parametrize("value", [1e4, -1e4, 1e-30, 0.0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_loss_finite_on_all_equal_inputs(name, value, dtype):
    y_pred = np.full((3, 4), value, dtype)
    y_true = np.zeros(3, np.int64) if name == "SparseCategoricalCrossentropy" else np.full((3, 4), value, dtype)
    _check_finite(losses.get(name), y_true, y_pred)
