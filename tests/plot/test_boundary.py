"""decision_boundary for models and estimators."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuronet import plot as nplot
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


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
