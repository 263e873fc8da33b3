"""Layers. Each file holds one small family; this module holds the registry of layer classes.

    >>> from neuronet.layers import Dense, Dropout, get
"""
from neuronet.registry import Registry
from neuronet.layers.base import Layer
from neuronet.layers.dense import Dense
from neuronet.layers.activation import Activation
from neuronet.layers.reshape import Flatten, Input, InputLayer, Reshape
from neuronet.layers.merge import (Add, Average, Maximum, Merge, Minimum, Multiply, Subtract, add, average, maximum,
                                   minimum, multiply, subtract)
from neuronet.layers.concatenate import Concatenate, concatenate
from neuronet.layers.dot import Dot, dot
from neuronet.layers.advanced_activations import ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU
from neuronet.layers.dropout import Dropout, GaussianNoise
from neuronet.layers.batch_normalization import BatchNormalization
from neuronet.layers.preprocessing import (CategoryEncoding, Discretization, IntegerLookup, Normalization,
                                           StringLookup)
from neuronet.layers.rescaling import Rescaling
from neuronet.layers.augmentation import (RandomContrast, RandomCrop, RandomFlip, RandomRotation,
                                          RandomTranslation, RandomZoom)

LAYERS = Registry("layer")
for _cls in (Dense, Activation, Flatten, InputLayer):
    LAYERS.register(_cls)
for _cls in (LeakyReLU, PReLU, ELU, ReLU, Softmax, ThresholdedReLU, Dropout, GaussianNoise,
             BatchNormalization, Normalization, Discretization, CategoryEncoding, StringLookup, IntegerLookup):
    LAYERS.register(_cls)
for _cls in (Reshape, Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot):
    LAYERS.register(_cls)
for _cls in (Rescaling, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, RandomContrast, RandomCrop):
    LAYERS.register(_cls)


def register(cls):
    """Make a user-defined Layer subclass loadable from saved models (loading refuses unknown names)."""
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise TypeError(f"register expects a neuronet.layers.Layer subclass, received {cls!r}.")
    return LAYERS.register(cls)


def serialize(layer):
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize(config):
    """A layer from ``{"class_name": ..., "config": {...}}``; only registered classes are accepted."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret layer config: {config!r}. Expected a dict with 'class_name'.")
    cls = LAYERS.lookup(config["class_name"])
    return cls.from_config(dict(config.get("config") or {}))


get = deserialize

__all__ = ["Layer", "Dense", "Activation", "Flatten", "Input", "InputLayer", "LAYERS", "register",
           "serialize", "deserialize", "LeakyReLU", "PReLU", "ELU", "ReLU", "Softmax", "ThresholdedReLU",
           "Dropout", "GaussianNoise", "BatchNormalization", "Reshape", "Merge", "Concatenate", "Add", "Subtract",
           "Multiply", "Average", "Maximum", "Minimum", "Dot", "concatenate", "add", "subtract", "multiply",
           "average", "maximum", "minimum", "dot", "Normalization", "Discretization", "CategoryEncoding",
           "StringLookup", "IntegerLookup", "Rescaling", "RandomFlip", "RandomRotation", "RandomTranslation",
           "RandomZoom", "RandomContrast", "RandomCrop"]
