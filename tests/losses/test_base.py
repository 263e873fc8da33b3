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


# ---- reduction (Keras 3's argument) ------------------------------------------------------------------
_Y = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
_P = np.array([[1.0, 1.0], [1.0, 3.0], [2.0, 2.0]])   # per-sample MSE: 1, 2, 2
_W = np.array([1.0, 0.5, 0.0])                        # weighted: 1, 1, 0


@pytest.mark.parametrize("reduction, plain, weighted", [
    ("sum_over_batch_size", 5 / 3, 2 / 3), ("mean", 5 / 3, 2 / 3), ("sum", 5.0, 2.0),
    ("mean_with_sample_weight", 5 / 3, 2 / 1.5)])
def test_reduction_values_by_hand(reduction, plain, weighted):
    loss = losses.MeanSquaredError(reduction=reduction)
    assert loss.reduction == reduction
    assert loss(_Y, _P) == pytest.approx(plain, abs=1e-12)
    assert loss(_Y, _P, _W) == pytest.approx(weighted, abs=1e-12)
    assert isinstance(loss(_Y, _P), float)


@pytest.mark.parametrize("reduction", ["none", None])
def test_reduction_none_gives_per_sample_losses(reduction):
    loss = losses.MeanSquaredError(reduction=reduction)
    np.testing.assert_allclose(loss(_Y, _P), [1.0, 2.0, 2.0])
    np.testing.assert_allclose(loss(_Y, _P, _W), [1.0, 1.0, 0.0])
    assert loss(_Y, _P).shape == (3,)
    assert loss(np.array([0.0, 0.0]), np.array([1.0, 3.0])).shape == ()        # one 1-D sample: a scalar
    # row i of the gradient is d(w_i l_i)/dp_i: the gradient of the sum, nothing divided by n
    np.testing.assert_allclose(loss.gradient(_Y, _P, _W), losses.MeanSquaredError(reduction="sum").gradient(_Y, _P, _W))


def test_reduction_sum_gradient_is_n_times_the_mean():
    mean, total = losses.MeanSquaredError(), losses.MeanSquaredError(reduction="sum")
    np.testing.assert_allclose(total.gradient(_Y, _P), 3 * mean.gradient(_Y, _P))
    np.testing.assert_allclose(total.gradient(_Y, _P, _W), 3 * mean.gradient(_Y, _P, _W))
    np.testing.assert_allclose(total.gradient(_Y, _P), 2 * (_P - _Y) / 2)     # 2 (p - y) / K, K = 2


def test_reduction_mean_with_sample_weight_zero_weights_give_zero():
    loss = losses.MeanSquaredError(reduction="mean_with_sample_weight")
    value, grad = loss.value_and_gradient(_Y, _P, np.zeros(3))
    assert value == 0.0 and not grad.any()


@pytest.mark.parametrize("cls", [losses.BinaryCrossentropy, losses.Huber, losses.CosineSimilarity,
                                 losses.SparseCategoricalCrossentropy, losses.Hinge])
def test_every_loss_class_accepts_reduction(cls):
    loss = cls(reduction="sum")
    assert loss.reduction == "sum" and loss.get_config()["reduction"] == "sum"
    assert cls.from_config(loss.get_config()).get_config() == loss.get_config()


@pytest.mark.parametrize("bad", ["avg", "SUM", "auto", 1, ""])
def test_invalid_reduction_names_argument_value_and_choices(bad):
    with pytest.raises(ValueError) as err:
        losses.MeanSquaredError(reduction=bad)
    text = str(err.value)
    assert "`reduction`" in text and f"reduction={bad!r}" in text
    for choice in ("'sum_over_batch_size'", "'sum'", "'mean'", "'mean_with_sample_weight'", "'none'", "None"):
        assert choice in text
    if bad == "auto":
        assert "Keras 2" in text


@pytest.mark.parametrize("reduction", ["none", None])
def test_compile_refuses_unreduced_loss_and_says_what_to_use(reduction):
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(1, input_shape=(2,))])
    with pytest.raises(ValueError, match="reduction='sum_over_batch_size'.*reduction='sum'"):
        model.compile(optimizer="sgd", loss=losses.MeanSquaredError(reduction=reduction))
    with pytest.raises(ValueError, match="one loss per sample"):
        losses.get({"class_name": "MeanSquaredError", "config": {"reduction": reduction}})


def _linear_model(reduction, lr=0.1):
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    from neuronet.optimizers import SGD
    model = Sequential([Dense(1, input_shape=(2,), kernel_initializer="ones", bias_initializer="zeros")])
    model.compile(optimizer=SGD(learning_rate=lr), loss=losses.MeanSquaredError(reduction=reduction))
    return model


def test_training_with_sum_reduction_takes_n_times_the_step():
    x = RNG.normal(size=(8, 2)).astype("float32")
    y = RNG.normal(size=(8, 1)).astype("float32")
    start = _linear_model("sum").get_weights()
    steps = {}
    for reduction in ("sum_over_batch_size", "sum"):
        model = _linear_model(reduction, lr=0.01)
        value = model.train_on_batch(x, y)
        steps[reduction] = [w - s for w, s in zip(model.get_weights(), start)]
        expected = np.sum((x @ np.ones((2, 1)) - y) ** 2)
        assert value == pytest.approx(expected / (8 if reduction != "sum" else 1), rel=1e-5)
    for s, m in zip(steps["sum"], steps["sum_over_batch_size"]):
        np.testing.assert_allclose(s, 8 * m, rtol=1e-4)
    # the same step through fit (one batch of 8): the fused/deferred paths honour the reduction too
    model = _linear_model("sum", lr=0.01)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    for w, s, d in zip(model.get_weights(), start, steps["sum"]):
        np.testing.assert_allclose(w - s, d, rtol=1e-4)


@pytest.mark.parametrize("with_batch_callback", [False, True])
def test_sum_reduction_epoch_loss_is_the_batch_size_weighted_mean_of_batch_sums(with_batch_callback):
    # Keras reports the epoch's loss as the mean of the batches' values weighted by their sizes.
    from neuronet.callbacks import Callback

    class BatchEnd(Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

    x = RNG.normal(size=(10, 2)).astype("float32")
    y = RNG.normal(size=(10, 1)).astype("float32")
    model = _linear_model("sum", lr=0.0)
    sq = ((x @ np.ones((2, 1)) - y) ** 2)[:, 0]
    sums = [sq[0:4].sum(), sq[4:8].sum(), sq[8:10].sum()]
    expected = (4 * sums[0] + 4 * sums[1] + 2 * sums[2]) / 10
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False,
                        callbacks=[BatchEnd()] if with_batch_callback else None)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)
    assert model.evaluate(x, y, batch_size=4, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_sum_reduction_fused_sigmoid_crossentropy_gradient():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    from neuronet.optimizers import SGD
    x = RNG.normal(size=(6, 3)).astype("float32")
    y = RNG.integers(0, 2, size=(6, 1)).astype("float32")
    steps = []
    for reduction in ("sum_over_batch_size", "sum"):
        model = Sequential([Dense(1, activation="sigmoid", input_shape=(3,), kernel_initializer="ones")])
        model.compile(optimizer=SGD(learning_rate=0.01), loss=losses.BinaryCrossentropy(reduction=reduction))
        before = model.get_weights()
        model.train_on_batch(x, y)
        assert model._fused
        steps.append([a - b for a, b in zip(model.get_weights(), before)])
    for m, s in zip(*steps):
        np.testing.assert_allclose(s, 6 * m, rtol=1e-4, atol=1e-6)   # float32 weights near 1


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


@pytest.mark.parametrize("loss_name, out_activation", [("mse", None), ("binary_crossentropy", "sigmoid")])
def test_default_reduction_training_stays_on_the_lean_mean_path(monkeypatch, loss_name, out_activation):
    """fit/evaluate with the default reduction (per-batch values included, via a batch callback, and
    sample weights) never reach the general reduction code: the step costs what it cost before
    `reduction` existed. The general helpers are replaced by ones that fail if called."""
    from neuronet.callbacks import Callback
    from neuronet.layers import Dense
    from neuronet.losses import base
    from neuronet.models import Sequential

    def forbidden(*args, **kwargs):
        raise AssertionError("the default reduction took the general reduction path")

    class BatchEnd(Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

    monkeypatch.setattr(base, "_scale_gradient", forbidden)
    monkeypatch.setattr(base, "_divisor", forbidden)
    x = RNG.normal(size=(20, 3)).astype("float32")
    y = RNG.integers(0, 2, size=(20, 1)).astype("float32")
    model = Sequential([Dense(1, activation=out_activation, input_shape=(3,))])
    model.compile(optimizer="sgd", loss=loss_name)
    for callbacks in (None, [BatchEnd()]):
        model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=callbacks, sample_weight=np.linspace(0.5, 1.5, 20))
        model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=callbacks)
    assert np.isfinite(model.evaluate(x, y, verbose=0))
    # a loss whose reduction is changed after construction leaves the fast path (the setter keeps the flag)
    loss = losses.MeanSquaredError()
    loss.reduction = "sum"
    assert not loss._batch_mean
    with pytest.raises(ValueError, match="`reduction`"):
        loss.reduction = "avg"


def _unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def test_reductions_on_predictions_with_more_axes_follow_keras():
    """(n, T, K) predictions give one loss value per (i, t), as Keras: 'sum_over_batch_size' divides the
    weighted sum by n * T (np.mean of the values without weights), 'sum' adds them all,
    'mean_with_sample_weight' divides by sum_i w_i and 'none' returns the (n, T) array."""
    y, p, w = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 3, 4)), np.array([1.0, 3.0])
    for loss_class, values in ((losses.MeanSquaredError, np.mean((p - y) ** 2, axis=-1)),
                               (losses.CosineSimilarity, -np.sum(_unit(y) * _unit(p), axis=-1))):
        weighted = values * w[:, None]
        assert loss_class()(y, p) == pytest.approx(values.mean(), rel=1e-12)
        expected = {"sum_over_batch_size": weighted.sum() / 6, "mean": weighted.sum() / 6,
                    "sum": weighted.sum(), "mean_with_sample_weight": weighted.sum() / 4}
        for reduction, value in expected.items():
            assert loss_class(reduction=reduction)(y, p, w) == pytest.approx(value, rel=1e-12), reduction
        np.testing.assert_allclose(loss_class(reduction="none")(y, p, w), weighted, rtol=1e-12)
        assert loss_class(reduction="none")(y, p).shape == (2, 3)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", "none"])
def test_empty_batch_gives_zero_loss_and_an_empty_gradient(reduction):
    loss = losses.MeanSquaredError(reduction=reduction)
    for w in (None, np.empty(0)):
        value, grad = loss.value_and_gradient(np.empty((0, 2)), np.empty((0, 2)), w)
        assert grad.shape == (0, 2)
        assert value.shape == (0,) if reduction == "none" else value == 0.0


def test_sample_weight_of_the_wrong_length_names_the_argument():
    with pytest.raises(ValueError, match=r"`sample_weight`.*3 for y_pred of shape \(3, 2\).*shape \(2,\)"):
        losses.MeanSquaredError()(np.ones((3, 2)), np.zeros((3, 2)), sample_weight=[1.0, 2.0])


def test_huber_takes_keras_positional_order_delta_reduction_name():
    """Keras 3: Huber(delta=1.0, reduction='sum_over_batch_size', name='huber_loss'), as CosineSimilarity
    (axis, reduction, name): Huber(0.5, 'sum') is the summed loss, not a loss named 'sum'."""
    loss = losses.Huber(0.5, "sum", "h")
    assert (loss.delta, loss.reduction, loss.name) == (0.5, "sum", "h")
    assert loss(np.zeros((2, 1)), np.full((2, 1), 3.0)) == pytest.approx(2 * 0.5 * (3 - 0.25))


# ---- Keras' function spellings: one loss per sample ---------------------------------------------------
FUNCTIONS = losses.functions.FUNCTIONS


def _inputs(name, shape, dtype=np.float64):
    """(y_true, y_pred) of ``shape`` (..., K) fitting the loss ``name``: one-hot / probability rows for the
    cross-entropies and KL, integer labels for the sparse one, 0/1 labels for the hinges."""
    rng = np.random.default_rng(1)
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    probs = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]).astype(dtype)
    if name == "sparse_categorical_crossentropy":
        return labels, probs
    if "crossentropy" in name or name in ("kl_divergence", "kld", "kullback_leibler_divergence",
                                         "categorical_hinge", "poisson"):
        return np.eye(shape[-1], dtype=dtype)[labels], probs
    if "hinge" in name:
        return rng.integers(0, 2, size=shape).astype(dtype), rng.normal(size=shape).astype(dtype)
    return rng.uniform(0.5, 2.0, size=shape).astype(dtype), rng.uniform(0.1, 3.0, size=shape).astype(dtype)


def test_the_notes_per_row_cross_entropy_table():
    """The notes' table of -ln p(true class), one row per sample, as keras.losses.categorical_crossentropy."""
    import neuronet as keras
    y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    p = [[.6, .2, .2], [.3, .4, .3], [.2, .3, .5]]
    per_row = keras.losses.categorical_crossentropy(y, p)
    np.testing.assert_allclose(per_row, [0.5108, 0.9163, 0.6931], atol=5e-5)
    np.testing.assert_allclose(per_row, -np.log([0.6, 0.4, 0.5]), rtol=1e-12)
    assert keras.losses.CategoricalCrossentropy()(y, p) == pytest.approx(0.7068, abs=5e-5)   # the class: the mean
    np.testing.assert_allclose(keras.losses.sparse_categorical_crossentropy([0, 1, 2], p), per_row, rtol=1e-12)
    one = keras.losses.categorical_crossentropy([1, 0, 0], [.6, .2, .2])      # a 1-D y_pred is one sample
    assert isinstance(one, np.ndarray) and one.shape == () and float(one) == pytest.approx(0.5108256)


def test_functions_match_keras_documented_examples():
    f32 = np.float32
    np.testing.assert_allclose(losses.categorical_crossentropy([[0, 1, 0], [0, 0, 1]],
                                                               f32([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])),
                               [0.0513, 2.303], atol=5e-4)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy([1, 2], f32([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])),
                               [0.0513, 2.303], atol=5e-4)
    np.testing.assert_allclose(losses.binary_crossentropy([[0, 1], [0, 0]], f32([[0.6, 0.4], [0.4, 0.6]])),
                               [0.916, 0.714], atol=5e-4)
    assert np.mean(losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])) == pytest.approx(0.155)
    z = np.log(np.array([[0.05, 0.95, 1e-30], [0.1, 0.8, 0.1]]))
    np.testing.assert_allclose(losses.categorical_crossentropy([[0, 1, 0], [0, 0, 1]], z, from_logits=True),
                               -np.log([0.95, 0.1]), rtol=1e-9)


def test_functions_have_keras_signatures():
    import inspect
    expected = {"categorical_crossentropy": ["y_true", "y_pred", "from_logits", "label_smoothing"],
                "binary_crossentropy": ["y_true", "y_pred", "from_logits", "label_smoothing"],
                "sparse_categorical_crossentropy": ["y_true", "y_pred", "from_logits"],
                "huber": ["y_true", "y_pred", "delta"], "huber_loss": ["y_true", "y_pred", "delta"],
                "cosine_similarity": ["y_true", "y_pred", "axis"]}
    for name in FUNCTIONS:
        params = list(inspect.signature(getattr(losses, name)).parameters)
        assert params == expected.get(name, ["y_true", "y_pred"]), name
        assert getattr(losses, name).__name__ == name and name in LOSSES


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_functions_give_one_loss_per_sample_whose_mean_is_the_class_value(name, dtype):
    fn, loss = getattr(losses, name), losses.get(name)
    for shape in ((6, 4), (2, 3, 4)):
        y, p = _inputs(name, shape, dtype)
        values = fn(y, p)
        assert isinstance(values, np.ndarray) and values.shape == shape[:-1] and values.dtype == dtype, shape
        assert np.mean(values, dtype=np.float64) == pytest.approx(loss(y, p), rel=1e-5 if dtype == np.float32
                                                                  else 1e-12)
        np.testing.assert_array_equal(values, type(loss)(reduction=None)(y, p))
    one = fn(y[0, 0], p[0, 0])                           # a 1-D y_pred: one sample, a 0-d value
    assert one.shape == () and float(one) == pytest.approx(float(values[0, 0]), rel=1e-6)


def _fit_history(loss, metrics=None, seed=0, out="sigmoid", y=None):
    import neuronet
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    neuronet.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 3)).astype("float32")
    width = 1 if y is None else 3                  # 3 classes: one-hot rows or integer labels
    y = (x[:, :1] > 0).astype("float32") if y is None else y
    model = Sequential([Dense(4, activation="tanh", input_shape=(3,), kernel_initializer="glorot_uniform"),
                        Dense(width, activation=out)])
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, seed=seed)
    return history.history, model, x, y


@pytest.mark.parametrize("name, out, labels", [
    ("binary_crossentropy", "sigmoid", None), ("mse", None, None), ("mean_squared_error", None, None),
    ("huber", None, None), ("hinge", "tanh", None),
    ("categorical_crossentropy", "softmax", "onehot"), ("sparse_categorical_crossentropy", "softmax", "sparse"),
    ("kld", "softmax", "onehot")])
def test_compile_with_the_function_trains_exactly_as_the_string(name, out, labels):
    """compile(loss=losses.<function>) resolves to the class of its name: the same History, bit for bit."""
    classes = np.random.default_rng(5).integers(0, 3, size=64)
    y = None if labels is None else classes if labels == "sparse" else np.eye(3, dtype="float32")[classes]
    by_name, model, _, _ = _fit_history(name, ["acc"], out=out, y=y)
    by_function, model_f, _, _ = _fit_history(getattr(losses, name), ["acc"], out=out, y=y)
    assert by_name.keys() == by_function.keys()
    for key in by_name:
        np.testing.assert_array_equal(by_function[key], by_name[key], err_msg=key)
    assert type(model_f.loss) is type(losses.get(name))
    for a, b in zip(model.get_weights(), model_f.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_compiled_with_loss_functions_saves_and_loads(tmp_path):
    from neuronet import metrics
    from neuronet.models import load_model
    history, model, x, y = _fit_history(losses.binary_crossentropy,
                                        [metrics.binary_accuracy, metrics.mean_squared_error, metrics.huber])
    assert {"loss", "binary_accuracy", "mean_squared_error", "huber", "val_binary_accuracy"} <= history.keys()
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras")
    assert type(again.loss) is losses.BinaryCrossentropy
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    after = again.evaluate(x, y, verbose=0, return_dict=True)
    assert before.keys() == after.keys() and all(after[k] == pytest.approx(before[k]) for k in before)
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
    assert before["huber"] == pytest.approx(np.mean(losses.huber(y, model.predict(x, verbose=0))), rel=1e-5)


def test_your_own_function_named_like_a_neuronet_loss_is_not_replaced_by_it():
    from neuronet import losses

    def binary_crossentropy(y_true, y_pred):      # a user's function: neuronet cannot know its gradient
        return 0.0

    with pytest.raises(ValueError, match=r"'binary_crossentropy' \(.*test_base\) has no gradient"):
        losses.get(binary_crossentropy)
    assert type(losses.get(losses.binary_crossentropy)).__name__ == "BinaryCrossentropy"
