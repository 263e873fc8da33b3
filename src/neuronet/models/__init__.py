"""Models: Sequential and whole-model loading.

    >>> from neuronet.models import Sequential
"""
from neuronet.models.sequential import Sequential

__all__ = ["Sequential"]
