"""LambdaCallback calls every hook it is given."""
import numpy as np
import pytest

from neuronet.callbacks import LambdaCallback
from neuronet.layers import Dense
from neuronet.models import Sequential


def _data(n=160, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = (x @ rng.normal(size=d) + 0.3 * rng.normal(size=n)).astype("float32")
    return x, y


def _model(optimizer="adam", metrics=("mae",)):
    model = Sequential([Dense(16, activation="relu", input_shape=(4,)), Dense(1)])
    model.compile(optimizer=optimizer, loss="mse", metrics=list(metrics))
    return model


def test_lambda_callback_calls_every_hook():
    x, y = _data(64)
    calls = []
    cb = LambdaCallback(on_train_begin=lambda logs: calls.append("begin"),
                        on_epoch_end=lambda epoch, logs: calls.append(("epoch", epoch, sorted(logs))),
                        on_batch_end=lambda batch, logs: calls.append("batch"),
                        on_train_end=lambda logs: calls.append("end"))
    _model().fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[cb])
    assert calls == ["begin", "batch", "batch", ("epoch", 0, ["loss", "mae"]), "batch", "batch",
                     ("epoch", 1, ["loss", "mae"]), "end"]
    with pytest.raises(TypeError, match="unknown hook"):
        LambdaCallback(on_epoch_ending=print)
