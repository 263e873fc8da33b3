"""Preprocessing layers with ``adapt()``: Normalization, Discretization, CategoryEncoding, StringLookup,
IntegerLookup (Keras' names and arguments; no trainable weights).

    >>> from neuronet.layers import Normalization
"""
from neuronet.layers.preprocessing.base import NoGradient, PreprocessingLayer
from neuronet.layers.preprocessing.category_encoding import CategoryEncoding
from neuronet.layers.preprocessing.discretization import Discretization
from neuronet.layers.preprocessing.index_lookup import IndexLookup, IntegerLookup, StringLookup
from neuronet.layers.preprocessing.normalization import Normalization

__all__ = ["PreprocessingLayer", "NoGradient", "Normalization", "Discretization", "CategoryEncoding",
           "IndexLookup", "StringLookup", "IntegerLookup"]
