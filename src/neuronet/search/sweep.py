"""Talos-style hyper-parameter sweeps: every combination of a parameter dictionary (or a random subset)
is built, trained and scored; configurations run in parallel with joblib, on this machine or a Dask
cluster.

    >>> from neuronet.optimizers import Adam, SGD
    >>> p = {'first_neuron': [9, 10, 11], 'hidden_layers': [0, 1, 2], 'batch_size': [30], 'epochs': [100],
    ...      'dropout': [0], 'kernel_initializer': ['glorot_uniform', 'he_normal'],
    ...      'optimizer': [SGD, Adam], 'losses': ['binary_crossentropy'], 'activation': ['relu', 'tanh'],
    ...      'last_activation': ['sigmoid']}
    >>> # result = grid_search(x_train, y_train, p, x_val=x_val, y_val=y_val, n_jobs=2)
    >>> # result.table.head(); result.best_params

Each configuration k trains under its own seed (drawn from ``random_state``) with one BLAS thread, so the
table is identical for any ``n_jobs`` and backend. The score of a run is the last epoch's value of every
logged metric (``score='last'``, as Talos reports it), or their values at the epoch where ``metric`` was
best (``score='best'``, what ``restore_best_weights`` keeps); the mean over folds with ``cv``. The table is
sorted by ``metric`` (ascending for names
containing 'loss' or 'error', descending otherwise, e.g. 'val_acc'). A ``metric`` that is not logged fails
before training with the default ``talos_model``, and after the sweep with your own ``model_fn`` (whose
configurations may log different metrics). A parameter no run reads, and configurations that train
identically, are warned about once (:class:`~neuronet.search.tracking.SweepWarning`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

_BOOKKEEPING = ("config", "round_epochs", "best_epoch", "pruned", "fit_time")   # not logged metrics
SCORES = ("last", "best")


@dataclass
class SearchResult:
    """Outcome of a sweep: ``table`` (one row per configuration: its parameters, the scores of its run,
    ``round_epochs``, ``fit_time``; sorted best first; ``data`` is Talos' name for it), ``best_params``
    (the original objects, e.g. an optimizer class), ``metric``, ``configs`` (every configuration, by the
    ``config`` column) and, for :func:`bayesian_search`, the Optuna ``study``."""
    table: object
    metric: str
    best_params: dict
    configs: list = field(repr=False)
    study: object = field(default=None, repr=False)

    @property
    def data(self):
        return self.table


def _label(value):
    if isinstance(value, type) or callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return value


def _run_config(index, params, seed, data, model_fn, blas_threads, score="last", metric=None, callback=None):
    """Train one configuration (each fold) under its seed; returns (table row, what the sweep checks:
    the keys the model function read and the digest of its History). ``callback`` (a pruning callback)
    is attached to every fit of the model function; once it has stopped a run, the other folds are
    skipped."""
    from threadpoolctl import threadpool_limits
    from neuronet.callbacks.base import attached
    from neuronet.search.tracking import TrackedParams, history_digest
    from neuronet.utils.random import using_generator
    x, y, x_val, y_val, folds = data
    started = time.perf_counter()
    scores, read, digests = [], set(), []
    with threadpool_limits(limits=blas_threads), using_generator(seed):
        for train, test in folds if folds is not None else [(None, None)]:
            if train is None:
                xt, yt, xv, yv = x, y, x_val, y_val
            else:
                xt, yt, xv, yv = x[train], y[train], x[test], y[test]
            tracked = TrackedParams(params)
            with attached(*([callback] if callback is not None else [])):
                history, _ = model_fn(xt, yt, xv, yv, tracked)
            read |= tracked.read
            logs = history.history if hasattr(history, "history") else history
            scores.append(_epoch_values(logs, score, metric))
            digests.append(history_digest(logs))
            if getattr(callback, "pruned", False):
                break
    row = {"config": index, **{k: _label(v) for k, v in params.items()}}
    for key in scores[0][0]:
        row[key] = float(np.mean([s[key] for s, _ in scores if key in s]))
    row["round_epochs"] = len(next(iter(logs.values())))
    if score == "best":
        row["best_epoch"] = float(np.mean([epoch for _, epoch in scores]))
    row["fit_time"] = time.perf_counter() - started
    return row, {"read": read, "digest": "".join(digests)}


def _epoch_values(logs, score, metric):
    """Each logged metric's value at the last epoch (score='last') or at the epoch where ``metric`` (by
    default val_loss, else loss) was best (score='best'), with that epoch (1-based). A per-class array
    (F1Score(average=None)) becomes one column per class, 'val_f1_score[0]', 'val_f1_score[1]', ..., so
    the table stays one number per cell."""
    n = len(next(iter(logs.values())))
    epoch = n - 1
    if score == "best":
        from neuronet.callbacks.monitor import Monitor
        key = metric or ("val_loss" if "val_loss" in logs else "loss")
        if key not in logs:
            raise ValueError(f"score='best' ranks each run's epochs by `metric`, which this run did not log. "
                             f"Received: metric={key!r}; logged: {list(logs)}")
        series = np.asarray(logs[key], dtype=np.float64)
        if np.isfinite(series).any():
            series = np.where(np.isfinite(series), series, np.inf if Monitor(key).mode == "min" else -np.inf)
            epoch = int(np.argmin(series) if Monitor(key).mode == "min" else np.argmax(series))
    values = {}
    for key, seq in logs.items():
        value = np.asarray(seq[min(epoch, len(seq) - 1)], dtype=np.float64)
        if value.ndim == 0:
            values[key] = float(value)
        else:
            values.update((f"{key}[{i}]", float(v)) for i, v in enumerate(value.ravel()))
    return values, epoch + 1


def _metric_columns(rows, configs):
    """The logged metrics' columns of ``rows``, in the order logged: no parameter or bookkeeping column."""
    other = {*_BOOKKEEPING, *(key for params in configs for key in params)}
    return list(dict.fromkeys(key for row in rows for key in row if key not in other))


def _check_metric(metric, logged, why):
    if metric in logged:
        return
    per_class = f" ({metric!r} is per class: rank by one class, e.g. {metric + '[0]'!r}, or log it " \
        "with average='macro')" if f"{metric}[0]" in logged else ""
    raise ValueError(f"Received an invalid value for `metric`: {why}. Received: "
                     f"metric={metric!r}; logged: {logged}{per_class}")


def _check_common(metric, score, verbose):
    if metric is not None and not isinstance(metric, str):
        raise TypeError(f"Received an invalid value for `metric`, expected None or the name of a logged "
                        f"metric such as 'val_loss' or 'val_acc'. Received: metric={metric!r}")
    if score not in SCORES:
        raise ValueError(f"Received an invalid value for `score`, expected 'last' (each run's last epoch) or "
                         f"'best' (its best epoch by `metric`). Received: score={score!r}")
    if isinstance(verbose, bool) or verbose not in (0, 1):
        raise ValueError(f"Received an invalid value for `verbose`, expected 0 (silent) or 1 (a progress "
                         f"bar over the configurations). Received: verbose={verbose!r}")


def _prepare_data(x, y, x_val, y_val, cv, val_split, random_state):
    """(x, y, x_val, y_val, folds): the explicit validation set, else cv folds of x, else a hold-out."""
    from neuronet.utils.validation import to_array
    x, y = to_array(x, "x"), to_array(y, "y")
    folds = None
    if x_val is not None:
        if y_val is None:
            raise ValueError("Pass `y_val` together with `x_val`. Received: y_val=None")
        x_val, y_val = to_array(x_val, "x_val"), to_array(y_val, "y_val")
    elif cv is not None:
        from sklearn.model_selection import KFold, check_cv
        splitter = KFold(cv, shuffle=True, random_state=random_state) if isinstance(cv, int) else check_cv(cv)
        folds = list(splitter.split(x, y))
    else:
        from sklearn.model_selection import train_test_split
        x, x_val, y, y_val = train_test_split(x, y, test_size=val_split, random_state=random_state)
    return x, y, x_val, y_val, folds


def _sweep(x, y, configs, model_fn, x_val, y_val, cv, val_split, metric, n_jobs, backend, random_state,
           blas_threads, score, verbose):
    import joblib
    from neuronet.search.running import _check_dask, _parallel, _Progress
    from neuronet.search.talos import _talos_logged, talos_model
    from neuronet.search.tracking import warn_identical, warn_unread
    if not configs:
        raise ValueError("The parameter dictionary produced no configurations; give every key a non-empty "
                         "list, e.g. params={'first_neuron': [8, 16]}.")
    _check_common(metric, score, verbose)
    data = _prepare_data(x, y, x_val, y_val, cv, val_split, random_state)
    seeds = np.random.SeedSequence(random_state).generate_state(len(configs)).tolist()
    model_fn = model_fn or talos_model
    tasks = [joblib.delayed(_run_config)(i, c, s, data, model_fn, blas_threads, score, metric)
             for i, (c, s) in enumerate(zip(configs, seeds))]
    _check_dask(backend)
    # A misspelt metric fails before the sweep trains when talos_model builds the networks (its logged
    # names follow from params). Your own model_fn's are known only once every configuration has run:
    # some may log a metric that others do not (accuracy for cross-entropy losses only).
    if metric is not None and model_fn is talos_model:
        _check_metric(metric, _talos_logged(configs), "talos_model does not log it with these params")
    progress = _Progress(len(configs), metric, verbose)
    try:
        results = _parallel(tasks, n_jobs, backend, progress)
    finally:
        progress.close()
    rows = [row for row, _ in results]
    warn_unread(configs, [seen["read"] for _, seen in results])
    warn_identical(configs, [seen["digest"] for _, seen in results], _label)
    return _rank(rows, configs, metric)


def _rank(rows, configs, metric, study=None):
    """The SearchResult of ``rows``: sorted by ``metric`` (unpruned runs first), best_params of the top."""
    import pandas as pd
    from neuronet.callbacks.monitor import Monitor
    table = pd.DataFrame(rows)
    logged = _metric_columns(rows, configs)
    metric = metric or ("val_loss" if "val_loss" in logged else "loss")
    _check_metric(metric, logged, "no run logged it")
    ascending = Monitor(metric).mode == "min"      # the rule EarlyStopping's mode='auto' uses
    keys, order = [metric, "config"], [ascending, True]
    if "pruned" in table:
        keys, order = ["pruned", *keys], [True, *order]
    table = table.sort_values(keys, ascending=order, kind="stable").reset_index(drop=True)
    return SearchResult(table=table, metric=metric, best_params=dict(configs[int(table["config"].iloc[0])]),
                        configs=configs, study=study)


def grid_search(x, y, params, model_fn=None, x_val=None, y_val=None, cv=None, val_split=0.3, metric=None,
                n_jobs=1, backend=None, random_state=0, blas_threads=1, score="last", verbose=0):
    """Train every combination of ``params`` (a dict of lists) and rank them by ``metric``.

    model_fn(x_train, y_train, x_val, y_val, params) -> (history, model), Talos' signature (default:
    :func:`talos_model`). Validation: (x_val, y_val) if given, else ``cv`` folds (an int k for a shuffled
    KFold, or any scikit-learn splitter; metrics are averaged over the folds), else a shuffled
    ``val_split`` hold-out. ``n_jobs`` configurations run at once (joblib processes, or ``backend``:
    'threading', 'loky', or 'dask' for the connected dask.distributed Client). ``score``: 'last' epoch's
    values, or 'best' (at the epoch where ``metric`` was best; adds a ``best_epoch`` column).
    ``verbose=1`` shows a progress bar (configurations done, best ``metric`` so far). Returns a
    SearchResult.
    """
    from sklearn.model_selection import ParameterGrid
    _check_params(params)
    configs = list(ParameterGrid(params))
    return _sweep(x, y, configs, model_fn, x_val, y_val, cv, val_split, metric, n_jobs, backend,
                  random_state, blas_threads, score, verbose)


def random_search(x, y, params, n_iter=10, model_fn=None, x_val=None, y_val=None, cv=None, val_split=0.3,
                  metric=None, n_jobs=1, backend=None, random_state=0, blas_threads=1, score="last", verbose=0):
    """Like :func:`grid_search` on ``n_iter`` configurations sampled without replacement (scikit-learn's
    ParameterSampler with ``random_state``; a scipy.stats distribution is sampled from)."""
    from sklearn.model_selection import ParameterSampler
    _check_params(params)
    from neuronet.utils.validation import check_positive_int
    n_iter = check_positive_int(n_iter, "n_iter")
    configs = list(ParameterSampler(params, n_iter, random_state=random_state))
    return _sweep(x, y, configs, model_fn, x_val, y_val, cv, val_split, metric, n_jobs, backend,
                  random_state, blas_threads, score, verbose)


def _check_params(params):
    if not isinstance(params, dict) or not params:
        raise ValueError(f"Received an invalid value for `params`, expected a non-empty dict of lists such as "
                         f"{{'first_neuron': [9, 10, 11]}}. Received: params={params!r}")
    for key, values in params.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") and not hasattr(values, "rvs"):
            raise ValueError(f"Received an invalid value for `params[{key!r}]`, expected a list of values. "
                             f"Received: {values!r}")
