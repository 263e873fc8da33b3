"""LivePlot: learning curves redrawn after every epoch, in a notebook, a plot window or a PNG file."""
from __future__ import annotations

import sys

from neuronet.callbacks.base import Callback


class LivePlot(Callback):
    """Watch training: after each epoch, the train (and validation) curve of the loss and every metric,
    as ``neuronet.plot.learning_curves`` draws them, replaces the previous drawing. Talos' ``live()``.

    Where it shows: in Jupyter/IPython the figure is one output of the cell, replaced in place (fit's
    progress lines stay); with an interactive matplotlib backend (a desktop window) it is redrawn there;
    with ``path`` it is also (atomically) rewritten as a PNG, which any image viewer refreshes. Where there is nowhere to show it (a script on
    a headless machine, a joblib worker of a sweep), nothing is drawn, so it costs nothing; call
    ``draw()`` afterwards for the figure. ``every=n`` redraws every n-th epoch (drawing takes ~0.1 s).

        >>> from neuronet.callbacks import LivePlot
        >>> # model.fit(x, y, validation_split=0.2, epochs=100, callbacks=[LivePlot(path="curves.png")])
    """

    def __init__(self, metrics=None, path=None, every=1):
        super().__init__()
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"`every` must be a positive integer (redraw every n-th epoch). Received: every={every!r}")
        self.metrics, self.path, self.every = metrics, path, every
        self.history: dict[str, list] = {}
        self.figure = self._shown = None

    def on_train_begin(self, logs=None):
        self.history, self.epoch, self._shown = {}, [], None

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if len(self.epoch) % self.every == 0 and self._has_a_screen():
            self.draw()

    def on_train_end(self, logs=None):
        if self.epoch and len(self.epoch) % self.every != 0 and self._has_a_screen():
            self.draw()       # the last epochs, when `every` skipped them

    def draw(self):
        """Draw the curves logged so far (closing the previous figure) and show them; returns the Figure."""
        from neuronet.plot import learning_curves
        from neuronet.plot._common import pyplot
        plt = pyplot()
        if self.figure is not None:
            plt.close(self.figure)
        if not self.history:
            raise ValueError("LivePlot has nothing to draw yet: no epoch has ended. Pass it to "
                             "model.fit(..., callbacks=[LivePlot()]) first.")
        self.figure = learning_curves(self, metrics=self.metrics, path=self.path)
        display = _notebook_display()
        if display is not None:
            # One output of the cell, updated in place (clearing the cell would also wipe fit's progress
            # lines); pyplot lets go of the figure, so the inline backend does not show it once more.
            from neuronet.plot._figure import png_bundle
            bundle = png_bundle(self.figure)
            plt.close(self.figure)
            if self._shown is None:
                self._shown = display.display(bundle, raw=True, display_id=True)
            else:
                self._shown.update(bundle, raw=True)
        elif _interactive_backend(plt):
            plt.show(block=False)
            plt.pause(0.001)
        return self.figure

    def _has_a_screen(self):
        if self.path is not None or _notebook_display() is not None:
            return True
        return "matplotlib.pyplot" in sys.modules and _interactive_backend(sys.modules["matplotlib.pyplot"])


def _notebook_display():
    """IPython.display when running inside an IPython kernel or shell, else None."""
    ipython = sys.modules.get("IPython")
    if ipython is None or getattr(ipython, "get_ipython", lambda: None)() is None:
        return None
    from IPython import display
    return display


_NON_INTERACTIVE = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}   # matplotlib < 3.9's list


def _interactive_backend(plt):
    """Whether matplotlib's backend shows figures in a window (the notebook's inline backend does not:
    _notebook_display handles it). matplotlib's own list where it has one (3.9+), so a file backend such as
    'pgf' never gets plt.show() and its "non-interactive, cannot be shown" warning every epoch."""
    import matplotlib
    backend = matplotlib.get_backend().lower()
    if backend == "module://matplotlib_inline.backend_inline":
        return False
    try:
        from matplotlib.backends import BackendFilter, backend_registry
        non_interactive = set(backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE))
    except ImportError:
        non_interactive = _NON_INTERACTIVE
    return backend not in non_interactive
