"""ModelCheckpoint: save_best_only, weights-only files, format placeholders."""
import os

import numpy as np
import pytest

from neuronet.callbacks import ModelCheckpoint
from neuronet.layers import Dense
from neuronet.models import Sequential, load_model
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


def test_model_checkpoint_save_best_only_writes_only_on_improvement(tmp_path):
    x, y = _data()
    xv, yv = _data(60, seed=1)
    model = _model(optimizer=SGD(learning_rate=0.05))
    pattern = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.4f}.keras")
    history = model.fit(x, y, epochs=15, verbose=0, validation_data=(xv, yv), seed=0,
                        callbacks=[ModelCheckpoint(pattern, save_best_only=True)])
    val = history.history["val_loss"]
    improved = [e for e in range(len(val)) if val[e] < min(val[:e], default=np.inf)]
    expected = sorted(f"ckpt-{e + 1:02d}-{val[e]:.4f}.keras" for e in improved)
    assert sorted(os.listdir(tmp_path)) == expected
    best = load_model(tmp_path / expected[-1])
    assert best.evaluate(xv, yv, verbose=0)[0] == pytest.approx(min(val), rel=1e-5)


def test_model_checkpoint_single_file_weights_only(tmp_path):
    x, y = _data()
    model = _model()
    path = tmp_path / "w.weights.h5"
    model.fit(x, y, epochs=3, verbose=0, seed=0, callbacks=[ModelCheckpoint(path, monitor="loss", save_weights_only=True)])
    other = _model()
    other.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), other.get_weights()))


def test_model_checkpoint_bad_format_key(tmp_path):
    x, y = _data()
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(str(tmp_path / "{nope}.h5"))])
