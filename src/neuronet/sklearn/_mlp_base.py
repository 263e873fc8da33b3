"""The training machinery shared by MLPClassifier and MLPRegressor (scikit-learn's MLP on neuronet).

Objective per mini-batch B, term by term scikit-learn's (see neuronet.sklearn._objective), with sample
weights w_i (1 without ``sample_weight``) and S_B = sum_{i in B} w_i:
    L_B = sum_{i in B} w_i * loss(y_i, f(x_i)) / S_B + 0.5 * alpha * sum_layers ||W||^2 / S_B
(biases are not penalised; loss: binary log loss, log loss, or half the squared error).

The network, in scikit-learn's attributes (``coefs_[i]``: (n_in, n_out); ``intercepts_[i]``: (n_out,)):
    a_0 = X;  a_{i+1} = activation(a_i @ coefs_[i] + intercepts_[i]),  i < n_layers_ - 2
    output = out_activation_(a_last @ coefs_[-1] + intercepts_[-1])
(with batch_norm=True a BatchNormalization follows each hidden Dense in ``model_``; Dropout is off at
prediction). The layers compute in X's dtype (float64 or float32, as scikit-learn's); a CSR/CSC sparse X
stays sparse and is densified one batch (or prediction chunk) at a time.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.sklearn import _halving
from neuronet.sklearn._common import (PicklableModelMixin, fit_generator, model_from_state, model_to_state,
                                      resolve_optimizer)
from neuronet.sklearn._epochs import SklearnIterations
from neuronet.sklearn._objective import LOSSES, BatchL2
from neuronet.utils.random import using_generator
from neuronet.utils.user_warning import warn
from neuronet.utils.validation import check_positive_int


class BaseMLP(PicklableModelMixin, BaseEstimator):
    """Base class; use MLPClassifier or MLPRegressor. Subclasses provide the target encoding."""

    _is_classifier = False
    # the output layer's activation in scikit-learn's names (out_activation_)
    _SKLEARN_ACTIVATION_NAMES = {"sigmoid": "logistic", "softmax": "softmax", "linear": "identity"}

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam", alpha=0.0001,
                 batch_size="auto", learning_rate="constant", learning_rate_init=0.001, power_t=0.5,
                 max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, dropout=0.0, batch_norm=False,
                 kernel_initializer="glorot_uniform", optimizer=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.kernel_initializer = kernel_initializer
        self.optimizer = optimizer

    # ---- public API -----------------------------------------------------------------------------------
    def fit(self, X, y, sample_weight=None):
        """Train from scratch (or, with warm_start=True, from the current weights); returns self."""
        return self._fit(X, y, sample_weight, incremental=False)

    @property
    def coefs_(self):
        """The weight matrices of the trained network, one (n_in, n_out) array per Dense layer (the
        model's own arrays, read from ``model_`` at every access, so never stale after partial_fit or a
        warm start). Raises NotFittedError (an AttributeError) before fit. Writable as scikit-learn's:
        ``est.coefs_ = [...]`` or ``est.coefs_[i] = W`` copies the values into the model."""
        return self._live_weights("coefs_")

    @coefs_.setter
    def coefs_(self, arrays):
        self._live_weights("coefs_").assign_all(arrays)

    @property
    def intercepts_(self):
        """The bias vectors of the trained network, one (n_out,) array per Dense layer (live and writable,
        as coefs_)."""
        return self._live_weights("intercepts_")

    @intercepts_.setter
    def intercepts_(self, arrays):
        self._live_weights("intercepts_").assign_all(arrays)

    def _live_weights(self, attribute):
        """coefs_ (the Dense layers' kernels) or intercepts_ (their biases) as a _LiveWeights list."""
        check_is_fitted(self, "model_", msg=f"This %(name)s instance is not fitted yet, so `{attribute}` is "
                                            "unknown. Call 'fit' (or 'partial_fit') first.")
        key = {"coefs_": "kernel", "intercepts_": "bias"}[attribute]
        return _LiveWeights([layer for layer in self.model_.layers if isinstance(layer, Dense)], key, attribute)

    def _predict_raw(self, X):
        check_is_fitted(self, "model_")
        X = validate_data(self, X, reset=False, accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32))
        return self.model_.predict(X, batch_size=4096).astype(np.float64, copy=False)

    def _score_outputs(self, outputs, y, sample_weight=None):
        """``score(X, y, sample_weight)`` from the model's float64 outputs for X (no second forward pass):
        accuracy for the classifier, R^2 for the regressor, as ClassifierMixin.score / RegressorMixin.score."""
        from sklearn.metrics import accuracy_score, r2_score
        pred = self._predict_from_outputs(outputs)
        score = accuracy_score if self._is_classifier else r2_score
        return score(y, pred, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True     # CSR/CSC X, densified one batch at a time
        return tags

    # ---- validation -----------------------------------------------------------------------------------
    def _check_params(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, (int, np.integer)) else list(sizes)
        if any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s <= 0 for s in sizes):
            raise ValueError(f"Received an invalid value for `hidden_layer_sizes`, expected positive integers. "
                             f"Received: hidden_layer_sizes={self.hidden_layer_sizes!r}")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_int(self.n_iter_no_change, "n_iter_no_change")
        if self.learning_rate not in ("constant", "invscaling", "adaptive"):
            raise ValueError(f"Received an invalid value for `learning_rate`, expected 'constant', 'invscaling' "
                             f"or 'adaptive' (used with solver='sgd'). Received: learning_rate={self.learning_rate!r}")
        for name in ("alpha", "tol", "learning_rate_init", "power_t"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or not v >= 0:
                raise ValueError(f"Received an invalid value for `{name}`, expected a non-negative number. "
                                 f"Received: {name}={v!r}")
        if not (isinstance(self.dropout, (int, float)) and 0.0 <= self.dropout < 1.0):
            raise ValueError(f"Received an invalid value for `dropout`, expected a float in [0, 1). "
                             f"Received: dropout={self.dropout!r}")
        if not (isinstance(self.validation_fraction, (int, float)) and 0.0 < self.validation_fraction < 1.0):
            raise ValueError(f"Received an invalid value for `validation_fraction`, expected a float in (0, 1). "
                             f"Received: validation_fraction={self.validation_fraction!r}")
        bs = self.batch_size
        if bs != "auto" and (isinstance(bs, bool) or not isinstance(bs, (int, np.integer)) or bs <= 0):
            raise ValueError(f"Received an invalid value for `batch_size`, expected 'auto' or a positive "
                             f"integer. Received: batch_size={bs!r}")
        return [int(s) for s in sizes]

    def _batch_size(self, n):
        return min(200, n) if self.batch_size == "auto" else min(int(self.batch_size), n)

    # ---- model ----------------------------------------------------------------------------------------
    def _build(self, n_features, n_outputs, out_activation, loss, hidden, dtype):
        """The network in ``dtype`` (X's), compiled on scikit-learn's loss ``loss`` with its L2 penalty."""
        reg = BatchL2(self.alpha) if self.alpha > 0 else None
        dtype = np.dtype(dtype).name
        model = Sequential()
        shape = {"input_shape": (n_features,)}
        for units in hidden:
            model.add(Dense(units, activation=self.activation, kernel_initializer=self.kernel_initializer,
                            kernel_regularizer=reg, dtype=dtype, **shape))
            shape = {}
            if self.batch_norm:
                from neuronet.layers import BatchNormalization
                model.add(BatchNormalization(dtype=dtype))
            if self.dropout:
                from neuronet.layers import Dropout
                model.add(Dropout(float(self.dropout), dtype=dtype))
        model.add(Dense(n_outputs, activation=out_activation, kernel_initializer=self.kernel_initializer,
                        kernel_regularizer=reg, dtype=dtype, **shape))
        opt = resolve_optimizer(self.optimizer, self.solver, self.learning_rate_init, momentum=self.momentum,
                                nesterovs_momentum=self.nesterovs_momentum, beta_1=self.beta_1,
                                beta_2=self.beta_2, epsilon=self.epsilon)
        model.compile(optimizer=opt, loss=LOSSES[loss]())
        return model

    # ---- the loop -------------------------------------------------------------------------------------
    def _validate_xy(self, X, y, reset):
        X, y = validate_data(self, X, y, reset=reset, accept_sparse=["csr", "csc"],
                             dtype=(np.float64, np.float32), multi_output=True, y_numeric=not self._is_classifier)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y

    def _fit(self, X, y, sample_weight, incremental, classes=None):
        hidden = self._check_params()
        key = None if incremental or self.early_stopping or hasattr(self, "model_") else \
            _halving.run_key(self, ("max_iter",), X, y, sample_weight)
        earlier = _halving.recall(key, int(self.max_iter))     # a shorter run of this fit (successive halving)
        if earlier is not None:
            vars(self).update(earlier["attrs"])
            self.model_ = model_from_state(earlier["model"])
        first = not (hasattr(self, "model_") and (incremental or self.warm_start))
        X, y = self._validate_xy(X, y, reset=first)
        if sample_weight is not None:
            from sklearn.utils.validation import _check_sample_weight
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if first:
            self._init_targets(y, classes)
            self.n_outputs_ = self._n_model_outputs
            self.out_activation_ = self._SKLEARN_ACTIVATION_NAMES[self._out_activation]
            self.loss_curve_, self.n_iter_, self.t_ = [], 0, 0
        if (first or not incremental) and earlier is None:
            self._rng_ = fit_generator(self.random_state)
            validating = self.early_stopping and not incremental
            self.best_loss_ = np.inf
            self.validation_scores_ = [] if validating else None
            self.validation_loss_curve_ = [] if validating else None
            self.best_validation_score_ = -np.inf if validating else None
        elif self.best_loss_ is None:
            self.best_loss_ = np.inf
        rng = self._rng_
        dtype = self.model_.dtype if not first else X.dtype
        y_model, w = self._encode_targets(y, sample_weight, dtype)
        validation = None
        if self.early_stopping and not incremental:
            X, y_model, y, w, validation = self._split_validation(X, y_model, y, w, sample_weight, rng)
        batch_size = self._batch_size(X.shape[0])
        if first:
            with using_generator(rng):
                self.model_ = self._build(X.shape[1], self._n_model_outputs, self._out_activation,
                                          self._loss_name, hidden, X.dtype)
            self.n_layers_ = len(hidden) + 2     # input, hidden and output layers, as scikit-learn counts
        self._use_sample_weights(w is not None)
        iterations = SklearnIterations(self, X.shape[0], validation, incremental)
        iterations.no_improvement = earlier["no_improvement"] if earlier is not None else 0
        with using_generator(rng):   # one fit for every epoch: X and the held-out set are prepared once
            self.model_.fit(X, y_model, batch_size=batch_size, epochs=1 if incremental else int(self.max_iter),
                            verbose=0, shuffle=bool(self.shuffle), sample_weight=w, seed=rng,
                            callbacks=[iterations], initial_epoch=0 if earlier is None else self.n_iter_)
        if key is not None and not iterations.converged:
            fitted = {k: v for k, v in vars(self).items() if k not in self.get_params(deep=False) and k != "model_"}
            _halving.remember(key, self.max_iter, attrs=fitted, model=model_to_state(self.model_),
                              no_improvement=iterations.no_improvement)
        if not (incremental or iterations.converged):
            warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                 "optimization hasn't converged yet.", ConvergenceWarning)
        if iterations.best_weights is not None:
            self.model_.set_weights(iterations.best_weights)
        if self.early_stopping and not incremental:
            self.best_loss_ = None
        return self

    def _use_sample_weights(self, weighted):
        """scikit-learn's weighting for this fit: the weighted mean over the batch's weight sum (Keras'
        default divides by the row count; the BatchL2 penalty divides by that sum in both cases)."""
        self.model_.loss.reduction = "mean_with_sample_weight" if weighted else "sum_over_batch_size"

    def _schedules_sgd(self, schedule):
        """Whether scikit-learn's ``learning_rate`` schedule ``schedule`` applies: it drives solver='sgd'
        only (and not an optimizer given as ``optimizer=``)."""
        return self.learning_rate == schedule and self.solver == "sgd" and self.optimizer is None

    def _split_validation(self, X, y_model, y, w, sample_weight, rng):
        """The held-out ``validation_fraction`` (stratified for single-label classes): the training part of
        X, y_model, y and the training weights w, then the held-out (X, y_model, y, sample_weight), whose
        ``sample_weight`` (the user's, as scikit-learn's score takes it) weighs the validation score."""
        from sklearn.model_selection import train_test_split
        stratify = y if (self._is_classifier and y.ndim == 1) else None
        optional = [a for a in (w, sample_weight) if a is not None]
        parts = train_test_split(X, y_model, y, *optional, test_size=self.validation_fraction, stratify=stratify,
                                 random_state=int(rng.integers(2**31 - 1)))
        X, Xv, ym, yvm, y, yv = parts[:6]
        w_train = parts[6] if w is not None else None
        sw_val = parts[-1] if sample_weight is not None else None
        return X, ym, y, w_train, (Xv, yvm, yv, sw_val)


class _LiveWeights(list):
    """``coefs_`` / ``intercepts_``: a list of the Dense layers' own arrays. In scikit-learn these lists are
    the model, so ``est.coefs_[i] = W`` changes its predictions; here assigning an item copies W into layer
    i's array (in place: the optimizer's packed buffer keeps seeing it). Copies (copy, deepcopy, pickle) are
    plain lists of arrays."""

    def __init__(self, layers, key, attribute):
        super().__init__(layer.params[key] for layer in layers)
        self._attribute = attribute

    def __setitem__(self, index, value):
        if not isinstance(index, (int, np.integer)):
            raise TypeError(f"Assign one array at a time, `{self._attribute}[i] = array`, or the whole list, "
                            f"`{self._attribute} = [...]`. Received index {index!r}.")
        target = self[index]
        value = np.asarray(value)
        if value.shape != target.shape:
            raise ValueError(f"Received an invalid array for `{self._attribute}[{index}]`, expected shape "
                             f"{target.shape} (the layer's). Received: shape {value.shape}")
        target[...] = value

    def assign_all(self, arrays):
        arrays = list(arrays)
        if len(arrays) != len(self):
            raise ValueError(f"Received an invalid value for `{self._attribute}`, expected a list of {len(self)} "
                             f"arrays (one per Dense layer). Received: {len(arrays)} arrays")
        for i, array in enumerate(arrays):
            self[i] = array

    def __copy__(self):
        return list(self)

    def __deepcopy__(self, memo):
        return [array.copy() for array in self]

    def __reduce__(self):
        return list, (list(self),)
