"""Acceptance-review tests for issues 3 and 7: every save path fsyncs before it replaces the target,
EarlyStopping(patience=30, restore_best_weights=True) after a real stop, and the bad-input wording."""
import os

import numpy as np
import pytest

import neuronet.saving.format as fmt
from neuronet.callbacks import BackupAndRestore, EarlyStopping, LambdaCallback, ModelCheckpoint
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import Adam


def _model(d=4):
    model = Sequential([Dense(16, activation="relu", input_shape=(d,)), Dense(1)])
    model.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
    return model


@pytest.fixture
def io_log(monkeypatch):
    """Records ('fsync', None) and ('replace', target) in the order the saving code calls them."""
    log = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(fmt.os, "fsync", lambda fd: (log.append(("fsync", None)), real_fsync(fd))[1])
    monkeypatch.setattr(fmt.os, "replace", lambda a, b: (log.append(("replace", os.fspath(b))), real_replace(a, b))[1])
    return log


def _fsynced_then_replaced(log, target):
    i = log.index(("replace", os.fspath(target)))
    return i > 0 and log[i - 1][0] == "fsync"


def test_every_save_path_fsyncs_then_replaces(tmp_path, io_log):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 4)), rng.normal(size=32)
    model = _model()
    model.fit(x, y, epochs=1, verbose=0, seed=0)
    targets = [tmp_path / "m.h5", tmp_path / "w.weights.h5"]
    model.save(targets[0])
    model.save_weights(targets[1])
    backup = BackupAndRestore(str(tmp_path / "bk"), save_freq=1, delete_checkpoint=False)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0, seed=0,
              callbacks=[ModelCheckpoint(str(tmp_path / "c{epoch}.keras"), monitor="loss"), backup])
    targets += [tmp_path / "c1.keras", backup.path]
    from neuronet.cli.report import write_html, write_metrics
    targets += [write_metrics(str(tmp_path), {"mae": 1.0}),
                write_html(str(tmp_path), "t", [{"title": "a", "summary": "", "metrics": {}, "images": []}])]
    from neuronet.plot import learning_curves
    learning_curves({"loss": [1.0, 0.5]}, path=tmp_path / "c.png")
    targets.append(tmp_path / "c.png")
    for target in targets:
        assert _fsynced_then_replaced(io_log, target), (target, io_log)
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


def test_cli_text_output_unwritable_names_path_and_keeps_previous(tmp_path, monkeypatch):
    from neuronet.cli.report import write_text
    path = tmp_path / "metrics.json"
    path.write_text("old")
    monkeypatch.setattr(fmt.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError, match="metrics.json.*No space left"):
        write_text(str(path), "new")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["metrics.json"]


def test_early_stopping_patience_30_stops_and_restores_the_best_epoch_bit_for_bit():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 4)), rng.normal(size=40)          # pure noise: validation loss soon rises
    xv, yv = rng.normal(size=(40, 4)), rng.normal(size=40)
    model = _model()
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


@pytest.mark.parametrize("call, words", [
    (lambda m, x, y: m.fit(np.where(np.arange(30).reshape(10, 3) % 7 == 2, np.nan, x), y, verbose=0),
     r"Input x contains NaN: 4 non-finite value\(s\), the first at row 0, column 2"),
    (lambda m, x, y: m.fit(x[:, 0], y, verbose=0), r"1-D.*Reshape your data"),
    (lambda m, x, y: m.evaluate(np.zeros((10, 4)), y, verbose=0), r"`x` has \(4,\) features per sample.*\(3,\)"),
    (lambda m, x, y: m.fit(x, y, validation_split=-0.1, verbose=0), r"validation_split.*\[0, 1\).*-0.1"),
    (lambda m, x, y: m.fit(x, y, validation_split=0.95, verbose=0), r"validation_split=0.95 leaves 0 training"),
    (lambda m, x, y: m.fit(x, y, batch_size=-1, verbose=0), r"`batch_size`.*positive integer.*batch_size=-1"),
    (lambda m, x, y: m.predict(x, batch_size=0), r"`batch_size`.*batch_size=0"),
])
def test_bad_input_names_what_was_received_before_any_change(call, words):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(10, 3)), rng.normal(size=10)
    model = Sequential([Dense(4, input_shape=(3,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    before = model.get_weights()
    with pytest.raises(ValueError, match=words):
        call(model, x, y)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.optimizer.iterations == 0


def test_predict_calls_the_predict_hooks_and_returns_the_same_outputs():
    calls = []
    cb = LambdaCallback(on_predict_begin=lambda logs: calls.append("begin"),
                        on_predict_batch_begin=lambda b, logs: calls.append(("bb", b)),
                        on_predict_batch_end=lambda b, logs: calls.append(("be", b, logs["outputs"].shape)),
                        on_predict_end=lambda logs: calls.append("end"))
    model = _model(3)
    x = np.random.default_rng(0).normal(size=(5, 3))
    out = model.predict(x, batch_size=4, callbacks=[cb])
    assert calls == ["begin", ("bb", 0), ("be", 0, (4, 1)), ("bb", 1), ("be", 1, (1, 1)), "end"]
    np.testing.assert_array_equal(out, model.predict(x, batch_size=4))


def test_saved_files_get_normal_permissions_not_mkstemp_0600(tmp_path):
    old = os.umask(0o022)
    try:
        _model().save(tmp_path / "m.keras")
        assert oct(os.stat(tmp_path / "m.keras").st_mode & 0o777) == oct(0o644)
        os.chmod(tmp_path / "m.keras", 0o640)
        _model().save(tmp_path / "m.keras")                 # replacing keeps the file's mode
        assert oct(os.stat(tmp_path / "m.keras").st_mode & 0o777) == oct(0o640)
    finally:
        os.umask(old)
