"""BackupAndRestore: resume a training run killed at any point (even SIGKILL) bit-identically."""
from __future__ import annotations

import os

import numpy as np

from neuronet.callbacks.base import Callback

BACKUP_FILE = "backup.neuronet"


def _to_json(obj, arrays, prefix):
    """A JSON-safe copy of ``obj`` that keeps NumPy scalar types (so float32 running sums stay
    float32); arrays go to ``arrays`` under ``prefix``."""
    if isinstance(obj, dict):
        return {"__dict__": [[str(k), _to_json(v, arrays, f"{prefix}/{i}")] for i, (k, v) in enumerate(obj.items())]}
    if isinstance(obj, (list, tuple)):
        return [_to_json(v, arrays, f"{prefix}/{i}") for i, v in enumerate(obj)]
    if isinstance(obj, np.ndarray):
        arrays[prefix] = obj
        return {"__array__": prefix}
    if isinstance(obj, np.generic):
        return {"__scalar__": obj.dtype.name, "value": obj.item()}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    raise TypeError(f"BackupAndRestore cannot store {type(obj).__name__} value {obj!r}.")


def _from_json(obj, arrays):
    if isinstance(obj, list):
        return [_from_json(v, arrays) for v in obj]
    if isinstance(obj, dict):
        if "__dict__" in obj:
            return {k: _from_json(v, arrays) for k, v in obj["__dict__"]}
        if "__array__" in obj:
            return arrays[obj["__array__"]]
        if "__scalar__" in obj:
            from neuronet.saving.format import ALLOWED_DTYPES
            if obj["__scalar__"] not in ALLOWED_DTYPES:
                raise ValueError(f"invalid scalar type {obj['__scalar__']!r} in the backup")
            return np.dtype(obj["__scalar__"]).type(obj["value"])
    return obj


class BackupAndRestore(Callback):
    """Back up everything training depends on to ``backup_dir/backup.neuronet`` (one atomic file) at
    each epoch end (``save_freq='epoch'``) or every ``save_freq`` batches; when fit starts again with
    the same callback settings, it restores the state and continues where the backup was taken.

    The backup holds the weights, the optimizer's slots and step count and learning rate, the epoch and
    batch position, the epoch's running loss and metric states, the History so far, the shuffling
    generator's state and every layer's random state (Dropout, GaussianNoise). So a run killed with
    SIGKILL and restarted ends bit-identical to one never interrupted. The file is deleted when
    training ends normally (``delete_checkpoint=True``). Other callbacks' own state (EarlyStopping's
    patience counter, ...) is not backed up, as in Keras.

        >>> from neuronet.callbacks import BackupAndRestore
        >>> backup = BackupAndRestore(backup_dir="/tmp/backup", save_freq=10)
        >>> # model.fit(x, y, epochs=100, seed=0, callbacks=[backup])   # kill it, run it again
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed; give a folder for the backup file.")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq <= 0):
            raise ValueError(f"Received an invalid value for `save_freq`, expected 'epoch' or a positive "
                             f"integer (batches). Received: save_freq={save_freq!r}")
        self.backup_dir, self.save_freq, self.delete_checkpoint = os.fspath(backup_dir), save_freq, delete_checkpoint
        self.path = os.path.join(self.backup_dir, BACKUP_FILE)
        self.restored = None  # (epoch, batch) of the backup a fit resumed from
        if save_freq == "epoch":
            self.on_train_batch_end = Callback.on_train_batch_end.__get__(self)

    # ---- taking a backup ------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._batches, self.restored = 0, None
        if os.path.exists(self.path):
            self._restore()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_rng_state = self.model.fit_state.shuffle_rng.bit_generator.state  # before the shuffle

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self._batches % self.save_freq == 0:
            position = self.model.fit_state.get_state()
            position["shuffle_rng"] = self._epoch_rng_state    # the epoch's order is drawn again on resume
            self._write(position, None)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            position = {"epoch": epoch + 1, "batch": 0,
                        "shuffle_rng": self.model.fit_state.shuffle_rng.bit_generator.state}
            self._write(position, (epoch, logs))

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.path):
            os.remove(self.path)

    def _write(self, position, finished_epoch):
        from neuronet.saving.keras_v3 import write_archive
        from neuronet.saving.save import model_payload
        model = self.model
        config, arrays = model_payload(model)
        history = {"history": {k: list(v) for k, v in model.history.history.items()}, "epoch": list(model.history.epoch),
                   "validation_epochs": list(model.history.validation_epochs)}
        if finished_epoch is not None and (not history["epoch"] or history["epoch"][-1] != finished_epoch[0]):
            history["epoch"].append(finished_epoch[0])  # History runs after this callback (as in Keras)
            for key, value in (finished_epoch[1] or {}).items():
                history["history"].setdefault(key, []).append(value)
            if any(key.startswith("val_") for key in finished_epoch[1] or {}):
                history["validation_epochs"].append(finished_epoch[0])
        state = {"position": position, "history": history,
                 "learning_rate": model.optimizer.get_state()["learning_rate"],
                 "fit": {k: self.params.get(k) for k in ("samples", "batch_size", "steps")}}
        config["kind"] = "backup"
        config["backup"] = _to_json(state, arrays, "backup")
        os.makedirs(self.backup_dir, exist_ok=True)
        write_archive(self.path, config, arrays)

    # ---- restoring ------------------------------------------------------------------------------------
    def _restore(self):
        """Read the backup and check every piece against this model and fit before assigning any (all or
        nothing): a tampered or foreign backup raises ModelFormatError and leaves the model unchanged."""
        from neuronet.exceptions import ModelFormatError
        from neuronet.saving.keras_v3 import read_archive
        from neuronet.saving.load import assign_weights, model_parameters, optimizer_state_from_file, \
            restore_layer_rng
        model = self.model
        config, arrays = read_archive(self.path)
        if config.get("kind") != "backup":
            raise ModelFormatError(f"{self.path!r} is not a neuronet backup file.")
        try:
            state = _from_json(config["backup"], arrays)
            saved_fit = state["fit"]
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError) as exc:
            raise ModelFormatError(f"{self.path!r}: invalid backup ({type(exc).__name__}: {exc}); not a "
                                   "neuronet backup file or corrupted.") from None
        fit = {k: self.params.get(k) for k in ("samples", "batch_size", "steps")}
        if saved_fit != fit:
            raise ValueError(f"The backup in {self.path!r} was written by a fit with {saved_fit}; this fit "
                             f"has {fit}. Use the same data and batch_size, or delete the backup to start over.")
        try:
            weights = assign_weights(self.path, model, arrays, check_only=True)
            opt_state = optimizer_state_from_file(config.get("optimizer_state") or
                                                  {"iterations": 0, "slots": []}, arrays)
            opt_state["learning_rate"] = state["learning_rate"]
            model.optimizer.check_state(opt_state, model_parameters(model))
            position, _ = model.fit_state.check_state(state["position"], self.params.get("epochs"),
                                                        fit["steps"], fit["samples"])
            history = _checked_history(state["history"], position["epoch"])
            restore_layer_rng(self.path, model, config.get("layer_rng"), check_only=True)
        except ModelFormatError:
            raise
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
            raise ModelFormatError(f"{self.path!r}: invalid backup ({type(exc).__name__}: {exc}); not a "
                                   "neuronet backup file or corrupted.") from None
        # Everything is valid: assign (nothing below can fail on the file's content).
        for dst, src in weights:
            dst[...] = src
        model.optimizer.set_state(opt_state)
        restore_layer_rng(self.path, model, config.get("layer_rng"))
        model.history.resume_from(*history)
        model.fit_state.set_state(state["position"])
        self.restored = (position["epoch"], position["batch"])


def _checked_history(saved, epoch):
    """(history, epochs, validation_epochs) of a backup's History: lists of numbers per key, epoch
    indices below the backup's epoch."""
    history, epochs, validated = saved["history"], saved["epoch"], saved.get("validation_epochs", [])
    if not isinstance(history, dict) or not all(isinstance(v, list) and all(
            isinstance(x, (int, float, np.integer, np.floating)) for x in v) for v in history.values()):
        raise ValueError("the History is not a dict of lists of numbers")
    for name, indices in (("epoch", epochs), ("validation_epochs", validated)):
        if not isinstance(indices, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                                    and 0 <= i < epoch for i in indices):
            raise ValueError(f"the History's {name} are not epoch indices below {epoch}")
    return history, epochs, validated
