"""Reshape (and Flatten's backward): shapes with -1 inferred, gradients, configs, Keras' error messages."""
import json

import numpy as np
import pytest

from gradcheck import numeric_gradient
from neuronet.layers import Dense, Flatten, Reshape, deserialize, serialize
from neuronet.models import Sequential

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("target, input_shape, expected", [
    ((3, 4), (12,), (3, 4)),
    ((-1, 2, 2), (12,), (3, 2, 2)),
    ((4, -1), (2, 3, 2), (4, 3)),
    ((-1,), (2, 3, 2), (12,)),
    ([6, 2], (3, 4), (6, 2)),
])
def test_output_shape_infers_minus_one(target, input_shape, expected):
    layer = Reshape(target)
    assert layer.compute_output_shape(input_shape) == expected
    x = RNG.normal(size=(5, *input_shape))
    out = layer(x)
    assert layer.output_shape == expected and out.shape == (5, *expected)
    np.testing.assert_array_equal(out.reshape(-1), x.reshape(-1))    # same values in the same (C) order


@pytest.mark.parametrize("layer, shape", [(Reshape((4, -1)), (3, 2, 6)), (Reshape((2, 3)), (3, 6)),
                                          (Flatten(), (3, 2, 4))], ids=["reshape_inferred", "reshape", "flatten"])
def test_backward_matches_finite_differences(layer, shape, float64):
    """y = x.reshape(...): dL/dx is g reshaped back to x's shape."""
    x = RNG.normal(size=shape)
    upstream = RNG.normal(size=layer(x).shape)
    layer.forward(x)
    dx = layer.backward(upstream)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, numeric_gradient(lambda: float(np.sum(layer.forward(x) * upstream)), x),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(dx, upstream.reshape(x.shape))


def test_config_round_trip_is_json_safe():
    layer = Reshape((-1, 2), name="to_pairs")
    config = json.loads(json.dumps(serialize(layer)))
    assert config == {"class_name": "Reshape", "config": {"name": "to_pairs", "trainable": True,
                                                          "target_shape": [-1, 2]}}
    clone = deserialize(config)
    assert isinstance(clone, Reshape) and clone.target_shape == (-1, 2)
    x = RNG.normal(size=(3, 8))
    np.testing.assert_array_equal(clone(x), layer(x))


def test_errors_as_keras_words_them():
    with pytest.raises(ValueError, match=r"^The total size of the tensor must be unchanged\. Received: "
                                         r"input_shape=\(12,\), target_shape=\(5, 3\)$"):
        Reshape((5, 3)).build((12,))
    with pytest.raises(ValueError, match=r"^The total size of the tensor must be unchanged, however, the input size "
                                         r"cannot by divided by the specified dimensions in target_shape\. Received: "
                                         r"input_shape=\(12,\), target_shape=\(-1, 5\)$"):
        Reshape((-1, 5)).build((12,))
    with pytest.raises(ValueError, match=r"^There must be at most one unknown dimension \(-1\) in `target_shape`\. "
                                         r"Received: target_shape=\(-1, -1\)\.$"):
        Reshape((-1, -1))
    with pytest.raises(ValueError, match=r"^Each dimension in `target_shape` must be a non-negative integer, or `-1` "
                                         r"for a single unknown dimension\. Received: target_shape=\(3, -2\)\.$"):
        Reshape((3, -2))
    with pytest.raises(TypeError, match=r"`target_shape`, expected a tuple of integers.*Received: target_shape=12$"):
        Reshape(12)
    with pytest.raises(ValueError, match=r"Received: target_shape=\(3, 2\.5\)$"):
        Reshape((3, 2.5))


def test_reshape_inside_a_sequential_model_trains():
    model = Sequential([Reshape((3, 4), input_shape=(12,)), Flatten(), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = RNG.normal(size=(16, 12)).astype("float32"), RNG.normal(size=(16, 1)).astype("float32")
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert model.predict(x, verbose=0).shape == (16, 1)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_a_saved_model_with_reshape_loads_with_the_same_predictions(tmp_path):
    from neuronet.models import load_model
    model = Sequential([Reshape((2, -1), input_shape=(6,)), Flatten(), Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x = RNG.normal(size=(4, 6)).astype("float32")
    model.fit(x, RNG.normal(size=(4, 2)).astype("float32"), epochs=1, verbose=0)
    model.save(tmp_path / "reshape.h5")
    loaded = load_model(tmp_path / "reshape.h5")
    assert [type(layer).__name__ for layer in loaded.layers] == ["Reshape", "Flatten", "Dense"]
    assert loaded.layers[0].target_shape == (2, -1)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
