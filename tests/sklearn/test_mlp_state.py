"""Pickling and copying the MLP estimators, and their training loop's data preparation."""
import copy
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning

from neuronet.layers import Dense, Dropout, Layer
from neuronet.models import Sequential, data_checks, epoch_loop
from neuronet.sklearn import KerasClassifier, MLPClassifier, MLPRegressor
from neuronet.utils.random import global_generator


pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


COPIES = {"pickle": lambda est: pickle.loads(pickle.dumps(est)), "deepcopy": copy.deepcopy}


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(240, 6, n_informative=4, random_state=0)
    return X, y


def _build_with_dropout():
    model = Sequential([Dense(12, activation="relu", input_dim=6), Dropout(0.4), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    return model


def _same_weights(a, b):
    wa, wb = a.model_.get_weights(), b.model_.get_weights()
    return len(wa) == len(wb) and all(np.array_equal(x, y) for x, y in zip(wa, wb))


def _fitted(kind, X, y):
    if kind == "mlp":
        return MLPClassifier((10,), dropout=0.3, batch_norm=True, max_iter=3, random_state=0).fit(X, y)
    return KerasClassifier(_build_with_dropout, epochs=2, batch_size=32, random_state=1, warm_start=True).fit(X, y)


@pytest.mark.parametrize("kind", ["mlp", "keras"])
def test_unpickling_draws_nothing_from_the_global_generator(data, kind):
    X, y = data
    blob = pickle.dumps(_fitted(kind, X, y))
    before = copy.deepcopy(global_generator().bit_generator.state)
    pickle.loads(blob)
    copy.deepcopy(pickle.loads(blob))
    assert global_generator().bit_generator.state == before


@pytest.mark.parametrize("copier", sorted(COPIES))
@pytest.mark.parametrize("kind", ["mlp", "keras"])
def test_copy_with_dropout_trains_on_bit_identically(data, kind, copier):
    """The copy keeps weights, optimizer slots and step, and each Dropout layer's generator: training both
    on gives the same masks, so the same weights."""
    X, y = data
    original = _fitted(kind, X, y)
    twin = COPIES[copier](original)
    assert twin.model_ is not original.model_
    np.testing.assert_array_equal(twin.predict_proba(X), original.predict_proba(X))
    for est in (original, twin):
        if kind == "mlp":
            est.partial_fit(X, y)
            est.partial_fit(X, y)
        else:
            est.fit(X, y)        # warm_start=True: continues from the current weights
    assert _same_weights(original, twin)
    assert original.model_.optimizer.iterations == twin.model_.optimizer.iterations
    np.testing.assert_array_equal(twin.predict(X), original.predict(X))


def test_regressor_round_trip_predictions_and_clone():
    X, y = make_regression(150, 4, noise=1.0, random_state=0)
    reg = MLPRegressor((8,), max_iter=5, early_stopping=True, learning_rate_init=0.01, random_state=0).fit(X, y / 50)
    again = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))
    assert again.validation_scores_ == reg.validation_scores_ and again.n_iter_ == reg.n_iter_
    fresh = clone(reg)
    assert not hasattr(fresh, "model_") and fresh.get_params() == reg.get_params()
    np.testing.assert_array_equal(fresh.fit(X, y / 50).predict(X), reg.predict(X))   # same random_state


def test_pickled_state_is_saving_payload_of_plain_data(data):
    X, y = data
    state = _fitted("keras", X, y).__getstate__()
    assert "model_" not in state
    payload = state["_model_state"]
    assert payload["config"]["kind"] == "model" and "layer_rng" in payload["config"]
    assert all(type(a) is np.ndarray and not a.dtype.hasobject for a in payload["arrays"].values())


# ---- the training loop ---------------------------------------------------------------------------------
def _count_prepare_x(monkeypatch):
    calls = []
    real = data_checks.prepare_x

    def counting(model, x, *args, **kwargs):
        calls.append(len(x))
        return real(model, x, *args, **kwargs)
    monkeypatch.setattr(data_checks, "prepare_x", counting)
    return calls


@pytest.mark.parametrize("early_stopping", [False, True])
def test_training_data_is_prepared_once_per_fit(data, monkeypatch, early_stopping):
    X, y = data
    calls = _count_prepare_x(monkeypatch)
    clf = MLPClassifier((6,), max_iter=6, early_stopping=early_stopping, n_iter_no_change=50,
                        random_state=0).fit(X, y)
    assert clf.n_iter_ == 6
    n_val = len(clf.validation_scores_ or [])
    assert n_val == (6 if early_stopping else 0)
    assert len(calls) == (2 if early_stopping else 1)     # X (and the held-out set), not once per epoch


def test_validation_set_runs_through_the_model_once_per_epoch(data, monkeypatch):
    X, y = data          # 240 rows, validation_fraction=0.1: 24 held out, training batches of 200 and 16
    seen = []
    for name in ("forward", "infer"):
        real = getattr(Sequential, name)

        def counting(self, x, *args, _real=real, **kwargs):
            seen.append(len(x))
            return _real(self, x, *args, **kwargs)
        monkeypatch.setattr(Sequential, name, counting)
    clf = MLPClassifier((6,), max_iter=7, early_stopping=True, n_iter_no_change=50, random_state=0).fit(X, y)
    assert clf.n_iter_ == 7 and len(clf.validation_scores_) == 7 and len(clf.validation_loss_curve_) == 7
    assert seen.count(24) == 7


def test_loop_follows_scikit_learn_attributes_and_messages(data, capsys):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = MLPClassifier((6,), solver="sgd", learning_rate="adaptive", learning_rate_init=0.05, tol=0.5,
                            n_iter_no_change=1, max_iter=200, verbose=True, random_state=0).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Iteration 1, loss = ") and len(out[0].split("= ")[1]) == 10   # %.8f
    assert clf.t_ == clf.n_iter_ * len(X) and len(clf.loss_curve_) == clf.n_iter_
    assert clf.best_loss_ == min(clf.loss_curve_)
    reductions = [line for line in out if line.endswith(("Setting learning rate to 0.010000",
                                                         "Setting learning rate to 0.002000"))]
    assert reductions and reductions[0].startswith("Training loss did not improve more than tol=0.500000 "
                                                   "for 1 consecutive epochs.")
    assert out[-1].endswith("Learning rate too small. Stopping.")
    assert clf.model_.optimizer.learning_rate <= 1e-6

    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\)"):
        MLPClassifier((6,), max_iter=3, random_state=0).fit(X, y)
    clf = MLPClassifier((6,), max_iter=50, early_stopping=True, n_iter_no_change=2, tol=0.5, verbose=True,
                        random_state=0).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("Validation score: ") and clf.best_loss_ is None
    assert out[-1] == "Validation score did not improve more than tol=0.500000 for 2 consecutive epochs. Stopping."
    assert clf.n_iter_ == 4 and clf.best_validation_score_ == max(clf.validation_scores_)   # 1 + (2 + 1)


# ---- user-defined objects ---------------------------------------------------------------------------
def mean_abs_error_metric(y_true, y_pred):
    """A user metric function (module level, so pickle finds it by reference)."""
    return np.abs(y_true - y_pred).mean(axis=-1)


class DoubleLayer(Layer):
    """A user layer not in neuronet's registry: y = 2 x."""

    def forward(self, x, training=False):
        return 2.0 * x

    def backward(self, grad):
        return 2.0 * grad


def _build_with_user_objects():
    model = Sequential([Dense(6, activation="relu", input_dim=6), DoubleLayer(), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc", mean_abs_error_metric])
    return model


@pytest.mark.parametrize("copier", sorted(COPIES))
def test_copy_keeps_user_metric_functions_and_layers(data, copier):
    """A model compiled with a metric function or holding a user layer class pickled by reference before
    the estimators pickled through the saving payload; the payload names them, so the copy must get the
    objects back rather than fail to resolve the names when unpickled."""
    X, y = data
    est = KerasClassifier(_build_with_user_objects, epochs=1, random_state=0).fit(X, y)
    twin = COPIES[copier](est)
    assert [m.name for m in twin.model_.compiled_metrics] == ["acc", "mean_abs_error_metric"]
    assert type(twin.model_.layers[1]) is DoubleLayer
    np.testing.assert_array_equal(twin.predict_proba(X), est.predict_proba(X))
