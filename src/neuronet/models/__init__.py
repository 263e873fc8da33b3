"""Models: Model (a graph of layers, or a subclass with call()) and Sequential (a chain), trained by the
Trainer, and whole-model loading.

    >>> from neuronet.models import Sequential
"""
from neuronet.models.model import Model
from neuronet.models.sequential import Sequential
from neuronet.saving.load import load_model

__all__ = ["Model", "Sequential", "load_model"]
