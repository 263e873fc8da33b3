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
logged metric (mean over folds with ``cv``); the table is sorted by ``metric`` (ascending for names
containing 'loss' or 'error', descending otherwise, e.g. 'val_acc'). A ``metric`` that is not logged fails
before training with the default ``talos_model``, and after the sweep with your own ``model_fn`` (whose
configurations may log different metrics).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

# Talos' names, so the notes' Talos model function runs with only its imports changed
# (`from neuronet.search import fmeasure_acc, live`). fmeasure_acc is the metric's name: compile looks it
# up as F1Score(average='micro', threshold=0.5) logged under 'fmeasure_acc' (computed over each epoch).
fmeasure_acc = "fmeasure_acc"


def live(metrics=None, path=None, every=1):
    """Talos' ``live()`` callback: the learning curves redrawn after each epoch
    (``neuronet.callbacks.LivePlot``; in a sweep's worker processes it draws nothing)."""
    from neuronet.callbacks import LivePlot
    return LivePlot(metrics=metrics, path=path, every=every)


def talos_model(x_train, y_train, x_val, y_val, params):
    """The notes' sweep network, as a Talos model function returning (history, model):
    Dense(first_neuron) -> Dropout -> hidden_layers x [Dense(hidden_neuron or first_neuron) -> Dropout]
    -> Dense(output units, last_activation); compiled with params['optimizer'] (name, class or instance)
    and params['losses'], trained for params['epochs'] with params['batch_size'] on (x_val, y_val)."""
    from neuronet import optimizers
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    g = params.get
    act, init, drop = g("activation", "relu"), g("kernel_initializer", "glorot_uniform"), float(g("dropout", 0))
    last = g("last_activation", "sigmoid")
    loss, metrics = _talos_loss_and_metrics(params)
    model = Sequential()
    units = [int(g("first_neuron", 10))] + [int(g("hidden_neuron", g("first_neuron", 10)))] * int(g("hidden_layers", 0))
    for i, n in enumerate(units):
        model.add(Dense(n, activation=act, kernel_initializer=init,
                        **({"input_shape": x_train.shape[1:]} if i == 0 else {})))
        if drop:
            from neuronet.layers import Dropout
            model.add(Dropout(drop))
    model.add(Dense(int(g("output_units", 1 if y_train.ndim == 1 else y_train.shape[1])), activation=last,
                    kernel_initializer=init))
    model.compile(optimizer=optimizers.get(g("optimizer", "adam")), loss=loss, metrics=metrics)
    history = model.fit(x_train, y_train, batch_size=int(g("batch_size", 32)), epochs=int(g("epochs", 10)),
                        validation_data=(x_val, y_val), verbose=0)
    return history, model


def _talos_loss_and_metrics(params):
    """talos_model's loss (params['losses']; default binary cross-entropy after a sigmoid, else mse) and
    metrics (['acc'] for a cross-entropy loss, else None)."""
    last = params.get("last_activation", "sigmoid")
    loss = params.get("losses", "binary_crossentropy" if last == "sigmoid" else "mse")
    name = getattr(loss, "__name__", loss if isinstance(loss, str) else type(loss).__name__).lower()
    return loss, (["acc"] if "crossentropy" in name else None)


def _talos_logged(configs):
    """The History keys talos_model logs over ``configs``, in Keras' order (it always validates)."""
    names = {}
    for params in configs:
        logged = ["loss", *(_talos_loss_and_metrics(params)[1] or [])]
        names.update(dict.fromkeys(logged + [f"val_{name}" for name in logged]))
    return list(names)


_BOOKKEEPING = ("config", "round_epochs", "fit_time")   # table columns that are not logged metrics


@dataclass
class SearchResult:
    """Outcome of a sweep: ``table`` (one row per configuration: its parameters, the metrics of its
    last epoch, ``fit_time``; sorted best first; ``data`` is Talos' name for it), ``best_params`` (the
    original objects, e.g. an optimizer class), ``metric`` and ``configs`` (every configuration, by the
    ``config`` column)."""
    table: object
    metric: str
    best_params: dict
    configs: list = field(repr=False)

    @property
    def data(self):
        return self.table


def _label(value):
    if isinstance(value, type) or callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return value


def _run_config(index, params, seed, x, y, x_val, y_val, folds, model_fn, blas_threads):
    from threadpoolctl import threadpool_limits
    from neuronet.utils.random import using_generator
    started = time.perf_counter()
    scores = []
    with threadpool_limits(limits=blas_threads), using_generator(seed):
        splits = folds if folds is not None else [(None, None)]
        for train, test in splits:
            if train is None:
                xt, yt, xv, yv = x, y, x_val, y_val
            else:
                xt, yt, xv, yv = x[train], y[train], x[test], y[test]
            history, _ = model_fn(xt, yt, xv, yv, dict(params))
            logs = history.history if hasattr(history, "history") else history
            scores.append(_last_values(logs))
    row = {"config": index, **{k: _label(v) for k, v in params.items()}}
    for key in scores[0]:
        row[key] = float(np.mean([s[key] for s in scores]))
    row["round_epochs"] = len(next(iter(logs.values())))
    row["fit_time"] = time.perf_counter() - started
    return row


def _last_values(logs):
    """Each logged metric's last value; a per-class array (F1Score(average=None)) becomes one column per
    class, 'val_f1_score[0]', 'val_f1_score[1]', ..., so the table stays one number per cell."""
    values = {}
    for key, series in logs.items():
        last = np.asarray(series[-1], dtype=np.float64)
        if last.ndim == 0:
            values[key] = float(last)
        else:
            values.update((f"{key}[{i}]", float(v)) for i, v in enumerate(last.ravel()))
    return values


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


def _parallel(tasks, n_jobs, backend):
    import joblib
    if backend == "dask":
        with joblib.parallel_backend("dask"):
            return joblib.Parallel(n_jobs=-1 if n_jobs in (None, 1) else n_jobs)(tasks)
    return joblib.Parallel(n_jobs=n_jobs, backend=backend)(tasks)


def _sweep(x, y, configs, model_fn, x_val, y_val, cv, val_split, metric, n_jobs, backend, random_state,
           blas_threads):
    import joblib
    import pandas as pd
    from neuronet.utils.validation import to_array
    if not configs:
        raise ValueError("The parameter dictionary produced no configurations; give every key a non-empty "
                         "list, e.g. params={'first_neuron': [8, 16]}.")
    if metric is not None and not isinstance(metric, str):
        raise TypeError(f"Received an invalid value for `metric`, expected None or the name of a logged "
                        f"metric such as 'val_loss' or 'val_acc'. Received: metric={metric!r}")
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
    seeds = np.random.SeedSequence(random_state).generate_state(len(configs)).tolist()
    model_fn = model_fn or talos_model
    tasks = [joblib.delayed(_run_config)(i, c, s, x, y, x_val, y_val, folds, model_fn, blas_threads)
             for i, (c, s) in enumerate(zip(configs, seeds))]
    if backend == "dask":
        try:
            from distributed import get_client
            get_client()
        except (ImportError, ValueError) as exc:
            raise RuntimeError("backend='dask' needs dask.distributed and a running Client: "
                               "`from distributed import Client; client = Client('tcp://scheduler:8786')` "
                               f"(or Client(LocalCluster())). Cause: {exc}") from exc
    # A misspelt metric fails before the sweep trains when talos_model builds the networks (its logged
    # names follow from params). Your own model_fn's are known only once every configuration has run:
    # some may log a metric that others do not (accuracy for cross-entropy losses only).
    if metric is not None and model_fn is talos_model:
        _check_metric(metric, _talos_logged(configs), "talos_model does not log it with these params")
    rows = _parallel(tasks, n_jobs, backend)
    table = pd.DataFrame(rows)
    logged = _metric_columns(rows, configs)
    metric = metric or ("val_loss" if "val_loss" in logged else "loss")
    _check_metric(metric, logged, "no run logged it")
    from neuronet.callbacks.monitor import Monitor
    ascending = Monitor(metric).mode == "min"      # the rule EarlyStopping's mode='auto' uses
    table = table.sort_values([metric, "config"], ascending=[ascending, True], kind="stable").reset_index(drop=True)
    return SearchResult(table=table, metric=metric, best_params=dict(configs[int(table["config"].iloc[0])]),
                        configs=configs)


def grid_search(x, y, params, model_fn=None, x_val=None, y_val=None, cv=None, val_split=0.3, metric=None,
                n_jobs=1, backend=None, random_state=0, blas_threads=1):
    """Train every combination of ``params`` (a dict of lists) and rank them by ``metric``.

    model_fn(x_train, y_train, x_val, y_val, params) -> (history, model), Talos' signature (default:
    :func:`talos_model`). Validation: (x_val, y_val) if given, else ``cv`` folds (an int k for a shuffled
    KFold, or any scikit-learn splitter; metrics are averaged over the folds), else a shuffled
    ``val_split`` hold-out. ``n_jobs`` configurations run at once (joblib processes, or ``backend``:
    'threading', 'loky', or 'dask' for the connected dask.distributed Client). Returns a SearchResult.
    """
    from sklearn.model_selection import ParameterGrid
    _check_params(params)
    configs = list(ParameterGrid(params))
    return _sweep(x, y, configs, model_fn, x_val, y_val, cv, val_split, metric, n_jobs, backend,
                  random_state, blas_threads)


def random_search(x, y, params, n_iter=10, model_fn=None, x_val=None, y_val=None, cv=None, val_split=0.3,
                  metric=None, n_jobs=1, backend=None, random_state=0, blas_threads=1):
    """Like :func:`grid_search` on ``n_iter`` configurations sampled without replacement (scikit-learn's
    ParameterSampler with ``random_state``; a scipy.stats distribution is sampled from)."""
    from sklearn.model_selection import ParameterSampler
    _check_params(params)
    from neuronet.utils.validation import check_positive_int
    n_iter = check_positive_int(n_iter, "n_iter")
    configs = list(ParameterSampler(params, n_iter, random_state=random_state))
    return _sweep(x, y, configs, model_fn, x_val, y_val, cv, val_split, metric, n_jobs, backend,
                  random_state, blas_threads)


def _check_params(params):
    if not isinstance(params, dict) or not params:
        raise ValueError(f"Received an invalid value for `params`, expected a non-empty dict of lists such as "
                         f"{{'first_neuron': [9, 10, 11]}}. Received: params={params!r}")
    for key, values in params.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") and not hasattr(values, "rvs"):
            raise ValueError(f"Received an invalid value for `params[{key!r}]`, expected a list of values. "
                             f"Received: {values!r}")
