"""Successive halving over epochs: a fresh clone with warm_start=True continues the shorter run of the
same fit, and ends bit-identical to one fit of the full epochs."""
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingGridSearchCV, HalvingRandomSearchCV

from neuronet.models import Sequential
from neuronet.sklearn import KerasClassifier, MLPClassifier, MLPRegressor, _halving

X, Y = make_classification(n_samples=120, n_features=6, random_state=0)


@pytest.fixture(autouse=True)
def no_shared_runs():
    _halving._RUNS.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield
    _halving._RUNS.clear()


@pytest.fixture
def fit_calls(monkeypatch):
    """The initial_epoch of every Sequential.fit."""
    calls, fit = [], Sequential.fit

    def spy(self, *args, **kwargs):
        calls.append(kwargs.get("initial_epoch", 0))
        return fit(self, *args, **kwargs)
    monkeypatch.setattr(Sequential, "fit", spy)
    return calls


def _build(units=6):
    from neuronet.layers import Dense, Dropout
    model = Sequential([Dense(units, activation="relu", input_shape=(6,)), Dropout(0.2),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def _same_weights(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))


def test_mlp_continues_a_shorter_run_bit_identically(fit_calls):
    base = MLPClassifier((8,), dropout=0.2, batch_size=16, random_state=3, warm_start=True, tol=0.0)
    clone(base).set_params(max_iter=4).fit(X, Y)
    continued = clone(base).set_params(max_iter=11).fit(X, Y)
    whole = clone(base).set_params(max_iter=11, warm_start=False).fit(X, Y)
    assert fit_calls == [0, 4, 0]
    assert continued.n_iter_ == whole.n_iter_ == 11 and continued.loss_curve_ == whole.loss_curve_
    assert _same_weights(continued.model_, whole.model_) and continued.t_ == whole.t_


def test_mlp_without_warm_start_or_with_early_stopping_starts_over(fit_calls):
    for params in ({"warm_start": False}, {"warm_start": True, "early_stopping": True}):
        est = MLPRegressor((4,), random_state=0, **params)
        clone(est).set_params(max_iter=3).fit(X, Y)
        clone(est).set_params(max_iter=6).fit(X, Y)
    assert fit_calls == [0, 0, 0, 0]


def test_keras_wrapper_continues_a_shorter_run_bit_identically(fit_calls):
    base = KerasClassifier(model=_build, batch_size=16, random_state=5, warm_start=True, validation_split=0.2)
    clone(base).set_params(epochs=3).fit(X, Y)
    continued = clone(base).set_params(epochs=8).fit(X, Y)
    whole = clone(base).set_params(epochs=8, warm_start=False).fit(X, Y)
    assert fit_calls == [0, 3, 0]
    assert continued.history_ == whole.history_ and len(continued.history_["loss"]) == 8
    assert _same_weights(continued.model_, whole.model_)


def test_a_different_parameter_or_data_is_not_continued(fit_calls):
    base = KerasClassifier(model=_build, random_state=5, warm_start=True)
    clone(base).set_params(epochs=2).fit(X, Y)
    clone(base).set_params(epochs=4, batch_size=8).fit(X, Y)
    clone(base).set_params(epochs=4).fit(X[:100], Y[:100])
    assert fit_calls == [0, 0, 0]


@pytest.mark.parametrize("search", [HalvingGridSearchCV, HalvingRandomSearchCV])
def test_halving_searches_give_the_results_of_training_from_scratch(search, fit_calls):
    grid = {"alpha": [1e-4, 1e-2, 1.0], "hidden_layer_sizes": [(4,), (8,)]}
    kwargs = {"resource": "max_iter", "max_resources": 18, "min_resources": 2, "factor": 3, "cv": 2,
              "random_state": 0}
    if search is HalvingRandomSearchCV:
        kwargs["n_candidates"] = 6
    est = MLPClassifier(random_state=0, tol=0.0)
    warm = search(clone(est).set_params(warm_start=True), grid, **kwargs).fit(X, Y)
    assert any(start > 0 for start in fit_calls)
    cold = search(est, grid, **kwargs).fit(X, Y)
    np.testing.assert_array_equal(warm.cv_results_["mean_test_score"], cold.cv_results_["mean_test_score"])
    assert warm.best_params_ == cold.best_params_


def test_keras_wrapper_in_halving_grid_search_over_epochs():
    est = KerasClassifier(model=_build, random_state=0, warm_start=True, batch_size=32)
    search = HalvingGridSearchCV(est, {"model__units": [2, 6, 10]}, resource="epochs", max_resources=9,
                                 min_resources=1, factor=3, cv=2, random_state=0).fit(X, Y)
    assert list(search.cv_results_["n_resources"]) == [1, 1, 1, 3]
    assert search.best_estimator_.epochs == 3 and len(search.best_estimator_.history_["loss"]) == 3
