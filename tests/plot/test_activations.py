"""activation_functions: values and backward derivatives."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuronet import activations
from neuronet import plot as nplot


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png_ok(path):
    data = path.read_bytes()
    return len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n"


def test_activation_functions_plot_value_and_backward_derivative(tmp_path):
    fig = nplot.activation_functions(["sigmoid", "relu"], path=tmp_path / "a.png")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["sigmoid", "relu"]
    x, y = visible[0].get_lines()[0].get_data()
    _, dy = visible[0].get_lines()[1].get_data()
    s = 1 / (1 + np.exp(-x))
    assert np.allclose(y, s) and np.allclose(dy, s * (1 - s))
    assert [t.get_text() for t in visible[1].get_legend().get_texts()] == ["relu", "relu'"]
    assert _png_ok(tmp_path / "a.png")


def test_activation_functions_default_covers_registry_without_softmax():
    fig = nplot.activation_functions()
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles[:4] == ["linear", "sigmoid", "tanh", "relu"] and "softmax" not in titles
    assert len(set(map(id, (activations.get(t) for t in titles)))) == len(titles)
