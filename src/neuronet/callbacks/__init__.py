"""Callbacks: Keras' hooks around fit. One file per callback.

    >>> from neuronet.callbacks import Callback, History
"""
from neuronet.callbacks.base import Callback, CallbackList
from neuronet.callbacks.history import History
from neuronet.callbacks.progbar import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
