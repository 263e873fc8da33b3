"""RosenblattPerceptron: learning separable gates, reporting XOR, scikit-learn conventions."""
import warnings

import numpy as np
import pytest

from neuronet.exceptions import NotFittedError
from neuronet.perceptron import ConvergenceWarning, RosenblattPerceptron, XOR_X, XOR_Y


TABLES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "xor": [0, 1, 1, 0]}


@pytest.mark.parametrize("name", ["and", "or", "nand"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_rosenblatt_learns_linearly_separable_gates(name, shuffle):
    clf = RosenblattPerceptron(shuffle=shuffle, random_state=0).fit(XOR_X, TABLES[name])
    assert clf.converged_ and clf.errors_[-1] == 0 and len(clf.errors_) == clf.n_epochs_
    assert clf.predict(XOR_X).tolist() == TABLES[name]
    assert clf.score(XOR_X, TABLES[name]) == 1.0
    assert ((clf.decision_function(XOR_X) > 0) == np.array(TABLES[name], bool)).all()
    assert clf.theta_ == -clf.intercept_


def test_rosenblatt_reports_xor_not_separable_instead_of_looping():
    with pytest.warns(ConvergenceWarning, match="not linearly separable") as record:
        clf = RosenblattPerceptron(max_epochs=1000).fit(XOR_X, XOR_Y)
    assert record[0].filename == __file__            # reported at the fit call
    assert clf.converged_ is False
    assert clf.n_epochs_ < 1000                        # the cycle was detected, no endless loop
    assert "not linearly separable" in clf.message_
    with pytest.warns(ConvergenceWarning):
        shuffled = RosenblattPerceptron(max_epochs=30, shuffle=True, random_state=0).fit(XOR_X, XOR_Y)
    assert not shuffled.converged_ and shuffled.n_epochs_ == 30 and min(shuffled.errors_) > 0


def test_rosenblatt_labels_validation_and_not_fitted():
    clf = RosenblattPerceptron()
    with pytest.raises(NotFittedError):
        clf.predict(XOR_X)
    with pytest.raises(ValueError, match="learning_rate"):
        RosenblattPerceptron(learning_rate=0).fit(XOR_X, TABLES["and"])
    with pytest.raises(ValueError, match="2 classes"):
        clf.fit(XOR_X, [0, 1, 2, 1])
    fitted = clf.fit(XOR_X, np.array(["no", "no", "no", "yes"]))
    assert fitted is clf and clf.predict(XOR_X).tolist() == ["no", "no", "no", "yes"]
    assert clf.set_params(max_epochs=5).get_params()["max_epochs"] == 5


def test_same_seed_same_perceptron():
    a = RosenblattPerceptron(shuffle=True, init="random", random_state=3).fit(XOR_X, TABLES["or"])
    b = RosenblattPerceptron(shuffle=True, init="random", random_state=3).fit(XOR_X, TABLES["or"])
    assert np.array_equal(a.coef_, b.coef_) and a.errors_ == b.errors_


def test_rosenblatt_plugs_into_scikit_learn_meta_estimators():
    """A scikit-learn estimator (BaseEstimator + ClassifierMixin): clone, Pipeline, cross_val_score,
    GridSearchCV, and OneVsRestClassifier for more than two classes (which fit itself refuses)."""
    import warnings
    from sklearn.base import clone
    from sklearn.datasets import load_iris
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from neuronet.perceptron import RosenblattPerceptron
    X, y = load_iris(return_X_y=True)
    assert clone(RosenblattPerceptron(learning_rate=0.5)).get_params()["learning_rate"] == 0.5
    setosa = cross_val_score(make_pipeline(StandardScaler(), RosenblattPerceptron()), X, y == 0, cv=3)
    assert list(setosa) == [1.0, 1.0, 1.0]                   # setosa is linearly separable
    with pytest.raises(ValueError, match="OneVsRestClassifier"):
        RosenblattPerceptron().fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                      # versicolor vs rest is not separable
        ovr = OneVsRestClassifier(RosenblattPerceptron(max_epochs=50)).fit(StandardScaler().fit_transform(X), y)
        search = GridSearchCV(RosenblattPerceptron(), {"learning_rate": [0.1, 1.0]}, cv=3).fit(X, y == 0)
    assert len(ovr.estimators_) == 3 and search.best_score_ == 1.0
