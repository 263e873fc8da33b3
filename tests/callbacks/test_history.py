"""The History callback's dictionary of logged values."""
import numpy as np
import pytest


def test_a_missing_history_key_lists_the_keys_and_points_at_accuracy():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(np.ones((8, 2), "float32"), np.ones(8), epochs=2, verbose=0)
    with pytest.raises(KeyError, match=r"holds \['accuracy', 'loss'\].*'accuracy'.*metrics=\['acc'\]"):
        history.history["acc"]
    with pytest.raises(KeyError, match="validation_split"):
        history.history["val_loss"]
    assert history.history.get("acc") is None and len(history.history["loss"]) == 2
    assert dict(history.history) == history.history and "acc" not in history.history
