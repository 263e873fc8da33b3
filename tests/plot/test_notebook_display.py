"""neuronet.plot in a Jupyter notebook (a real kernel, run with nbclient): each figure shows exactly once,
whether the call is the cell's last line or not, and again when asked for in a later cell."""
import pytest

from nbrun import images, rendered_lines, run_cells, stdout_text

SETUP = """
import numpy as np
import neuronet.plot as nplot
from sklearn.linear_model import LogisticRegression
X = np.random.default_rng(0).normal(size=(40, 2)); labels = (X[:, 0] > 0).astype(int)
"""
LAST_LINE_CALLS = {
    "learning_curves": "nplot.learning_curves({'loss': [1.0, 0.5, 0.4], 'val_loss': [1.1, 0.7, 0.6]})",
    "decision_boundary": "nplot.decision_boundary(LogisticRegression().fit(X, labels), X, labels, resolution=20)",
    "activation_functions": "nplot.activation_functions(['sigmoid', 'relu'])",
    "optimizer_paths": "nplot.optimizer_paths(['sgd', 'adam'], function='quadratic', steps=20)",
    "lr_find_plot": "nplot.lr_find_plot({'lrs': [1e-3, 1e-2, 1e-1], 'losses': [1.0, 0.6, 0.9]})",
}
LIVE_PLOT = """
from neuronet.callbacks import LivePlot
from neuronet.layers import Dense
from neuronet.models import Sequential
model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
model.compile(optimizer="sgd", loss="binary_crossentropy")
model.fit(X, labels, epochs=3, validation_split=0.25, verbose=2, callbacks=[LivePlot()]);
"""


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    try:
        executed = run_cells([SETUP, *LAST_LINE_CALLS.values(),
                              "fig = nplot.learning_curves({'loss': [1.0, 0.5]})\nprint('drawn')",
                              "fig", LIVE_PLOT], tmp_path_factory.mktemp("nb"), monkeypatch)
    finally:
        monkeypatch.undo()
    names = ["setup", *LAST_LINE_CALLS, "not last line", "later cell", "live plot"]
    return dict(zip(names, executed))


@pytest.mark.parametrize("name", list(LAST_LINE_CALLS))
def test_a_plot_call_as_the_cells_last_line_shows_one_image(cells, name):
    assert images(cells[name]) == 1, cells[name].outputs


def test_a_figure_shows_once_from_the_middle_of_a_cell_and_again_when_asked_later(cells):
    assert images(cells["not last line"]) == 1, cells["not last line"].outputs
    assert images(cells["later cell"]) == 1, cells["later cell"].outputs


def test_live_plot_leaves_one_figure_in_the_cell_and_fits_progress_lines(cells):
    assert images(cells["live plot"]) == 1, cells["live plot"].outputs
    lines = rendered_lines(stdout_text(cells["live plot"]))
    assert [line.startswith(f"Epoch {e}/3") for e in (1, 2, 3) for line in lines].count(True) == 3, lines
