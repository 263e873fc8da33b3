"""Saving the trained network into the output folder and loading it back.

Uses whole-model saving (``model.save(path)`` / ``neuronet.models.load_model(path)``) when the library has
it; otherwise a plain fallback: ``model.json`` (the Sequential config) and ``weights.npz`` (arrays, loaded
with allow_pickle=False).
"""
from __future__ import annotations

import json
import os

import numpy as np

from neuronet.cli.errors import CLIError

MODEL_FILE = "model.keras"
CONFIG_FILE, WEIGHTS_FILE = "model.json", "weights.npz"


def save_model(model, directory) -> str:
    """Write the model into ``directory``; returns the file name used."""
    if hasattr(model, "save"):
        model.save(os.path.join(directory, MODEL_FILE))
        return MODEL_FILE
    with open(os.path.join(directory, CONFIG_FILE), "w") as fh:
        json.dump({"class_name": type(model).__name__, "config": model.get_config()}, fh, indent=2)
    np.savez(os.path.join(directory, WEIGHTS_FILE), *model.get_weights())
    return CONFIG_FILE


def load_model(directory):
    """The model saved by ``save_model`` in ``directory``; CLIError if there is none or it is unreadable."""
    full = os.path.join(directory, MODEL_FILE)
    try:
        if os.path.exists(full):
            from neuronet.models import load_model as _load
            return _load(full)
        cfg_path = os.path.join(directory, CONFIG_FILE)
        if os.path.exists(cfg_path):
            from neuronet.models import Sequential
            with open(cfg_path) as fh:
                model = Sequential.from_config(json.load(fh)["config"])
            with np.load(os.path.join(directory, WEIGHTS_FILE), allow_pickle=False) as arrays:
                model.set_weights([arrays[f"arr_{i}"] for i in range(len(arrays.files))])
            return model
    except (ImportError, OSError, ValueError, KeyError, TypeError) as exc:
        raise CLIError(f"{directory}: could not load the model ({type(exc).__name__}: {exc})") from None
    raise CLIError(f"{directory}: no saved model ({MODEL_FILE}); run `neuronet train ... --out {directory}` first")
