"""Decision regions of a classifier on 2-D data."""
from __future__ import annotations

import numpy as np

from neuronet.plot._common import finish, pyplot, subplots


def decision_boundary(model, X=None, y=None, path=None, resolution=200, ax=None, margin=0.5, chunk=8192,
                      title=None):
    """The classes a 2-D classifier predicts over the plane (filled contours), with the data on top.

    For a perceptron (anything with ``boundary()``: ``neuronet.perceptron.Perceptron`` and the gates
    AND/OR/NAND, a fitted ``RosenblattPerceptron``) the separation line w1*x1 + w2*x2 + b = theta is drawn
    too, labelled x2 = slope * x1 + intercept (a vertical line when w2 = 0), and ``X``/``y`` default to the
    truth table: the four inputs (0, 0), (1, 0), (0, 1), (1, 1) and the perceptron's outputs.

    A ``resolution x resolution`` grid spans the data plus ``margin``; it is predicted in chunks of
    ``chunk`` rows. Class of a grid point: argmax over k > 1 output columns (softmax, predict_proba),
    ``p > 0.5`` for one column (a sigmoid unit), or the labels ``predict`` returns. Works for a neuronet
    Sequential and any object with ``predict_proba`` or ``predict`` (scikit-learn estimators). ``y`` may
    be labels or one-hot rows. ``title`` defaults to "<name> gate" for a named perceptron, else
    "decision boundary". Returns the Figure; ``path`` also saves it as a PNG.

    >>> # neuronet.plot.decision_boundary(model, X_test, y_test, path='boundary.png')
    >>> # neuronet.plot.decision_boundary(neuronet.perceptron.AND, path='and.png')   # the notes' gate plot
    """
    line = callable(getattr(model, "boundary", None)) and callable(getattr(model, "decision_function", None))
    if X is None and y is None and line:
        X = TRUTH_TABLE_INPUTS
        y = model.predict(X)
    elif X is None or y is None:
        raise ValueError(f"Pass both `X` and `y` (the data to draw); only a perceptron's truth table is drawn "
                         f"without them. Received: X={'None' if X is None else 'an array'}, "
                         f"y={'None' if y is None else 'an array'}, model={type(model).__name__}.")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"`X` must have shape (n_samples, 2) for a decision-boundary plot; received "
                         f"shape {X.shape}.")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        y = np.argmax(y, axis=1)
    y = y.reshape(-1)
    if len(y) != len(X):
        raise ValueError(f"`X` and `y` must have the same number of samples; received {len(X)} and {len(y)}.")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"Received an invalid value for `resolution`, expected an integer >= 2. "
                         f"Received: resolution={resolution!r}")
    (x0, x1), (y0, y1) = [(X[:, j].min() - margin, X[:, j].max() + margin) for j in (0, 1)]
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    classes = np.unique(y)
    pred = _predict_classes(model, grid, chunk).reshape(gx.shape)
    # Color both the regions and the points by class position in one ordered list of labels.
    labels = np.union1d(classes, np.unique(pred))
    region = np.searchsorted(labels, pred)
    point = np.searchsorted(labels, y)
    plt = pyplot()
    fig = ax.figure if ax is not None else subplots(figsize=(5.5, 4.5))[0]
    ax = ax if ax is not None else fig.axes[0]
    k = len(labels)
    cmap = plt.get_cmap("coolwarm" if k <= 2 else "tab10", max(k, 2))
    levels = np.arange(-0.5, max(k, 2) + 0.5)
    ax.contourf(gx, gy, region, levels=levels, cmap=cmap, alpha=0.35, vmin=-0.5, vmax=max(k, 2) - 0.5)
    ax.scatter(X[:, 0], X[:, 1], c=point, cmap=cmap, vmin=-0.5, vmax=max(k, 2) - 0.5, edgecolors="k",
               linewidths=0.4, s=18)
    if line:
        _draw_separation_line(ax, model, (x0, x1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    name = getattr(model, "name", None) if line else None
    ax.set_title(title if title is not None else f"{name} gate" if isinstance(name, str) and name
                 else "decision boundary")
    return finish(fig, path)


TRUTH_TABLE_INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float64)   # the notes' row order


def _draw_separation_line(ax, model, xlim):
    """The line where the perceptron's decision_function, a(x) = w1*x1 + w2*x2 + c, is zero. Its
    coefficients are read off three values of the function, so a vertical line (w2 = 0) is drawn as well."""
    a0, a1, a2 = np.asarray(model.decision_function(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])),
                            dtype=np.float64).reshape(-1)
    w1, w2 = a1 - a0, a2 - a0
    if w2 != 0.0:
        slope, intercept = model.boundary()
        ax.plot(list(xlim), [slope * xlim[0] + intercept, slope * xlim[1] + intercept], color="k", lw=1.5,
                label=f"x2 = {slope:.4g} x1 + {intercept:.4g}")
    elif w1 != 0.0:
        ax.axvline(-a0 / w1, color="k", lw=1.5, label=f"x1 = {-a0 / w1:.4g}")
    else:
        return                                  # a constant output has no line
    ax.legend(loc="upper right", fontsize=8)


def _predict_classes(model, grid, chunk):
    """Predicted labels for the grid: from probabilities/scores when available, else ``predict``."""
    is_neuronet = hasattr(model, "layers") and hasattr(model, "compile")
    method = None if is_neuronet else getattr(model, "predict_proba", None)
    use_proba = method is not None
    method = method or getattr(model, "predict", None)
    if method is None:
        raise TypeError(f"`model` must have a predict_proba or predict method; received {type(model).__name__}.")
    if is_neuronet:
        grid = grid.astype(getattr(model, "dtype", np.float32), copy=False)
    out = np.concatenate([np.asarray(method(grid[i:i + chunk])) for i in range(0, len(grid), chunk)])
    if out.ndim == 2 and out.shape[1] > 1:
        index = np.argmax(out, axis=1)
        model_classes = getattr(model, "classes_", None)
        return np.asarray(model_classes)[index] if (use_proba and model_classes is not None) else index
    out = out.reshape(-1)
    if is_neuronet or (use_proba and out.dtype.kind == "f"):
        return (out > 0.5).astype(np.int64)
    return out
