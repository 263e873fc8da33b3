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
