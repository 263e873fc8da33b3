"""The Figure that neuronet.plot's functions return: a matplotlib Figure that a notebook shows once.

Imported only when a figure is drawn (it imports matplotlib).
"""
from __future__ import annotations

import base64
import io

import matplotlib
from matplotlib.figure import Figure as MatplotlibFigure

# matplotlib < 3.9 has no registry of its backends: these are its non-interactive ones (file formats)
_FILE_BACKENDS = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


class Figure(MatplotlibFigure):
    """A matplotlib Figure (every attribute and method of one) that a Jupyter notebook shows exactly once.

    In a notebook, pyplot's inline backend shows every figure it holds at the end of the cell, and IPython
    also shows the value of the cell's last line: a plain Figure returned by a cell's last line appears
    twice. The first time this one is shown (as the cell's value, by ``display(fig)`` or by the inline
    backend at the cell's end) pyplot lets go of it, so it is not shown again by the backend.
    Until then it stays pyplot's current figure (``plt.suptitle(...)`` after the call still applies to it),
    and ``fig`` alone in a later cell shows it again. With a backend that shows figures itself (a window,
    a widget) it is left to the backend, as a plain Figure is.

        >>> import neuronet.plot as nplot
        >>> fig = nplot.learning_curves({"loss": [1.0, 0.5]})
        >>> type(fig).__mro__[1].__name__, fig.axes[0].get_title()
        ('Figure', 'loss')
    """

    def _ipython_display_(self):
        from IPython.display import display
        if held_by_pyplot(self):
            backend = matplotlib.get_backend().lower()
            if "inline" in backend:
                import matplotlib.pyplot as plt
                plt.close(self)     # shown here: not once more when the inline backend flushes the cell
            elif shows_figures(backend):
                display({"text/plain": repr(self)}, raw=True)      # its window or widget shows it
                return
        display(png_bundle(self), raw=True)


def held_by_pyplot(fig) -> bool:
    """Whether pyplot holds ``fig`` (made by pyplot and not closed)."""
    import sys
    if "matplotlib.pyplot" not in sys.modules:
        return False
    from matplotlib._pylab_helpers import Gcf     # pyplot's figure registry, as the inline backend reads it
    return any(manager.canvas.figure is fig for manager in Gcf.get_all_fig_managers())


def shows_figures(backend: str) -> bool:
    """Whether a matplotlib backend shows figures (on screen or in a notebook) rather than only writing
    files; matplotlib's own list where it has one (3.9+)."""
    backend = backend.lower()
    try:
        from matplotlib.backends import BackendFilter, backend_registry
        files = set(backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE))
    except ImportError:
        files = _FILE_BACKENDS
    return backend not in files


def png_bundle(fig) -> dict:
    """``fig`` as a notebook output: a PNG (cropped to its content, as the inline backend draws) and its
    text form."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"), "text/plain": repr(fig)}
