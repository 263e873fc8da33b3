"""The MLP estimators' fitted attributes (coefs_, intercepts_, ...) as scikit-learn's."""
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from neuronet.sklearn import MLPClassifier, MLPRegressor


pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


NEW_ATTRIBUTES = ("coefs_", "intercepts_", "loss_", "n_layers_", "n_outputs_", "out_activation_")


def _scaled(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def iris():
    return _scaled(load_iris)


@pytest.fixture(scope="module")
def cancer():
    return _scaled(load_breast_cancer)


@pytest.fixture(scope="module")
def diabetes():
    X, y = _scaled(load_diabetes)
    return X, (y - y.mean()) / y.std()


def _forward(est, X):
    """The network by hand from coefs_ / intercepts_ (relu hidden layers), in float64."""
    a = np.asarray(X, dtype=np.float64)
    for W, b in zip(est.coefs_[:-1], est.intercepts_[:-1]):
        a = np.maximum(a @ W.astype(np.float64) + b.astype(np.float64), 0.0)
    z = a @ est.coefs_[-1].astype(np.float64) + est.intercepts_[-1].astype(np.float64)
    if est.out_activation_ == "logistic":
        return 1.0 / (1.0 + np.exp(-z))
    if est.out_activation_ == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    assert est.out_activation_ == "identity"
    return z


def _classifier_proba_by_hand(clf, X):
    out = _forward(clf, X)
    return np.column_stack([1.0 - out[:, 0], out[:, 0]]) if clf.n_outputs_ == 1 else out


@pytest.mark.parametrize("dataset, make, n_outputs, out_activation", [
    ("iris", lambda: MLPClassifier((8, 5), max_iter=5, random_state=0), 3, "softmax"),
    ("cancer", lambda: MLPClassifier((8, 5), max_iter=5, random_state=0), 1, "logistic"),
    ("diabetes", lambda: MLPRegressor((8, 5), max_iter=5, random_state=0), 1, "identity"),
])
def test_attributes_follow_scikit_learn(request, dataset, make, n_outputs, out_activation):
    X, y = request.getfixturevalue(dataset)
    est = make().fit(X, y)
    assert est.n_layers_ == 4                                   # input + 2 hidden + output
    assert est.n_outputs_ == n_outputs and est.out_activation_ == out_activation
    assert [W.shape for W in est.coefs_] == [(X.shape[1], 8), (8, 5), (5, n_outputs)]
    assert [b.shape for b in est.intercepts_] == [(8,), (5,), (n_outputs,)]
    assert len(est.coefs_) == len(est.intercepts_) == est.n_layers_ - 1
    assert isinstance(est.loss_, float) and est.loss_ == est.loss_curve_[-1]
    assert len(est.loss_curve_) == est.n_iter_ == 5


def test_classifier_predictions_from_coefs_by_hand(iris, cancer):
    for X, y in (iris, cancer):
        clf = MLPClassifier((6, 4), max_iter=10, learning_rate_init=0.01, random_state=0).fit(X, y)
        proba = _classifier_proba_by_hand(clf, X)
        np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=1e-4, atol=1e-6)
        np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))


def test_regressor_predictions_from_coefs_by_hand(diabetes):
    X, y = diabetes
    reg = MLPRegressor((6, 4), max_iter=10, learning_rate_init=0.01, random_state=0).fit(X, y)
    np.testing.assert_allclose(_forward(reg, X)[:, 0], reg.predict(X), rtol=1e-4, atol=1e-5)
    Y = np.column_stack([y, -y])
    reg2 = MLPRegressor((6,), max_iter=5, random_state=0).fit(X, Y)
    assert reg2.n_outputs_ == 2 and reg2.coefs_[-1].shape == (6, 2) and reg2.n_layers_ == 3
    np.testing.assert_allclose(_forward(reg2, X), reg2.predict(X), rtol=1e-4, atol=1e-5)


def test_multilabel_classifier_has_one_logistic_output_per_label(cancer):
    X, y = cancer
    Y = np.column_stack([y, 1 - y, (X[:, 0] > 0).astype(int)])
    clf = MLPClassifier((5,), max_iter=5, random_state=0).fit(X, Y)
    assert clf.n_outputs_ == 3 and clf.out_activation_ == "logistic" and clf.coefs_[-1].shape == (5, 3)
    np.testing.assert_allclose(_forward(clf, X), clf.predict_proba(X), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("make", [lambda: MLPClassifier((4,)), lambda: MLPRegressor((4,))])
def test_unfitted_estimator_has_none_of_them(make):
    est = make()
    for name in NEW_ATTRIBUTES:
        assert not hasattr(est, name), name
    with pytest.raises(NotFittedError, match="coefs_"):
        est.coefs_
    with pytest.raises(AttributeError):
        est.intercepts_
    with pytest.raises(NotFittedError):
        check_is_fitted(est)


def test_coefs_are_current_after_partial_fit_warm_start_and_pickle(iris):
    X, y = iris
    clf = MLPClassifier((5,), learning_rate_init=0.05, random_state=0)
    clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.n_layers_ == 3 and clf.loss_ == clf.loss_curve_[-1] and len(clf.loss_curve_) == 1
    before = [W.copy() for W in clf.coefs_]
    clf.partial_fit(X, y)
    assert not np.allclose(before[0], clf.coefs_[0])          # read from the model, not frozen at fit
    assert clf.loss_ == clf.loss_curve_[-1] and len(clf.loss_curve_) == 2
    np.testing.assert_allclose(_classifier_proba_by_hand(clf, X), clf.predict_proba(X), rtol=1e-4, atol=1e-6)

    clf.set_params(warm_start=True, max_iter=3)
    before = [b.copy() for b in clf.intercepts_]
    clf.fit(X, y)
    assert not np.allclose(before[0], clf.intercepts_[0]) and clf.loss_ == clf.loss_curve_[-1]
    np.testing.assert_allclose(_classifier_proba_by_hand(clf, X), clf.predict_proba(X), rtol=1e-4, atol=1e-6)

    copy = pickle.loads(pickle.dumps(clf))
    for a, b in zip(copy.coefs_ + copy.intercepts_, clf.coefs_ + clf.intercepts_):
        np.testing.assert_array_equal(a, b)
    assert (copy.loss_, copy.n_layers_, copy.n_outputs_, copy.out_activation_) == \
        (clf.loss_, clf.n_layers_, clf.n_outputs_, clf.out_activation_)


def test_refit_without_warm_start_rebuilds_the_attributes(iris, cancer):
    clf = MLPClassifier((4, 3), max_iter=2, random_state=0).fit(*iris)
    assert (clf.n_layers_, clf.n_outputs_, clf.out_activation_) == (4, 3, "softmax")
    clf.set_params(hidden_layer_sizes=(7,)).fit(*cancer)
    assert (clf.n_layers_, clf.n_outputs_, clf.out_activation_) == (3, 1, "logistic")
    assert [W.shape for W in clf.coefs_] == [(30, 7), (7, 1)]


def test_early_stopping_keeps_last_loss_and_batch_norm_lists_dense_layers_only(cancer):
    X, y = cancer
    clf = MLPClassifier((6,), early_stopping=True, max_iter=8, random_state=0).fit(X, y)
    assert clf.loss_ == clf.loss_curve_[-1] and clf.best_loss_ is None
    bn = MLPClassifier((6, 4), batch_norm=True, dropout=0.1, max_iter=2, random_state=0).fit(X, y)
    assert bn.n_layers_ == 4 and [W.shape for W in bn.coefs_] == [(30, 6), (6, 4), (4, 1)]


def test_docs_list_the_fitted_attributes():
    text = (Path(__file__).resolve().parents[2] / "docs" / "sklearn.md").read_text()
    for name in NEW_ATTRIBUTES:
        assert f"`{name}`" in text, name


def test_coefs_and_intercepts_are_writable_as_in_scikit_learn(iris):
    """scikit-learn's coefs_ / intercepts_ are the model: assigning the list or one of its items changes the
    predictions (here by copying into the Dense layers, so training goes on from the new values)."""
    import copy
    import pickle
    X, y = iris
    clf = MLPClassifier(hidden_layer_sizes=(6,), max_iter=5, random_state=0).fit(X, y)
    zeros = [np.zeros_like(W) for W in clf.coefs_]
    clf.coefs_[1] = zeros[1]                       # one item: the output layer now sees only its bias
    assert not clf.coefs_[1].any()
    clf.intercepts_ = [b * 0 for b in clf.intercepts_[:-1]] + [np.array([0.0, 5.0, 0.0])]
    np.testing.assert_array_equal(clf.predict(X), np.full(len(X), clf.classes_[1]))
    np.testing.assert_allclose(clf.predict_proba(X), _forward(clf, X), rtol=1e-5, atol=1e-7)
    clf.partial_fit(X, y)                          # the optimizer trains the assigned values
    assert clf.coefs_[1].any()
    with pytest.raises(ValueError, match=r"`coefs_\[0\]`, expected shape \(4, 6\).*shape \(3, 6\)"):
        clf.coefs_[0] = np.zeros((3, 6))
    with pytest.raises(ValueError, match="`intercepts_`, expected a list of 2 arrays.*1 arrays"):
        clf.intercepts_ = [np.zeros(6)]
    saved = copy.deepcopy(clf.coefs_)              # copies are plain, detached lists
    assert type(saved) is list and saved[0] is not clf.coefs_[0]
    assert type(pickle.loads(pickle.dumps(clf.coefs_))) is list
