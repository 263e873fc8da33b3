"""Utilities: seeding, input validation, session naming, one-hot labels (``to_categorical``), drawing a
model's graph (``plot_model``), data sets of batches (``PyDataset``, Keras 2's ``Sequence``)."""
from neuronet.utils.random import set_random_seed
from neuronet.utils.naming import clear_session
from neuronet.utils.categorical import to_categorical
from neuronet.utils.model_plot import plot_model
from neuronet.utils.py_dataset import PyDataset, Sequence

__all__ = ["set_random_seed", "clear_session", "to_categorical", "plot_model", "PyDataset", "Sequence"]
