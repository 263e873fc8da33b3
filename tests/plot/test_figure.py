"""The Figure neuronet.plot returns: shown once in a notebook, whatever shows it first (the cell's value,
display(fig), or the inline backend at the cell's end), and left to a window or widget backend."""
import base64

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import neuronet.plot as nplot  # noqa: E402

pytest.importorskip("IPython")
INLINE = "module://matplotlib_inline.backend_inline"


@pytest.fixture
def shown(monkeypatch):
    import IPython.display
    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: calls.append(obj))
    yield calls
    plt.close("all")


def test_plot_functions_return_a_matplotlib_figure():
    fig = nplot.learning_curves({"loss": [1.0, 0.5]})
    assert isinstance(fig, matplotlib.figure.Figure) and fig.number in plt.get_fignums()
    plt.close(fig)          # what neuronet's report writer does with it


def test_inline_backend_first_display_takes_the_figure_from_pyplot(monkeypatch, shown):
    monkeypatch.setattr(matplotlib, "get_backend", lambda: INLINE)
    fig = nplot.learning_curves({"loss": [1.0, 0.5]})
    fig._ipython_display_()                      # the cell's value
    assert base64.b64decode(shown[0]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.number not in plt.get_fignums()   # the end-of-cell flush will not show it again
    fig._ipython_display_()                      # `fig` in a later cell shows it again
    assert len(shown) == 2 and "image/png" in shown[1]


def test_a_window_backend_shows_the_figure_itself(monkeypatch, shown):
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "qtagg")
    fig = nplot.activation_functions(["relu"])
    fig._ipython_display_()
    assert shown == [{"text/plain": repr(fig)}] and fig.number in plt.get_fignums()


def test_a_file_backend_in_a_notebook_shows_the_png_and_keeps_the_figure(shown):
    fig = nplot.lr_find_plot({"lrs": [1e-3, 1e-2], "losses": [1.0, 0.5]})
    fig._ipython_display_()
    assert "image/png" in shown[0] and fig.number in plt.get_fignums()
