"""Rosenblatt's perceptron learning rule, as a scikit-learn style estimator.

For each sample (x, y) in turn, with prediction y_hat = 1 if w . x + b > 0 else 0:

    w <- w + eta * (y - y_hat) * x
    b <- b + eta * (y - y_hat)

(The notes' threshold theta is the negative of the bias: w . x > theta  <=>  w . x + b > 0 with b = -theta.)
An epoch without a mistake means every sample is on the right side of the line: training stops and
``converged_`` is True. The perceptron convergence theorem guarantees that for linearly separable data;
for data that is not separable (XOR) the rule never settles, so training stops after ``max_epochs`` (or
as soon as the weights repeat a previous epoch's values, which proves an endless cycle) with
``converged_ = False``, a ConvergenceWarning and an explanation in ``message_``.

    >>> import numpy as np
    >>> X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
    >>> clf = RosenblattPerceptron().fit(X, [0, 0, 0, 1])       # AND
    >>> clf.predict(X).tolist(), clf.converged_
    ([0, 0, 0, 1], True)
"""
from __future__ import annotations

import numpy as np

from neuronet.exceptions import NotFittedError
from neuronet.perceptron.threshold import separation_line
from neuronet.utils.random import make_generator
from neuronet.utils.user_warning import warn
from neuronet.utils.validation import check_number, check_positive_int

from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning   # so filters written for scikit-learn apply


class RosenblattPerceptron(ClassifierMixin, BaseEstimator):
    """Binary linear classifier trained with the perceptron learning rule (see the module docstring).

    Parameters: ``learning_rate`` (eta > 0, default 1.0), ``max_epochs`` (default 100), ``shuffle``
    (visit the samples in a new random order each epoch; default False, the classic fixed order, which
    also lets the cycle detection prove non-separability), ``random_state`` (seed for the shuffling and,
    when ``init='random'``, for small normal initial weights; ``init='zeros'`` is the default).

    Fitted attributes: ``coef_`` (w), ``intercept_`` (b), ``theta_`` (= -b), ``classes_``, ``errors_``
    (mistakes per epoch: the learning curve), ``n_epochs_``, ``converged_`` and ``message_``.

    >>> import numpy as np
    >>> X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
    >>> import warnings; warnings.simplefilter("ignore")
    >>> RosenblattPerceptron(max_epochs=50).fit(X, [0, 1, 1, 0]).converged_   # XOR
    False
    """

    def __init__(self, learning_rate=1.0, max_epochs=100, shuffle=False, init="zeros", random_state=None):
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.init = init
        self.random_state = random_state

    def _validate(self):
        check_number(self.learning_rate, "learning_rate", minimum=0, strict=True)
        check_positive_int(self.max_epochs, "max_epochs")
        if self.init not in ("zeros", "random"):
            raise ValueError(f"Received an invalid value for `init`, expected 'zeros' or 'random'. "
                             f"Received: init={self.init!r}")

    def fit(self, X, y):
        """Learn w and b with the perceptron rule; returns self."""
        self._validate()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"Expected a 2D array for `X` (n_samples, n_features); received shape {X.shape}.")
        y = np.asarray(y).reshape(-1)
        if len(y) != len(X):
            raise ValueError(f"`X` and `y` have different numbers of samples: {len(X)} and {len(y)}.")
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"RosenblattPerceptron is a binary classifier: `y` must hold exactly 2 classes; "
                             f"received {len(self.classes_)}: {self.classes_[:10].tolist()}. For more classes "
                             "wrap it: sklearn.multiclass.OneVsRestClassifier(RosenblattPerceptron()).")
        t = (y == self.classes_[1]).astype(np.float64)  # targets as 0/1
        rng = make_generator(self.random_state)
        n, d = X.shape
        w = rng.normal(0.0, 0.01, d) if self.init == "random" else np.zeros(d)
        b = 0.0
        lr = float(self.learning_rate)
        self.errors_, seen = [], set()
        self.converged_, cycled = False, False
        for _ in range(self.max_epochs):
            order = rng.permutation(n) if self.shuffle else range(n)
            mistakes = 0
            for i in order:  # the rule is sequential: each update changes the next prediction
                update = lr * (t[i] - float(X[i] @ w + b > 0.0))
                if update:
                    w += update * X[i]
                    b += update
                    mistakes += 1
            self.errors_.append(mistakes)
            if mistakes == 0:
                self.converged_ = True
                break
            if not self.shuffle:
                state = (w.tobytes(), b)
                if state in seen:
                    cycled = True
                    break
                seen.add(state)
        self.coef_, self.intercept_ = w, b
        self.theta_ = 0.0 - b + 0.0  # no -0.0
        self.n_epochs_ = len(self.errors_)
        if self.converged_:
            self.message_ = (f"Converged after {self.n_epochs_} epoch(s): the classes are linearly separable "
                             f"and every sample is classified correctly.")
        else:
            why = (f"the weights after epoch {self.n_epochs_} repeat an earlier epoch's, so the rule cycles "
                   f"forever" if cycled else f"{self.errors_[-1]} mistake(s) remain after {self.n_epochs_} epochs")
            self.message_ = (f"Did not converge: {why}. The data is not linearly separable (no line "
                             f"w . x + b = 0 puts every class-{self.classes_[1].tolist()!r} sample on one side), "
                             f"as for XOR; use a multilayer network (e.g. NAND and OR into AND, or a "
                             f"Sequential trained by backpropagation).")
            warn(self.message_, ConvergenceWarning)
        return self

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise NotFittedError("This RosenblattPerceptron instance is not fitted yet. Call 'fit' with "
                                 "appropriate arguments before using this estimator.")

    def decision_function(self, X):
        """w . x + b for every row of X (positive means the second class)."""
        self._check_fitted()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.coef_.size:
            raise ValueError(f"`X` must have shape (n_samples, {self.coef_.size}); received {X.shape}.")
        return X @ self.coef_ + self.intercept_

    def boundary(self):
        """The learned separation line of a 2-input perceptron, ``Line(slope, intercept)``: where
        w . x + b = 0, x2 = -(w1/w2) x1 - b/w2 (theta_ = -b). A ValueError explains a vertical line.

        >>> import numpy as np
        >>> X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
        >>> RosenblattPerceptron().fit(X, [0, 0, 0, 1]).boundary()
        Line(slope=-0.5, intercept=1.0)
        """
        self._check_fitted()
        return separation_line(self.coef_, self.intercept_, 0.0)

    def predict(self, X):
        """classes_[1] where w . x + b > 0, else classes_[0]."""
        positive = self.decision_function(X) > 0  # checks fitted first
        return self.classes_[positive.astype(np.int64)]
