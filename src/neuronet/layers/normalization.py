"""Alias module, so the notes' ``from keras.layers.normalization import BatchNormalization`` reads as
``from neuronet.layers.normalization import BatchNormalization``."""
from neuronet.layers.batch_normalization import BatchNormalization

__all__ = ["BatchNormalization"]
