"""LearningRateScheduler sets the rate each epoch."""
import numpy as np
import pytest

from neuronet.callbacks import LearningRateScheduler
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


def _data(n=160, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = (x @ rng.normal(size=d) + 0.3 * rng.normal(size=n)).astype("float32")
    return x, y


def _model(optimizer="adam", metrics=("mae",)):
    model = Sequential([Dense(16, activation="relu", input_shape=(4,)), Dense(1)])
    model.compile(optimizer=optimizer, loss="mse", metrics=list(metrics))
    return model


def test_learning_rate_scheduler():
    x, y = _data()
    model = _model(optimizer=SGD(learning_rate=0.1))
    history = model.fit(x, y, epochs=3, verbose=0, seed=0,
                        callbacks=[LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])
