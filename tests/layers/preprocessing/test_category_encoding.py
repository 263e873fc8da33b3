"""CategoryEncoding: Keras' documented examples and errors."""
import numpy as np
import pytest

from neuronet.layers import CategoryEncoding, Dense, deserialize, serialize
from neuronet.models import Sequential


def test_keras_example_one_hot():
    out = CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1])
    np.testing.assert_array_equal(out, [[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
    assert out.dtype == np.float32


def test_keras_example_multi_hot_is_the_default():
    out = CategoryEncoding(num_tokens=4)([[0, 1], [0, 0], [1, 2], [3, 1]])
    np.testing.assert_array_equal(out, [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])


def test_keras_example_count_with_count_weights():
    layer = CategoryEncoding(num_tokens=4, output_mode="count")
    out = layer([[0, 1], [0, 0], [1, 2], [3, 1]], count_weights=[[.1, .2], [.1, .1], [.2, .3], [.4, .2]])
    np.testing.assert_allclose(out, [[.1, .2, 0, 0], [.2, 0, 0, 0], [0, .2, .3, 0], [0, .2, 0, .4]], rtol=1e-6)
    np.testing.assert_array_equal(layer([[0, 0], [3, 1]]), [[2, 0, 0, 0], [0, 1, 0, 1]])


def test_one_hot_of_a_column_replaces_it_and_trains_in_a_model():
    x = np.array([[0], [2], [1], [2]], dtype="float32")
    layer = CategoryEncoding(num_tokens=3, output_mode="one_hot")
    np.testing.assert_array_equal(layer(x), np.eye(3)[[0, 2, 1, 2]])
    model = Sequential([CategoryEncoding(num_tokens=3, output_mode="one_hot", input_shape=(1,)), Dense(1)])
    assert model.output_shape == (None, 1) and model.layers[0].output_shape == (3,)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.array([[0.], [2.], [1.], [2.]]), epochs=2, verbose=0)


def test_values_outside_the_range_are_refused():
    with pytest.raises(ValueError, match="0 <= values < num_tokens with num_tokens=4"):
        CategoryEncoding(num_tokens=4)([[0, 4]])
    with pytest.raises(ValueError, match="integer"):
        CategoryEncoding(num_tokens=4)([[0.5]])
    with pytest.raises(TypeError, match="StringLookup"):
        CategoryEncoding(num_tokens=4)([["a"]])
    with pytest.raises(ValueError, match="num_tokens=None"):
        CategoryEncoding()
    with pytest.raises(ValueError, match="count_weights"):
        CategoryEncoding(num_tokens=2, output_mode="one_hot")([0], count_weights=[1.0])


def test_config_round_trip():
    layer = CategoryEncoding(num_tokens=5, output_mode="count", name="enc")
    assert deserialize(serialize(layer)).get_config() == layer.get_config()
