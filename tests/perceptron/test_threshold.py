"""Threshold perceptrons and logic gates: the notes' truth tables, weights and arithmetic."""
import pytest

from neuronet.perceptron import (Perceptron, XOR_X, and_gate, format_truth_table, nand_gate, or_gate, truth_table, xor_gate)


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
