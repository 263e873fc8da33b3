"""Alias package for Keras 2's ``keras.wrappers.scikit_learn`` (the notes' import path); the wrappers
live in ``neuronet.sklearn``."""
