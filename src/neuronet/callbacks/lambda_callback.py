"""LambdaCallback: a callback built from plain functions."""
from __future__ import annotations

from neuronet.callbacks.base import HOOKS, Callback


class LambdaCallback(Callback):
    """Each keyword is a hook name and a function, e.g. ``on_epoch_end=lambda epoch, logs: ...``;
    Keras' ``on_batch_begin``/``on_batch_end`` mean the train-batch hooks.

        >>> from neuronet.callbacks import LambdaCallback
        >>> print_loss = LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs['loss']))
    """

    def __init__(self, **hooks):
        super().__init__()
        for name, fn in hooks.items():
            hook = {"on_batch_begin": "on_train_batch_begin", "on_batch_end": "on_train_batch_end"}.get(name, name)
            if hook not in HOOKS:
                raise TypeError(f"LambdaCallback got an unknown hook {name!r}; known hooks: {', '.join(HOOKS)}.")
            if fn is not None:
                if not callable(fn):
                    raise TypeError(f"`{name}` must be callable; received {fn!r}.")
                setattr(self, hook, fn)
