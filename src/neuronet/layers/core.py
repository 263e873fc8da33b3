"""Alias module, so Keras 2's ``from keras.layers.core import Dense, Dropout, Activation, Flatten`` reads as
``from neuronet.layers.core import ...``."""
from neuronet.layers.activation import Activation
from neuronet.layers.dense import Dense
from neuronet.layers.dropout import Dropout
from neuronet.layers.reshape import Flatten

__all__ = ["Dense", "Dropout", "Activation", "Flatten"]
