"""Saving and loading: one zip archive of config.json + .npy arrays, written atomically, read safely.

    >>> from neuronet.saving import save_model, load_model
"""
from neuronet.saving.format import FORMAT_VERSION, read_archive, write_archive
from neuronet.saving.load import load_model, load_weights
from neuronet.saving.save import save_model, save_weights

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "read_archive", "write_archive",
           "FORMAT_VERSION"]
