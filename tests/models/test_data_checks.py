"""Input checks of fit's data: class_weight keys and weights; a one-feature model takes 1-D x as a column,
as Keras does."""
import numpy as np
import pytest

from neuronet.layers import Dense
from neuronet.models import Sequential


def _softmax_model(classes=3):
    model = Sequential([Dense(classes, activation="softmax", input_shape=(2,))])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


def _data():
    x = np.random.default_rng(0).normal(size=(12, 2)).astype("float32")
    return x, np.arange(12) % 3


@pytest.mark.parametrize("class_weight, message", [
    ({-1: 2.0}, "key -1"),
    ({3: 2.0}, "0 to 2"),
    ({10 ** 15: 2.0}, "key 1000000000000000"),
    ({1.0: 2.0}, "key 1.0"),
    ({"1": 2.0}, "key '1'"),
    ({True: 2.0}, "key True"),
    ({0: -1.0}, "finite numbers >= 0"),
    ({0: float("nan")}, "finite numbers >= 0"),
    ({0: float("inf")}, "finite numbers >= 0"),
    ({0: "2"}, "finite numbers >= 0"),
    ([1.0, 2.0, 3.0], "expected a dict"),
])
def test_class_weight_keys_are_class_indices_and_weights_finite_non_negative(class_weight, message):
    model = _softmax_model()
    x, y = _data()
    before = model.get_weights()
    with pytest.raises(ValueError, match=message):
        model.fit(x, y, class_weight=class_weight, epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_a_class_left_out_weighs_one_and_weights_scale_the_loss():
    model = _softmax_model()
    x, y = _data()
    plain = model.evaluate(x, y, verbose=0)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    from neuronet.models import data_checks
    w = data_checks.prepare_weights(model, y.astype("float32"), len(y), class_weight={0: 2.0, 2: 0.0})
    assert w.tolist() == [2.0, 1.0, 0.0] * 4
    assert model.evaluate(x, y, sample_weight=np.ones(12), verbose=0) == pytest.approx(plain)


def test_one_sigmoid_unit_has_the_classes_0_and_1():
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    x, y = _data()
    model.fit(x, (y > 0).astype("float32"), class_weight={0: 1.0, 1: 3.0}, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="0 to 1"):
        model.fit(x, (y > 0).astype("float32"), class_weight={2: 1.0}, epochs=1, verbose=0)


def test_a_regression_target_far_outside_the_classes_never_indexes_or_allocates():
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    x, _ = _data()
    y = np.array([1e30, -1e30, 0.0, 1.0] * 3, dtype="float32")
    from neuronet.models import data_checks
    with np.errstate(all="raise"):
        w = data_checks.prepare_weights(model, y, len(y), class_weight={0: 5.0, 1: 2.0})
    assert w.tolist() == [1.0, 1.0, 5.0, 2.0] * 3


def _model(**kwargs):
    model = Sequential([Dense(1, **kwargs)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize("declared", [True, False])
def test_one_feature_model_takes_1d_x_in_fit_evaluate_predict(declared):
    """Keras expands a 1-D x of n values to shape (n, 1): the same results as the column itself."""
    x = np.linspace(-1, 1, 20)
    y = 3 * x + 1
    from neuronet.utils import set_random_seed
    results = []
    for data in (x, x.reshape(-1, 1)):
        set_random_seed(3)
        model = _model(**({"input_shape": (1,)} if declared else {}))
        history = model.fit(data, y, epochs=3, batch_size=4, verbose=0, validation_data=(data, y))
        results.append((history.history["val_loss"], model.evaluate(data, y, verbose=0), model.predict(data)))
        assert model.input_shape == (None, 1)
    assert results[0][0] == results[1][0] and results[0][1] == results[1][1]
    np.testing.assert_array_equal(results[0][2], results[1][2])
    assert results[0][2].shape == (20, 1)


def test_1d_x_for_a_many_feature_model_is_refused_with_the_fix():
    model = _model(input_shape=(3,))
    with pytest.raises(ValueError, match=r"shape \(3,\) \(1-D\).*x.reshape\(1, -1\)"):
        model.predict(np.arange(3.0))
