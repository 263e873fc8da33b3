"""Model.summary(): Keras' layout and the notes' parameter counts."""
import io
from contextlib import redirect_stdout

import pytest

from neuronet.layers import Dense, Flatten
from neuronet.models import Sequential


def boston_model():
    model = Sequential()
    model.add(Dense(128, activation="relu", input_shape=(13,)))
    model.add(Dense(64, activation="relu"))
    model.add(Dense(64, activation="relu"))
    model.add(Dense(32, activation="relu"))
    model.add(Dense(1))
    return model


def cancer_model():
    return Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(32, activation="relu"),
                       Dense(1, activation="sigmoid")])


def deep_model():
    model = Sequential()
    model.add(Dense(8, input_dim=2, activation="relu"))
    for units in (32, 128, 256, 256, 128, 64, 16):
        model.add(Dense(units, activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    return model


@pytest.mark.parametrize("build, total", [
    (boston_model, 16321),
    (cancer_model, 4097),
    (lambda: Sequential([Flatten(input_shape=(28, 28)), Dense(50, activation="relu"),
                         Dense(10, activation="softmax")]), 39760),
    (deep_model, 145561),
])
def test_notes_parameter_counts(build, total):
    model = build()
    assert model.count_params() == total
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    assert f"Total params: {total:,}" in out.getvalue()
    assert f"Trainable params: {total:,}" in out.getvalue()
    assert "Non-trainable params: 0" in out.getvalue()


def test_summary_layout_matches_keras():
    model = boston_model()
    lines = []
    model.summary(print_fn=lines.append)
    text = lines[0].splitlines()
    assert text[0] == 'Model: "sequential"'
    assert text[2].startswith("Layer (type)                 Output Shape              Param #")
    assert text[4] == "dense (Dense)                (None, 128)               1792"
    assert text[6].startswith("dense_1 (Dense)              (None, 64)                8256")
    assert "dense_4 (Dense)              (None, 1)                 33" in text


def test_unbuilt_summary_is_a_clear_error():
    model = Sequential([Dense(3)])
    with pytest.raises(ValueError, match="not yet been built"):
        model.summary()


def _lines(model):
    out = []
    model.summary(print_fn=out.append)
    return out[0].splitlines()


def test_a_graph_summary_has_keras_connected_to_column():
    from neuronet.layers import Concatenate, Input
    from neuronet.models import Model
    a, b = Input(shape=(3,), name="wide_input"), Input(shape=(2,), name="deep_input")
    shared = Dense(4, name="shared")
    merged = Concatenate(name="merge")([shared(a), b, shared(a)])
    model = Model([a, b], Dense(1, name="out")(merged), name="wide_deep")
    text = _lines(model)
    assert text[0] == 'Model: "wide_deep"' and set(text[1]) == {"_"} and len(text[1]) == 98
    assert text[2] == "Layer (type)                    Output Shape         Param #     Connected to"
    assert "wide_input (InputLayer)         [(None, 3)]          0" in text
    row = text.index("merge (Concatenate)             (None, 10)           0           shared[0][0]")
    assert text[row + 1] == " " * 65 + "deep_input[0][0]"
    assert text[row + 2] == " " * 65 + "shared[1][0]"          # the second call of the shared layer
    assert "out (Dense)                     (None, 1)            11          merge[0][0]" in text
    assert "Total params: 27" in text and "Trainable params: 27" in text


def test_a_functional_chain_prints_the_sequential_layout_with_its_input():
    from neuronet.layers import Input
    from neuronet.models import Model
    x = Input(shape=(13,), name="x")
    model = Model(x, Dense(1, name="y")(Dense(64, name="h")(x)))
    text = _lines(model)
    assert text[2].startswith("Layer (type)                 Output Shape              Param #") and len(text[1]) == 65
    assert text[4] == "x (InputLayer)               [(None, 13)]              0"
    assert text[6] == "h (Dense)                    (None, 64)                896"


def test_a_nested_model_is_one_row_and_frozen_weights_are_not_trainable():
    base = Sequential([Dense(8, input_shape=(4,)), Dense(3)], name="base")
    base.trainable = False
    model = Sequential([base, Dense(2, name="head")])
    model.build((4,))
    text = _lines(model)
    assert text[4] == "base (Sequential)            (None, 3)                 67"
    assert "Total params: 75" in text and "Trainable params: 8" in text and "Non-trainable params: 67" in text
