"""StringLookup and IntegerLookup: Keras' documented examples, adapt, OOV, mask, encodings, config."""
import numpy as np
import pytest

from neuronet.layers import Dense, IntegerLookup, StringLookup, deserialize, serialize
from neuronet.models import Sequential, load_model

VOCAB = ["a", "b", "c", "d"]


def test_string_keras_example_known_vocabulary():
    out = StringLookup(vocabulary=VOCAB)([["a", "c", "d"], ["d", "z", "b"]])
    assert out.dtype == np.int64 and out.tolist() == [[1, 3, 4], [4, 0, 2]]


def test_string_keras_example_adapt_orders_by_frequency_then_token_descending():
    layer = StringLookup()
    data = [["a", "c", "d"], ["d", "z", "b"]]
    layer.adapt(data)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert layer(data).tolist() == [[5, 3, 1], [1, 2, 4]]


def test_string_keras_example_two_oov_indices():
    out = StringLookup(vocabulary=VOCAB, num_oov_indices=2)([["a", "c", "d"], ["m", "z", "b"]])
    assert out[0].tolist() == [2, 4, 5] and out[1, 2] == 3 and set(out[1, :2]) <= {0, 1}
    again = StringLookup(vocabulary=VOCAB, num_oov_indices=2)([["m", "z"]])
    assert again.tolist() == [out[1, :2].tolist()]               # the same token, the same OOV index


@pytest.mark.parametrize("mode, expected", [
    ("one_hot", [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0]]),
])
def test_string_keras_example_one_hot(mode, expected):
    out = StringLookup(vocabulary=VOCAB, output_mode=mode)(["a", "b", "c", "d", "z"])
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.float32


def test_string_keras_examples_multi_hot_and_count():
    data = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
    np.testing.assert_array_equal(StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(data),
                                  [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    np.testing.assert_array_equal(StringLookup(vocabulary=VOCAB, output_mode="count")(data),
                                  [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])


def test_string_keras_example_mask_token():
    layer = StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer([["a", "c", "d"], ["d", "", "b"]]).tolist() == [[2, 4, 5], [5, 0, 3]]
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"] and layer.vocabulary_size() == 6


def test_string_keras_example_invert():
    out = StringLookup(vocabulary=VOCAB, invert=True)([[1, 3, 4], [4, 0, 2]])
    assert out.tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]


def test_integer_keras_examples():
    assert IntegerLookup(vocabulary=[12, 36, 1138, 42])([[12, 1138, 42], [42, 1000, 36]]).tolist() == \
        [[1, 3, 4], [4, 0, 2]]
    layer = IntegerLookup()
    layer.adapt([[12, 1138, 42], [42, 1000, 36]])
    assert layer.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    assert layer([[12, 1138, 42], [42, 1000, 36]]).tolist() == [[5, 2, 1], [1, 3, 4]]
    np.testing.assert_array_equal(IntegerLookup(vocabulary=[12, 36, 1138, 42], output_mode="one_hot")(
        [12, 36, 1138, 42, 7]), [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0]])
    assert IntegerLookup(vocabulary=[12, 36, 1138, 42], mask_token=0)([[12, 1138, 42], [42, 0, 36]]).tolist() == \
        [[2, 4, 5], [5, 0, 3]]


def test_max_tokens_keeps_the_most_frequent():
    layer = StringLookup(max_tokens=3)
    layer.adapt(["x", "y", "y", "z", "z", "z"])
    assert layer.get_vocabulary() == ["[UNK]", "z", "y"]


def test_integer_lookup_one_hot_first_in_a_model_trains_and_saves(tmp_path):
    x = np.array([[10], [20], [30], [20], [99]], dtype="float32")
    lookup = IntegerLookup(output_mode="one_hot", input_shape=(1,))
    lookup.adapt(x[:4])
    model = Sequential([lookup, Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.array([[1.], [2.], [3.], [2.], [0.]]), epochs=3, verbose=0)
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras")
    assert again.layers[0].get_vocabulary() == lookup.get_vocabulary() == [-1, 20, 30, 10]
    np.testing.assert_array_equal(again.predict(x), model.predict(x))


def test_config_round_trip_carries_the_adapted_vocabulary():
    layer = StringLookup(mask_token="", num_oov_indices=2, output_mode="count", name="words")
    layer.adapt([["p", "q", "q"]])
    again = deserialize(serialize(layer))
    assert again.get_config() == layer.get_config() and again.get_config()["vocabulary"] == ["q", "p"]
    data = [["q", "x", ""]]
    np.testing.assert_array_equal(again(data), layer(data))


def test_no_vocabulary_and_bad_arguments():
    with pytest.raises(ValueError, match="adapt"):
        StringLookup()(["a"])
    with pytest.raises(ValueError, match="repeated"):
        StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="mask_token"):
        StringLookup(vocabulary=["", "a"], mask_token="")
    with pytest.raises(ValueError, match="output_mode"):
        StringLookup(output_mode="one_hot", invert=True)
    with pytest.raises(TypeError, match="IntegerLookup"):
        StringLookup(vocabulary=VOCAB)([[1, 2]])
    with pytest.raises(ValueError, match="non-integer"):
        IntegerLookup(vocabulary=[1, 2])([[1.5]])
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        StringLookup(vocabulary=VOCAB, num_oov_indices=0)(["z"])
