"""neuronet.plot: checked by the data inside the figures (lines, labels, legends, contours), headless."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from neuronet import activations  # noqa: E402
from neuronet import plot as nplot  # noqa: E402
from neuronet.callbacks import History  # noqa: E402
from neuronet.layers import Dense  # noqa: E402
from neuronet.models import Sequential  # noqa: E402
from neuronet.optimizers import SGD  # noqa: E402


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


def _fit_with(callback, epochs=3):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = Sequential([Dense(4, activation="relu", input_shape=(2,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    return model.fit(x, y, epochs=epochs, validation_split=0.25, verbose=0, seed=0, callbacks=[callback])


def test_live_plot_headless_draws_nothing_during_fit_and_draw_gives_the_curves():
    from neuronet.callbacks import LivePlot
    live = LivePlot()
    history = _fit_with(live)
    assert live.figure is None                          # nowhere to show it: no drawing cost
    assert live.history == history.history
    fig = live.draw()
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["loss", "acc"]
    train, val = fig.axes[0].get_lines()
    np.testing.assert_allclose(train.get_ydata(), history.history["loss"])
    np.testing.assert_allclose(val.get_ydata(), history.history["val_loss"])


def test_live_plot_with_path_rewrites_the_png_every_nth_epoch_and_at_the_end(tmp_path, monkeypatch):
    from neuronet.callbacks import LivePlot
    drawn = []
    live = LivePlot(path=tmp_path / "curves.png", every=2)
    original = LivePlot.draw
    monkeypatch.setattr(LivePlot, "draw", lambda self: drawn.append(len(self.epoch)) or original(self))
    _fit_with(live, epochs=5)
    assert drawn == [2, 4, 5]
    assert _png_ok(tmp_path / "curves.png")
    assert len(live.figure.axes[0].get_lines()[0].get_xdata()) == 5
    assert len(plt.get_fignums()) == 1                  # each redraw closed the previous figure


def test_live_plot_in_a_notebook_redisplays_the_figure_each_epoch(monkeypatch):
    from neuronet.callbacks import LivePlot, live_plot
    calls = []

    class FakeDisplay:
        @staticmethod
        def clear_output(wait=False):
            calls.append(("clear", wait))

        @staticmethod
        def display(fig):
            calls.append(("show", len(fig.axes[0].get_lines()[0].get_xdata())))

    monkeypatch.setattr(live_plot, "_notebook_display", lambda: FakeDisplay)
    _fit_with(LivePlot(metrics="loss"), epochs=3)
    assert calls == [("clear", True), ("show", 1), ("clear", True), ("show", 2), ("clear", True), ("show", 3)]


def test_live_plot_rejects_a_bad_every_and_drawing_before_training():
    from neuronet.callbacks import LivePlot
    with pytest.raises(ValueError, match="every"):
        LivePlot(every=0)
    with pytest.raises(ValueError, match="nothing to draw"):
        LivePlot().draw()


@pytest.mark.parametrize("backend, shows", [("pgf", False), ("agg", False), ("pdf", False), ("tkagg", True),
                                            ("module://matplotlib_inline.backend_inline", False)])
def test_live_plot_treats_file_backends_as_having_no_screen(monkeypatch, backend, shows):
    """A file backend (pgf, for LaTeX) cannot show a window: LivePlot must not call plt.show() on it each
    epoch (matplotlib warns 'FigureCanvasPgf is non-interactive, and thus cannot be shown' every time)."""
    import matplotlib
    from neuronet.callbacks import live_plot
    monkeypatch.setattr(matplotlib, "get_backend", lambda: backend)
    assert live_plot._interactive_backend(None) is shows
