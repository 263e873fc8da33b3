"""decision_boundary for models and estimators; a perceptron's separation line and, without data, the gate's
truth table."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuronet import plot as nplot
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD
from neuronet.perceptron import AND, NAND, OR, Perceptron, RosenblattPerceptron, XOR_X
from neuronet.plot import decision_boundary


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png_ok(path):
    data = path.read_bytes()
    return len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n"


def _blobs(k, n=60, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[-2.0, -2.0], [2.0, 2.0], [2.0, -2.0]])[:k]
    y = np.repeat(np.arange(k), n // k)
    return centers[y] + 0.5 * rng.normal(size=(len(y), 2)), y


@pytest.mark.parametrize("k, loss, units, act", [(2, "binary_crossentropy", 1, "sigmoid"),
                                                 (3, "sparse_categorical_crossentropy", 3, "softmax")])
def test_decision_boundary_for_sequential(tmp_path, k, loss, units, act):
    X, y = _blobs(k)
    model = Sequential([Dense(units, activation=act, input_shape=(2,))])
    model.compile(optimizer=SGD(learning_rate=0.5), loss=loss)
    model.fit(X, y, epochs=30, verbose=0)
    fig = nplot.decision_boundary(model, X, y, path=tmp_path / "b.png", resolution=50)
    ax = fig.axes[0]
    contour = [c for c in ax.collections if hasattr(c, "levels")]
    assert contour and len(contour[0].levels) == max(k, 2) + 1
    scatter = [c for c in ax.collections if not hasattr(c, "levels")]
    assert np.allclose(scatter[0].get_offsets(), X)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
    assert _png_ok(tmp_path / "b.png")


def test_decision_boundary_with_predict_proba_and_predict_only():
    from sklearn.linear_model import LogisticRegression
    X, y = _blobs(3)
    fig = nplot.decision_boundary(LogisticRegression().fit(X, y), X, y, resolution=30)
    assert any(hasattr(c, "levels") for c in fig.axes[0].collections)

    class Sign:
        def predict(self, X):
            return (X[:, 0] > 0).astype(int)
    Xb, yb = _blobs(2)
    fig = nplot.decision_boundary(Sign(), Xb, yb, resolution=30)
    assert any(hasattr(c, "levels") for c in fig.axes[0].collections)
    with pytest.raises(ValueError, match="shape"):
        nplot.decision_boundary(Sign(), np.zeros((5, 3)), np.zeros(5))


@pytest.mark.parametrize("gate", [AND, OR, NAND], ids=lambda g: g.name)
def test_gate_plot_draws_the_line_of_the_weights_and_the_truth_table(gate, tmp_path):
    fig = decision_boundary(gate, path=tmp_path / "gate.png", resolution=20)
    ax = fig.axes[0]
    (line,) = ax.lines
    x1, x2 = (np.asarray(v, dtype=float) for v in line.get_data())
    (w1, w2), b, theta = gate.weights, gate.bias, gate.theta
    np.testing.assert_allclose(w1 * x1 + w2 * x2 + b, theta, atol=1e-12)       # the line is w.x + b = theta
    points = ax.collections[-1].get_offsets()
    assert np.asarray(points).tolist() == XOR_X.tolist()                        # the four inputs
    assert ax.get_title() == f"{gate.name} gate"
    assert (tmp_path / "gate.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_vertical_line_and_a_trained_perceptron():
    fig = decision_boundary(Perceptron([2.0, 0.0], bias=-1.0), resolution=10)   # 2 x1 - 1 = 0
    (line,) = fig.axes[0].lines
    assert set(np.asarray(line.get_xdata(), dtype=float)) == {0.5}
    clf = RosenblattPerceptron().fit(XOR_X, [0, 1, 1, 1])
    X = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [2, 2]], dtype=float)
    fig = decision_boundary(clf, X, clf.predict(X), resolution=10)
    (line,) = fig.axes[0].lines
    x1, x2 = (np.asarray(v, dtype=float) for v in line.get_data())
    np.testing.assert_allclose(clf.decision_function(np.column_stack([x1, x2])), 0, atol=1e-12)


def test_data_is_required_for_other_models():
    from sklearn.linear_model import LogisticRegression
    model = LogisticRegression().fit(XOR_X, [0, 0, 0, 1])
    with pytest.raises(ValueError, match="Pass both `X` and `y`"):
        decision_boundary(model)
    assert not decision_boundary(model, XOR_X, [0, 0, 0, 1], resolution=10).axes[0].lines   # no line drawn


def test_the_gate_plot_block_of_docs_fundamentals_runs_as_written(tmp_path, monkeypatch):
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "docs" / "fundamentals.md").read_text()
    block = text.split("### The line of separation and the gate plots")[1].split("```python\n")[1].split("```")[0]
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(block, "docs/fundamentals.md", "exec"), namespace)
    assert namespace["AND"].boundary() == pytest.approx((-1.0, 4 / 3))
    assert (tmp_path / "and_gate.png").exists()
