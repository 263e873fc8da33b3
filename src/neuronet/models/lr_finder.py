"""Learning-rate finder: an exponential sweep of the learning rate over about one epoch of mini-batches.

Step i of n trains on one mini-batch at
    lr_i = start_lr * (end_lr / start_lr) ** (i / (n - 1))
and records the batch loss L_i, smoothed as an exponential moving average with bias correction:
    avg_i = smooth * avg_{i-1} + (1 - smooth) * L_i;     S_i = avg_i / (1 - smooth ** (i + 1))
The sweep stops early once S_i > diverge * min_j S_j (or the loss is not finite). The suggested rate is
the one where the smoothed loss falls fastest against log(lr) — argmin of dS/dlog(lr) over the part of
the curve before its minimum (Leslie Smith's "steepest slope" rule, as in fastai) — or min-loss lr / 10
when there are too few points for a slope.

The sweep trains a throw-away trajectory: the model's weights (and layer states such as moving
statistics), its optimizer's slots, step count and learning rate, and neuronet's random generator are all
put back bit for bit before ``lr_find`` returns.

    >>> import numpy as np
    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
    >>> x = np.random.default_rng(0).normal(size=(256, 3)); y = x @ [1.0, -2.0, 0.5]
    >>> model = Sequential([Dense(1, input_shape=(3,))]); model.compile('sgd', 'mse')
    >>> result = model.lr_find(x, y, end_lr=1.0)
    >>> 1e-7 <= result.suggestion <= 1.0
    True
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuronet.models import data_checks
from neuronet.utils import random as _random
from neuronet.utils.validation import check_fraction, check_number, check_positive_int


@dataclass
class LRFinderResult:
    """What ``lr_find`` returns: the rates tried, the smoothed and raw batch losses, the suggestion.

    Also readable as a dict (``result['suggestion']``). Plot it with ``neuronet.plot.lr_find_plot``.
    """
    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggestion: float
    min_loss_lr: float
    method: str = "steepest"
    stopped_early: bool = False

    def __getitem__(self, key):
        return getattr(self, key)

    def keys(self):
        return ["lrs", "losses", "raw_losses", "suggestion", "min_loss_lr", "method", "stopped_early"]

    def plot(self, path=None, ax=None):
        """Shorthand for ``neuronet.plot.lr_find_plot(self, path, ax)``."""
        from neuronet.plot import lr_find_plot
        return lr_find_plot(self, path=path, ax=ax)


def lr_find(model, x, y, start_lr=1e-7, end_lr=10.0, num_steps=None, batch_size=32, smooth=0.98,
            diverge=4.0, sample_weight=None, shuffle=True, seed=None):
    """Sweep the learning rate exponentially from ``start_lr`` to ``end_lr`` on a compiled model.

    ``num_steps=None`` takes one epoch of mini-batches, but at least 100 steps (the data is reshuffled
    and cycled when an epoch has fewer batches). Returns an ``LRFinderResult`` (see the module docstring
    for the formulas). The model, its optimizer and the random generator are left exactly as they were.

    >>> # result = lr_find(model, x_train, y_train); model.optimizer.learning_rate = result.suggestion
    """
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError("lr_find needs a compiled model: call model.compile(optimizer=..., loss=...) first.")
    start_lr = check_number(start_lr, "start_lr", minimum=0, strict=True)
    end_lr = check_number(end_lr, "end_lr", minimum=0, strict=True)
    if start_lr >= end_lr:
        raise ValueError(f"Received an invalid value for `start_lr`, expected a number smaller than "
                         f"end_lr={end_lr!r}. Received: start_lr={start_lr!r}")
    batch_size = check_positive_int(batch_size, "batch_size")
    smooth = check_fraction(smooth, "smooth")
    diverge = check_number(diverge, "diverge", minimum=0, strict=True)
    if diverge <= 1.0:
        raise ValueError(f"Received an invalid value for `diverge`, expected a number greater than 1. "
                         f"Received: diverge={diverge!r}")

    x = data_checks.prepare_x(model, x)
    if not model.parameters.is_intact():
        model.refresh_parameters(keep_entries=True)
    y = data_checks.prepare_y(model, y, len(x))
    w = data_checks.prepare_weights(model, y, len(x), sample_weight)
    n = len(x)
    per_epoch = -(-n // batch_size)
    if num_steps is None:
        num_steps = max(per_epoch, 100)
    num_steps = check_positive_int(num_steps, "num_steps")
    if num_steps < 2:
        raise ValueError(f"Received an invalid value for `num_steps`, expected an integer >= 2. "
                         f"Received: num_steps={num_steps!r}")

    saved = _snapshot(model)
    try:
        model.optimizer.schedule = None  # the sweep sets numeric rates; _restore puts a schedule back
        lrs, raw, smoothed, stopped = _sweep(model, x, y, w, start_lr, end_lr, num_steps, batch_size,
                                             smooth, diverge, shuffle, seed)
    finally:
        _restore(model, saved)
    suggestion, min_lr, method = suggest(lrs, smoothed)
    return LRFinderResult(lrs=lrs, losses=smoothed, raw_losses=raw, suggestion=suggestion,
                          min_loss_lr=min_lr, method=method, stopped_early=stopped)


def _sweep(model, x, y, w, start_lr, end_lr, num_steps, batch_size, smooth, diverge, shuffle, seed):
    rng = _random.make_generator(seed)
    n = len(x)
    ratio = end_lr / start_lr
    lrs, raw, smoothed = [], [], []
    avg, best, stopped = 0.0, math.inf, False
    order, pos = np.arange(n), n  # pos == n: start a new pass over the data
    # Diverging is what the sweep looks for: no overflow warnings or FloatingPointErrors on the way.
    with np.errstate(all="ignore"):
        for i in range(num_steps):
            if pos >= n:
                order, pos = (rng.permutation(n) if shuffle else np.arange(n)), 0
            idx = order[pos:pos + batch_size]
            pos += batch_size
            lr = start_lr * ratio ** (i / (num_steps - 1))
            model.optimizer.learning_rate = lr
            _, value = model.train_step(x[idx], y[idx], None if w is None else w[idx])
            value = float(value)
            avg = smooth * avg + (1.0 - smooth) * value
            s = avg / (1.0 - smooth ** (i + 1))
            lrs.append(lr)
            raw.append(value)
            smoothed.append(s)
            if not math.isfinite(s) or (i > 0 and s > diverge * best):
                stopped = True
                break
            best = min(best, s)
    return np.array(lrs), np.array(raw), np.array(smoothed), stopped


def suggest(lrs, losses):
    """(suggested lr, lr at the minimum loss, method). 'steepest': the lr where the smoothed loss falls
    fastest against log(lr), looking between the first tenth of the sweep (where the moving average is
    still warming up) and the minimum; the slope is taken over a window of k = n/10 steps,
    (S[i+k] - S[i]) / (log lr[i+k] - log lr[i]), so batch-to-batch noise does not win, and the rate
    at the window's centre is returned. 'min/10': min-loss lr / 10 when fewer than 3 points lie there."""
    lrs, losses = np.asarray(lrs, dtype=np.float64), np.asarray(losses, dtype=np.float64)
    finite = np.isfinite(losses)
    if not finite.any():
        raise ValueError("lr_find recorded no finite loss; lower start_lr or check the data.")
    i_min = int(np.argmin(np.where(finite, losses, np.inf)))
    min_lr = float(lrs[i_min])
    skip = len(lrs) // 10
    if i_min - skip >= 2:
        seg_loss, seg_log = losses[skip:i_min + 1], np.log(lrs[skip:i_min + 1])
        k = max(1, min(len(lrs) // 10, len(seg_loss) - 1))
        slopes = (seg_loss[k:] - seg_loss[:-k]) / (seg_log[k:] - seg_log[:-k])
        return float(lrs[skip + int(np.argmin(slopes)) + k // 2]), min_lr, "steepest"
    return max(min_lr / 10.0, float(lrs[0])), min_lr, "min/10"


def _snapshot(model):
    opt = model.optimizer
    return {
        # every layer's weights (trainable ones are views of the model's buffer, so this restores it too)
        "weights": [[w.copy() for w in layer.weights] for layer in model.layers],
        "grads": model.parameters.grads.copy(),
        "opt_state": opt.get_state(),          # slots, step count and a numeric learning rate
        "schedule": opt.schedule,
        "rng": _random.global_generator().bit_generator.state,
        "stop_training": model.stop_training,
    }


def _restore(model, saved):
    for layer, weights in zip(model.layers, saved["weights"]):
        for dst, src in zip(layer.weights, weights):
            dst[...] = src
    model.parameters.grads[...] = saved["grads"]
    if saved["schedule"] is not None:
        model.optimizer.schedule = saved["schedule"]
    model.optimizer.set_state(saved["opt_state"])
    _random.global_generator().bit_generator.state = saved["rng"]
    model.stop_training = saved["stop_training"]
