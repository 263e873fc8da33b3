"""Alias package for Keras 2's ``keras.wrappers.scikit_learn`` (the notes' import path); the wrappers
live in ``neuronet.sklearn``."""
from neuronet.wrappers import scikit_learn  # noqa: E402,F401  keras.wrappers.scikit_learn.KerasRegressor(...)
