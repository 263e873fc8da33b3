"""Models: Sequential (a chain of layers) trained by the Trainer, and whole-model loading.

    >>> from neuronet.models import Sequential
"""
from neuronet.models.sequential import Sequential
from neuronet.saving.load import load_model

__all__ = ["Sequential", "load_model"]
