"""Regression losses: formulas against scikit-learn, LogCosh, CosineSimilarity, Huber."""
import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from neuronet import losses


RNG = np.random.default_rng(0)


def test_regression_losses_formulas_and_sklearn():
    """The functions give one loss per sample (Keras): scikit-learn's per-row values, whose mean the classes give."""
    y = RNG.uniform(0.5, 3.0, size=(20, 3))
    p = y + RNG.normal(size=y.shape)
    p_pos = np.abs(p)
    rows = {"multioutput": "raw_values"}          # scikit-learn on the transposes: one value per sample
    np.testing.assert_allclose(losses.mse(y, p), skm.mean_squared_error(y.T, p.T, **rows), rtol=1e-12)
    np.testing.assert_allclose(losses.mae(y, p), skm.mean_absolute_error(y.T, p.T, **rows), rtol=1e-12)
    np.testing.assert_allclose(losses.msle(y, p_pos), skm.mean_squared_log_error(y.T, p_pos.T, **rows),
                               rtol=1e-9)
    # scikit-learn's MAPE is a fraction, Keras' (and neuronet's) a percentage
    np.testing.assert_allclose(losses.mape(y, p), 100 * skm.mean_absolute_percentage_error(y.T, p.T, **rows),
                               rtol=1e-9)
    assert losses.MeanSquaredError()(y, p) == pytest.approx(skm.mean_squared_error(y, p))
    assert losses.MeanAbsoluteError()(y, p) == pytest.approx(skm.mean_absolute_error(y, p))
    e = p - y
    huber = np.where(np.abs(e) <= 1, 0.5 * e ** 2, np.abs(e) - 0.5).mean(-1)
    np.testing.assert_allclose(losses.huber(y, p), huber, rtol=1e-12)
    np.testing.assert_allclose(losses.huber(y, p, delta=0.5),
                               np.where(np.abs(e) <= 0.5, 0.5 * e ** 2, 0.5 * (np.abs(e) - 0.25)).mean(-1))
    assert losses.Huber(delta=0.5)(y, p) == pytest.approx(
        np.where(np.abs(e) <= 0.5, 0.5 * e ** 2, 0.5 * (np.abs(e) - 0.25)).mean())
    np.testing.assert_allclose(losses.log_cosh(y, p), np.log(np.cosh(e)).mean(-1), rtol=1e-12)
    np.testing.assert_allclose(losses.poisson(y, p_pos), np.mean(p_pos - y * np.log(p_pos + 1e-7), -1))
    y_prob = RNG.dirichlet(np.ones(3), size=20)
    p_prob = RNG.dirichlet(np.ones(3), size=20)
    np.testing.assert_allclose(losses.kld(y_prob, p_prob), np.sum(y_prob * np.log(y_prob / p_prob), -1))


def test_log_cosh_small_and_huge_errors():
    loss = losses.LogCosh()
    tiny = loss(np.zeros((1, 1), np.float32), np.full((1, 1), 1e-4, np.float32))
    assert tiny == pytest.approx(0.5e-8, rel=1e-3)            # no cancellation to 0 or below
    huge = loss(np.zeros((1, 1)), np.full((1, 1), 1e4))
    assert huge == pytest.approx(1e4 - np.log(2))


def _check_finite(loss, y_true, y_pred, weights=None):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            value, grad = loss.value_and_gradient(y_true, y_pred, weights)
    assert np.isfinite(value), (loss, y_true, y_pred)
    assert np.all(np.isfinite(grad)), (loss, y_true, y_pred)


# ---- cosine similarity -------------------------------------------------------------------------------
def test_cosine_similarity_keras_documented_values():
    y = np.array([[0.0, 1.0], [1.0, 1.0]])
    p = np.array([[1.0, 0.0], [1.0, 1.0]])
    # u = [[0, 1], [.707, .707]], v = [[1, 0], [.707, .707]]: cosines 0 and 1
    assert losses.CosineSimilarity(axis=1)(y, p) == pytest.approx(-0.5)
    assert losses.CosineSimilarity(axis=1)(y, p, sample_weight=[0.8, 0.2]) == pytest.approx(-0.1)
    assert losses.CosineSimilarity(axis=1, reduction="sum")(y, p) == pytest.approx(-1.0)
    np.testing.assert_allclose(losses.CosineSimilarity(axis=1, reduction="none")(y, p), [0.0, -1.0], atol=1e-12)
    np.testing.assert_allclose(losses.cosine_similarity(y, p), [0.0, -1.0], atol=1e-12)   # per sample
    np.testing.assert_allclose(losses.cosine_similarity(y, p, axis=1), [0.0, -1.0], atol=1e-12)
    assert isinstance(losses.get("cosine_similarity"), losses.CosineSimilarity)
    assert isinstance(losses.get("CosineSimilarity"), losses.CosineSimilarity)
    assert isinstance(losses.get(losses.cosine_similarity), losses.CosineSimilarity)
    assert losses.get("cosine_similarity").name == "cosine_similarity"


def test_cosine_similarity_by_hand_and_range():
    y = np.array([[3.0, 4.0], [1.0, 0.0], [1.0, 2.0]])
    p = np.array([[6.0, 8.0], [-2.0, 0.0], [2.0, -1.0]])      # parallel, opposite, orthogonal
    np.testing.assert_allclose(losses.CosineSimilarity(reduction=None)(y, p), [-1.0, 1.0, 0.0], atol=1e-12)
    a, b = np.array([[1.0, 2.0, 2.0]]), np.array([[2.0, 0.0, 1.0]])   # |a| = 3, |b| = sqrt 5, a.b = 4
    assert losses.CosineSimilarity()(a, b) == pytest.approx(-4 / (3 * np.sqrt(5)))
    # gradient by hand: -(u - c v) / |p|
    u, v, c = a / 3, b / np.sqrt(5), 4 / (3 * np.sqrt(5))
    np.testing.assert_allclose(losses.CosineSimilarity().gradient(a, b), -(u - c * v) / np.sqrt(5))
    values = losses.CosineSimilarity(reduction="none")(RNG.normal(size=(50, 4)), RNG.normal(size=(50, 4)))
    assert np.all(values >= -1 - 1e-12) and np.all(values <= 1 + 1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cosine_similarity_zero_vectors_finite_without_warnings(dtype):
    zero, ones = np.zeros((2, 3), dtype), np.ones((2, 3), dtype)
    loss = losses.CosineSimilarity()
    for y_true, y_pred in ((zero, zero), (zero, ones), (ones, zero)):
        _check_finite(loss, y_true, y_pred)
        assert loss(y_true, y_pred) == 0.0
    grad = loss.gradient(zero, ones)
    assert not grad.any()                                    # zero target: no gradient
    assert loss.gradient(ones, zero).dtype == dtype
    _check_finite(loss, ones, np.full((2, 3), 1e-30, dtype))
    _check_finite(loss, ones, np.full((2, 3), 1e30 if dtype == np.float64 else 1e18, dtype))


def test_cosine_similarity_axis_checks_and_config():
    with pytest.raises(ValueError, match="`axis`.*Received: axis='x'"):
        losses.CosineSimilarity(axis="x")
    with pytest.raises(ValueError, match="batch axis"):
        losses.CosineSimilarity(axis=0)(np.ones((2, 3)), np.ones((2, 3)))
    loss = losses.CosineSimilarity(axis=1, reduction="sum", name="cos")
    assert loss.get_config() == {"name": "cos", "reduction": "sum", "axis": 1}
    again = losses.LOSSES.get(losses.serialize(loss))
    assert type(again) is losses.CosineSimilarity and again.get_config() == loss.get_config()


def test_cosine_similarity_trains_a_model_towards_the_direction():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    from neuronet.optimizers import Adam
    x = RNG.normal(size=(64, 3)).astype("float32")
    y = x @ RNG.normal(size=(3, 2)).astype("float32")
    model = Sequential([Dense(2, input_shape=(3,))])
    model.compile(optimizer=Adam(learning_rate=0.05), loss="cosine_similarity")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=40, batch_size=16, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert after < before and after < -0.9


def test_huber_takes_keras_positional_order_delta_reduction_name():
    """Keras 3: Huber(delta=1.0, reduction='sum_over_batch_size', name='huber_loss'), as CosineSimilarity
    (axis, reduction, name): Huber(0.5, 'sum') is the summed loss, not a loss named 'sum'."""
    loss = losses.Huber(0.5, "sum", "h")
    assert (loss.delta, loss.reduction, loss.name) == (0.5, "sum", "h")
    assert loss(np.zeros((2, 1)), np.full((2, 1), 3.0)) == pytest.approx(2 * 0.5 * (3 - 0.25))
