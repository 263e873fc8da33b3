"""Threshold perceptrons and logic gates: the notes' truth tables, weights and arithmetic; the scikit-learn
face (predict, decision_function) and the separation line."""
import numpy as np
import pytest

from neuronet.perceptron import (AND, NAND, OR, Line, Perceptron, RosenblattPerceptron, XOR_X, and_gate,
                                 format_truth_table, nand_gate, or_gate, separation_line, truth_table, xor_gate)


def test_perceptron_arithmetic():
    from neuronet.perceptron import Perceptron
    assert 0.4 * 1.0 + 0.5 * 0.4 - 0.8 == pytest.approx(-0.2, rel=1e-12)
    assert Perceptron([0.4, 0.5], bias=-0.8).net_input(1.0, 0.4) == pytest.approx(-0.2, rel=1e-12)
    assert Perceptron([0.8, 0.5], bias=-0.2).net_input(0.5, 1.2) == pytest.approx(0.8, rel=1e-12)


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



@pytest.mark.parametrize("gate", [AND, OR, NAND], ids=lambda g: g.name)
def test_predict_and_decision_function_agree_with_calling_the_gate(gate):
    assert gate.predict(XOR_X).tolist() == TABLES[gate.name.lower()] == gate(XOR_X).tolist()
    a = gate.decision_function(XOR_X)
    np.testing.assert_allclose(a, XOR_X @ gate.weights + gate.bias - gate.theta)
    assert ((a > 0).astype(int) == gate.predict(XOR_X)).all()


@pytest.mark.parametrize("gate", [AND, OR, NAND], ids=lambda g: g.name)
def test_the_line_lies_where_the_net_input_equals_theta(gate):
    slope, intercept = gate.boundary()
    (w1, w2), b, theta = gate.weights, gate.bias, gate.theta
    assert slope == pytest.approx(-w1 / w2) and intercept == pytest.approx((theta - b) / w2)
    x1 = np.linspace(-3, 3, 7)
    x2 = slope * x1 + intercept
    np.testing.assert_allclose(w1 * x1 + w2 * x2 + b, theta, atol=1e-12)
    np.testing.assert_allclose(gate.decision_function(np.column_stack([x1, x2])), 0, atol=1e-12)


def test_line_values_of_the_notes_gates_and_the_sign_of_the_slope():
    # The notes write x2 = (w1/w2) x1 + (-b + theta)/w2; with w1 = 0.6, w2 = 0.4 that slope would be +1.5,
    # yet the points (x1, x2) on w1 x1 + w2 x2 = theta satisfy x2 = -1.5 x1 + theta/w2.
    assert Perceptron([0.6, 0.4], theta=0.8).boundary() == pytest.approx((-1.5, 2.0))
    assert AND.boundary() == pytest.approx((-1.0, 4 / 3))
    assert OR.boundary() == pytest.approx((-1.0, 0.8))
    assert NAND.boundary() == pytest.approx((-1.0, 1.5))
    assert isinstance(AND.boundary(), Line) and AND.boundary()._fields == ("slope", "intercept")


def test_a_vertical_or_missing_line_is_a_clear_error():
    with pytest.raises(ValueError, match=r"w2 = 0.*vertical, x1 = \(theta - b\)/w1 = 0\.5"):
        Perceptron([1.0, 0.0], bias=0.0, theta=0.5).boundary()
    with pytest.raises(ValueError, match="no line at all"):
        separation_line([0.0, 0.0], 1.0, 0.0)
    with pytest.raises(ValueError, match="exactly 2 weights"):
        Perceptron([1.0, 1.0, 1.0]).boundary()


def test_predict_wants_rows_of_inputs():
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\).*Received: shape \(2,\)"):
        AND.predict([1, 1])
    with pytest.raises(ValueError, match=r"Received: shape \(4, 3\)"):
        AND.decision_function(np.ones((4, 3)))


def test_the_learned_line_separates_the_gate_it_learned():
    for name in ("and", "or", "nand"):
        y = TABLES[name]
        clf = RosenblattPerceptron().fit(XOR_X, y)
        slope, intercept = clf.boundary()
        w1, w2 = clf.coef_
        on_line = slope * XOR_X[:, 0] + intercept
        positive_side = XOR_X[:, 1] > on_line if w2 > 0 else XOR_X[:, 1] < on_line   # w.x + b > 0 there
        assert (positive_side.astype(int) == np.asarray(y)).all(), name
