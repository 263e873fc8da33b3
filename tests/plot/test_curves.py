"""learning_curves and lr_find_plot."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuronet import plot as nplot
from neuronet.callbacks import History
from neuronet.layers import Dense
from neuronet.models import Sequential


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png_ok(path):
    data = path.read_bytes()
    return len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n"


def test_learning_curves_from_history_one_subplot_per_metric(tmp_path):
    h = History()
    logs = [{"loss": 3.0 - e, "mae": 2.0 - e / 2, "val_loss": 3.5 - e, "val_mae": 2.5 - e / 3} for e in range(3)]
    for epoch, log in enumerate(logs):
        h.on_epoch_end(epoch, log)
    fig = nplot.learning_curves(h, path=tmp_path / "curves.png")
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "mae"]
    for ax, name in zip(fig.axes, ["loss", "mae"]):
        assert ax.get_xlabel() == "epoch"
        train, val = ax.get_lines()
        assert np.array_equal(train.get_ydata(), h.history[name])
        assert np.array_equal(val.get_ydata(), h.history[f"val_{name}"])
        assert np.array_equal(train.get_xdata(), [0, 1, 2])
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation"]
    assert _png_ok(tmp_path / "curves.png")


def test_learning_curves_from_fit_and_dict_and_metric_choice():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2))
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, x.sum(1), epochs=4, validation_split=0.25, verbose=0)
    fig = nplot.learning_curves(history, metrics=["mae"])
    (ax,) = fig.axes
    assert len(ax.get_lines()) == 2 and np.allclose(ax.get_lines()[1].get_ydata(), history.history["val_mae"])
    fig = nplot.learning_curves({"acc": [0.5, 0.7]})          # no validation: train line only
    assert len(fig.axes[0].get_lines()) == 1
    with pytest.raises(ValueError, match="`metrics`"):
        nplot.learning_curves(history, metrics=["accuracy"])


def test_learning_curves_put_validation_points_at_the_epochs_that_validated():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2))
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, x.sum(1), epochs=6, validation_split=0.25, validation_freq=3, verbose=0)
    assert history.validation_epochs == [2, 5]
    train, val = nplot.learning_curves(history).axes[0].get_lines()
    assert list(train.get_xdata()) == [0, 1, 2, 3, 4, 5] and list(val.get_xdata()) == [2, 5]


def test_lr_find_plot_log_axis_and_suggestion(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 3))
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    result = model.lr_find(x, x @ [1.0, 2.0, 3.0], num_steps=60)
    fig = nplot.lr_find_plot(result, path=tmp_path / "lr.png")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and (ax.get_xlabel(), ax.get_ylabel()) == ("learning rate", "loss")
    curve = ax.get_lines()[0]
    assert np.array_equal(curve.get_xdata(), result.lrs) and np.array_equal(curve.get_ydata(), result.losses)
    assert any(np.allclose(l.get_xdata(), result.suggestion) for l in ax.get_lines()[1:])
    assert _png_ok(tmp_path / "lr.png")
    fig = nplot.lr_find_plot({"lrs": [1e-3, 1e-2], "losses": [1.0, 0.5]})
    assert len(fig.axes[0].get_lines()) == 1
