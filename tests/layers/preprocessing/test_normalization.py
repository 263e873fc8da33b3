"""Normalization: Keras' documented examples, adapt, invert, the model path, config and saving."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuronet import backend as K
from neuronet.layers import Dense, Normalization, deserialize, serialize
from neuronet.models import Sequential, load_model

ADAPT = np.array([[0., 7., 4.], [2., 9., 6.], [0., 7., 4.], [2., 9., 6.]], dtype="float32")


def test_keras_example_global_mean_and_variance():
    layer = Normalization(axis=None)
    layer.adapt(np.array([1., 2., 3., 4., 5.], dtype="float32"))
    np.testing.assert_allclose(layer(np.array([1., 2., 3.], dtype="float32")), [-1.4142135, -0.70710677, 0.],
                               rtol=1e-6)


def test_keras_example_per_feature():
    layer = Normalization(axis=-1)
    layer.adapt(ADAPT)
    np.testing.assert_allclose(layer(np.array([[0., 7., 4.]])), [[-1., -1., -1.]])
    np.testing.assert_array_equal(layer.mean, [1, 8, 5])
    np.testing.assert_array_equal(layer.variance, [1, 1, 1])     # biased variance, as Keras
    assert layer.count.tolist() == [4]


def test_keras_example_given_mean_and_variance():
    layer = Normalization(mean=3., variance=2.)
    np.testing.assert_allclose(layer(np.array([[1.], [2.], [3.]])), [[-1.4142135], [-0.70710677], [0.]], rtol=1e-6)
    assert layer.count_params() == 0


def test_keras_example_invert():
    layer = Normalization(axis=-1, invert=True)
    layer.adapt(ADAPT)
    np.testing.assert_allclose(layer(np.array([[1., 2., 3.]])), [[2., 10., 8.]])


def test_adapt_matches_standard_scaler_and_invert_undoes_it():
    from sklearn.preprocessing import StandardScaler
    x = np.random.default_rng(0).normal(4, 3, size=(200, 5))
    layer, back = Normalization(), Normalization(invert=True)
    layer.adapt(x)
    back.adapt(x)
    np.testing.assert_allclose(layer(x), StandardScaler().fit_transform(x), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(back(layer(x)), x, rtol=1e-5, atol=1e-4)


def test_constant_feature_divides_by_epsilon_not_zero():
    layer = Normalization()
    layer.adapt(np.array([[1.0, 5.0], [3.0, 5.0]]))
    with np.errstate(all="raise"):
        out = layer(np.array([[2.0, 5.0], [2.0, 6.0]]))
    np.testing.assert_allclose(out, [[0, 0], [0, 1 / K.epsilon()]], rtol=1e-6)


def test_axis_1_of_3d_inputs_keeps_one_pair_per_index_of_that_axis():
    x = np.random.default_rng(1).normal(size=(10, 3, 2))
    layer = Normalization(axis=1)
    layer.adapt(x)
    assert layer.mean.shape == (3,)
    np.testing.assert_allclose(layer.mean, x.mean(axis=(0, 2)), rtol=1e-6)


def test_adapted_layer_starts_a_sequential_model_trains_and_saves(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(50, 10, size=(64, 3)).astype("float32")
    y = x @ np.array([[0.1], [-0.2], [0.05]], dtype="float32")
    norm = Normalization()
    norm.adapt(x)
    model = Sequential([norm, Dense(8, activation="relu"), Dense(1)])
    assert model.built and model.input_shape == (None, 3)
    lines = []
    model.summary(print_fn=lines.append)
    assert "Non-trainable params: 7" in lines[0]            # mean 3 + variance 3 + count 1, as Keras
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=3, verbose=0)
    np.testing.assert_allclose(norm.mean, x.mean(0), rtol=1e-5)      # fit does not change what adapt learned
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    np.testing.assert_array_equal(again.layers[0].mean, norm.mean)


def test_config_round_trip():
    layer = Normalization(axis=None, mean=2.0, variance=4.0, invert=True)
    again = deserialize(serialize(layer))
    assert again.get_config() == layer.get_config()
    assert again.get_config()["mean"] == 2.0 and again.get_config()["axis"] is None
    np.testing.assert_array_equal(again(np.array([[1.0]])), [[4.0]])


@pytest.mark.parametrize("kwargs, match", [({"mean": 1.0}, "both `mean` and `variance`"),
                                           ({"axis": "x"}, "axis='x'"),
                                           ({"mean": 0.0, "variance": -1.0}, "variance")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Normalization(**kwargs)


def test_adapt_refuses_non_finite_data_and_given_statistics():
    with pytest.raises(ValueError, match="finite"):
        Normalization().adapt(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="adapt"):
        Normalization(mean=0.0, variance=1.0).adapt(np.ones((3, 1)))


@settings(max_examples=50, deadline=None)
@given(arrays(np.float32, (6, 3), elements=st.floats(-1e4, 1e4, width=32)))
def test_adapt_and_normalize_stay_finite_at_extremes(x):
    layer, back = Normalization(), Normalization(invert=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        layer.adapt(x)
        back.adapt(x)
        out = layer(x)
        assert out.dtype == np.float32 and np.isfinite(out).all()
        np.testing.assert_allclose(back(out), x, rtol=1e-3, atol=1e-2 + 1e-3 * np.abs(x).max())
