"""Routed parameters of the scikit-learn wrappers, as scikeras names them, and Keras 2's unprefixed form.

    model__units=8          -> build_fn(units=8)            (Keras 2: units=8, when build_fn takes `units`)
    optimizer__momentum=.9  -> optimizer class (or name) called with momentum=0.9
    loss__from_logits=True  -> loss class (or name) called with from_logits=True
    compile__loss_weights=  -> model.compile(..., loss_weights=...)
    callbacks__patience=3   -> every callback given as a class gets patience=3;
    callbacks__0__patience  -> only callbacks[0] (callbacks__es__patience: callbacks={"es": EarlyStopping})
    fit__validation_data=   -> model.fit(..., validation_data=...)  (Keras 2: validation_data=, a fit argument)
    predict__batch_size=    -> model.predict(..., batch_size=...)   (Keras 2: an unprefixed predict argument)

    >>> split_unprefixed({"init_mode": "uniform", "initial_epoch": 1}, build_args={"init_mode"})
    ({'init_mode': 'uniform'}, {'initial_epoch': 1}, {})
"""
from __future__ import annotations

import copy
import inspect

PREFIXES = ("model__", "fit__", "predict__", "optimizer__", "loss__", "compile__", "callbacks__")


def routed(params, prefix):
    """The parameters starting with ``prefix``, the prefix removed."""
    return {k[len(prefix):]: v for k, v in params.items() if k.startswith(prefix)}


def argument_names(fn):
    """The keyword arguments ``fn`` takes (None: it takes any, through **kwargs)."""
    params = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return None
    return {n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def fit_argument_names():
    from neuronet.models import Model
    return argument_names(Model.fit) - {"self", "x", "y"}


def predict_argument_names():
    from neuronet.models import Model
    return argument_names(Model.predict) - {"self", "x"}


def split_unprefixed(params, build_args):
    """Keras 2's sk_params: each unprefixed name goes to the build function when it takes it, otherwise to
    fit or predict when they do; returns (build, fit, predict) keyword dicts. ``build_args`` None means the
    build function takes **kwargs (it then gets every name fit and predict do not take)."""
    fit_names, predict_names = fit_argument_names(), predict_argument_names()
    build, fit, predict = {}, {}, {}
    for name, value in params.items():
        if build_args is not None and name in build_args:
            build[name] = value
        elif name in fit_names:
            fit[name] = value
        elif name in predict_names:
            predict[name] = value
        elif build_args is None:
            build[name] = value
        else:
            raise ValueError(f"{name!r} is not a legal parameter: it is not an argument of the build function "
                             f"({sorted(build_args)}), of fit or of predict. Route other arguments as model__<name>, "
                             f"fit__<name>, predict__<name>, optimizer__<name>, loss__<name>, compile__<name> or "
                             f"callbacks__<name>. Received: {name}={value!r}")
    return build, fit, predict


def instantiate(value, kwargs, family, get):
    """``value`` (a name, a class or an instance) as a fresh instance with ``kwargs`` applied: a name or a
    class is called with them; an instance is copied through its config with them merged in."""
    if value is None or (not kwargs and not isinstance(value, type) and not hasattr(value, "get_config")):
        return value
    if isinstance(value, str):
        value = type(get(value))
    if isinstance(value, type):
        try:
            return value(**kwargs)
        except TypeError as error:
            raise ValueError(f"{family}__* parameters {sorted(kwargs)} do not fit {value.__name__}: {error}") from None
    if hasattr(value, "get_config"):
        return type(value).from_config({**value.get_config(), **kwargs})
    raise ValueError(f"{family}__* parameters {sorted(kwargs)} need `{family}` to be a name, a class or an "
                     f"instance with get_config(). Received: {family}={value!r}")


def compile_arguments(estimator):
    """The estimator's optimizer, loss and metrics, with its optimizer__ / loss__ arguments applied (None:
    not set)."""
    from neuronet import losses, optimizers
    params = estimator.get_params()
    return {"optimizer": instantiate(estimator.optimizer, routed(params, "optimizer__"), "optimizer", optimizers.get),
            "loss": instantiate(estimator.loss, routed(params, "loss__"), "loss", losses.get),
            "metrics": estimator.metrics}


def make_callbacks(callbacks, params):
    """The callbacks for one fit: each class is called with ``callbacks__<name>`` (all of them) and
    ``callbacks__<index or key>__<name>`` (that one); instances are copied, so fits never share state."""
    if callbacks is None:
        return None
    items = list(callbacks.items()) if isinstance(callbacks, dict) else list(enumerate(callbacks))
    general = {k: v for k, v in params.items() if "__" not in k and not k.isdigit()}
    keys = {str(key) for key, _ in items}
    unknown = {k.split("__")[0] for k in params if "__" in k} - keys
    if unknown:
        raise ValueError(f"callbacks__<key>__<name> parameters name callbacks {sorted(unknown)}, but the callbacks "
                         f"are {sorted(keys)} (list indices or dict keys).")
    made = []
    for key, callback in items:
        if isinstance(callback, type):
            own = {k[len(f"{key}__"):]: v for k, v in params.items() if k.startswith(f"{key}__")}
            accepted = argument_names(callback.__init__)
            shared = {k: v for k, v in general.items() if accepted is None or k in accepted}
            made.append(callback(**{**shared, **own}))
        else:
            made.append(copy.deepcopy(callback))
    return made
