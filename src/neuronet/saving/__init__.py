"""Saving and loading in Keras' own file formats: ``.keras`` (Keras 3's zip) and ``.h5`` (Keras 2's
HDF5), written atomically, read safely; JSON configs in Keras' schema; ONNX export.

    >>> from neuronet.saving import save_model, load_model
"""
from neuronet.saving.keras_v3 import FORMAT_VERSION, read_archive, write_archive
from neuronet.saving.load import load_model, load_weights
from neuronet.saving.save import save_model, save_weights

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "read_archive", "write_archive",
           "FORMAT_VERSION"]
