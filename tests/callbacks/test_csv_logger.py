"""CSVLogger: rows, appending, validation columns, atomic rewrites (a failure keeps whole rows)."""
import csv
import os

import numpy as np
import pytest

from neuronet.callbacks import CSVLogger, LambdaCallback
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


def test_csv_logger_gives_validation_columns_when_validation_freq_skips_the_first_epoch(tmp_path):
    """Keras' CSVLogger adds the val_ columns when validation_freq > 1 leaves the first epoch without them."""
    import numpy as np
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


def _fit(callbacks, epochs=4):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 3)).astype("float32"), rng.normal(size=32).astype("float32")
    model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model.fit(x, y, epochs=epochs, verbose=0, seed=0, callbacks=callbacks)


def test_a_full_disk_at_epoch_three_keeps_two_whole_rows(tmp_path, monkeypatch):
    path = tmp_path / "log.csv"
    real_fsync = os.fsync

    def fill_disk(epoch, logs):
        if epoch == 2:
            monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left")))
    with pytest.raises(OSError, match="log.csv.*No space left"):
        _fit([LambdaCallback(on_epoch_end=fill_disk), CSVLogger(path)])
    monkeypatch.setattr(os, "fsync", real_fsync)
    rows = list(csv.DictReader(open(path, newline="")))
    assert [r["epoch"] for r in rows] == ["0", "1"] and all(r["loss"] and r["mae"] for r in rows)
    assert os.listdir(tmp_path) == ["log.csv"]


def test_the_file_exists_from_the_start_and_append_continues_it(tmp_path):
    path = tmp_path / "log.csv"
    seen = []
    _fit([CSVLogger(path), LambdaCallback(on_train_begin=lambda logs: seen.append(path.exists()))], epochs=2)
    _fit([CSVLogger(path, append=True)], epochs=1)
    lines = path.read_text().splitlines()
    assert seen == [True] and lines[0] == "epoch,loss,mae" and len(lines) == 4 and lines[3].startswith("0,")
