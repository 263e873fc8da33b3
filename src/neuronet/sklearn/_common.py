"""Helpers shared by the scikit-learn estimators: seeding, optimizer resolution, target encoding.

Seeding rule: ``random_state=None`` draws from neuronet's global generator (see
neuronet.utils.set_random_seed); an int or a ``RandomState`` fixes a private Generator, so repeated fits
give identical results and NumPy's global random state is never touched.
"""
from __future__ import annotations

import numpy as np

from neuronet import optimizers
from neuronet.utils.random import make_generator


def fit_generator(random_state):
    """A ``numpy.random.Generator`` for one fit: from an int seed, a Generator, a legacy RandomState
    (one integer drawn from it, as scikit-learn's check_random_state users expect), or None (a child of
    neuronet's global generator).

        >>> int(fit_generator(0).integers(10)) == int(fit_generator(0).integers(10))
        True
    """
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(int(random_state.randint(2**31 - 1)))
    if random_state is not None and not isinstance(random_state, np.random.Generator):
        if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)) or random_state < 0:
            raise ValueError(f"Received an invalid value for `random_state`, expected None, a non-negative "
                             f"integer or a numpy Generator/RandomState. Received: random_state={random_state!r}")
    return make_generator(random_state)


def fresh_optimizer(value):
    """A copy of an Optimizer instance (through get_config), so fitting never mutates an estimator
    parameter; any other value (a name, a class, None) is returned as it is.

        >>> opt = optimizers.SGD(0.1); fresh_optimizer(opt) is opt, fresh_optimizer('adam')
        (False, 'adam')
    """
    if isinstance(value, optimizers.Optimizer):
        return type(value).from_config(value.get_config())
    return value


def resolve_optimizer(optimizer, solver="adam", learning_rate=0.001, **solver_kwargs):
    """A fresh Optimizer for one fit.

    ``optimizer`` (a name such as 'rmsprop', a class such as Nadam, or an instance, which is copied through
    get_config so the estimator parameter is never mutated) wins over ``solver`` ('adam' or 'sgd', built
    with scikit-learn's arguments: learning_rate_init, momentum, nesterovs_momentum, beta_1, beta_2,
    epsilon).

        >>> resolve_optimizer(None, 'sgd', 0.1, momentum=0.9).learning_rate
        0.1
    """
    lr = float(learning_rate)
    if optimizer is not None:
        if isinstance(optimizer, optimizers.Optimizer):
            return fresh_optimizer(optimizer)
        opt = optimizers.get(optimizer)
        if isinstance(optimizer, (str, type)):
            opt.learning_rate = lr
        return opt
    if solver == "adam":
        return optimizers.Adam(learning_rate=lr, beta_1=float(solver_kwargs.get("beta_1", 0.9)),
                               beta_2=float(solver_kwargs.get("beta_2", 0.999)),
                               epsilon=float(solver_kwargs.get("epsilon", 1e-8)))
    if solver == "sgd":
        momentum = float(solver_kwargs.get("momentum", 0.9))
        return optimizers.SGD(learning_rate=lr, momentum=momentum,
                              nesterov=bool(solver_kwargs.get("nesterovs_momentum", True)) and momentum > 0)
    raise ValueError(f"Received an invalid value for `solver`, expected 'adam' or 'sgd' (or pass any "
                     f"neuronet optimizer as `optimizer=`; 'lbfgs' is not available). Received: solver={solver!r}")


def balanced_or_dict_weights(class_weight, classes, y_encoded, y_original):
    """Per-sample weights from ``class_weight`` ('balanced', a dict keyed by the original labels, or None).

    'balanced' uses scikit-learn's rule n_samples / (n_classes * count(class)).
    """
    if class_weight is None:
        return None
    from sklearn.utils.class_weight import compute_class_weight
    if not (isinstance(class_weight, dict) or (isinstance(class_weight, str) and class_weight == "balanced")):
        raise ValueError(f"Received an invalid value for `class_weight`, expected None, 'balanced' or a dict "
                         f"{{class label: weight}}. Received: class_weight={class_weight!r}")
    weights = compute_class_weight(class_weight, classes=classes, y=y_original)
    return np.asarray(weights, dtype=np.float64)[y_encoded]


def history_lists(history):
    """``History.history`` as a dict of plain Python float lists (a per-class metric such as F1Score()
    gives one list of floats per epoch)."""
    return {k: [float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=np.float64).tolist() for v in vals]
            for k, vals in history.history.items()}


def model_to_state(model):
    """A fitted Sequential as plain data: ``neuronet.saving``'s model payload (JSON-safe config with the
    compile arguments and each random layer's generator state, plus a dict of NumPy arrays: weights and
    optimizer slots), so estimators pickle (joblib, GridSearchCV n_jobs) without pickling layer objects.

        >>> # state = model_to_state(model); model_from_state(state) trains on exactly as model would
    """
    from neuronet.saving.save import model_payload
    config, arrays = model_payload(model, include_optimizer=True)
    return {"config": config, "arrays": arrays, "custom_objects": _user_objects(model)}


def _user_objects(model):
    """The classes and functions the payload names only by name (layers, their regularizers, loss, metric
    classes, metric functions): pickled by reference beside it, so user-defined ones resolve when it is unpickled."""
    from neuronet.metrics import METRICS, FunctionMetric
    objects = {type(layer).__name__: type(layer) for layer in model.layers}
    objects.update((type(reg).__name__, type(reg)) for layer in model.layers
                   for reg in getattr(layer, "regularizers", {}).values())
    if model.loss is not None:
        objects[type(model.loss).__name__] = type(model.loss)
    for metric in model.compiled_metrics:
        if isinstance(metric, FunctionMetric):
            objects[metric.name] = metric.fn
        elif type(metric).__name__ not in METRICS:
            objects[type(metric).__name__] = type(metric)
    return objects


def model_from_state(state):
    """Inverse of :func:`model_to_state`: an identical compiled Sequential (weights, optimizer step and
    slots, Dropout generators), built without drawing from neuronet's global generator."""
    from neuronet.saving.load import model_from_payload
    return model_from_payload(state["config"], state["arrays"], state.get("custom_objects"),
                              path="<pickled estimator model>")


class PicklableModelMixin:
    """Pickle (and copy.deepcopy) ``model_`` through model_to_state: neuronet layers may hold closures,
    and the payload is the one ``neuronet.saving`` writes, so a round trip restores what a saved model
    restores (weights, optimizer state, layer generators) and changes no global random state."""

    def __getstate__(self):
        state = dict(super().__getstate__())   # object.__getstate__ returns the live __dict__
        model = state.pop("model_", None)
        if model is not None:
            state["_model_state"] = model_to_state(model)
        return state

    def __setstate__(self, state):
        model_state = state.pop("_model_state", None)
        super().__setstate__(state)
        if model_state is not None:
            self.model_ = model_from_state(model_state)
