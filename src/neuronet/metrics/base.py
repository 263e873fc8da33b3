"""Metric base classes and the METRICS registry. Stateful like Keras: ``update_state`` per batch,
``result()`` at the end of the epoch, ``reset_state()`` before the next.

Updates run under ``np.errstate(under='ignore')`` (a value underflowing to 0 is exact enough), so metrics
stay silent on extreme inputs even when the caller raises on every floating-point error.

    >>> import numpy as np
    >>> from neuronet.metrics import MeanSquaredError
    >>> m = MeanSquaredError()
    >>> m.update_state(np.array([[1.0], [2.0]]), np.array([[1.0], [4.0]]))
    >>> m.result()
    2.0
"""
from __future__ import annotations

import numpy as np

from neuronet.registry import Registry

METRICS = Registry("metric", instantiate=True, resolved_outside=("acc", "accuracy"))  # see metrics.get


class Metric:
    """Base class: subclasses implement update_state / result / reset_state."""

    def __init__(self, name=None):
        from neuronet.utils.naming import to_snake_case
        self.name = name or to_snake_case(type(self).__name__)
        self.reset_state()

    def reset_state(self):
        raise NotImplementedError

    def update_state(self, y_true, y_pred, sample_weight=None):
        raise NotImplementedError

    def result(self) -> float:
        raise NotImplementedError

    def get_state(self) -> dict:
        """The running state (numbers and arrays, or lists of them: AUC keeps each batch's scores), to
        resume an epoch mid-way (BackupAndRestore)."""
        return {k: v for k, v in vars(self).items() if k != "name" and _is_state(v)}

    def set_state(self, state: dict) -> None:
        """Continue from ``get_state()``'s values."""
        unknown = set(state) - set(self.get_state())
        if unknown:
            raise ValueError(f"Metric {self.name!r} has no state {sorted(unknown)}; its state holds "
                             f"{sorted(self.get_state())}.")
        vars(self).update(state)

    def __call__(self, y_true, y_pred, sample_weight=None) -> float:
        """Stateless use: the metric of this one batch."""
        self.reset_state()
        self.update_state(y_true, y_pred, sample_weight)
        value = self.result()
        self.reset_state()
        return value

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


class MeanMetricWrapper(Metric):
    """Weighted mean over samples of ``per_sample(y_true, y_pred)`` (shape (n,); float, or bool for the
    accuracies)."""

    def reset_state(self):
        self.total, self.count = 0.0, 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred)
        if y_pred.ndim == 1:   # one prediction per sample
            y_pred = y_pred.reshape(-1, 1)
        with np.errstate(under="ignore"):
            values = np.asarray(self.per_sample(_match(y_true, y_pred), y_pred))
        if sample_weight is None:
            # per-sample values may be bool (accuracies): counting them is cheaper than a float sum
            self.total += float(np.count_nonzero(values) if values.dtype == bool else
                                values.sum(dtype=np.float64))    # float64 accumulation, no copy
            self.count += values.shape[0]
        else:
            w = np.asarray(sample_weight, dtype=np.float64).reshape(-1)
            self.total += float(np.dot(values.astype(np.float64), w))
            self.count += float(w.sum())

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


def _is_state(value):
    if isinstance(value, list):
        return all(_is_state(v) for v in value)
    return isinstance(value, (bool, int, float, np.generic, np.ndarray))


def _match(y_true, y_pred):
    """Targets (n,) against predictions (n, 1) become (n, 1), as Keras does."""
    y_true = np.asarray(y_true)
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y_true = y_true.reshape(y_pred.shape)
    return y_true


def _weights(sample_weight, n):
    """Sample weights as a float64 column (n, 1), or ones."""
    if sample_weight is None:
        return np.ones((n, 1))
    return np.asarray(sample_weight, dtype=np.float64).reshape(n, 1)


class FunctionMetric(MeanMetricWrapper):
    """A user function ``f(y_true, y_pred)`` returning per-sample values (or a scalar per batch)."""

    def __init__(self, fn, name=None):
        self.fn = fn
        super().__init__(name or getattr(fn, "__name__", "metric"))

    def per_sample(self, y_true, y_pred):
        values = np.asarray(self.fn(y_true, y_pred), dtype=np.float64)
        if values.ndim == 0:
            return np.full(y_pred.shape[0], float(values))
        return values.reshape(y_pred.shape[0], -1).mean(axis=-1)
