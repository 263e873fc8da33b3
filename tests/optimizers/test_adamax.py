"""Adamax on the notes' accuracy snippet."""
import io
from contextlib import redirect_stdout

import numpy as np
import pytest

import neuronet
from neuronet.layers import Dense
from neuronet.models import Sequential


RNG0 = np.random.default_rng(0)


def _summary(model):
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    return out.getvalue()


def test_notes_adamax_accuracy_snippet():
    """001_*.txt: the deep 2-input network compiled with 'adamax' and metrics=['accuracy']."""
    x = RNG0.normal(size=(200, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    model_1 = Sequential()
    model_1.add(Dense(8, input_dim=2, activation='relu'))
    for units in (32, 128, 256, 256, 128, 64, 16):
        model_1.add(Dense(units, activation='relu'))
    model_1.add(Dense(1, activation='sigmoid'))
    model_1.compile(loss='binary_crossentropy', optimizer='adamax', metrics=['accuracy'])
    assert type(model_1.optimizer).__name__ == "Adamax" and model_1.optimizer.learning_rate == 0.001
    assert "Total params: 145,561" in _summary(model_1)
    history = model_1.fit(x, y, epochs=2, batch_size=32, verbose=0, validation_data=[x, y])
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    loss, acc = model_1.evaluate(x, y, verbose=0)
    assert 0.0 <= acc <= 1.0 and acc == pytest.approx(history.history["val_accuracy"][-1])
    assert neuronet.__name__ == "neuronet"
