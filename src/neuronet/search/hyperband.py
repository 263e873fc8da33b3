"""Hyperband over a Talos parameter dictionary: successive halving in brackets over the epoch budget, in
which a promoted configuration continues its run from where it stopped instead of training again.

Brackets (Li et al., Hyperband; KerasTuner's schedule), for R = ``max_epochs``, eta = ``factor``:

    s_max = floor(log_eta(R / min_epochs));   bracket s = s_max .. 0
    n_s   = ceil((s_max + 1) / (s + 1) * eta^s)      configurations (their share of the grid)
    r_s,i = R * eta^(i - s)                            epochs a run has received after rung i = 0 .. s
    after each rung the best floor(n / eta) (at least one) of the bracket go on to the next rung

Every configuration of the grid is tried: the grid is shuffled (``random_state``) and split among the
brackets in proportion to n_s. A run's score is its best epoch by ``metric`` (``score='best'``), so a
fast learner that overfits later is not preferred to a slower one.

Schedule: rung 0 of every bracket runs first, all together. After that each bracket goes on by itself:
as soon as every run of its rung has ended it promotes and submits its next rung, while the other
brackets' runs go on. ``n_jobs`` runs at a time; of the ready runs, first the one with the most epochs
left to its bracket's last rung (a bracket's chain of rungs is what ends the search last), then the
longest. A run that is worse than ``prune_quantile`` of its reference runs at the same epoch is
stopped (QuantilePruning). The reference is fixed by the plan, never by which run ends first, so
results are the same for any ``n_jobs`` and backend. For a run in bracket b at rung i >= 1 it holds one
curve per configuration: its curve after rung 0 (every bracket), or for bracket b's configurations
their curve after the last rung < i they ran. Rung 0 has no reference. Runs shorter than TASK_EPOCHS
epochs go several to a worker task.

    >>> # result = hyperband_search(x, y, p, model_fn=Talos_Grid_Search_DLI, max_epochs=100, n_jobs=2)
    >>> # result.table[['config', 'val_loss', 'round_epochs', 'bracket']].head()
"""
from __future__ import annotations

import functools
import math
import time
import warnings

import numpy as np

TASK_EPOCHS = 8     # runs shorter than this share a task (see _Schedule._rung_tasks)


def plan(n_configs, max_epochs, factor=3, min_epochs=1):
    """[(s, number of configurations, [epochs after each rung])] for each bracket that gets any."""
    s_max = int(math.floor(math.log(max_epochs / min_epochs) / math.log(factor) + 1e-9))
    brackets = list(range(s_max, -1, -1))
    sizes = np.array([math.ceil((s_max + 1) / (s + 1) * factor ** s) for s in brackets], dtype=np.float64)
    quota = n_configs * sizes / sizes.sum()
    counts = np.floor(quota).astype(int)
    for i in np.argsort(-(quota - counts), kind="stable")[:n_configs - counts.sum()]:
        counts[i] += 1
    plans = []
    for s, count in zip(brackets, counts):
        budgets = sorted({max(min_epochs, min(max_epochs, int(round(max_epochs * factor ** (i - s)))))
                          for i in range(s + 1)})
        if count:
            plans.append((s, int(count), budgets))
    return plans


def _train_rung(index, params, seed, data, model_fn, blas_threads, budget, checkpoints, score, metric, pruning):
    """Train configuration ``index`` to ``budget`` epochs (each fold), continuing ``checkpoints`` when
    given. Returns (table row, what the search keeps: checkpoints or None, epochs trained, stopped, ...)."""
    from threadpoolctl import threadpool_limits
    from neuronet.callbacks import QuantilePruning
    from neuronet.callbacks.base import attached
    from neuronet.search.continuation import Continuation
    from neuronet.search.sweep import _epoch_values, _label
    from neuronet.search.tracking import TrackedParams
    from neuronet.utils.random import using_generator
    x, y, x_val, y_val, folds, max_epochs = data
    started = time.perf_counter()
    scores, saved, trained, read, reasons = [], [], 0, set(), set()
    stopped, pruner, logs = True, None, {}
    with threadpool_limits(limits=blas_threads), using_generator(seed):
        for fold, (train, test) in enumerate(folds if folds is not None else [(None, None)]):
            xt, yt, xv, yv = (x, y, x_val, y_val) if train is None else (x[train], y[train], x[test], y[test])
            rung = Continuation(budget, checkpoints[fold] if checkpoints else None)
            pruner = QuantilePruning(*pruning[:2], reference=pruning[2]) if pruning and fold == 0 else None
            tracked = TrackedParams({**params, "epochs": max_epochs})
            with attached(*[cb for cb in (rung, pruner) if cb is not None]):
                history, model = model_fn(xt, yt, xv, yv, tracked)
            read |= tracked.read
            logs = history.history if hasattr(history, "history") else history
            scores.append(_epoch_values(logs, score, metric))
            trained += rung.trained
            stopped = stopped and rung.stopped
            if rung.fits != 1:
                reasons.add(f"it ran {rung.fits} fits")
            elif model is not rung.model:
                reasons.add(f"it returned {type(model).__name__}, not the model it trained")
            saved.append(rung.checkpoint)
            if fold == 0:       # the fold the pruner watches gives the curve later runs are compared with
                curve = [float(v) for v in logs.get(pruning[0], [])] if pruning else []
            if pruner is not None and pruner.pruned:
                break
    row = {"config": index, **{k: _label(v) for k, v in params.items()}}
    for key in scores[0][0]:
        row[key] = float(np.mean([s[key] for s, _ in scores if key in s]))
    key = metric or ("val_loss" if "val_loss" in logs else "loss")
    if key in logs:
        row[f"last_{key}"] = float(np.asarray(logs[key][-1], dtype=np.float64).mean())
    row["round_epochs"] = len(next(iter(logs.values()))) if logs else 0
    row["best_epoch"] = float(np.mean([epoch for _, epoch in scores]))
    pruned = bool(pruner is not None and pruner.pruned)
    return row, {"checkpoints": None if reasons else saved, "reasons": reasons, "trained": trained,
                 "stopped": stopped and not pruned, "pruned": pruned, "curve": curve, "read": read,
                 "fit_time": time.perf_counter() - started}


def _promote(members, state, k, metric):
    """The ``k`` best of ``members`` that can go on (not pruned, not ended by themselves)."""
    from neuronet.callbacks.monitor import Monitor
    sign = 1.0 if Monitor(metric).mode == "min" else -1.0
    able = [i for i in members if state[i]["stopped"] and not state[i]["pruned"]]

    def key(i):
        value = state[i]["row"].get(metric, np.nan)
        return (0, sign * value, i) if np.isfinite(value) else (1, 0.0, i)
    return sorted(able, key=key)[:k]


def hyperband_search(x, y, params, model_fn=None, x_val=None, y_val=None, cv=None, val_split=0.3, metric=None,
                     n_jobs=1, backend=None, random_state=0, blas_threads=1, score="best", verbose=0,
                     max_epochs=None, factor=3, min_epochs=1, prune_quantile=0.75):
    """Hyperband over every combination of ``params``: the arguments and SearchResult of
    :func:`grid_search`, with the epoch budget given by ``max_epochs`` (default: ``params['epochs']``,
    one value) and shared out by successive halving (``factor``: keep 1/factor per rung; ``min_epochs``:
    the shortest rung). The model function receives ``params['epochs'] = max_epochs`` and calls fit
    itself; the search stops its fit at each rung's budget and continues it at the next rung (weights,
    optimizer, Dropout and shuffling generators, History), bit-identical to one uninterrupted fit. A
    model function whose run cannot be continued (it does not return the model it trained, or fits more
    than once) is retrained from scratch at each rung, with a warning. ``prune_quantile`` (None: off)
    stops runs worse than that quantile of their reference runs at the same epoch: every run's rung-0
    curve and the curves of the run's own bracket at its earlier rungs (module docstring). ``backend``:
    None or 'loky' (processes), 'threading', or 'dask' for the connected dask.distributed Client.

    The table adds ``round_epochs`` (epochs the run received), ``epochs_trained`` (epochs spent on it,
    retraining included), ``last_<metric>``, ``bracket``, ``pruned``; ``best_params`` carry the
    winner's ``epochs``. Seeded: identical for any ``n_jobs`` and backend.

        >>> p = {'first_neuron': [8, 16, 32], 'optimizer': ['adam', 'sgd'], 'epochs': [81]}
        >>> # result = hyperband_search(x, y, p, x_val=xv, y_val=yv, factor=3, n_jobs=2)
    """
    from sklearn.model_selection import ParameterGrid
    from neuronet.search.sweep import _check_common, _check_params, _prepare_data, _rank
    from neuronet.search.running import _run_as_ready
    from neuronet.search.talos import _talos_logged, talos_model
    from neuronet.search.tracking import SweepWarning, warn_unread
    from neuronet.utils.validation import check_positive_int
    _check_params(params)
    _check_common(metric, score, verbose)
    max_epochs = _max_epochs(params, max_epochs)
    factor, min_epochs = _check_factor(factor), check_positive_int(min_epochs, "min_epochs")
    if min_epochs > max_epochs:
        raise ValueError(f"Received an invalid value for `min_epochs`, expected at most max_epochs="
                         f"{max_epochs}. Received: min_epochs={min_epochs}")
    if prune_quantile is not None and not (isinstance(prune_quantile, float) and 0 < prune_quantile < 1):
        raise ValueError(f"Received an invalid value for `prune_quantile`, expected None (no pruning) or a "
                         f"number between 0 and 1 such as 0.75. Received: prune_quantile={prune_quantile!r}")
    configs = list(ParameterGrid({k: v for k, v in params.items() if k != "epochs"}))
    model_fn = model_fn or talos_model
    if metric is not None and model_fn is talos_model:
        from neuronet.search.sweep import _check_metric
        _check_metric(metric, _talos_logged(configs), "talos_model does not log it with these params")
    data = (*_prepare_data(x, y, x_val, y_val, cv, val_split, random_state), max_epochs)
    seeds = np.random.SeedSequence(random_state).generate_state(len(configs)).tolist()
    order = np.random.default_rng(random_state).permutation(len(configs)).tolist()
    brackets, start = [], 0
    for s, count, budgets in plan(len(configs), max_epochs, factor, min_epochs):
        brackets.append({"s": s, "members": sorted(order[start:start + count]), "budgets": budgets, "rung": 0})
        start += count
    state = {}
    for b in brackets:
        for i in b["members"]:
            state[i] = {"bracket": b["s"], "checkpoints": None, "trained": 0, "fit_time": 0.0, "curves": {},
                        "stopped": True, "pruned": False, "row": None, "read": set()}

    def task(i, budget, pruning):
        return _train_rung, (i, configs[i], seeds[i], data, model_fn, blas_threads, budget,
                             state[i]["checkpoints"], score, metric, pruning)
    pruning = None if prune_quantile is None else (metric or "val_loss", prune_quantile)
    progress = _progress(brackets, factor, metric, verbose)
    schedule = _Schedule(brackets, state, factor, metric, progress, task, pruning)
    try:
        _run_as_ready(schedule.start(), schedule.finished, n_jobs, backend)
        progress.done()
    finally:
        progress.close()
    if schedule.reasons:
        warnings.warn(f"hyperband_search cannot continue the model function's runs "
                      f"({', '.join(sorted(schedule.reasons))}): promoted configurations were retrained from "
                      "scratch at every rung. Return (history, model) with the model its single fit trained "
                      "to continue them.", SweepWarning, stacklevel=2)
    warn_unread(configs, [info["read"] for info in state.values()], stacklevel=2)
    rows = []
    for i in sorted(state):
        info = state[i]
        rows.append({**info["row"], "epochs_trained": info["trained"], "bracket": info["bracket"],
                     "pruned": info["pruned"], "fit_time": info["fit_time"]})
    result = _rank(rows, configs, metric)
    best = result.table.iloc[0]
    result.best_params["epochs"] = int(best["round_epochs"])
    return result


class _Schedule:
    """The runs of the brackets as they become ready: rung 0 of every bracket at the start; a bracket's
    next rung once its rung has ended (and, for rung 1, once rung 0 of every bracket has ended)."""

    def __init__(self, brackets, state, factor, metric, progress, task, pruning):
        self.brackets, self.state, self.factor, self.metric = brackets, state, factor, metric
        self.progress, self.task, self.pruning, self.reasons = progress, task, pruning, set()
        self.first_left = sum(len(b["members"]) for b in brackets)

    def start(self):
        return [t for b in self.brackets for t in self._rung_tasks(b)]

    def finished(self, runs, results):
        """Record the results of a task's ``runs``; returns the tasks that became ready."""
        ready = []
        for i, result in zip(runs, results):
            ready += self._finished_run(i, result)
        return ready

    def _finished_run(self, i, result):
        row, kept = result
        info = self.state[i]
        b = next(c for c in self.brackets if c["s"] == info["bracket"])
        info.update(row=row, checkpoints=kept["checkpoints"], stopped=kept["stopped"], pruned=kept["pruned"])
        info["curves"][b["rung"]] = kept["curve"] or info["curves"].get(b["rung"] - 1, [])
        info["trained"] += kept["trained"]
        info["fit_time"] += kept["fit_time"]
        info["read"] |= kept["read"]
        self.reasons |= kept["reasons"]
        self.progress(result)
        b["left"] -= 1
        if b["rung"] == 0:
            self.first_left -= 1
            return [t for c in self.brackets for t in self._next_rung(c)] if self.first_left == 0 else []
        return self._next_rung(b) if b["left"] == 0 else []

    def _next_rung(self, b):
        b["rung"] += 1
        if b["rung"] >= len(b["budgets"]) or not b["members"]:
            return []
        key = self.metric or ("val_loss" if "val_loss" in self.state[b["members"][0]]["row"] else "loss")
        b["members"] = sorted(_promote(b["members"], self.state, max(1, len(b["members"]) // self.factor), key))
        return self._rung_tasks(b)

    def _rung_tasks(self, b):
        """The rung's runs as tasks (priority, runs, function, args): runs of fewer than TASK_EPOCHS epochs
        go several to a task, as one submission to a worker process costs about as much as an epoch of a
        small network; the last two runs of each length go alone, so that workers finish together."""
        budget, tasks = b["budgets"][b["rung"]], []
        pruning = self.pruning and (*self.pruning, _reference(self.state, b["s"], b["rung"]))
        runs = [(budget - (self.state[i]["row"]["round_epochs"] if self.state[i]["checkpoints"] else 0), i)
                for i in b["members"]]
        for epochs in sorted({e for e, _ in runs}, reverse=True):
            same = [i for e, i in runs if e == epochs]
            per_task = max(1, TASK_EPOCHS // max(epochs, 1))
            starts = [*range(0, max(0, len(same) - 2), per_task), *range(max(0, len(same) - 2), len(same))]
            for start, stop in zip(starts, starts[1:] + [len(same)]):
                group = tuple(same[start:stop])
                calls = [functools.partial(function, *args) for function, args in
                         (self.task(i, budget, pruning) for i in group)]
                tasks.append(((b["budgets"][-1] - (budget - epochs), epochs), group, _run_all, (calls,)))
        b["left"] = len(runs)
        return tasks


def _run_all(calls):
    """The results of ``calls`` (functools.partial objects: Dask would take a tuple that starts with a
    function for a task of its own), run one after the other."""
    return [call() for call in calls]


def _reference(state, bracket, rung):
    """The curves a run of ``bracket`` at ``rung`` is pruned against: every configuration's curve after
    rung 0, those of ``bracket`` after the last of their rungs before ``rung``; none at rung 0."""
    if rung == 0:
        return []
    curves = []
    for i in sorted(state):
        info = state[i]
        ran = [r for r in info["curves"] if r < (rung if info["bracket"] == bracket else 1)]
        if ran and info["curves"][max(ran)]:
            curves.append(info["curves"][max(ran)])
    return curves


def _progress(brackets, factor, metric, verbose):
    from neuronet.search.running import _Progress
    total = 0
    for b in brackets:
        n = len(b["members"])
        for _ in b["budgets"]:
            total, n = total + n, max(1, n // factor)
    return _Progress(total, metric, verbose)


def _max_epochs(params, max_epochs):
    from neuronet.utils.validation import check_positive_int
    given = params.get("epochs")
    if given is not None and (isinstance(given, (str, bytes)) or not hasattr(given, "__len__") or len(given) != 1):
        raise ValueError(f"hyperband_search shares out the epochs itself: give params['epochs'] one value "
                         f"(the most a run may train) or pass max_epochs. Received: params['epochs']={given!r}")
    if max_epochs is None:
        if given is None:
            raise ValueError("Pass `max_epochs` (the most epochs a configuration may train, e.g. 100) or "
                             "put it in params as 'epochs': [100]. Received: max_epochs=None")
        max_epochs = list(given)[0]
    elif given is not None and list(given)[0] != max_epochs:
        raise ValueError(f"`max_epochs` and params['epochs'] disagree: max_epochs={max_epochs!r}, "
                         f"params['epochs']={given!r}. Give one of them.")
    return check_positive_int(max_epochs, "max_epochs")


def _check_factor(factor):
    if isinstance(factor, bool) or not isinstance(factor, (int, np.integer)) or factor < 2:
        raise ValueError(f"Received an invalid value for `factor`, expected an integer >= 2 (keep 1/factor of "
                         f"the configurations at each rung; Hyperband's default is 3). Received: factor={factor!r}")
    return int(factor)
