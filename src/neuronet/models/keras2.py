"""The Keras 2 spellings of training and prediction that Keras 3 dropped, run as their authors meant them.

Each is a thin alias of its Keras 3 spelling:

    model.fit(x, y, nb_epoch=10)                        model.fit(x, y, epochs=10)
    model.fit_generator(gen, steps_per_epoch=100)       model.fit(gen, steps_per_epoch=100)
    model.evaluate_generator(gen, steps=10)             model.evaluate(gen, steps=10)
    model.predict_generator(gen, steps=10)              model.predict(gen, steps=10)
    model.predict_classes(x)   (Sequential)             (model.predict(x) > 0.5).astype("int32"), or its argmax
    model.predict_proba(x)     (Sequential)             model.predict(x)

    >>> import numpy as np
    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
    >>> model = Sequential([Dense(1, activation="sigmoid", kernel_initializer="ones", input_shape=(2,))])
    >>> model.predict_classes(np.array([[1.0, 1.0], [-1.0, -1.0]])).ravel().tolist()
    [1, 0]
"""
from __future__ import annotations

import functools

import numpy as np

from neuronet.models.trainer import Trainer
from neuronet.utils.user_warning import warn


def _fit(self, *args, nb_epoch=None, **kwargs):
    if nb_epoch is not None:
        if "epochs" in kwargs or len(args) >= 4:
            raise TypeError("Pass either `epochs` or its Keras 2 spelling `nb_epoch`, not both. "
                            f"Received: nb_epoch={nb_epoch!r}")
        kwargs["epochs"] = nb_epoch
    return super(Keras2Methods, self).fit(*args, **kwargs)


class Keras2Methods:
    """fit's ``nb_epoch`` and the ``*_generator`` methods, mixed into every model (see the module docstring)."""

    fit = functools.wraps(Trainer.fit)(_fit)      # Trainer.fit's signature and help; also takes nb_epoch=

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                      validation_data=None, validation_steps=None, validation_freq=1, class_weight=None,
                      max_queue_size=10, workers=1, use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """The Keras 2 spelling of ``fit(generator, steps_per_epoch=...)``. ``max_queue_size``, ``workers`` and
        ``use_multiprocessing`` are accepted and unused: batches are drawn in the training thread."""
        kwargs = {} if validation_steps is None else {"validation_steps": validation_steps}
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs, verbose=verbose,
                        callbacks=callbacks, validation_data=validation_data, validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle, initial_epoch=initial_epoch, **kwargs)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                           use_multiprocessing=False, verbose=0):
        """The Keras 2 spelling of ``evaluate(generator, steps=...)``."""
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                          use_multiprocessing=False, verbose=0):
        """The Keras 2 spelling of ``predict(generator, steps=...)``."""
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)


class Keras2SequentialMethods:
    """Keras 2's ``Sequential.predict_classes`` and ``predict_proba``."""

    def predict_classes(self, x, batch_size=None, verbose=0):
        """The Keras 2 spelling of the class indices: ``predict(x).argmax(axis=-1)`` for several output units,
        ``(predict(x) > 0.5).astype('int32')`` (shape (n, 1)) for one."""
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            return proba.argmax(axis=-1)
        return (proba > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=None, verbose=0):
        """The Keras 2 spelling of ``predict(x)``; warns, as Keras 2 did, when an output is outside [0, 1]."""
        preds = self.predict(x, batch_size=batch_size, verbose=verbose)
        if np.size(preds) and (preds.min() < 0.0 or preds.max() > 1.0):
            warn("Network returning invalid probability values. The last layer might not normalize predictions "
                 "into probabilities (like softmax or sigmoid would).")
        return preds
