"""optimizer_paths follow each optimizer's update."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuronet import plot as nplot
from neuronet.optimizers import SGD


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png_ok(path):
    data = path.read_bytes()
    return len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n"


def test_optimizer_paths_follow_the_optimizers_update(tmp_path):
    fig = nplot.optimizer_paths(["sgd", "adam"], function="quadratic", steps=25, path=tmp_path / "o.png")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sgd", "adam"]
    lines = {l.get_label(): l for l in ax.get_lines()}
    start = np.array([-4.0, 2.0])
    for label in ("sgd", "adam"):
        xs, ys = lines[label].get_data()
        assert len(xs) == 26 and np.allclose([xs[0], ys[0]], start)
    # SGD on f = (x^2 + 10 y^2) / 2 with its default rate 0.15: w <- w - 0.15 * (x, 10 y), by hand
    w = start.copy()
    for _ in range(25):
        w = w - 0.15 * np.array([w[0], 10 * w[1]])
    assert np.allclose(fig.paths["sgd"][-1], w)
    assert np.allclose(lines["sgd"].get_data()[0][-1], w[0])
    assert any(hasattr(c, "levels") for c in ax.collections)      # the contour of the surface
    assert _png_ok(tmp_path / "o.png")


def test_optimizer_paths_callable_labels_and_errors():
    fig = nplot.optimizer_paths([("plain", SGD(learning_rate=0.1))], function=lambda w: float(w @ w),
                                start=(1.0, 1.0), steps=10)
    assert np.allclose(fig.paths["plain"][1], [0.8, 0.8], atol=1e-6)   # g = 2 w by central differences
    with pytest.raises(ValueError, match="`function`"):
        nplot.optimizer_paths(["sgd"], function="himmelblau")
    with pytest.raises(ValueError, match="start"):
        nplot.optimizer_paths(["sgd"], function=lambda w: 0.0)
    with pytest.raises(ValueError, match="nope"):
        nplot.optimizer_paths(["nope"])


def test_default_optimizer_paths_on_beale():
    fig = nplot.optimizer_paths(steps=50)
    assert len(fig.paths) == 5 and all(p.shape == (51, 2) for p in fig.paths.values())
