"""Models: Model (a graph of layers, or a subclass with call()) and Sequential (a chain), trained by the
Trainer; whole-model loading, JSON architectures and cloning.

    >>> from neuronet.models import Sequential
"""
from neuronet.models.model import Model
from neuronet.models.sequential import Sequential
from neuronet.models.cloning import clone_model
from neuronet.models.json_config import model_from_json
from neuronet.saving.load import load_model

__all__ = ["Model", "Sequential", "load_model", "clone_model", "model_from_json"]
