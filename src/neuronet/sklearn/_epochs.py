"""scikit-learn's per-iteration bookkeeping for MLPClassifier / MLPRegressor, as one neuronet Callback, so
the estimators train with a single ``model.fit(epochs=max_iter)`` (the data is prepared once).

After each epoch (an "iteration" in scikit-learn's words), as sklearn.neural_network does:
    loss_ = loss; loss_curve_.append(loss); n_iter_ += 1; t_ += n_samples
    invscaling:  eta = learning_rate_init / (t_ + 1) ** power_t                    (solver='sgd')
    early_stopping: one forward pass over the held-out set gives validation_loss_curve_ (neuronet's) and
        validation_scores_ (accuracy / R^2, weighted by the held-out rows' sample weights, as
        scikit-learn's score); the weights of the best score are kept
    no_improvement = 0 if the epoch improved on the best by at least tol, else no_improvement + 1
        (improved: score >= best_validation_score_ + tol, or loss <= best_loss_ - tol)
    no_improvement > n_iter_no_change:  'adaptive' (solver='sgd') divides the learning rate by 5 and
        carries on while it is above 1e-6; otherwise training stops.

    >>> # model.fit(X, y, epochs=max_iter, callbacks=[SklearnIterations(estimator, len(X))])
"""
from __future__ import annotations

import numpy as np

from neuronet.callbacks import Callback
from neuronet.models import data_checks, epoch_loop


class _Outputs:
    """A Metric-shaped collector for ``epoch_loop.test_loop``: keeps the outputs of each chunk, so one
    forward pass yields both the validation loss and the predictions the score is computed from."""

    name = "_outputs"

    def __init__(self):
        self.chunks = []

    def reset_state(self):
        self.chunks = []

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.chunks.append(y_pred)

    def result(self):
        return 0.0

    def outputs(self):
        return self.chunks[0] if len(self.chunks) == 1 else np.concatenate(self.chunks)


class SklearnIterations(Callback):
    """Keeps ``estimator``'s scikit-learn attributes up to date at every epoch end and stops the model
    by scikit-learn's rule (see the module docstring).

    ``validation``: (x, y_model, y, sample_weight or None) of the held-out set, or None; ``incremental`` (partial_fit): record
    the epoch only (no stopping rule, no validation, as before). After fit: ``converged`` (stopped by the
    rule rather than by running out of epochs) and ``best_weights`` (early stopping's best epoch).
    """

    def __init__(self, estimator, n_samples, validation=None, incremental=False):
        super().__init__()
        self.estimator = estimator
        self.n_samples = int(n_samples)
        self.incremental = incremental
        self.validation = validation
        self.no_improvement = 0
        self.best_weights = None
        self.converged = False

    def on_train_begin(self, logs=None):
        if self.validation is not None:     # prepared once for the whole fit, not once per epoch
            x, y_model, y, w = self.validation
            x = data_checks.prepare_x(self.model, x, "validation x")
            self.validation = (x, data_checks.prepare_y(self.model, y_model, len(x), "validation y"), y, w)

    def on_epoch_end(self, epoch, logs=None):
        est, opt = self.estimator, self.model.optimizer
        loss = float(logs["loss"])
        if not np.isfinite(loss):
            raise ValueError("Solver produced non-finite loss; try a smaller learning_rate_init or scale the "
                             f"inputs (StandardScaler). Received loss={loss} at iteration {est.n_iter_ + 1}.")
        est.loss_ = loss
        est.loss_curve_.append(loss)
        est.n_iter_ += 1
        est.t_ += self.n_samples
        if est.verbose:
            print(f"Iteration {est.n_iter_}, loss = {loss:.8f}")
        if est._schedules_sgd("invscaling"):   # eta = eta_0 / (t + 1)^power_t, t = samples seen
            opt.learning_rate = float(est.learning_rate_init) / (est.t_ + 1) ** float(est.power_t)
        if self.incremental:
            est.best_loss_ = min(est.best_loss_, loss)
            return
        if self.validation is not None:
            score = self._validate()
            improved = score >= est.best_validation_score_ + est.tol
            if score > est.best_validation_score_:
                est.best_validation_score_, self.best_weights = score, self.model.get_weights()
        else:
            improved = loss <= est.best_loss_ - est.tol
            est.best_loss_ = min(est.best_loss_, loss)
        self.no_improvement = 0 if improved else self.no_improvement + 1
        if self.no_improvement > est.n_iter_no_change:
            self._trigger_stopping(est, opt)

    def _validate(self):
        """One forward pass over the held-out set: its loss (with penalties) and the estimator's score."""
        est = self.estimator
        x, y_model, y, w = self.validation
        collector = _Outputs()
        # one chunk: the loss's penalty is divided by the weight sum of the whole held-out set
        logs = epoch_loop.test_loop(self.model, x, y_model, w, len(x), [collector])
        est.validation_loss_curve_.append(float(logs["loss"]))
        score = float(est._score_outputs(collector.outputs().astype(np.float64), y, w))
        est.validation_scores_.append(score)
        if est.verbose:
            print(f"Validation score: {score:f}")
        return score

    def _trigger_stopping(self, est, opt):
        """scikit-learn's trigger_stopping: 'adaptive' divides the rate by 5 while it is above 1e-6."""
        what = "Validation score" if self.validation is not None else "Training loss"
        msg = (f"{what} did not improve more than tol={est.tol:f} for {est.n_iter_no_change} "
               "consecutive epochs.")
        if est._schedules_sgd("adaptive"):
            if opt.learning_rate > 1e-6:
                opt.learning_rate = opt.learning_rate / 5.0
                self.no_improvement = 0
                if est.verbose:
                    print(f"{msg} Setting learning rate to {opt.learning_rate:f}")
                return
            msg += " Learning rate too small."
        if est.verbose:
            print(f"{msg} Stopping.")
        self.converged = True
        self.model.stop_training = True
