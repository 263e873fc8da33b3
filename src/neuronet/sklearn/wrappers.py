"""KerasClassifier / KerasRegressor: scikit-learn estimators around a function that builds a model (a
Sequential, a functional Model or a subclassed one; scikeras-style), so the notes' grid search over a
Keras model runs unchanged:

    >>> from neuronet.models import Model, clone_model
    >>> from neuronet.layers import Dense
    >>> def build_classifier(optimizer="adam", units=6):
    ...     model = Sequential()
    ...     model.add(Dense(units, activation="relu", input_dim=4))
    ...     model.add(Dense(1, activation="sigmoid"))
    ...     model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["acc"])
    ...     return model
    >>> my_model = KerasClassifier(build_fn=build_classifier, model__units=8)
    >>> parameters = {'batch_size': [20, 30], 'nb_epoch': [50, 100], 'optimizer': ['adam', 'sgd']}
    >>> # GridSearchCV(estimator=my_model, param_grid=parameters, scoring='accuracy', cv=10).fit(X, y)

Parameters
    model / build_fn: a function returning a model (compiled or not), or a Sequential or functional Model
        to copy (``clone_model``: same layers, new weights).
    model__<name>=v:  passed to the function as <name>=v (routed parameters, tunable by GridSearchCV).
    optimizer, loss, metrics: passed to the function when it has an argument of that name (a required
        ``optimizer`` argument gets Keras' default 'rmsprop' while optimizer=None); otherwise, when set, the
        model is recompiled with them. ``meta`` (n_features_in_, classes_, n_classes_, n_outputs_) is
        passed when the function accepts it.
    batch_size, epochs (``nb_epoch``, the Keras 1 spelling, wins when set), verbose, validation_split,
    shuffle: passed to Model.fit; fit__<name>=v routes any other fit argument.
    random_state: an int makes fits repeatable (private Generator; NumPy's global state is untouched).
    warm_start: True keeps training the fitted model at the next fit; a fresh clone with an int
        random_state continues this process's shorter run of the same fit, so HalvingGridSearchCV(...,
        resource='epochs') trains each rung's extra epochs only (bit-identical to a full fit).
Fitted: ``model_``, ``history_`` (dict of per-epoch lists), ``n_features_in_``, ``classes_`` (classifier).
"""
from __future__ import annotations

import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from neuronet.models import Model, clone_model
from neuronet.sklearn import _halving
from neuronet.sklearn._common import (PicklableModelMixin, balanced_or_dict_weights, fit_generator,
                                      fresh_optimizer, history_lists, model_from_state, model_to_state)
from neuronet.utils.random import using_generator

_PREFIXES = ("model__", "fit__")


class BaseWrapper(PicklableModelMixin, BaseEstimator):
    """Shared by KerasClassifier and KerasRegressor; see the module docstring."""

    _default_loss = "mse"

    def __init__(self, model=None, *, build_fn=None, optimizer=None, loss=None, metrics=None,
                 batch_size=None, epochs=1, nb_epoch=None, verbose=0, validation_split=0.0, shuffle=True,
                 random_state=None, warm_start=False, **kwargs):
        self.model = model
        self.build_fn = build_fn
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.epochs = epochs
        self.nb_epoch = nb_epoch
        self.verbose = verbose
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.random_state = random_state
        self.warm_start = warm_start
        for key, value in kwargs.items():      # routed parameters; anything else is rejected in fit
            setattr(self, key, value)

    # ---- scikit-learn parameter protocol with routed parameters ---------------------------------------
    def _routed(self, prefix):
        return {k[len(prefix):]: v for k, v in vars(self).items() if k.startswith(prefix)}

    def _extra_params(self):
        """Keyword arguments given to __init__ beyond its signature (not fitted `x_`, not private `_x`)."""
        named = set(self._get_param_names())
        return {k: v for k, v in vars(self).items()
                if k not in named and not k.startswith("_") and not k.endswith("_")}

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        params.update(self._extra_params())
        return params

    def set_params(self, **params):
        routed = {k: params.pop(k) for k in list(params) if k.startswith(_PREFIXES)}
        for key, value in routed.items():
            setattr(self, key, value)
        return super().set_params(**params) if params else self

    # ---- fit ------------------------------------------------------------------------------------------
    def _build_model(self, meta, X):
        fn = self.model if self.model is not None else self.build_fn
        if fn is None:
            raise ValueError(f"{type(self).__name__} needs `model` (or `build_fn`): a function returning a "
                             "neuronet model. Received: model=None, build_fn=None")
        if isinstance(fn, Model):
            model, compiled_with = clone_model(fn), {}
            given = fn.get_compile_config()
            if given:
                model.compile(**{**given, "optimizer": fresh_optimizer(given["optimizer"])})
        else:
            if not callable(fn):
                raise ValueError(f"Received an invalid value for `model`, expected a function returning a "
                                 f"neuronet model. Received: model={fn!r}")
            params = inspect.signature(fn).parameters
            var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
            kwargs = self._routed("model__")
            compiled_with = {}
            for name in ("optimizer", "loss", "metrics"):
                value = getattr(self, name)
                required = name in params and params[name].default is inspect.Parameter.empty
                if value is None and required:    # e.g. the notes' build_classifier(optimizer)
                    value = {"optimizer": "rmsprop", "loss": self._default_loss}.get(name)
                if value is not None and (name in params or var_kw) and name not in kwargs:
                    kwargs[name] = compiled_with[name] = fresh_optimizer(value)
            if "meta" in params:
                kwargs["meta"] = meta
            model = fn(**kwargs)
            if not isinstance(model, Model):
                raise TypeError(f"The build function must return a neuronet model (Sequential or Model); it "
                                f"returned {type(model).__name__}.")
        if not model.built:
            model.build(X.shape[1:])
        previous = model.get_compile_config() or {}
        needs = {n: getattr(self, n) for n in ("optimizer", "loss", "metrics")
                 if getattr(self, n) is not None and n not in compiled_with}
        if needs or model.optimizer is None:
            model.compile(optimizer=fresh_optimizer(needs.get("optimizer", previous.get("optimizer", "rmsprop"))),
                          loss=needs.get("loss", previous.get("loss") or self._loss_for(model)),
                          metrics=needs.get("metrics", previous.get("metrics")) or None)
        return model

    def _loss_for(self, model):
        return self._default_loss

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Build (unless warm_start and already fitted) and train the model; returns self."""
        unknown = sorted(k for k in self._extra_params() if not k.startswith(_PREFIXES))
        if unknown:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s) {unknown}. Route "
                            "arguments of the build function as model__<name> and of fit as fit__<name>.")
        X, y = validate_data(self, X, y, dtype=(np.float64, np.float32), multi_output=True,
                             y_numeric=not isinstance(self, ClassifierMixin))
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        rng = fit_generator(self.random_state)
        meta = self._init_targets(y)
        meta["n_features_in_"] = X.shape[1]
        epochs = self.nb_epoch if self.nb_epoch is not None else self.epochs
        fresh = not (self.warm_start and hasattr(self, "model_"))
        key = _halving.run_key(self, ("epochs", "nb_epoch"), X, y, sample_weight, fit_params) if fresh else None
        earlier = _halving.recall(key, epochs)     # a shorter run of this same fit (successive halving)
        if earlier is not None:
            self.model_ = model_from_state(earlier["model"])
            rng.bit_generator.state = earlier["rng"]          # the generator that shuffles each epoch
        elif fresh:
            with using_generator(rng):
                self.model_ = self._build_model(meta, X)
        y_model, weights = self._encode(y)
        if sample_weight is not None:
            from sklearn.utils.validation import _check_sample_weight
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
            if not sample_weight.any():
                raise ValueError("`sample_weight` is zero for every sample; at least one must be positive.")
            weights = sample_weight if weights is None else weights * sample_weight
        kwargs = {"batch_size": self.batch_size, "epochs": epochs, "verbose": self.verbose,
                  "validation_split": self.validation_split, "shuffle": self.shuffle, "seed": rng,
                  "sample_weight": weights, **self._routed("fit__"), **fit_params}
        if earlier is not None:
            kwargs["initial_epoch"] = earlier["epochs"]
            kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), _halving.ResumeHistory(earlier["history"])]
        with using_generator(rng):
            history = self.model_.fit(X, y_model, **kwargs)
        self.history_ = history_lists(history)
        if len(history.epoch) == epochs:        # not stopped early: a longer fit may continue it
            _halving.remember(key, epochs, model=model_to_state(self.model_), rng=rng.bit_generator.state,
                              history=_halving.history_state(history))
        return self

    def _predict_raw(self, X):
        check_is_fitted(self, "model_")
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        return self.model_.predict(X).astype(np.float64)


class KerasClassifier(ClassifierMixin, BaseWrapper):
    """Classifier around a model builder. Labels (strings too) are encoded as 0..K-1; the targets the
    model receives follow its output: 1 sigmoid unit -> 0/1 column; K units with
    categorical_crossentropy -> one-hot rows; otherwise integer labels (sparse_categorical_crossentropy).
    ``class_weight``: None, 'balanced' or {label: weight}."""

    def __init__(self, model=None, *, build_fn=None, optimizer=None, loss=None, metrics=None,
                 batch_size=None, epochs=1, nb_epoch=None, verbose=0, validation_split=0.0, shuffle=True,
                 random_state=None, warm_start=False, class_weight=None, **kwargs):
        super().__init__(model, build_fn=build_fn, optimizer=optimizer, loss=loss, metrics=metrics,
                         batch_size=batch_size, epochs=epochs, nb_epoch=nb_epoch, verbose=verbose,
                         validation_split=validation_split, shuffle=shuffle, random_state=random_state,
                         warm_start=warm_start, **kwargs)
        self.class_weight = class_weight

    def _init_targets(self, y):
        check_classification_targets(y)
        if y.ndim != 1:
            raise ValueError(f"KerasClassifier expects 1-D class labels; received y of shape {y.shape}.")
        self.classes_ = unique_labels(y)
        self.n_classes_ = len(self.classes_)
        if self.n_classes_ < 2:
            raise ValueError(f"The classifier needs samples of at least 2 classes in the data, but the data "
                             f"contains only one class: {self.classes_[0]!r}.")
        return {"classes_": self.classes_, "n_classes_": self.n_classes_, "n_outputs_": 1}

    def _loss_for(self, model):
        return "binary_crossentropy" if model.output_shape[-1] == 1 else "sparse_categorical_crossentropy"

    def _encode(self, y):
        index = np.searchsorted(self.classes_, y)
        units = self.model_.output_shape[-1]
        if units == 1:
            if self.n_classes_ > 2:
                raise ValueError(f"The model has 1 output unit but y has {self.n_classes_} classes; end the "
                                 f"model with Dense({self.n_classes_}, activation='softmax').")
            target = index.astype(np.float32).reshape(-1, 1)
        elif type(self.model_.loss).__name__ == "CategoricalCrossentropy":
            target = np.eye(units, dtype=np.float32)[index]
        else:
            target = index
        return target, balanced_or_dict_weights(self.class_weight, self.classes_, index, y)

    def predict_proba(self, X):
        """Class probabilities (n_samples, n_classes): [1 - p, p] for one sigmoid unit."""
        out = self._predict_raw(X)
        if out.shape[1] == 1:
            return np.column_stack([1.0 - out[:, 0], out[:, 0]])
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, X):
        """The most probable label from classes_."""
        proba = self.predict_proba(X)          # first: raises NotFittedError before fit
        return self.classes_[np.argmax(proba, axis=1)]


class KerasRegressor(RegressorMixin, BaseWrapper):
    """Regressor around a model builder (default loss 'mse' when the model is not compiled);
    predict returns (n_samples,) for a single output."""

    def _init_targets(self, y):
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        return {"n_outputs_": self.n_outputs_}

    def _encode(self, y):
        return (y.reshape(-1, 1) if y.ndim == 1 else y).astype(np.float32), None

    def predict(self, X):
        out = self._predict_raw(X)
        return out[:, 0] if out.shape[1] == 1 else out
