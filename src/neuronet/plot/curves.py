"""Learning curves from a History, and the learning-rate finder's loss-vs-rate curve."""
from __future__ import annotations

import math

import numpy as np

from neuronet.plot._common import finish, subplots


def learning_curves(history, metrics=None, path=None):
    """Train vs validation curves, one subplot per quantity: the notes'

        plt.plot(history.history['mae'], label='train mae'); plt.plot(history.history['val_mae'], ...)
        plt.xlabel('epoch'); plt.ylabel('mae'); plt.legend(loc='best')

    for the loss and every metric in one call. ``history`` is what ``fit`` returns (a History) or its
    ``.history`` dict; ``metrics`` picks quantities (default: every key without the ``val_`` prefix, loss
    first). A quantity without a ``val_`` entry gets its train curve only. The x values are the epoch
    numbers (``history.epoch`` when present). Returns the Figure; ``path`` also saves it as a PNG.

    >>> # fig = neuronet.plot.learning_curves(model.fit(x, y, validation_split=0.2, epochs=50))
    """
    logs, epochs = _history_dict(history)
    if metrics is None:
        metrics = [k for k in logs if not k.startswith("val_")]
        metrics.sort(key=lambda k: k != "loss")
    elif isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics)
    if not metrics:
        raise ValueError("The history holds no quantity to plot; it has keys "
                         f"{sorted(logs)}. Pass the History that model.fit(...) returned.")
    for name in metrics:
        if name not in logs:
            raise ValueError(f"Received an invalid value for `metrics`: {name!r} is not in the history. "
                             f"Available: {sorted(k for k in logs if not k.startswith('val_'))}.")
    fig, axes = subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.6), squeeze=False)
    for ax, name in zip(axes[0], metrics):
        train = np.asarray(logs[name], dtype=np.float64)
        ax.plot(_epochs_for(epochs, len(train)), train, label="train")
        if f"val_{name}" in logs:
            val = np.asarray(logs[f"val_{name}"], dtype=np.float64)
            val_epochs = list(getattr(history, "validation_epochs", []) or [])
            xs = np.asarray(val_epochs) if len(val_epochs) == len(val) else _epochs_for(epochs, len(val))
            ax.plot(xs, val, label="validation")     # validation_freq: only the epochs that validated
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(name)
        ax.legend(loc="best")
    return finish(fig, path)


def _history_dict(history):
    if hasattr(history, "history") and isinstance(history.history, dict):
        return history.history, list(getattr(history, "epoch", []) or [])
    if isinstance(history, dict):
        return history, []
    raise TypeError(f"`history` must be a History (what model.fit returns) or a dict of per-epoch lists; "
                    f"received {type(history).__name__}.")


def _epochs_for(epochs, n):
    return np.asarray(epochs[:n]) if len(epochs) >= n else np.arange(n)


def lr_find_plot(result, path=None, ax=None):
    """The learning-rate finder's smoothed loss against the learning rate (log x-axis), with the suggested
    rate marked by a vertical dashed line and a dot on the curve. ``result`` is what ``model.lr_find``
    returns (or a dict with 'lrs', 'losses' and optionally 'suggestion'). Returns the Figure.

    >>> # neuronet.plot.lr_find_plot(model.lr_find(x, y), path='lr_find.png')
    """
    lrs = np.asarray(result["lrs"], dtype=np.float64)
    losses = np.asarray(result["losses"], dtype=np.float64)
    if lrs.ndim != 1 or lrs.shape != losses.shape or lrs.size == 0:
        raise ValueError(f"`result` needs 'lrs' and 'losses' of the same length; received shapes "
                         f"{lrs.shape} and {losses.shape}.")
    suggestion = _get(result, "suggestion")
    fig = ax.figure if ax is not None else subplots(figsize=(6, 4))[0]
    ax = ax if ax is not None else fig.axes[0]
    ax.plot(lrs, losses, label="loss")
    if suggestion is not None and math.isfinite(float(suggestion)):
        suggestion = float(suggestion)
        ax.axvline(suggestion, color="tab:red", linestyle="--", label=f"suggestion {suggestion:.2g}")
        ax.plot([suggestion], [np.interp(np.log(suggestion), np.log(lrs), losses)], "o", color="tab:red")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("loss")
    ax.set_title("learning-rate finder")
    ax.legend(loc="best")
    return finish(fig, path)


def _get(result, key):
    try:
        return result[key]
    except (KeyError, AttributeError, TypeError):
        return getattr(result, key, None)
