"""Callback: hooks called by fit/evaluate/predict, with Keras' names and ``logs`` dicts.

    >>> from neuronet.callbacks import Callback
    >>> class PrintLoss(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print(epoch, logs["loss"])
"""
from __future__ import annotations

import contextlib
import contextvars

HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
         "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
         "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end")
# Keras 2's names of the train-batch hooks, kept by Keras as aliases: the default on_train_batch_begin
# calls on_batch_begin, so a subclass overriding either one is called once per training batch.
ALIASES = {"on_batch_begin": "on_train_batch_begin", "on_batch_end": "on_train_batch_end"}


class Callback:
    """Base class; override any hook. ``self.model`` and ``self.params`` are set by fit.

    Hooks, as Keras calls them: ``on_train_begin/end`` around fit, ``on_epoch_begin/end`` around each
    epoch, ``on_train_batch_begin/end`` around each training batch (``on_batch_begin/end`` are their
    Keras 2 names: override either), ``on_test_begin/end`` and ``on_test_batch_begin/end`` around evaluate
    and fit's validation, ``on_predict_begin/end`` and ``on_predict_batch_begin/end`` around predict.
    """

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
Callback.on_batch_begin = lambda self, batch, logs=None: None
Callback.on_batch_end = lambda self, batch, logs=None: None


def _on_train_batch_begin(self, batch, logs=None):
    self.on_batch_begin(batch, logs)


def _on_train_batch_end(self, batch, logs=None):
    self.on_batch_end(batch, logs)


Callback.on_train_batch_begin = _on_train_batch_begin
Callback.on_train_batch_end = _on_train_batch_end


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
        self.callbacks += [cb for cb in _ATTACHED.get() if all(cb is not own for own in self.callbacks)]
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"`callbacks` must hold neuronet.callbacks.Callback instances; received "
                                f"{cb!r}. Wrap a function with LambdaCallback.")
            cb.set_model(model)
            cb.set_params(params)
        aliased = {hook: alias for alias, hook in ALIASES.items()}
        self._users = {hook: [getattr(cb, hook) for cb in self.callbacks
                              if _overrides(cb, hook) or (hook in aliased and _overrides(cb, aliased[hook]))]
                       for hook in HOOKS}

    def has(self, hook) -> bool:
        return bool(self._users[ALIASES.get(hook, hook)])

    def call(self, hook, *args):
        for fn in self._users[ALIASES.get(hook, hook)]:
            fn(*args)


_ATTACHED = contextvars.ContextVar("neuronet_attached_callbacks", default=())


@contextlib.contextmanager
def attached(*callbacks):
    """Inside the block, every fit (and evaluate, predict) also calls ``callbacks``, after its own.

    For code that trains a model it builds itself, such as a sweep's model function: a search attaches
    its pruning callback to the fit calls it cannot reach. Per thread and per asyncio task (a ContextVar).

    >>> from neuronet.callbacks import Callback
    >>> with attached(Callback()):
    ...     pass
    """
    for cb in callbacks:
        if not isinstance(cb, Callback):
            raise TypeError(f"`callbacks` must hold neuronet.callbacks.Callback instances; received {cb!r}.")
    token = _ATTACHED.set(_ATTACHED.get() + tuple(callbacks))
    try:
        yield
    finally:
        _ATTACHED.reset(token)
