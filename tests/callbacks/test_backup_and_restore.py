"""BackupAndRestore: a run killed mid-epoch resumes bit-identically (a Sequential and a functional model
with two inputs)."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest


CHILD = textwrap.dedent("""
    import json, os, signal, sys
    import numpy as np
    import neuronet
    from neuronet.callbacks import BackupAndRestore, Callback
    from neuronet.layers import Dense, Dropout
    from neuronet.models import Sequential

    out, backup_dir, save_freq, kill_at = sys.argv[1], sys.argv[2], sys.argv[3], os.environ.get("KILL_AT")
    save_freq = "epoch" if save_freq == "epoch" else int(save_freq)

    class KillAt(Callback):          # SIGKILL: no cleanup, no exception handler runs
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch
        def on_train_batch_end(self, batch, logs=None):
            if kill_at and (self.epoch, batch) == tuple(map(int, kill_at.split(","))):
                os.kill(os.getpid(), signal.SIGKILL)

    neuronet.set_random_seed(3)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 5)).astype("float32")
    y = (x @ rng.normal(size=5) > 0).astype("float32")
    if os.environ.get("GRAPH"):      # a functional model with two inputs, a Dropout on one branch
        from neuronet.layers import Concatenate, Input
        from neuronet.models import Model
        left, right = Input(shape=(3,), name="left"), Input(shape=(2,), name="right")
        branch = Dropout(0.3)(Dense(8, activation="relu")(left))
        model = Model([left, right], Dense(1, activation="sigmoid")(Concatenate()([branch, Dense(4)(right)])))
        x = [x[:, :3], x[:, 3:]]
    else:
        model = Sequential([Dense(8, activation="relu", input_shape=(5,)), Dropout(0.3),
                            Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc", "auc"])   # AUC: list state
    callbacks = [KillAt()] + ([BackupAndRestore(backup_dir, save_freq=save_freq)] if backup_dir != "-" else [])
    history = model.fit(x, y, epochs=6, batch_size=16, shuffle=True, validation_split=0.2, verbose=0,
                        seed=11, callbacks=callbacks)
    np.savez(out + ".npz", *model.get_weights())
    with open(out + ".json", "w") as fh:
        json.dump({"history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
                   "epoch": history.epoch}, fh)
""")


def _run(tmp_path, name, backup_dir, save_freq, kill_at=None, graph=False):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "KILL_AT": kill_at or "", "GRAPH": "1" if graph else ""}
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / name), str(backup_dir), str(save_freq)],
                          env=env, capture_output=True, text=True, timeout=120)
    return proc


def _result(tmp_path, name):
    weights = np.load(tmp_path / f"{name}.npz")
    with open(tmp_path / f"{name}.json") as fh:
        return [weights[k] for k in sorted(weights.files, key=lambda k: int(k.split("_")[1]))], json.load(fh)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("save_freq, kill_at, graph", [(2, "2,3", False), ("epoch", "3,1", False),
                                                       (2, "2,3", True)])
def test_sigkill_mid_epoch_then_restart_is_bit_identical(tmp_path, save_freq, kill_at, graph):
    reference = _run(tmp_path, "ref", "-", save_freq, graph=graph)
    assert reference.returncode == 0, reference.stderr
    backup = tmp_path / "backup"
    killed = _run(tmp_path, "run", backup, save_freq, kill_at=kill_at, graph=graph)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (tmp_path / "run.npz").exists() and (backup / "backup.neuronet").exists()
    resumed = _run(tmp_path, "run", backup, save_freq, graph=graph)
    assert resumed.returncode == 0, resumed.stderr
    ref_w, ref_h = _result(tmp_path, "ref")
    run_w, run_h = _result(tmp_path, "run")
    assert all(np.array_equal(a, b) for a, b in zip(ref_w, run_w)) and len(ref_w) == len(run_w)
    assert run_h == ref_h and run_h["epoch"] == list(range(6))
    assert not (backup / "backup.neuronet").exists()      # deleted once training finished


def test_backup_refuses_a_different_fit(tmp_path):
    from neuronet.callbacks import BackupAndRestore, Callback
    from neuronet.layers import Dense
    from neuronet.models import Sequential

    class Stop(Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt
    x = np.random.default_rng(0).normal(size=(40, 3)).astype("float32")
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    cb = BackupAndRestore(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, x[:, 0], epochs=3, batch_size=8, verbose=0, callbacks=[cb, Stop()])
    assert (tmp_path / "backup.neuronet").exists()
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(x, x[:, 0], epochs=3, batch_size=4, verbose=0, callbacks=[cb])
    with pytest.raises(ValueError, match="save_freq"):
        BackupAndRestore(tmp_path, save_freq=0)


def _interrupted_fit(tmp_path):
    """A model and its BackupAndRestore whose backup was written mid-epoch (after batch 0 of epoch 1)."""
    import neuronet
    from neuronet.callbacks import BackupAndRestore, Callback
    from neuronet.layers import Dense, Dropout
    from neuronet.models import Sequential

    class Stop(Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.fit_state.epoch == 1 and batch == 2:
                raise KeyboardInterrupt
    neuronet.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(40, 3)).astype("float32")
    model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dropout(0.2), Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    cb = BackupAndRestore(tmp_path, save_freq=3)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, x[:, 0], epochs=3, batch_size=8, verbose=0, seed=1, callbacks=[cb, Stop()])
    return model, cb, x


def _backup_entry(config, key):
    """The decoded backup state's entry ``key`` (the backup keeps dicts as '__dict__' pair lists)."""
    return dict(config["backup"]["__dict__"])[key]


def _position(config):
    return dict(_backup_entry(config, "position")["__dict__"])


def _set_position(config, key, value):
    pairs = _backup_entry(config, "position")["__dict__"]
    for pair in pairs:
        if pair[0] == key:
            pair[1] = value


def _set_backup(config, key, value):
    for pair in config["backup"]["__dict__"]:
        if pair[0] == key:
            pair[1] = value


def _slot_key(config):
    return config["optimizer_state"]["slots"][0]["key"]


TAMPERS = {
    "slot shape": lambda c, a: a.__setitem__(_slot_key(c), a[_slot_key(c)][:-1]),
    "slot dtype": lambda c, a: a.__setitem__(_slot_key(c), a[_slot_key(c)].astype("float64")),
    "slot NaN": lambda c, a: a.__setitem__(_slot_key(c), np.full_like(a[_slot_key(c)], np.nan)),
    "slot name": lambda c, a: c["optimizer_state"]["slots"][0].__setitem__("slot", "w"),
    "slot index": lambda c, a: [s.__setitem__("index", 7) for s in c["optimizer_state"]["slots"]],
    "negative step count": lambda c, a: c["optimizer_state"].__setitem__("iterations", -3),
    "fractional step count": lambda c, a: c["optimizer_state"].__setitem__("iterations", 2.5),
    "negative epoch": lambda c, a: _set_position(c, "epoch", -2),
    "epoch past the fit": lambda c, a: _set_position(c, "epoch", 9),
    "batch past the epoch": lambda c, a: _set_position(c, "batch", 6),
    "infinite loss sum": lambda c, a: _set_position(c, "loss_sum", float("inf")),
    "abstract shuffle generator": lambda c, a: _position(c)["shuffle_rng"]["__dict__"][0].__setitem__(
        1, "BitGenerator"),
    "foreign layer generator": lambda c, a: next(iter(c["layer_rng"].values())).__setitem__(
        "bit_generator", "os.system"),
    "NaN learning rate": lambda c, a: _set_backup(c, "learning_rate", float("nan")),
    "negative learning rate": lambda c, a: _set_backup(c, "learning_rate", -1.0),
    "metric state shape": lambda c, a: _position(c)["metrics"].__setitem__(0, {"__dict__": [["total", 1.0]]}),
    "history epoch": lambda c, a: dict(_backup_entry(c, "history")["__dict__"])["epoch"].__setitem__(0, -5),
}


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_a_tampered_backup_is_refused_and_changes_nothing(tmp_path, tamper):
    from neuronet.exceptions import ModelFormatError
    from neuronet.saving.keras_v3 import read_archive, write_archive
    model, cb, x = _interrupted_fit(tmp_path)
    config, arrays = read_archive(cb.path)
    assert (_position(config)["epoch"], _position(config)["batch"]) == (1, 1) and config["optimizer_state"]["slots"]
    TAMPERS[tamper](config, arrays)
    write_archive(cb.path, config, arrays)
    weights, opt_state = model.get_weights(), model.optimizer.get_state()
    rng_state = model.layers[1].get_rng_state()
    with pytest.raises(ModelFormatError, match="backup"):
        model.fit(x, x[:, 0], epochs=3, batch_size=8, verbose=0, seed=1, callbacks=[cb])
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    after = model.optimizer.get_state()
    assert after["iterations"] == opt_state["iterations"] and after["learning_rate"] == opt_state["learning_rate"]
    assert all(np.array_equal(after["slots"][i][k], v) for i, s in opt_state["slots"].items() for k, v in s.items())
    assert model.layers[1].get_rng_state() == rng_state


def test_an_untampered_backup_resumes(tmp_path):
    model, cb, x = _interrupted_fit(tmp_path)
    history = model.fit(x, x[:, 0], epochs=3, batch_size=8, verbose=0, seed=1, callbacks=[cb])
    assert cb.restored == (1, 1) and history.epoch == [0, 1, 2]
