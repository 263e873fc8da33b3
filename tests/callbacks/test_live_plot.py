"""LivePlot: headless, file and notebook drawing of the learning curves during fit."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuronet.layers import Dense
from neuronet.models import Sequential


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png_ok(path):
    data = path.read_bytes()
    return len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n"


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


def test_live_plot_in_a_notebook_updates_one_output_in_place_each_epoch(monkeypatch):
    from neuronet.callbacks import LivePlot, live_plot
    calls = []
    live = LivePlot(metrics="loss")

    def epochs_drawn(bundle):
        assert bundle["image/png"] and bundle["text/plain"].startswith("<Figure")
        return len(live.figure.axes[0].get_lines()[0].get_xdata())

    class Handle:
        def update(self, bundle, raw=False):
            calls.append(("update", epochs_drawn(bundle)))

    class FakeDisplay:
        @staticmethod
        def clear_output(wait=False):            # would wipe fit's progress lines: must not be called
            calls.append(("clear", wait))

        @staticmethod
        def display(bundle, raw=False, display_id=None):
            calls.append(("show", epochs_drawn(bundle), display_id))
            return Handle()

    monkeypatch.setattr(live_plot, "_notebook_display", lambda: FakeDisplay)
    _fit_with(live, epochs=3)
    assert calls == [("show", 1, True), ("update", 2), ("update", 3)]
    calls.clear()
    _fit_with(live, epochs=2)                    # a new fit: a new output
    assert calls == [("show", 1, True), ("update", 2)]


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
