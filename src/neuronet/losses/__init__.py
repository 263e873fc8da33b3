"""Loss functions: the LOSSES registry, ``get`` and every loss class (Keras names and aliases).

    regression.py     mse, mae, msle, mape, huber, log_cosh, cosine_similarity
    probabilistic.py  binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy
                      (all with from_logits), kl_divergence (kld), poisson
    hinge.py          hinge, squared_hinge, categorical_hinge

Each Loss gives the per-sample loss and its gradient with respect to the prediction; ``reduction`` (Keras 3:
'sum_over_batch_size' by default, 'sum', 'mean', 'mean_with_sample_weight', 'none'/None) combines them
(see base.py).

    >>> import numpy as np
    >>> from neuronet import losses
    >>> round(losses.get("binary_crossentropy")(np.array([1.0]), np.array([0.92])), 6)   # -ln 0.92
    0.083382
    >>> round(losses.mse(np.array([[1.0, 2.0]]), np.array([[1.0, 4.0]])), 3)
    2.0
    >>> losses.MeanSquaredError(reduction="sum")(np.array([[0.0], [0.0]]), np.array([[1.0], [2.0]]))
    5.0
"""
from __future__ import annotations

from neuronet.losses.base import EPSILON, LOSSES, REDUCTIONS, Loss, _match_shape, check_trainable
from neuronet.losses.hinge import CategoricalHinge, Hinge, SquaredHinge
from neuronet.losses.probabilistic import (BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
                                           SparseCategoricalCrossentropy, _log_softmax)
from neuronet.losses.regression import (CosineSimilarity, Huber, LogCosh, MeanAbsoluteError,
                                        MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError)

__all__ = ["LOSSES", "Loss", "get", "serialize", "EPSILON", "REDUCTIONS", "BinaryCrossentropy",
           "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "KLDivergence", "Poisson", "Hinge",
           "SquaredHinge", "CategoricalHinge", "CosineSimilarity", "Huber", "LogCosh", "MeanAbsoluteError",
           "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError", "cosine_similarity"]


def get(identifier):
    """A Loss from a name ('mse', 'binary_crossentropy', ...), a config dict, a Loss, or a callable.

    A plain function ``f(y_true, y_pred)`` without a gradient cannot train; wrap it in a Loss subclass.
    compile() resolves its loss here, so a loss with reduction='none'/None (one value per sample) is refused
    with a ValueError saying what to use instead.
    """
    if identifier is None:
        raise ValueError("Could not interpret loss identifier: None. Pass a loss to compile(), "
                         f"e.g. loss='mse'. Known: {', '.join(LOSSES.names())}.")
    if callable(identifier) and not isinstance(identifier, (Loss, type)) \
            and getattr(identifier, "__name__", None) in LOSSES:
        identifier = identifier.__name__  # the Keras function spelling, e.g. losses.binary_crossentropy
    loss = LOSSES.get(identifier)
    if not isinstance(loss, Loss):
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}. neuronet needs a "
                         "neuronet.losses.Loss (it knows its gradient); subclass Loss and implement "
                         f"per_sample and per_sample_grad. Known names: {', '.join(LOSSES.names())}.")
    return check_trainable(loss)


def serialize(loss: Loss):
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


def _function(name, cls):
    def fn(y_true, y_pred, sample_weight=None):
        return cls()(y_true, y_pred, sample_weight)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Keras' function spelling: the mean {cls.__name__} loss as a float. {cls.__doc__}"
    return fn


def cosine_similarity(y_true, y_pred, axis=-1):
    """Keras' function spelling (with its ``axis`` argument): the CosineSimilarity loss as a float, minus the
    mean over samples of the cosine between y_true and y_pred (see CosineSimilarity)."""
    return CosineSimilarity(axis=axis)(y_true, y_pred)

# Keras-style function spellings: neuronet.losses.mean_squared_error(y_true, y_pred) -> float.
# (Their __name__ is a registered name, so compile(loss=losses.kld) resolves to the KLDivergence class.)
for _cls in (MeanSquaredError, MeanAbsoluteError, MeanSquaredLogarithmicError, MeanAbsolutePercentageError,
             BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson,
             Hinge, SquaredHinge, CategoricalHinge, Huber, LogCosh):
    for _name in LOSSES.names():
        _camel = sum(c.isupper() for c in _cls.__name__) > 1      # 'meansquarederror' is no function name
        if LOSSES.lookup(_name) is _cls and not (_camel and _name == _cls.__name__.lower()) \
                and _name not in ("bce", "cce", "scce"):
            globals()[_name] = _function(_name, _cls)
            __all__.append(_name)
del _cls, _name
