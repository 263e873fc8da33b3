"""EarlyStopping: patience, restoring the best epoch's weights, a missing monitor."""
import numpy as np
import pytest

from neuronet.callbacks import EarlyStopping, LambdaCallback
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import Adam
from neuronet.optimizers import SGD


def _relu_model(d=4):
    model = Sequential([Dense(16, activation="relu", input_shape=(d,)), Dense(1)])
    model.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
    return model


def test_early_stopping_patience_30_stops_and_restores_the_best_epoch_bit_for_bit():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 4)), rng.normal(size=40)          # pure noise: validation loss soon rises
    xv, yv = rng.normal(size=(40, 4)), rng.normal(size=40)
    model = _relu_model()
    snapshots = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights()))
    stop = EarlyStopping(monitor="val_loss", patience=30, restore_best_weights=True)
    history = model.fit(x, y, epochs=400, batch_size=8, verbose=0, validation_data=(xv, yv), seed=0,
                        callbacks=[record, stop])
    val = history.history["val_loss"]
    best = int(np.argmin(val))
    assert len(val) < 400 and stop.stopped_epoch == best + 30 == len(val) - 1
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), snapshots[best]))
    assert not all(np.array_equal(a, b) for a, b in zip(snapshots[-1], snapshots[best]))


def _data(n=160, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = (x @ rng.normal(size=d) + 0.3 * rng.normal(size=n)).astype("float32")
    return x, y


def _model(optimizer="adam", metrics=("mae",)):
    model = Sequential([Dense(16, activation="relu", input_shape=(4,)), Dense(1)])
    model.compile(optimizer=optimizer, loss="mse", metrics=list(metrics))
    return model


def test_early_stopping_restores_best_epoch_weights():
    x, y = _data()
    xv, yv = _data(60, seed=1)
    model = _model(optimizer=SGD(learning_rate=0.05))
    stop = EarlyStopping(monitor="val_loss", patience=30, restore_best_weights=True)
    history = model.fit(x, y, epochs=60, batch_size=16, verbose=0, validation_data=(xv, yv), seed=0,
                        callbacks=[stop])
    val = history.history["val_loss"]
    best = int(np.argmin(val))
    assert stop.best_epoch == best and stop.best == pytest.approx(min(val))
    # the model now scores the best epoch's val_loss, not the last one's
    assert model.evaluate(xv, yv, verbose=0)[0] == pytest.approx(val[best], rel=1e-5)
    if best < len(val) - 1:
        assert val[-1] != val[best]


def test_early_stopping_stops_after_patience():
    x, y = _data()
    model = _model()
    stop = EarlyStopping(monitor="loss", patience=2, min_delta=1e9)   # nothing counts as improvement
    history = model.fit(x, y, epochs=50, verbose=0, callbacks=[stop], seed=0)
    assert len(history.epoch) == 3 and stop.stopped_epoch == 2 and model.stop_training


def test_early_stopping_missing_monitor_warns_listing_keys():
    x, y = _data()
    model = _model()
    with pytest.warns(RuntimeWarning, match="val_loss.*Available metrics are: loss,mae") as record:
        model.fit(x, y, epochs=2, verbose=0, callbacks=[EarlyStopping()], seed=0)
    assert record[0].filename == __file__            # reported at the fit call, not inside neuronet


def test_early_stopping_restores_the_best_weights_of_a_functional_model():
    from neuronet.layers import Add, Input
    from neuronet.models import Model
    x, y = _data()
    xv, yv = _data(60, seed=1)
    inputs = Input(shape=(4,))
    hidden = Dense(16, activation="relu")(inputs)
    model = Model(inputs, Dense(1)(Add()([Dense(8)(hidden), Dense(8)(inputs)])))
    model.compile(optimizer=Adam(learning_rate=0.05), loss="mse")
    snapshots = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights()))
    stop = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    history = model.fit(x, y, epochs=40, batch_size=16, verbose=0, validation_data=(xv, yv), seed=0,
                        callbacks=[record, stop])
    best = int(np.argmin(history.history["val_loss"]))
    assert stop.best_epoch == best and all(np.array_equal(a, b) for a, b in zip(model.get_weights(), snapshots[best]))
    assert model.evaluate(xv, yv, verbose=0) == pytest.approx(history.history["val_loss"][best], rel=1e-5)
