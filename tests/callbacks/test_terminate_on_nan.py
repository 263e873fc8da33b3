"""TerminateOnNaN stops training and rolls back to the last finite state."""
import numpy as np

from neuronet.callbacks import LambdaCallback, TerminateOnNaN
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


def test_terminate_on_nan_stops_and_rolls_back_to_last_finite_state(capsys):
    x, y = _data()
    y = y * 100
    model = _model(optimizer=SGD(learning_rate=1e3), metrics=())
    snapshots = []
    record = LambdaCallback(on_train_batch_end=lambda b, logs: snapshots.append(
        (logs["loss"], model.parameters.values.copy(), model.optimizer.iterations)))
    cb = TerminateOnNaN()
    with np.errstate(all="ignore"):
        history = model.fit(x, y, epochs=20, batch_size=16, verbose=0, callbacks=[record, cb], seed=0)
    assert cb.stopped is not None and len(history.epoch) == 1
    epoch, batch = cb.stopped
    assert f"Epoch {epoch + 1}, batch {batch}" in capsys.readouterr().out
    weights = model.parameters.values
    assert np.isfinite(weights).all()
    finite = [(p, it) for loss, p, it in snapshots if np.isfinite(loss) and np.isfinite(p).all()]
    assert np.array_equal(weights, finite[-1][0]) and model.optimizer.iterations == finite[-1][1]
