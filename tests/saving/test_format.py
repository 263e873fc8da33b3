"""Atomic writes: every file writer fsyncs before it replaces the target, with normal permissions."""
import os

import numpy as np
import pytest

import neuronet.saving.format as fmt
from neuronet.callbacks import BackupAndRestore, ModelCheckpoint
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import Adam


def _relu_model(d=4):
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
    model = _relu_model()
    model.fit(x, y, epochs=1, verbose=0, seed=0)
    targets = [tmp_path / "m.h5", tmp_path / "w.weights.h5"]
    model.save(targets[0])
    model.save_weights(targets[1])
    backup = BackupAndRestore(str(tmp_path / "bk"), save_freq=1, delete_checkpoint=False)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0, seed=0,
              callbacks=[ModelCheckpoint(str(tmp_path / "c{epoch}.keras"), monitor="loss"), backup])
    targets += [tmp_path / "c1.keras", backup.path]
    from neuronet.cli.report import write_html, write_json
    write_json(str(tmp_path / "metrics.json"), {"mae": 1.0})
    targets += [str(tmp_path / "metrics.json"),
                write_html(str(tmp_path), "t", [{"title": "a", "summary": "", "metrics": {}, "figures": []}])]
    from neuronet.plot import learning_curves
    learning_curves({"loss": [1.0, 0.5]}, path=tmp_path / "c.png")
    targets.append(tmp_path / "c.png")
    for target in targets:
        assert _fsynced_then_replaced(io_log, target), (target, io_log)
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert not [n for n in os.listdir(tmp_path) if n.endswith("tmp")]


def test_saved_files_get_normal_permissions_not_mkstemp_0600(tmp_path):
    old = os.umask(0o022)
    try:
        _relu_model().save(tmp_path / "m.keras")
        assert oct(os.stat(tmp_path / "m.keras").st_mode & 0o777) == oct(0o644)
        os.chmod(tmp_path / "m.keras", 0o640)
        _relu_model().save(tmp_path / "m.keras")                 # replacing keeps the file's mode
        assert oct(os.stat(tmp_path / "m.keras").st_mode & 0o777) == oct(0o640)
    finally:
        os.umask(old)
