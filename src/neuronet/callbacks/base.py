"""Callback: hooks called by fit/evaluate/predict, with Keras' names and ``logs`` dicts.

    >>> from neuronet.callbacks import Callback
    >>> class PrintLoss(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(epoch, logs["loss"])
"""
from __future__ import annotations

HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
         "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
         "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end")


class Callback:
    """Base class; override any hook. ``self.model`` and ``self.params`` are set by fit."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params


for _hook in HOOKS:
    if _hook.endswith(("begin", "end")) and "batch" in _hook:
        setattr(Callback, _hook, lambda self, batch, logs=None: None)
    elif _hook.startswith("on_epoch"):
        setattr(Callback, _hook, lambda self, epoch, logs=None: None)
    else:
        setattr(Callback, _hook, lambda self, logs=None: None)


def _overrides(callback, hook) -> bool:
    """True when ``callback`` defines ``hook`` itself (in its class or, as LambdaCallback does, on the
    instance) instead of inheriting Callback's no-op."""
    fn = getattr(callback, hook)
    return getattr(fn, "__func__", fn) is not getattr(Callback, hook)


class CallbackList:
    """Calls a hook on every callback. Batch hooks are called only on callbacks that override them, so
    an unused hook costs nothing in the training step."""

    def __init__(self, callbacks, model, params):
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"`callbacks` must hold neuronet.callbacks.Callback instances; received "
                                f"{cb!r}. Wrap a function with LambdaCallback.")
            cb.set_model(model)
            cb.set_params(params)
        self._users = {hook: [getattr(cb, hook) for cb in self.callbacks if _overrides(cb, hook)]
                       for hook in HOOKS}

    def has(self, hook) -> bool:
        return bool(self._users[hook])

    def call(self, hook, *args):
        for fn in self._users[hook]:
            fn(*args)
