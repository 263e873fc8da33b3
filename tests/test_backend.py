"""neuronet.backend: Keras' backend functions as Keras 2 tutorials call them, on NumPy arrays."""
import copy
import json
import pickle

import numpy as np
import pytest

import neuronet
from neuronet import backend as K
from neuronet.callbacks import Callback
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adam
from neuronet.optimizers.schedules import ExponentialDecay


def test_backend_is_reachable_both_ways():
    import neuronet.backend as by_path
    assert by_path is K and neuronet.backend is K and callable(K.set_value)


@pytest.mark.parametrize("attribute", ["lr", "learning_rate"])
def test_set_value_and_get_value_change_and_read_an_optimizers_rate(attribute):
    opt = Adam(learning_rate=0.001)
    K.set_value(getattr(opt, attribute), 0.01)
    assert opt.learning_rate == 0.01 and opt.get_config()["learning_rate"] == 0.01
    value = K.get_value(getattr(opt, attribute))
    assert value == 0.01 and type(value) is float
    assert K.eval(opt.lr) == 0.01


def test_assign_and_numpy_on_the_rate_as_tensorflow_variables():
    opt = SGD(learning_rate=0.1)
    opt.lr.assign(0.05)
    assert opt.learning_rate.numpy() == 0.05


def test_the_rate_is_a_plain_float_when_copied_pickled_or_serialized():
    rate = SGD(learning_rate=0.1).learning_rate
    assert rate == 0.1 and rate * 2 == 0.2 and f"{rate:.2f}" == "0.10" and repr(rate) == "0.1"
    assert type(pickle.loads(pickle.dumps(rate))) is float and type(copy.deepcopy(rate)) is float
    assert json.loads(json.dumps({"lr": rate})) == {"lr": 0.1}


def test_set_value_on_a_scheduled_rate_says_why_not():
    opt = SGD(learning_rate=ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5))
    assert K.get_value(opt.lr) == pytest.approx(0.1)
    with pytest.raises(TypeError, match="schedule"):
        K.set_value(opt.lr, 0.01)


def test_set_value_on_a_plain_number_names_the_fix():
    with pytest.raises(TypeError, match="optimizer.learning_rate = value"):
        K.set_value(0.001, 0.01)


def test_set_value_fills_an_array_in_place_and_checks_the_shape():
    w = np.zeros((2, 3), dtype=np.float32)
    K.set_value(w, np.ones((2, 3)))
    assert (w == 1).all() and w.dtype == np.float32
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        K.set_value(w, np.ones(3))
    got = K.get_value(w)
    got[0, 0] = 5
    assert w[0, 0] == 1                                        # a copy, as Keras returns


def test_keras_2_learning_rate_scheduler_callback_runs_through_fit():
    # The keras.io "Writing your own callbacks" guide's CustomLearningRateScheduler, Keras 2 form.
    class CustomLearningRateScheduler(Callback):
        def __init__(self, schedule):
            super().__init__()
            self.schedule = schedule

        def on_epoch_begin(self, epoch, logs=None):
            lr = float(K.get_value(self.model.optimizer.learning_rate))
            scheduled_lr = self.schedule(epoch, lr)
            K.set_value(self.model.optimizer.lr, scheduled_lr)

    seen = []
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer=SGD(learning_rate=0.1), loss="mse")
    x = np.ones((8, 2), dtype=np.float32)
    model.fit(x, x[:, :1], epochs=3, verbose=0, callbacks=[CustomLearningRateScheduler(
        lambda epoch, lr: seen.append(lr) or lr / 2)])
    assert seen == [0.1, 0.05, 0.025] and model.optimizer.learning_rate == 0.0125


def test_keras_2_custom_f1_metric_on_arrays_matches_sklearn():
    # The widely copied recall_m / precision_m / f1_m, written with K on arrays.
    from sklearn.metrics import f1_score

    def recall_m(y_true, y_pred):
        true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
        possible_positives = K.sum(K.round(K.clip(y_true, 0, 1)))
        return true_positives / (possible_positives + K.epsilon())

    def precision_m(y_true, y_pred):
        true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
        predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
        return true_positives / (predicted_positives + K.epsilon())

    def f1_m(y_true, y_pred):
        p, r = precision_m(y_true, y_pred), recall_m(y_true, y_pred)
        return 2 * ((p * r) / (p + r + K.epsilon()))

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = (x[:, :1] + 0.3 * rng.normal(size=(64, 1)) > 0).astype(np.float32)
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(4,))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[f1_m])
    model.fit(x, y, epochs=2, verbose=0)
    result = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    expected = f1_score(y.ravel(), model.predict(x).ravel() > 0.5)
    assert result["f1_m"] == pytest.approx(expected, abs=1e-5)


def test_floatx_and_set_floatx_are_the_global_setting():
    assert K.floatx() == "float32" and K.constant([1, 2]).dtype == np.float32
    K.set_floatx("float64")
    try:
        assert neuronet.config.floatx() == "float64" and K.constant(1).dtype == np.float64
    finally:
        K.set_floatx("float32")
    with pytest.raises(ValueError, match="floatx"):
        K.set_floatx("int8")


def test_epsilon_and_set_epsilon():
    assert K.epsilon() == 1e-7
    K.set_epsilon(1e-5)
    try:
        assert K.epsilon() == 1e-5
    finally:
        K.set_epsilon(1e-7)
    for bad in (0, -1, float("nan"), float("inf"), "x"):
        with pytest.raises(ValueError, match="epsilon"):
            K.set_epsilon(bad)
    assert K.epsilon() == 1e-7


def test_clear_session_restarts_automatic_names():
    K.clear_session()
    first = Dense(1).name
    Dense(1)
    K.clear_session()
    assert Dense(1).name == first == "dense"


def test_int_shape():
    assert K.int_shape(np.zeros((4, 3))) == (4, 3)
    assert K.int_shape([[1, 2, 3]]) == (1, 3)
    assert all(type(d) is int for d in K.int_shape(np.zeros((2, 5))))


def test_array_helpers_follow_numpy_with_keras_argument_names():
    x = np.array([[1.0, -4.0], [9.0, 0.5]], dtype=np.float32)
    np.testing.assert_array_equal(K.mean(x, axis=0), [5.0, -1.75])
    assert K.mean(x, axis=1, keepdims=True).shape == (2, 1)
    assert K.sum(x) == pytest.approx(6.5)
    np.testing.assert_array_equal(K.square(x), x ** 2)
    np.testing.assert_array_equal(K.abs(x), np.abs(x))
    np.testing.assert_array_equal(K.sqrt(x), [[1.0, 0.0], [3.0, np.sqrt(0.5, dtype=np.float32)]])  # Keras clips < 0
    np.testing.assert_array_equal(K.clip(x, 0, 1), [[1, 0], [1, 0.5]])
    np.testing.assert_array_equal(K.clip(x, 2, 1), np.full((2, 2), 2))   # max < min: max = min, as Keras
    np.testing.assert_allclose(K.exp(K.log(K.abs(x))), np.abs(x), rtol=1e-6)
    np.testing.assert_array_equal(K.maximum(x, 0), np.maximum(x, 0))
    np.testing.assert_array_equal(K.minimum(x, 0), np.minimum(x, 0))
    np.testing.assert_array_equal(K.round(np.array([0.5, 1.5, 2.5, -0.5])), [0, 2, 2, -0])  # half to even
    assert K.cast(x > 0, "float32").dtype == np.float32 and K.cast(x > 0, "float32").sum() == 3
    assert K.constant(0.5, shape=(2, 2)).shape == (2, 2)
    assert K.argmax(x).tolist() == [0, 0] and K.pow(x, 2).tolist() == K.square(x).tolist()
    assert K.max(x) == 9 and K.min(x) == -4 and K.flatten(x).shape == (4,)
