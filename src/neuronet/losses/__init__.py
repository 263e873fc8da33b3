"""Loss functions: the LOSSES registry, ``get`` and every loss class (Keras names and aliases).

    regression.py     mse, mae, msle, mape, huber, log_cosh, cosine_similarity
    probabilistic.py  binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy
                      (all with from_logits), kl_divergence (kld), poisson
    hinge.py          hinge, squared_hinge, categorical_hinge

    functions.py      Keras' function spellings (mean_squared_error, mse, binary_crossentropy, ...): one
                      loss per sample, as keras.losses.*

Each Loss gives the per-sample loss and its gradient with respect to the prediction; ``reduction`` (Keras 3:
'sum_over_batch_size' by default, 'sum', 'mean', 'mean_with_sample_weight', 'none'/None) combines them
(see base.py). The functions, as Keras', do not reduce.

    >>> import numpy as np
    >>> from neuronet import losses
    >>> round(losses.get("binary_crossentropy")(np.array([1.0]), np.array([0.92])), 6)   # -ln 0.92
    0.083382
    >>> losses.mse(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[1.0, 4.0], [0.0, 1.0]]))   # per sample
    array([2. , 0.5])
    >>> losses.MeanSquaredError()(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[1.0, 4.0], [0.0, 1.0]]))
    1.25
    >>> losses.MeanSquaredError(reduction="sum")(np.array([[0.0], [0.0]]), np.array([[1.0], [2.0]]))
    5.0
"""
from __future__ import annotations

from neuronet.losses import functions as _functions
from neuronet.losses.base import EPSILON, LOSSES, REDUCTIONS, Loss, _match_shape, check_trainable
from neuronet.losses.functions import (binary_crossentropy, categorical_crossentropy, categorical_hinge,
                                       cosine_similarity, hinge, huber, huber_loss, kl_divergence, kld,
                                       kullback_leibler_divergence, log_cosh, mae, mape, mean_absolute_error,
                                       mean_absolute_percentage_error, mean_squared_error,
                                       mean_squared_logarithmic_error, mse, msle, poisson,
                                       sparse_categorical_crossentropy, squared_hinge)
from neuronet.losses.hinge import CategoricalHinge, Hinge, SquaredHinge
from neuronet.losses.probabilistic import (BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
                                           SparseCategoricalCrossentropy, _log_softmax)
from neuronet.losses.regression import (CosineSimilarity, Huber, LogCosh, MeanAbsoluteError,
                                        MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError)

__all__ = ["LOSSES", "Loss", "get", "serialize", "EPSILON", "REDUCTIONS", "BinaryCrossentropy",
           "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "KLDivergence", "Poisson", "Hinge",
           "SquaredHinge", "CategoricalHinge", "CosineSimilarity", "Huber", "LogCosh", "MeanAbsoluteError",
           "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError", *_functions.FUNCTIONS]


def get(identifier):
    """A Loss from a name ('mse', 'binary_crossentropy', ...), a config dict, a Loss, or a callable.

    neuronet's function spellings (``losses.binary_crossentropy``, ``losses.mse``: one loss per sample, see
    functions.py) resolve to the class of their name. A plain function ``f(y_true, y_pred)`` without a
    gradient cannot train; wrap it in a Loss subclass.
    compile() resolves its loss here, so a loss with reduction='none'/None (one value per sample) is refused
    with a ValueError saying what to use instead.
    """
    if identifier is None:
        raise ValueError("Could not interpret loss identifier: None. Pass a loss to compile(), "
                         f"e.g. loss='mse'. Known: {', '.join(LOSSES.names())}.")
    if callable(identifier) and not isinstance(identifier, (Loss, type)):
        name = getattr(identifier, "__name__", None)
        if name in _functions.FUNCTIONS and getattr(_functions, name) is identifier:
            identifier = name  # neuronet's function spelling, e.g. losses.binary_crossentropy
        else:   # your own function of the same name is not ours: it has no gradient neuronet knows
            raise ValueError(f"Could not interpret loss identifier: the function {name!r} "
                             f"({getattr(identifier, '__module__', '?')}) has no gradient that neuronet knows. "
                             "Pass a loss name such as 'mse', one of neuronet.losses' functions or classes, or "
                             "subclass neuronet.losses.Loss and implement per_sample and per_sample_grad.")
    loss = LOSSES.get(identifier)
    if not isinstance(loss, Loss):
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}. neuronet needs a "
                         "neuronet.losses.Loss (it knows its gradient); subclass Loss and implement "
                         f"per_sample and per_sample_grad. Known names: {', '.join(LOSSES.names())}.")
    return check_trainable(loss)


def serialize(loss: Loss):
    return {"class_name": type(loss).__name__, "config": loss.get_config()}
