"""Alias module, so Keras 2's ``from keras.utils.np_utils import to_categorical`` reads as
``from neuronet.utils.np_utils import to_categorical``."""
from neuronet.utils.categorical import to_categorical

__all__ = ["to_categorical"]
