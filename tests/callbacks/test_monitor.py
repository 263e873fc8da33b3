"""Monitored quantities accept Keras' 'acc' and 'accuracy' spellings."""
import warnings

import numpy as np

from neuronet.callbacks import EarlyStopping
from neuronet.layers import Dense
from neuronet.models import Sequential


def test_monitor_accepts_acc_and_accuracy_spellings():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = Sequential([Dense(4, activation="relu", input_shape=(4,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    stop = EarlyStopping(monitor="val_accuracy", patience=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, epochs=3, verbose=0, validation_split=0.2, callbacks=[stop], seed=0)
    assert stop._monitor.mode == "max" and stop.best > 0
