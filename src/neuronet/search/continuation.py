"""Continuation: train a run up to an epoch budget, keep everything it depends on, and continue it later
in a fresh fit (another process) exactly as if it had never stopped.

A search attaches it to the fit inside a user's model function (``callbacks.base.attached``), so the
model function stays the Talos one that calls ``model.fit(..., epochs=params['epochs'])`` itself:

    first call:     fit runs epochs 0 .. budget-1, then stops; ``checkpoint`` holds the run
    later calls:    on_train_begin puts the checkpoint into the freshly built model and moves the fit to
                    epoch e = len(History); fit runs epochs e .. budget-1

The checkpoint holds the weights, the optimizer's slots, step count and learning rate, every layer's
random state (Dropout), the shuffling generator's state and the History: the epochs after a
continuation are bit-identical to those of one uninterrupted fit. The model function's own callbacks
keep no state across the stop (EarlyStopping's patience starts again), as with BackupAndRestore.

    >>> rung = Continuation(budget=3)
    >>> # with attached(rung): history, model = model_fn(x, y, xv, yv, params)   # epochs 0, 1, 2
    >>> # with attached(Continuation(9, rung.checkpoint)): model_fn(...)          # epochs 3 .. 8
"""
from __future__ import annotations

from neuronet.callbacks.base import Callback

_FIT_KEYS = ("samples", "batch_size", "steps")


class Continuation(Callback):
    """Stop the fit after epoch ``budget`` and keep the run in ``checkpoint``; continue ``checkpoint``
    (from an earlier Continuation) when the fit starts. After the model function returns: ``fits``
    (how many fits it ran), ``stopped`` (True when the budget ended the fit; False when the fit ended
    by itself: its epochs ran out, EarlyStopping or a pruner stopped it), ``trained`` (epochs this
    call trained) and ``model`` (the model fit trained, to compare with the one the function returns).
    """

    def __init__(self, budget, checkpoint=None):
        super().__init__()
        self.budget, self.start = int(budget), checkpoint
        self.checkpoint, self.fits, self.stopped, self.trained = None, 0, False, 0

    def on_train_begin(self, logs=None):
        self.fits += 1
        if self.fits == 1 and self.start is not None:
            self._restore(self.start)

    def on_epoch_end(self, epoch, logs=None):
        self.trained += 1
        if epoch + 1 >= self.budget:
            self.model.stop_training = True
            self.stopped = True

    def on_train_end(self, logs=None):
        if self.fits == 1:
            self.checkpoint = capture(self.model, self.params)

    def _restore(self, checkpoint):
        model = self.model
        fit = {k: self.params.get(k) for k in _FIT_KEYS}
        if checkpoint["fit"] != fit:
            raise ValueError(f"This fit cannot continue the run: it was trained with {checkpoint['fit']}, this "
                             f"fit has {fit}. The model function must train on the same data with the same "
                             "batch_size at every rung.")
        model.set_weights(checkpoint["weights"])
        model.optimizer.set_state(checkpoint["optimizer"])
        for layer, state in zip(_random_layers(model), checkpoint["layer_rng"]):
            layer.set_rng_state(state)
        saved = checkpoint["history"]
        model.history.resume_from(saved["history"], saved["epoch"], saved["validation_epochs"])
        model.fit_state.set_state(checkpoint["position"])


def _random_layers(model):
    return [layer for layer in model.layers if hasattr(layer, "get_rng_state")]


def capture(model, params):
    """Everything a fit of ``model`` needs to continue after its last finished epoch: plain arrays and
    dicts (picklable, so a joblib or Dask worker returns it)."""
    history = model.history
    epochs = list(history.epoch)
    return {"weights": [w.copy() for w in model.get_weights()],
            "optimizer": model.optimizer.get_state(),
            "layer_rng": [layer.get_rng_state() for layer in _random_layers(model)],
            "history": {"history": {k: list(v) for k, v in history.history.items()}, "epoch": epochs,
                        "validation_epochs": list(history.validation_epochs)},
            "position": {"epoch": (epochs[-1] + 1) if epochs else 0, "batch": 0,
                         "shuffle_rng": model.fit_state.shuffle_rng.bit_generator.state},
            "fit": {k: params.get(k) for k in _FIT_KEYS}}
