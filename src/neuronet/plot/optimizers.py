"""Optimizer paths on a 2-D loss surface: the notes' "visualize gradient descent" and "optimizers
visualization" figures, computed with neuronet's own optimizers."""
from __future__ import annotations

import numpy as np

from neuronet.plot._common import finish, subplots


def _beale(w):
    x, y = w
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y ** 2, 2.625 - x + x * y ** 3
    value = a ** 2 + b ** 2 + c ** 2
    grad = np.array([2 * a * (y - 1) + 2 * b * (y ** 2 - 1) + 2 * c * (y ** 3 - 1),
                     2 * a * x + 4 * b * x * y + 6 * c * x * y ** 2])
    return value, grad


def _rosenbrock(w):
    x, y = w
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2, np.array([-2 * (1 - x) - 400 * x * (y - x ** 2),
                                                            200 * (y - x ** 2)])


def _quadratic(w):
    x, y = w
    return 0.5 * (x ** 2 + 10 * y ** 2), np.array([x, 10 * y])


# name: (value-and-gradient, start, (xmin, xmax), (ymin, ymax), minimum, learning rates that show the
# optimizers' characters in a few hundred steps)
SURFACES = {
    "beale": (_beale, (1.0, 1.4), (-0.5, 4.0), (-1.0, 2.0), (3.0, 0.5),
              {"sgd": 0.01, "momentum": 0.001, "adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05}),
    "rosenbrock": (_rosenbrock, (-1.5, 2.0), (-2.0, 2.0), (-1.0, 3.0), (1.0, 1.0),
                   {"sgd": 0.0005, "momentum": 0.0001, "adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05}),
    "quadratic": (_quadratic, (-4.0, 2.0), (-5.0, 5.0), (-3.0, 3.0), (0.0, 0.0),
                  {"sgd": 0.15, "momentum": 0.02, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.1}),
}

DEFAULT_OPTIMIZERS = (("SGD", "sgd", {}), ("Momentum", "sgd", {"momentum": 0.9}), ("Adagrad", "adagrad", {}),
                      ("RMSprop", "rmsprop", {}), ("Adam", "adam", {}))


def optimizer_paths(optimizers=None, function="beale", steps=300, path=None, start=None, xlim=None,
                    ylim=None, levels=40):
    """Contours of a 2-D loss surface and the path each optimizer takes from the same ``start``.

    Each optimizer runs its own ``apply([w], [g])`` on a float64 array w = (x, y) with g = grad f(w),
    ``steps`` times (fewer if w stops being finite). ``function`` is 'beale', 'rosenbrock' or
    'quadratic' (f = (x^2 + 10 y^2) / 2), or a callable f(w) returning the value, or (value, gradient);
    without a gradient, central differences are used. ``optimizers`` is a list of optimizer names,
    Optimizer instances, or (label, optimizer) pairs; the default is SGD, SGD with momentum 0.9, Adagrad,
    RMSprop and Adam, with learning rates chosen for the built-in surface (an unregistered name raises
    ValueError). Returns the Figure; its ``paths`` attribute maps each label to the (steps + 1, 2) path.

    >>> # neuronet.plot.optimizer_paths(['sgd', 'adam'], function='quadratic', steps=100)
    """
    f, start, xlim, ylim, minimum, lrs = _surface(function, start, xlim, ylim)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"Received an invalid value for `steps`, expected a positive integer. Received: steps={steps!r}")
    entries = _resolve(optimizers, lrs)
    paths = {label: _run(opt, f, start, int(steps)) for label, opt in entries}
    if xlim is None or ylim is None:
        pts = np.vstack([start] + [p for p in paths.values()])
        lo, hi = pts.min(0), pts.max(0)
        pad = 0.15 * np.maximum(hi - lo, 1e-3)
        xlim = xlim or (lo[0] - pad[0], hi[0] + pad[0])
        ylim = ylim or (lo[1] - pad[1], hi[1] + pad[1])
    gx, gy = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    z = _grid_values(function if callable(function) else f, gx, gy)
    fig, ax = subplots(figsize=(6.5, 5))
    positive = z[np.isfinite(z) & (z > 0)]
    if positive.size and positive.max() / max(positive.min(), 1e-300) > 1e3:
        ax.contour(gx, gy, z, levels=np.geomspace(max(positive.min(), 1e-3), positive.max(), levels),
                   cmap="viridis", linewidths=0.6)
    else:
        ax.contour(gx, gy, z, levels=levels, cmap="viridis", linewidths=0.6)
    for label, p in paths.items():
        ax.plot(p[:, 0], p[:, 1], marker=".", markersize=2, linewidth=1.2, label=label)
    ax.plot([start[0]], [start[1]], "ko", markersize=5)
    if minimum is not None:
        ax.plot([minimum[0]], [minimum[1]], "r*", markersize=12)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")
    ax.set_title(function if isinstance(function, str) else getattr(function, "__name__", "loss surface"))
    ax.legend(loc="best")
    fig.paths = paths
    return finish(fig, path)


def _surface(function, start, xlim, ylim):
    if isinstance(function, str):
        if function not in SURFACES:
            raise ValueError(f"Received an invalid value for `function`, expected one of {sorted(SURFACES)} "
                             f"or a callable f(w). Received: function={function!r}")
        f, s0, x0, y0, minimum, lrs = SURFACES[function]
        return f, np.array(start if start is not None else s0, dtype=np.float64), xlim or x0, ylim or y0, minimum, lrs
    if not callable(function):
        raise ValueError(f"Received an invalid value for `function`, expected a surface name or a callable. "
                         f"Received: function={function!r}")
    if start is None:
        raise ValueError("A callable `function` needs a `start` point, e.g. start=(1.0, 1.5).")
    return _with_gradient(function), np.array(start, dtype=np.float64), xlim, ylim, None, {}


def _grid_values(function, gx, gy):
    """f over the grid: one vectorized call when f accepts a (2, H, W) array, else point by point."""
    def value(w):
        out = function(w)
        return out[0] if isinstance(out, tuple) else out
    with np.errstate(all="ignore"):
        try:
            z = np.asarray(value(np.array([gx, gy])), dtype=np.float64)
            if z.shape == gx.shape:
                return z
        except Exception:  # a scalar-only callable: fall back to one call per grid point
            pass
        return np.array([value(w) for w in np.column_stack([gx.ravel(), gy.ravel()])],
                        dtype=np.float64).reshape(gx.shape)


def _with_gradient(function):
    def f(w):
        out = function(w)
        if isinstance(out, tuple):
            return float(out[0]), np.asarray(out[1], dtype=np.float64)
        h = 1e-6
        grad = np.array([(function(w + h * e) - function(w - h * e)) / (2 * h) for e in np.eye(2)])
        return float(out), grad
    return f


def _resolve(optimizers, lrs):
    from neuronet import optimizers as opt_mod

    if optimizers is None:
        return [(label, opt_mod.get({"class_name": name, "config": {**cfg, "learning_rate": lrs.get(
            "momentum" if cfg.get("momentum") else name, 0.01)}})) for label, name, cfg in DEFAULT_OPTIMIZERS]
    entries = []
    for item in optimizers:
        label, spec = item if isinstance(item, tuple) else (None, item)
        opt = opt_mod.get(spec)
        if isinstance(spec, str) and spec.lower() in lrs:
            opt.learning_rate = lrs[spec.lower()]
        entries.append((label or (spec if isinstance(spec, str) else type(opt).__name__), opt))
    return entries


def _run(opt, f, start, steps):
    w = start.astype(np.float64).copy()
    path = [w.copy()]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            _, g = f(w)
            if not np.all(np.isfinite(g)):
                break
            opt.apply([w], [g])
            if not np.all(np.isfinite(w)):
                break
            path.append(w.copy())
    return np.array(path)
