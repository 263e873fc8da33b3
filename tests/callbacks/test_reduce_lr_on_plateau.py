"""ReduceLROnPlateau lowers the rate and logs it."""
import numpy as np
import pytest

from neuronet.callbacks import ReduceLROnPlateau
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


def test_reduce_lr_on_plateau_lowers_rate_and_logs_it():
    x, y = _data()
    model = _model(optimizer=SGD(learning_rate=0.1))
    cb = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=1e9, min_lr=0.02)
    history = model.fit(x, y, epochs=5, verbose=0, callbacks=[cb], seed=0)
    # epoch 0 improves on inf; each later epoch "fails" and halves the rate (logged before the change)
    assert history.history["learning_rate"] == [0.1, 0.1, 0.05, 0.025, 0.02]
    assert model.optimizer.learning_rate == 0.02 and isinstance(model.optimizer.learning_rate, float)
    with pytest.raises(ValueError, match="factor"):
        ReduceLROnPlateau(factor=1.0)
