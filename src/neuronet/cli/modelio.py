"""Saving the trained network into the output folder (``model.save``) and loading it back
(``neuronet.models.load_model``): Keras 3's ``model.keras`` file, no pickle."""
from __future__ import annotations

import os

from neuronet.cli.errors import CLIError

MODEL_FILE = "model.keras"


def save_model(model, directory) -> str:
    """Write the model into ``directory``; returns the file name used."""
    model.save(os.path.join(directory, MODEL_FILE))
    return MODEL_FILE


def load_model(directory):
    """The model saved by ``save_model`` in ``directory``; CLIError if there is none or it is unreadable."""
    from neuronet.models import load_model as _load
    full = os.path.join(directory, MODEL_FILE)
    if not os.path.exists(full):
        raise CLIError(f"{directory}: no saved model ({MODEL_FILE}); run `neuronet train ... --out {directory}` first")
    try:
        return _load(full)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CLIError(f"{full}: could not load the model ({type(exc).__name__}: {exc})") from None
