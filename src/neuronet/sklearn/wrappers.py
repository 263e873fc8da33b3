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

Keras 2's form runs as written: ``KerasClassifier(build_fn=create_model, epochs=100, init_mode='uniform')``
and a ``param_grid`` of unprefixed names: a name the build function takes is passed to it, a name of
``fit``'s or ``predict``'s arguments to those (Keras 2's sk_params); any other name is refused.

Parameters
    model / build_fn: a function returning a model (Sequential or functional; compiled or not), or a
        Sequential or functional Model to copy (``clone_model``: same layers, new weights).
    model__<name>=v:  passed to the function as <name>=v (routed parameters, tunable by GridSearchCV);
        <name>=v unprefixed is the Keras 2 spelling.
    optimizer__<name>, loss__<name>: arguments of the optimizer / loss (given as a name or a class, or an
        instance, copied with them); compile__<name>: arguments of model.compile.
    callbacks: a list (or dict) of callback instances or classes for fit; callbacks__<name> is passed to
        every class, callbacks__<index or key>__<name> to one.
    predict__<name>: arguments of model.predict (batch_size, ...).
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
The build function also gets ``meta`` (n_features_in_, classes_, n_classes_, n_outputs_) and
``compile_kwargs`` (the resolved optimizer, loss, metrics and compile__ arguments) when it takes them.
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
from neuronet.sklearn import _routing
from neuronet.sklearn._common import (PicklableModelMixin, balanced_or_dict_weights, fit_generator,
                                      fresh_optimizer, history_lists, model_from_state, model_to_state)
from neuronet.utils.random import using_generator

_PREFIXES = _routing.PREFIXES


class BaseWrapper(PicklableModelMixin, BaseEstimator):
    """Shared by KerasClassifier and KerasRegressor; see the module docstring."""

    _default_loss = "mse"

    def __init__(self, model=None, *, build_fn=None, optimizer=None, loss=None, metrics=None,
                 batch_size=None, epochs=1, nb_epoch=None, verbose=0, validation_split=0.0, shuffle=True,
                 random_state=None, warm_start=False, callbacks=None, **kwargs):
        self.model = model
        self.callbacks = callbacks
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
        return _routing.routed(vars(self), prefix)

    def _build_args(self):
        """The build function's keyword arguments (None: it takes **kwargs; empty for a model instance)."""
        fn = self.model if self.model is not None else self.build_fn
        return _routing.argument_names(fn) if callable(fn) and not isinstance(fn, Model) else set()

    def _unprefixed(self):
        """Keras 2's sk_params, split into (build, fit, predict) arguments."""
        extra = {k: v for k, v in self._extra_params().items() if not k.startswith(_PREFIXES)}
        return _routing.split_unprefixed(extra, self._build_args())

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
        named = set(self._get_param_names()) | set(self._extra_params())
        unprefixed = {k: params.pop(k) for k in list(params) if k not in named and "__" not in k}
        _routing.split_unprefixed(unprefixed, self._build_args())     # Keras 2: refuses an illegal name
        for key, value in {**routed, **unprefixed}.items():
            setattr(self, key, value)
        return super().set_params(**params) if params else self

    # ---- fit ------------------------------------------------------------------------------------------
    def _build_model(self, meta, X):
        fn = self.model if self.model is not None else self.build_fn
        if fn is None:
            raise ValueError(f"{type(self).__name__} needs `model` (or `build_fn`): a function returning a "
                             "neuronet model. Received: model=None, build_fn=None")
        resolved = _routing.compile_arguments(self)
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
            kwargs = {**self._unprefixed()[0], **self._routed("model__")}
            compiled_with = {}
            for name in ("optimizer", "loss", "metrics"):
                value = resolved.get(name)
                required = name in params and params[name].default is inspect.Parameter.empty
                if value is None and required:    # e.g. the notes' build_classifier(optimizer)
                    value = {"optimizer": "rmsprop", "loss": self._default_loss}.get(name)
                if value is not None and (name in params or var_kw) and name not in kwargs:
                    kwargs[name] = compiled_with[name] = fresh_optimizer(value)
            if "meta" in params:
                kwargs["meta"] = meta
            if "compile_kwargs" in params:
                kwargs["compile_kwargs"] = {**{k: fresh_optimizer(v) for k, v in resolved.items() if v is not None},
                                            **self._routed("compile__")}
            model = fn(**kwargs)
            if not isinstance(model, Model):
                raise TypeError(f"The build function must return a neuronet model (Sequential or Model); it "
                                f"returned {type(model).__name__}.")
        if not model.built:
            model.build(X.shape[1:])
        previous = model.get_compile_config() or {}
        needs = {n: v for n, v in resolved.items() if v is not None and n not in compiled_with}
        compile_extra = self._routed("compile__")
        if needs or compile_extra or model.optimizer is None:
            model.compile(**{"optimizer": fresh_optimizer(needs.get("optimizer", previous.get("optimizer", "rmsprop"))),
                             "loss": needs.get("loss", previous.get("loss") or self._loss_for(model)),
                             "metrics": needs.get("metrics", previous.get("metrics")) or None, **compile_extra})
        return model

    def _loss_for(self, model):
        return self._default_loss

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Build (unless warm_start and already fitted) and train the model; returns self."""
        _, fit_unprefixed, _ = self._unprefixed()        # refuses an illegal name before any work
        callbacks = _routing.make_callbacks(self.callbacks, self._routed("callbacks__"))
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
                  "sample_weight": weights, **fit_unprefixed, **self._routed("fit__"), **fit_params}
        if callbacks is not None:
            kwargs.setdefault("callbacks", callbacks)
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
        kwargs = {**self._unprefixed()[2], **self._routed("predict__")}
        return self.model_.predict(X, **kwargs).astype(np.float64)


class KerasClassifier(ClassifierMixin, BaseWrapper):
    """Classifier around a model builder. Labels (strings too) are encoded as 0..K-1; the targets the
    model receives follow its output: 1 sigmoid unit -> 0/1 column; K units with
    categorical_crossentropy -> one-hot rows; otherwise integer labels (sparse_categorical_crossentropy).
    ``class_weight``: None, 'balanced' or {label: weight}. One-hot ``y`` (``to_categorical(labels)``) is
    accepted as scikeras does: the classes are the columns and ``predict`` returns one-hot rows.

        >>> # KerasClassifier(build_fn=baseline_model, epochs=200, batch_size=5).fit(X, dummy_y)
    """

    def __init__(self, model=None, *, build_fn=None, optimizer=None, loss=None, metrics=None,
                 batch_size=None, epochs=1, nb_epoch=None, verbose=0, validation_split=0.0, shuffle=True,
                 random_state=None, warm_start=False, callbacks=None, class_weight=None, **kwargs):
        super().__init__(model, build_fn=build_fn, optimizer=optimizer, loss=loss, metrics=metrics,
                         batch_size=batch_size, epochs=epochs, nb_epoch=nb_epoch, verbose=verbose,
                         validation_split=validation_split, shuffle=shuffle, random_state=random_state,
                         warm_start=warm_start, callbacks=callbacks, **kwargs)
        self.class_weight = class_weight

    def _init_targets(self, y):
        check_classification_targets(y)
        self.target_type_ = "multiclass-onehot" if y.ndim == 2 else "labels"
        if y.ndim == 2:                    # one-hot rows (to_categorical's), as scikeras takes them
            if not (np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all()):
                raise ValueError(f"KerasClassifier expects 1-D class labels or one-hot rows (one 1 per row); "
                                 f"received y of shape {y.shape} whose rows are not one-hot (multilabel "
                                 "targets are not supported).")
            self.classes_ = np.arange(y.shape[1])
        else:
            self.classes_ = unique_labels(y)
        self.n_classes_ = len(self.classes_)
        if self.n_classes_ < 2:
            raise ValueError(f"The classifier needs samples of at least 2 classes in the data, but the data "
                             f"contains only one class: {self.classes_[0]!r}.")
        return {"classes_": self.classes_, "n_classes_": self.n_classes_, "n_outputs_": 1}

    def _loss_for(self, model):
        return "binary_crossentropy" if model.output_shape[-1] == 1 else "sparse_categorical_crossentropy"

    def _encode(self, y):
        if self.target_type_ == "multiclass-onehot":
            y = y.argmax(axis=1)
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
        """The most probable label from classes_ (a one-hot row when fitted on one-hot y)."""
        proba = self.predict_proba(X)          # first: raises NotFittedError before fit
        if getattr(self, "target_type_", None) == "multiclass-onehot":
            return np.eye(self.n_classes_, dtype=int)[np.argmax(proba, axis=1)]
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
