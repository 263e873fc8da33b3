"""Callbacks: EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN,
CSVLogger, LambdaCallback."""
import csv
import re
import os
import warnings

import numpy as np
import pytest

from neuronet.callbacks import (CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler,
                                ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN)
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


def test_learning_rate_scheduler():
    x, y = _data()
    model = _model(optimizer=SGD(learning_rate=0.1))
    history = model.fit(x, y, epochs=3, verbose=0, seed=0,
                        callbacks=[LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])


def test_terminate_on_nan_stops_and_rolls_back_to_last_finite_state(capsys):
    x, y = _data()
    y = y * 100
    model = _model(optimizer=SGD(learning_rate=1e3), metrics=())
    snapshots = []
    record = LambdaCallback(on_train_batch_end=lambda b, logs: snapshots.append(
        (logs["loss"], model._flat_params[0].copy(), model.optimizer.iterations)))
    cb = TerminateOnNaN()
    with np.errstate(all="ignore"):
        history = model.fit(x, y, epochs=20, batch_size=16, verbose=0, callbacks=[record, cb], seed=0)
    assert cb.stopped is not None and len(history.epoch) == 1
    epoch, batch = cb.stopped
    assert f"Epoch {epoch + 1}, batch {batch}" in capsys.readouterr().out
    weights = model._flat_params[0]
    assert np.isfinite(weights).all()
    finite = [(p, it) for loss, p, it in snapshots if np.isfinite(loss) and np.isfinite(p).all()]
    assert np.array_equal(weights, finite[-1][0]) and model.optimizer.iterations == finite[-1][1]


def test_csv_logger_rows_and_append(tmp_path):
    x, y = _data()
    path = tmp_path / "log.csv"
    model = _model()
    history = model.fit(x, y, epochs=3, verbose=0, seed=0, callbacks=[CSVLogger(path)])
    model.fit(x, y, epochs=2, verbose=0, seed=0, callbacks=[CSVLogger(path, append=True)])
    rows = list(csv.DictReader(open(path)))
    assert list(rows[0]) == ["epoch", "loss", "mae"] and len(rows) == 5
    assert [r["epoch"] for r in rows] == ["0", "1", "2", "0", "1"]
    assert float(rows[2]["loss"]) == history.history["loss"][2]


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


def test_regularization_comparison_example_runs_quickly():
    import importlib.util
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "examples" / "regularization_comparison.py"
    spec = importlib.util.spec_from_file_location("regularization_comparison", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main(["--epochs", "2", "--patience", "1"])
    assert list(results) == ["No Regularization", "L1 Regularization", "L2 Regularization", "Dropout",
                             "Early Stopping"]
    assert all(np.isfinite(v).all() and min(v) > 0 for v in results.values())


def test_evaluate_calls_the_test_batch_hooks_with_batch_size_batches():
    import numpy as np
    from neuronet.callbacks import Callback
    from neuronet.layers import Dense
    from neuronet.models import Sequential

    seen = []

    class Spy(Callback):
        def on_test_batch_end(self, batch, logs=None):
            seen.append((batch, logs["size"]))

    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((10, 2))
    loss = model.evaluate(x, np.zeros(10), batch_size=4, verbose=0, callbacks=[Spy()])
    assert seen == [(0, 4), (1, 4), (2, 2)]
    assert loss == model.evaluate(x, np.zeros(10), verbose=0)


def test_csv_logger_gives_validation_columns_when_validation_freq_skips_the_first_epoch(tmp_path):
    """Keras' CSVLogger adds the val_ columns when validation_freq > 1 leaves the first epoch without them."""
    import numpy as np
    from neuronet.callbacks import CSVLogger
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    x = np.random.default_rng(0).normal(size=(40, 5)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = Sequential([Dense(4, activation="relu", input_shape=(5,)), Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["acc"])
    path = tmp_path / "log.csv"
    model.fit(x, y, epochs=4, validation_split=0.25, validation_freq=2, verbose=0, callbacks=[CSVLogger(path)])
    rows = path.read_text().splitlines()
    assert rows[0] == "epoch,acc,loss,val_acc,val_loss"
    assert rows[1].endswith(",NA,NA") and rows[3].endswith(",NA,NA")
    assert "NA" not in rows[2] and "NA" not in rows[4]


def test_fit_validation_calls_the_test_hooks_with_validation_batch_size_batches():
    """Keras' fit validates through evaluate(callbacks=callbacks): the fit's callbacks get on_test_begin,
    on_test_batch_begin/end (batches of validation_batch_size, default batch_size) and on_test_end."""
    import numpy as np
    from neuronet.callbacks import Callback
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    seen = []

    class Spy(Callback):
        def on_test_begin(self, logs=None):
            seen.append("begin")

        def on_test_batch_end(self, batch, logs=None):
            seen.append((batch, logs["size"]))

        def on_test_end(self, logs=None):
            seen.append(("end", round(logs["loss"], 6)))

    x = np.random.default_rng(0).normal(size=(30, 3)).astype("float32")
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse")
    history = model.fit(x, x[:, 0], epochs=2, batch_size=4, validation_data=(x[:10], x[:10, 0]),
                        validation_batch_size=4, validation_freq=2, verbose=0, callbacks=[Spy()])
    assert seen == ["begin", (0, 4), (1, 4), (2, 2), ("end", round(history.history["val_loss"][0], 6))]
    seen.clear()
    model.fit(x, x[:, 0], epochs=1, batch_size=6, validation_data=(x[:10], x[:10, 0]), verbose=0,
              callbacks=[Spy()])
    assert seen[1:3] == [(0, 6), (1, 4)]


def test_summary_line_picks_the_time_unit_as_keras_2_progbar():
    """Keras 2: s/sample from 1 s (and for 0), ms/sample from 1 ms, us/sample below."""
    from neuronet.callbacks.progbar import summary_line
    assert " - 6s 3s/sample - " in summary_line(2, 6.0, {"loss": 1.0}, bar=False)
    assert " - 0s 0s/sample - " in summary_line(10, 0.0, {"loss": 1.0}, bar=False)
    assert " - 0s 5ms/sample - " in summary_line(10, 0.05, {"loss": 1.0}, bar=False)
    assert " - 0s 30us/sample - " in summary_line(1000, 0.03, {"loss": 1.0}, bar=False)


def test_live_progress_bar_shows_samples_and_time_left():
    import io
    from neuronet.callbacks import ProgbarLogger
    stream = io.StringIO()
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(np.ones((40, 2), "float32"), np.ones(40), batch_size=8, epochs=1, verbose=0,
              callbacks=[ProgbarLogger(verbose=1, stream=stream)])
    out = stream.getvalue()
    assert re.search(r"\d+/40 \[[ =]{30}\] - ETA: (\?|\d\d:\d\d)", out), out   # ? until tqdm has a rate
    assert re.search(r"40/40 \[={30}\] - \d+s \d+[um]s/sample - loss: \d\.\d{4}", out), out
