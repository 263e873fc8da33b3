"""MLPClassifier and MLPRegressor: scikit-learn's multi-layer perceptron API, trained by neuronet.

Drop-in for the notes' code (same parameter names and defaults as sklearn.neural_network), plus
neuronet's own: ``dropout``, ``batch_norm``, ``kernel_initializer``, ``optimizer`` (any neuronet optimizer
by name, class or instance) and, for the classifier, ``class_weight`` (None, 'balanced' or a dict).

    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> clf = MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=200, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True

Fitted attributes: ``model_`` (the neuronet Sequential), ``classes_``, ``n_features_in_``,
``feature_names_in_`` (DataFrame input), ``loss_curve_`` (training loss per epoch), ``loss_``
(``loss_curve_[-1]``), ``n_iter_``, ``t_``, ``best_loss_``, scikit-learn's ``coefs_`` / ``intercepts_``
(the Dense layers' weights, read live from ``model_``), ``n_layers_`` (len(hidden_layer_sizes) + 2),
``n_outputs_`` and ``out_activation_`` ('logistic', 'softmax' or 'identity'), and with ``early_stopping=True`` ``validation_scores_`` (accuracy / R^2 on the held-out
``validation_fraction``, as scikit-learn), ``validation_loss_curve_`` (the held-out loss per epoch) and
``best_validation_score_`` (the weights of the best epoch are restored).
"""
from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels

from neuronet.sklearn._common import balanced_or_dict_weights
from neuronet.sklearn._mlp_base import BaseMLP


class MLPClassifier(ClassifierMixin, BaseMLP):
    """Multi-layer perceptron classifier: hidden Dense layers, then
    1 sigmoid unit + binary cross-entropy (two classes), K softmax units + cross-entropy (K classes), or
    K sigmoid units + binary cross-entropy (multi-label 0/1 indicator targets).

    predict_proba(x) = [1 - p, p] (binary), softmax(z) (multi-class), sigmoid(z) (multi-label).
    See the module docstring for an example and neuronet.sklearn._mlp_base for the objective.
    """

    _is_classifier = True

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam", alpha=0.0001,
                 batch_size="auto", learning_rate="constant", learning_rate_init=0.001, power_t=0.5,
                 max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, dropout=0.0, batch_norm=False,
                 kernel_initializer="glorot_uniform", optimizer=None, class_weight=None):
        super().__init__(hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
                         learning_rate=learning_rate, learning_rate_init=learning_rate_init,
                         power_t=power_t, max_iter=max_iter, shuffle=shuffle,
                         random_state=random_state, tol=tol, verbose=verbose, warm_start=warm_start,
                         momentum=momentum, nesterovs_momentum=nesterovs_momentum,
                         early_stopping=early_stopping, validation_fraction=validation_fraction,
                         beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, n_iter_no_change=n_iter_no_change,
                         dropout=dropout, batch_norm=batch_norm, kernel_initializer=kernel_initializer,
                         optimizer=optimizer)
        self.class_weight = class_weight

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch over (X, y). ``classes`` (every label that will ever appear) is required on the
        first call, as in scikit-learn."""
        if not hasattr(self, "model_"):
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    # ---- targets --------------------------------------------------------------------------------------
    def _init_targets(self, y, classes):
        if y.ndim == 2:
            if type_of_target(y) != "multilabel-indicator":
                raise ValueError(f"2-D `y` must be a 0/1 multi-label indicator matrix; received values "
                                 f"{np.unique(y)[:5].tolist()} in shape {y.shape}.")
            self._multilabel = True
            self.classes_ = np.arange(y.shape[1])
            self._n_model_outputs, self._out_activation = y.shape[1], "sigmoid"
            self._loss_name = "binary_crossentropy"
            return
        check_classification_targets(y)
        self._multilabel = False
        self.classes_ = unique_labels(y) if classes is None else unique_labels(np.asarray(classes))
        if len(self.classes_) < 2:
            raise ValueError(f"The classifier needs samples of at least 2 classes in the data, but the data "
                             f"contains only one class: {self.classes_[0]!r}.")
        binary = len(self.classes_) == 2
        self._n_model_outputs = 1 if binary else len(self.classes_)
        self._out_activation = "sigmoid" if binary else "softmax"
        self._loss_name = "binary_crossentropy" if binary else "sparse_categorical_crossentropy"

    def _encode_targets(self, y, sample_weight, dtype):
        if self._multilabel:
            if y.ndim != 2 or y.shape[1] != len(self.classes_):
                raise ValueError(f"`y` must have {len(self.classes_)} label columns, as in the first fit; "
                                 f"received shape {y.shape}.")
            if self.class_weight is not None:
                raise ValueError("`class_weight` is not supported for multi-label targets; use sample_weight.")
            return y.astype(dtype), sample_weight
        if y.ndim != 1:
            raise ValueError(f"`y` must be 1-D class labels, as in the first fit; received shape {y.shape}.")
        index = np.searchsorted(self.classes_, y)
        index = np.clip(index, 0, len(self.classes_) - 1)
        unseen = self.classes_[index] != y
        if unseen.any():
            raise ValueError(f"`y` has labels not in classes_={self.classes_.tolist()}: "
                             f"{np.unique(y[unseen])[:5].tolist()}.")
        cw = balanced_or_dict_weights(self.class_weight, self.classes_, index, y)
        w = cw if sample_weight is None else (sample_weight if cw is None else sample_weight * cw)
        target = index.astype(dtype).reshape(-1, 1) if self._n_model_outputs == 1 else index
        return target, w

    # ---- prediction -----------------------------------------------------------------------------------
    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes), columns in the order of classes_."""
        return self._proba_from_outputs(self._predict_raw(X))

    def _proba_from_outputs(self, out):
        if self._multilabel:
            return out
        if self._n_model_outputs == 1:
            p = out[:, 0]
            return np.column_stack([1.0 - p, p])
        return out / out.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """log(predict_proba(X)), clipped away from log(0)."""
        return np.log(np.clip(self.predict_proba(X), 1e-300, None))

    def predict(self, X):
        """Labels from classes_ (the 0/1 indicator matrix for multi-label targets)."""
        return self._predict_from_outputs(self._predict_raw(X))

    def _predict_from_outputs(self, out):
        proba = self._proba_from_outputs(out)
        if self._multilabel:
            return (proba > 0.5).astype(int)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags


class MLPRegressor(RegressorMixin, BaseMLP):
    """Multi-layer perceptron regressor: hidden Dense layers, then one linear unit per target, trained on
    the mean squared error. Multi-output targets (2-D y) give 2-D predictions.

        >>> import numpy as np
        >>> X = np.linspace(-1, 1, 200).reshape(-1, 1); y = 3 * X.ravel() + 1
        >>> MLPRegressor((8,), max_iter=300, learning_rate_init=0.01, random_state=0).fit(X, y).score(X, y) > 0.95
        True
    """

    _is_classifier = False

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over (X, y), continuing from the current weights."""
        return self._fit(X, y, sample_weight, incremental=True)

    def _init_targets(self, y, classes):
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        self._n_model_outputs, self._out_activation, self._loss_name = self.n_outputs_, "linear", "mse"

    def _encode_targets(self, y, sample_weight, dtype):
        y2 = y.reshape(-1, 1) if y.ndim == 1 else y
        if y2.shape[1] != self.n_outputs_:
            raise ValueError(f"`y` has {y2.shape[1]} outputs but the model was fitted with {self.n_outputs_}.")
        return y2.astype(dtype), sample_weight

    def predict(self, X):
        """Predicted targets: shape (n_samples,) for one output, (n_samples, n_outputs) otherwise."""
        return self._predict_from_outputs(self._predict_raw(X))

    def _predict_from_outputs(self, out):
        return out[:, 0] if self.n_outputs_ == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
