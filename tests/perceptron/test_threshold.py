"""Perceptron, logic gates, Rosenblatt's rule and XOR (notes 000, sections 3-7)."""
import warnings

import numpy as np
import pytest

from neuronet.exceptions import NotFittedError
from neuronet.perceptron import (ConvergenceWarning, Perceptron, RosenblattPerceptron, XOR_X, XOR_Y, and_gate,
                                 format_truth_table, nand_gate, or_gate, train_xor_network, truth_table,
                                 xor_gate)

ROWS = [(0, 0), (1, 0), (0, 1), (1, 1)]
TABLES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "xor": [0, 1, 1, 0]}
GATES = {"and": and_gate, "or": or_gate, "nand": nand_gate, "xor": xor_gate}


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_truth_tables_scalar_and_vectorized(name):
    gate = GATES[name]
    assert [gate(a, b) for a, b in ROWS] == TABLES[name]
    assert all(type(gate(a, b)) is int for a, b in ROWS)
    assert gate(XOR_X[:, 0], XOR_X[:, 1]).tolist() == TABLES[name]
    table = truth_table(gate)
    assert list(table.columns) == ["x_1", "x_2", "y"]
    assert table[["x_1", "x_2"]].values.tolist() == [list(r) for r in ROWS]
    assert table["y"].tolist() == TABLES[name]


def test_truth_table_prints_like_the_notes(capsys):
    truth_table(and_gate, print_table=True)
    assert capsys.readouterr().out == "x_1\tx_2\ty\n0\t0\t0\n1\t0\t0\n0\t1\t0\n1\t1\t1\n"
    assert format_truth_table(truth_table(xor_gate)).splitlines()[-1] == "1\t1\t0"


def test_notes_python_gate_parameters():
    # 000, "5. Logic Gate with Python": (w1, w2, b, theta)
    from neuronet.perceptron import AND, NAND, OR
    assert (AND.weights.tolist(), AND.bias, AND.theta) == ([0.3, 0.3], 0.1, 0.5)
    assert (OR.weights.tolist(), OR.bias, OR.theta) == ([0.5, 0.5], 0.1, 0.5)
    assert (NAND.weights.tolist(), NAND.bias, NAND.theta) == ([-0.2, -0.2], -0.2, -0.5)


@pytest.mark.parametrize("name,params", [
    ("and", (0.6, 0.4, 0.8)), ("and", (0.2, 0.6, 0.6)), ("and", (1.2, 0.4, 1.5)),
    ("or", (0.7, 0.7, 0.6)), ("or", (0.4, 0.3, 0.2)), ("or", (0.8, 1.2, 0.6)),
    ("nand", (-0.6, -0.4, -0.8)), ("nand", (-0.2, -0.6, -0.7)), ("nand", (-1.2, -0.4, -1.5))])
def test_notes_slide_weight_and_threshold_choices(name, params):
    # 000, "4. Logic Circuit": (w1, w2, theta) with no bias
    w1, w2, theta = params
    p = Perceptron([w1, w2], theta=theta)
    assert p(XOR_X).tolist() == TABLES[name]


def test_threshold_rule_boundary_is_zero():
    p = Perceptron([1.0], bias=0.0, theta=0.5)
    assert p(0.5) == 0 and p(0.5000001) == 1          # w.x + b <= theta -> 0


def test_perceptron_arithmetic_of_the_notes():
    p1, p2 = Perceptron([0.4, 0.5], bias=-0.8), Perceptron([0.8, 0.5], bias=-0.2)
    assert p1.net_input(1.0, 0.4) == pytest.approx(-0.2, rel=1e-12) and p1(1.0, 0.4) == 0
    assert p2.net_input(0.5, 1.2) == pytest.approx(0.8, rel=1e-12) and p2(0.5, 1.2) == 1


def test_perceptron_bad_arguments():
    with pytest.raises(ValueError, match="weights"):
        Perceptron([])
    with pytest.raises(ValueError, match="theta"):
        Perceptron([1.0], theta="x")
    with pytest.raises(ValueError, match="2 inputs"):
        Perceptron([1, 1])(1, 2, 3)


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


def test_sequential_learns_xor_by_backpropagation():
    model, history = train_xor_network(seed=0, epochs=2000)
    assert history.history["acc"][-1] == 1.0
    assert len(history.epoch) < 100                 # docs/fundamentals.md: under 100 epochs, then it stops
    assert (model.predict(XOR_X).ravel() > 0.5).astype(int).tolist() == [0, 1, 1, 0]


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
