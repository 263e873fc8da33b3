"""Bayesian search (the notes' Hyperas chapter) with Optuna: a TPE sampler proposes configurations from
the results so far, and a pruner stops losing trials epoch by epoch.

Rounds keep it seeded and parallel: each round asks ``trials_per_round`` configurations of the study
(TPE, seeded, treating the round's pending trials as bad guesses: Optuna's constant liar), trains them in
parallel (joblib or Dask), and tells their results in trial order. A trial's pruning decisions compare it
with the trials finished in earlier rounds only. So the table depends on ``random_state`` and
``trials_per_round``, never on ``n_jobs``, the backend or the machines' timing. (Optuna's own
``study.optimize(n_jobs=k)`` is not reproducible: what TPE proposes depends on which trials happen to
have finished.)
"""
from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np

from neuronet.search.running import _check_dask, _parallel, _Progress
from neuronet.search.sweep import _check_common, _label, _metric_columns, _prepare_data, _rank, _run_config

_PLAIN = (type(None), bool, int, float, str)


def bayesian_search(x, y, params, n_trials=20, model_fn=None, x_val=None, y_val=None, cv=None, val_split=0.3,
                    metric=None, score="best", pruner="median", sampler=None, trials_per_round=4, n_jobs=1,
                    backend=None, random_state=0, blas_threads=1, verbose=0):
    """Optuna's TPE over ``params``, ``n_trials`` configurations, ranked by ``metric`` (default val_loss).

    ``params``: the Talos dictionary: a list of values is a categorical choice (classes and functions
    included, e.g. ``'optimizer': [Adam, Nadam]``); an ``optuna.distributions`` object (FloatDistribution
    with ``log=True`` or ``step``, IntDistribution, CategoricalDistribution) is sampled as Optuna does.

    Each trial trains ``model_fn(x_train, y_train, x_val, y_val, params)`` (Talos' signature, default
    :func:`talos_model`) under its own seed. ``pruner``: 'median' (``optuna.pruners.MedianPruner()``),
    None (no pruning) or any Optuna pruner; a :class:`PruningCallback` reports ``metric`` after every
    epoch of the model function's fit and stops it when pruned (the first fold only, with ``cv``).
    ``score='best'`` scores a run at its best epoch by ``metric`` (what ``restore_best_weights`` keeps),
    'last' at its last. ``sampler`` replaces ``optuna.samplers.TPESampler(seed=random_state, constant_liar=True)``.
    Validation data, ``n_jobs``, ``backend``, ``blas_threads`` and ``verbose`` as :func:`grid_search`.

    Returns a SearchResult whose table has one row per trial (``config`` = trial number; ``pruned``
    trials rank after the finished ones) and whose ``study`` is the Optuna study.

    >>> from optuna.distributions import FloatDistribution
    >>> p = {'first_neuron': [8, 16, 32], 'activation': ['relu', 'tanh'], 'epochs': [20],
    ...      'optimizer': ['adam'], 'dropout': FloatDistribution(0.0, 0.5)}
    >>> # result = bayesian_search(x, y, p, n_trials=20, x_val=xv, y_val=yv, n_jobs=2)
    """
    import joblib
    optuna = _import_optuna()
    from neuronet.callbacks.monitor import Monitor
    from neuronet.search.talos import talos_model
    from neuronet.search.tracking import warn_identical, warn_unread
    from neuronet.utils.validation import check_positive_int
    n_trials = check_positive_int(n_trials, "n_trials")
    trials_per_round = check_positive_int(trials_per_round, "trials_per_round")
    _check_common(metric, score, verbose)
    distributions, decode = _distributions(params, optuna)
    metric = metric or "val_loss"
    direction = "minimize" if Monitor(metric).mode == "min" else "maximize"
    pruner = _pruner(pruner, optuna)
    if sampler is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            sampler = optuna.samplers.TPESampler(seed=random_state, constant_liar=True)
    data = _prepare_data(x, y, x_val, y_val, cv, val_split, random_state)
    _check_dask(backend)
    model_fn = model_fn or talos_model
    seeds = np.random.SeedSequence(random_state).generate_state(n_trials).tolist()
    rows, seen, configs = [], [], []
    progress = _Progress(n_trials, metric, verbose)
    with _quiet(optuna):
        study = optuna.create_study(direction=direction, sampler=sampler, pruner=pruner)
    try:
        while len(configs) < n_trials:
            trials = [study.ask(distributions) for _ in range(min(trials_per_round, n_trials - len(configs)))]
            finished = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,
                                                                 optuna.trial.TrialState.PRUNED))
            tasks = []
            for trial in trials:
                configs.append(decode(trial.params))
                tasks.append(joblib.delayed(_run_trial)(
                    trial.number, configs[-1], seeds[trial.number], data, model_fn, blas_threads, score, metric,
                    direction, pruner, finished, distributions, trial.params))
            for trial, (row, checked, reported) in zip(trials, _parallel(tasks, n_jobs, backend, progress)):
                with _quiet(optuna):
                    _tell(study, trial, configs[trial.number], row, reported, metric, optuna)
                rows.append(row)
                seen.append(checked)
    finally:
        progress.close()
    warn_unread(configs, [checked["read"] for checked in seen], stacklevel=3)
    warn_identical(configs, [checked["digest"] for checked in seen], _label, stacklevel=3)
    return _rank(rows, configs, metric, study=study)


def _run_trial(number, config, seed, data, model_fn, blas_threads, score, metric, direction, pruner, finished,
               distributions, encoded):
    """One trial in a worker: a private copy of the study holding the trials finished before this round
    decides pruning, so the decision does not depend on what other workers are doing."""
    callback = None
    if pruner is not None:
        optuna = _import_optuna()
        from neuronet.search.pruning import PruningCallback
        with _quiet(optuna):
            local = optuna.create_study(direction=direction, pruner=pruner,
                                        sampler=optuna.samplers.RandomSampler(seed=0))
            local.add_trials(finished)
            local.enqueue_trial(encoded)
            callback = PruningCallback(local.ask(distributions), metric)
    row, checked = _run_config(number, config, seed, data, model_fn, blas_threads, score, metric, callback)
    row["pruned"] = bool(callback is not None and callback.pruned)
    return row, checked, (callback.reported if callback is not None else [])


def _tell(study, trial, config, row, reported, metric, optuna):
    for step, value in reported:
        trial.report(value, step)
    if metric not in row:
        logged = _metric_columns([row], [config])
        raise ValueError(f"Received an invalid value for `metric`: trial {trial.number} did not log it. "
                         f"Received: metric={metric!r}; logged: {logged}")
    value = row[metric]
    if row["pruned"]:
        study.tell(trial, state=optuna.trial.TrialState.PRUNED)
    elif not math.isfinite(value):
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    else:
        study.tell(trial, value)


def _distributions(params, optuna):
    """Optuna distributions for ``params`` and ``decode(trial.params) -> config`` with the original objects.
    A list's values are the choices themselves when Optuna can store them (None, bool, int, float, str;
    classes and functions by name), else their positions."""
    from optuna.distributions import BaseDistribution, CategoricalDistribution
    if not isinstance(params, dict) or not params:
        raise ValueError(f"Received an invalid value for `params`, expected a non-empty dict of lists or "
                         f"optuna distributions such as {{'first_neuron': [9, 10, 11]}}. "
                         f"Received: params={params!r}")
    distributions, originals = {}, {}
    for key, values in params.items():
        if isinstance(values, BaseDistribution):
            distributions[key] = values
            continue
        if isinstance(values, (str, bytes, dict)) or not isinstance(values, (list, tuple, np.ndarray)) \
                or len(values) == 0:
            raise ValueError(f"Received an invalid value for `params[{key!r}]`, expected a non-empty list of "
                             f"choices or an optuna distribution (FloatDistribution(1e-4, 1e-1, log=True), "
                             f"IntDistribution(8, 64), ...). Received: {values!r}")
        values = list(values)
        labels = [_label(v.item() if isinstance(v, np.generic) else v) for v in values]
        plain = all(type(label) in _PLAIN for label in labels) and len(set(map(repr, labels))) == len(labels)
        choices = labels if plain else list(range(len(values)))
        distributions[key] = CategoricalDistribution(choices)
        originals[key] = dict(zip(map(repr, choices), values))

    def decode(sampled):
        return {key: originals[key][repr(value)] if key in originals else value for key, value in sampled.items()}
    return distributions, decode


def _pruner(pruner, optuna):
    if pruner is None:
        return None
    if isinstance(pruner, str) and pruner == "median":
        return optuna.pruners.MedianPruner()
    if isinstance(pruner, optuna.pruners.BasePruner):
        return None if isinstance(pruner, optuna.pruners.NopPruner) else pruner
    raise ValueError(f"Received an invalid value for `pruner`, expected 'median', None (no pruning) or an "
                     f"optuna pruner such as optuna.pruners.PercentilePruner(25.0). Received: pruner={pruner!r}")


def _import_optuna():
    try:
        import optuna
    except ImportError as exc:
        raise ImportError("bayesian_search needs Optuna: pip install 'neuronet[optuna]' (or pip install "
                          "optuna).") from exc
    return optuna


@contextlib.contextmanager
def _quiet(optuna):
    """Optuna's INFO lines (one per study and trial) off for the block; the caller's level restored."""
    level = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(min(max(level, optuna.logging.WARNING), optuna.logging.CRITICAL))
    try:
        yield
    finally:
        optuna.logging.set_verbosity(level)
