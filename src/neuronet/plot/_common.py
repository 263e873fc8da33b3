"""Shared helpers: matplotlib is imported only when a figure is drawn, figures are neuronet's Figure (shown
once in a notebook) and save to PNG."""
from __future__ import annotations

import os
import sys


def pyplot():
    """matplotlib.pyplot, imported lazily. Without a display (no $DISPLAY on Linux, a CI runner)
    matplotlib falls back to the non-interactive Agg backend by itself, so figures still render and save.
    """
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ImportError("neuronet.plot needs matplotlib: pip install matplotlib") from exc
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                         or os.environ.get("WAYLAND_DISPLAY")
                                                         or "ipykernel" in sys.modules)   # a notebook
    if headless and "MPLBACKEND" not in os.environ and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def subplots(*args, **kwargs):
    """``plt.subplots`` making a ``neuronet.plot._figure.Figure``, which a notebook shows once."""
    from neuronet.plot._figure import Figure
    return pyplot().subplots(*args, FigureClass=Figure, **kwargs)


def finish(fig, path=None, dpi=100):
    """Tidy the layout and, when ``path`` is given, save the figure there as a PNG; returns ``fig``."""
    fig.tight_layout()
    if path is not None:
        save_png(fig, path, dpi)
    return fig


def save_png(fig, path, dpi=100):
    """``fig`` as a PNG at ``path``, written atomically (temporary file, fsync, replace)."""
    import io
    from neuronet.utils.atomic import atomic_write
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    atomic_write(os.fspath(path), lambda fh: fh.write(buf.getbuffer()))
