"""Continuing a run across scikit-learn's successive-halving rungs.

``HalvingGridSearchCV(estimator, grid, resource='max_iter')`` (or ``'epochs'`` for the Keras wrappers)
fits a fresh clone of each surviving candidate on each fold at every rung, with more epochs each time.
A clone with ``warm_start=True`` and an integer ``random_state`` looks up the run of an identical clone
(same parameters but the resource, same data, same sample weights) that this process trained to fewer
epochs and that did not stop by itself, and trains it on for the remaining epochs instead of starting
over. A continued run is bit-identical to one fit of the full epochs (weights, optimizer slots, shuffling
and Dropout generators and the per-epoch bookkeeping are all restored), so the cache only saves time:
a miss (another worker process, an evicted entry) gives the same result.

    >>> from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    >>> from sklearn.model_selection import HalvingGridSearchCV
    >>> # HalvingGridSearchCV(MLPClassifier(warm_start=True, random_state=0), {'alpha': [1e-4, 1e-2]},
    >>> #                     resource='max_iter', max_resources=200, min_resources=10).fit(X, y)
"""
from __future__ import annotations

import copy
from collections import OrderedDict

import numpy as np

from neuronet.callbacks.base import Callback

MAX_RUNS = 512          # runs kept per process, least recently used dropped first
_RUNS: OrderedDict = OrderedDict()
_IGNORED = ("warm_start", "verbose")


def run_key(estimator, resources, *data):
    """A fingerprint of ``estimator``'s run on ``data``, without the ``resources`` parameters; None when
    runs are not to be shared (warm_start off, no integer random_state, unhashable parameters)."""
    seed = estimator.random_state
    if not estimator.warm_start or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        return None
    import joblib
    params = {k: v for k, v in estimator.get_params(deep=False).items() if k not in (*resources, *_IGNORED)}
    try:
        return joblib.hash((type(estimator).__qualname__, sorted(params.items(), key=lambda kv: kv[0]), data))
    except Exception:       # a parameter that cannot be pickled (a lambda): no sharing
        return None


def recall(key, epochs):
    """A copy of the longest-trained run under ``key`` if it has fewer than ``epochs`` epochs."""
    entry = _RUNS.get(key) if key is not None else None
    if entry is None or entry["epochs"] >= epochs:
        return None
    _RUNS.move_to_end(key)
    return copy.deepcopy(entry)


def remember(key, epochs, **snapshot):
    """Keep a run trained to ``epochs`` epochs that may go on: plain data (model payloads and arrays)."""
    if key is None:
        return
    _RUNS[key] = copy.deepcopy({"epochs": int(epochs), **snapshot})
    _RUNS.move_to_end(key)
    while len(_RUNS) > MAX_RUNS:
        _RUNS.popitem(last=False)


class ResumeHistory(Callback):
    """Continue the History of the run fit resumes (its earlier epochs stay in ``history``)."""

    def __init__(self, saved):
        super().__init__()
        self.saved = saved

    def on_train_begin(self, logs=None):
        self.model.history.resume_from(self.saved["history"], self.saved["epoch"], self.saved["validation_epochs"])


def history_state(history):
    return {"history": {k: list(v) for k, v in history.history.items()}, "epoch": list(history.epoch),
            "validation_epochs": list(history.validation_epochs)}
