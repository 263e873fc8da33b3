"""Metrics reported during fit and by evaluate. Stateful like Keras: ``update_state`` per batch,
``result()`` at the end of the epoch, ``reset_state()`` before the next.

    >>> import numpy as np
    >>> from neuronet.metrics import BinaryAccuracy
    >>> m = BinaryAccuracy()
    >>> m.update_state(np.array([1, 0, 1]), np.array([0.9, 0.2, 0.3]))
    >>> round(m.result(), 4)
    0.6667
"""
from __future__ import annotations

import numpy as np

from neuronet.registry import Registry

METRICS = Registry("metric", instantiate=True)


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
    """Weighted mean over samples of ``per_sample(y_true, y_pred)`` (shape (n,))."""

    def reset_state(self):
        self.total, self.count = 0.0, 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred)
        values = self.per_sample(_match(y_true, y_pred), y_pred)
        if sample_weight is None:
            self.total += float(np.sum(values))
            self.count += values.shape[0]
        else:
            w = np.asarray(sample_weight, dtype=np.float64).reshape(-1)
            self.total += float(np.dot(values, w))
            self.count += float(np.sum(w))

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


def _match(y_true, y_pred):
    y_true = np.asarray(y_true)
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y_true = y_true.reshape(y_pred.shape)
    return y_true


@METRICS.register(name="BinaryAccuracy", aliases=("binary_accuracy",))
class BinaryAccuracy(MeanMetricWrapper):
    """mean over labels of [ (y_pred > threshold) == y_true ]."""

    def __init__(self, name="binary_accuracy", threshold=0.5):
        self.threshold = threshold
        super().__init__(name)

    def per_sample(self, y_true, y_pred):
        return np.mean((y_pred > self.threshold) == (y_true > 0.5), axis=-1)

    def get_config(self):
        return {"name": self.name, "threshold": self.threshold}


@METRICS.register(name="CategoricalAccuracy", aliases=("categorical_accuracy",))
class CategoricalAccuracy(MeanMetricWrapper):
    """[argmax y_pred == argmax y_true] for one-hot targets."""

    def per_sample(self, y_true, y_pred):
        return (np.argmax(y_pred, axis=-1) == np.argmax(y_true, axis=-1)).astype(np.float64)


@METRICS.register(name="SparseCategoricalAccuracy", aliases=("sparse_categorical_accuracy",))
class SparseCategoricalAccuracy(MeanMetricWrapper):
    """[argmax y_pred == y_true] for integer labels."""

    def per_sample(self, y_true, y_pred):
        labels = np.asarray(y_true).reshape(y_pred.shape[0])
        return (np.argmax(y_pred, axis=-1) == labels).astype(np.float64)


@METRICS.register(name="MeanAbsoluteError", aliases=("mae", "mean_absolute_error"))
class MeanAbsoluteError(MeanMetricWrapper):
    """mean |y_pred - y_true|."""

    def per_sample(self, y_true, y_pred):
        return np.mean(np.abs(y_pred - y_true), axis=-1)


@METRICS.register(name="MeanSquaredError", aliases=("mse", "mean_squared_error"))
class MeanSquaredError(MeanMetricWrapper):
    """mean (y_pred - y_true)^2."""

    def per_sample(self, y_true, y_pred):
        return np.mean(np.square(y_pred - y_true), axis=-1)


@METRICS.register(name="RootMeanSquaredError", aliases=("rmse", "root_mean_squared_error"))
class RootMeanSquaredError(MeanSquaredError):
    """sqrt(mean (y_pred - y_true)^2) over all samples seen."""

    def result(self) -> float:
        return float(np.sqrt(super().result()))


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


def get(identifier, loss=None, output_shape=None):
    """A Metric instance. 'acc'/'accuracy' become binary, categorical or sparse accuracy chosen from the
    loss and output width as Keras does; the metric keeps the name the user wrote (for History keys)."""
    if isinstance(identifier, str) and identifier.lower() in ("acc", "accuracy"):
        return _accuracy_for(loss, output_shape)(name=identifier)
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        name = identifier
        metric = METRICS.get(identifier)
        if isinstance(metric, Metric) and metric.name != name:
            metric.name = name
        return metric
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, dict):
        return METRICS.get(identifier)
    if callable(identifier):
        return FunctionMetric(identifier)
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}. "
                     f"Known: acc, accuracy, {', '.join(METRICS.names())}.")


def _accuracy_for(loss, output_shape):
    loss_name = type(loss).__name__ if loss is not None else ""
    if loss_name == "SparseCategoricalCrossentropy":
        return SparseCategoricalAccuracy
    if loss_name == "BinaryCrossentropy" or (output_shape and output_shape[-1] == 1):
        return BinaryAccuracy
    return CategoricalAccuracy


def serialize(metric):
    if isinstance(metric, FunctionMetric):
        return metric.name
    return {"class_name": type(metric).__name__, "config": metric.get_config()}
