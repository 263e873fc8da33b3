"""Discretization: Keras' documented examples, quantile adapt, encodings, config."""
import numpy as np
import pytest

from neuronet.layers import Dense, Discretization, deserialize, serialize
from neuronet.layers.preprocessing import NoGradient
from neuronet.models import Sequential

X = np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])


def test_keras_example_given_boundaries():
    out = Discretization(bin_boundaries=[0., 1., 2.])(X)
    assert out.dtype == np.int64 and out.tolist() == [[0, 2, 3, 1], [1, 3, 2, 1]]


def test_keras_example_adapted_quantiles():
    layer = Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(X)
    assert layer(X).tolist() == [[0, 2, 3, 2], [1, 3, 3, 1]]
    np.testing.assert_allclose(layer.bin_boundaries, [0.0, 0.5, 1.3], rtol=1e-6)


def test_adapt_on_many_values_gives_bins_of_about_equal_counts():
    x = np.random.default_rng(0).normal(size=(10000, 1))
    layer = Discretization(num_bins=5)
    layer.adapt(x)
    counts = np.bincount(layer(x).ravel(), minlength=5)
    assert len(layer.bin_boundaries) == 4 and (np.abs(counts - 2000) < 150).all()
    np.testing.assert_allclose(layer.bin_boundaries, np.quantile(x, [0.2, 0.4, 0.6, 0.8]), atol=0.05)


def test_output_modes():
    layer = Discretization(bin_boundaries=[0., 1., 2.], output_mode="one_hot")
    np.testing.assert_array_equal(layer(np.array([[-1.0], [1.5]])), [[1, 0, 0, 0], [0, 0, 1, 0]])
    multi = Discretization(bin_boundaries=[0., 1., 2.], output_mode="multi_hot")(X)
    np.testing.assert_array_equal(multi, [[1, 1, 1, 1], [0, 1, 1, 1]])
    count = Discretization(bin_boundaries=[0., 1., 2.], output_mode="count")(X)
    np.testing.assert_array_equal(count, [[1, 1, 1, 1], [0, 2, 1, 1]])


def test_first_in_a_model_trains_the_layers_after_it():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype("float32")
    model = Sequential([Discretization(bin_boundaries=[-1., 0., 1.], output_mode="int", input_shape=(2,)),
                        Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()[0].copy()
    model.fit(x, x[:, :1] > 0, epochs=2, verbose=0)
    assert not np.array_equal(before, model.get_weights()[0])


def test_backward_gives_no_gradient_and_a_trainable_layer_before_it_fails_in_words():
    layer = Discretization(bin_boundaries=[0.0])
    layer(np.zeros((2, 1)))
    layer.needs_input_grad = True
    grad = layer.backward(np.ones((2, 1)))
    assert isinstance(grad, NoGradient)
    with pytest.raises(ValueError, match="has no gradient"):
        np.ones((2, 1)) * grad
    model = Sequential([Dense(2, input_shape=(2,)), Discretization(bin_boundaries=[0.0]), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="Put the preprocessing layers .* first"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)


def test_config_round_trip_keeps_adapted_boundaries():
    layer = Discretization(num_bins=3, output_mode="one_hot")
    layer.adapt(np.arange(30.0))
    again = deserialize(serialize(layer))
    assert again.bin_boundaries == layer.bin_boundaries and again.num_bins == 3
    np.testing.assert_array_equal(again(np.array([[4.0], [25.0]])), layer(np.array([[4.0], [25.0]])))


@pytest.mark.parametrize("kwargs, match", [({}, "either `num_bins` or `bin_boundaries`"),
                                           ({"num_bins": 2, "bin_boundaries": [0.]}, "Both"),
                                           ({"bin_boundaries": [1., 0.]}, "increasing"),
                                           ({"num_bins": 2, "output_mode": "tf_idf"}, "output_mode"),
                                           ({"num_bins": 2, "sparse": True}, "dense")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Discretization(**kwargs)


def test_unadapted_and_given_boundaries_misuse():
    with pytest.raises(ValueError, match="adapt"):
        Discretization(num_bins=3)(X)
    with pytest.raises(ValueError, match="num_bins"):
        Discretization(bin_boundaries=[0.]).adapt(X)
