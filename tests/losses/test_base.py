"""Behaviour every loss shares: names, config, extremes and Keras' reduction argument."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from neuronet import losses
from neuronet.losses import LOSSES


DISTINCT = sorted({LOSSES.canonical(n) for n in LOSSES.names()})


RNG = np.random.default_rng(0)


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


# ---- numeric extremes ------------------------------------------------------------------------------
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
        assert model.fused_loss
        steps.append([a - b for a, b in zip(model.get_weights(), before)])
    for m, s in zip(*steps):
        np.testing.assert_allclose(s, 6 * m, rtol=1e-4, atol=1e-6)   # float32 weights near 1


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


# Each loss with an output activation it is used with, its output width and the kind of targets.
FLOAT16_CASES = {
    "binary_crossentropy": ("sigmoid", 1, "binary"), "categorical_crossentropy": ("softmax", 3, "onehot"),
    "sparse_categorical_crossentropy": ("softmax", 3, "sparse"), "hinge": ("tanh", 1, "binary"),
    "squared_hinge": ("tanh", 1, "binary"), "categorical_hinge": ("linear", 3, "onehot"),
    "kl_divergence": ("softmax", 3, "onehot"), "poisson": ("softplus", 1, "positive"),
    "mean_squared_error": ("linear", 1, "positive"), "mean_absolute_error": ("linear", 1, "positive"),
    "mean_absolute_percentage_error": ("linear", 1, "positive"),
    "mean_squared_logarithmic_error": ("relu", 1, "positive"), "huber": ("linear", 1, "positive"),
    "log_cosh": ("linear", 1, "positive"), "cosine_similarity": ("linear", 3, "onehot"),
    "binary_crossentropy from logits": ("linear", 1, "binary"),
    "categorical_crossentropy from logits": ("linear", 3, "onehot"),
    "sparse_categorical_crossentropy from logits": ("linear", 3, "sparse"),
}


def _loss(case):
    from neuronet.losses import LOSSES
    name, _, logits = case.partition(" from ")
    return LOSSES.lookup(name)(from_logits=True) if logits else name


def test_the_float16_cases_cover_every_loss():
    from neuronet.losses import LOSSES
    assert {type(LOSSES.get(name.split(" from ")[0])).__name__ for name in FLOAT16_CASES} == \
        {type(LOSSES.get(name)).__name__ for name in LOSSES.names()}


@pytest.mark.parametrize("loss", sorted(FLOAT16_CASES))
def test_float16_training_keeps_float16_with_every_loss(loss):
    import warnings
    import neuronet
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    activation, width, kind = FLOAT16_CASES[loss]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3))
    labels = rng.integers(0, width if width > 1 else 2, 16)
    y = {"binary": labels.astype(float), "sparse": labels, "onehot": np.eye(3)[labels],
         "positive": rng.uniform(1, 2, 16)}[kind]
    neuronet.config.set_floatx("float16")
    try:
        model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(width, activation=activation)])
        model.compile(optimizer="adam", loss=_loss(loss), metrics=[] if kind == "sparse" else ["mae"])
        with warnings.catch_warnings():
            # A divergence warning fails the test, except for cosine similarity: its gradient -(u - c v) / ||p||
            # exceeds float16's range (65504) wherever a prediction row is near zero, as it would in Keras.
            warnings.simplefilter("ignore" if loss == "cosine_similarity" else "error")
            history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, validation_split=0.25)
        predictions = model.predict(x, verbose=0)
    finally:
        neuronet.config.set_floatx("float32")
    assert predictions.dtype == np.float16 and all(w.dtype == np.float16 for w in model.get_weights())
    assert loss == "cosine_similarity" or np.isfinite(history.history["loss"]).all()


@pytest.mark.parametrize("case", sorted(FLOAT16_CASES))
def test_every_loss_gradient_keeps_float16(case):
    from neuronet import losses
    activation, width, kind = FLOAT16_CASES[case]
    rng = np.random.default_rng(1)
    labels = rng.integers(0, width if width > 1 else 2, 8)
    y = {"binary": labels.reshape(-1, 1), "sparse": labels, "onehot": np.eye(3)[labels],
         "positive": rng.uniform(1, 2, (8, 1))}[kind].astype("int64" if kind == "sparse" else "float16")
    raw = rng.uniform(0.1, 0.9, (8, width)).astype("float16")
    loss = losses.get(_loss(case))
    grad = loss.training_gradient(y, raw, sample_weight=None, fused=False)
    assert grad.dtype == np.float16 and np.isfinite(loss(y, raw))
