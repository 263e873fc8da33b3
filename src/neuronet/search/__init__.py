"""Hyper-parameter searches over the notes' Talos-style parameter dictionary: every combination
(:func:`grid_search`), a random subset (:func:`random_search`), Optuna's TPE with pruning
(:func:`bayesian_search`) or Hyperband with runs that continue between rungs (:func:`hyperband_search`), in parallel on joblib or a Dask cluster, seeded and identical for any
``n_jobs`` and backend.

    >>> from neuronet.search import grid_search, random_search, bayesian_search, hyperband_search
    >>> # result = grid_search(x_train, y_train, p, x_val=x_val, y_val=y_val, n_jobs=2)
    >>> # result.table.head(); result.best_params
"""
from neuronet.search.bayesian import bayesian_search
from neuronet.search.hyperband import hyperband_search
from neuronet.search.sweep import SearchResult, grid_search, random_search
from neuronet.search.talos import fmeasure_acc, live, talos_model
from neuronet.search.tracking import SweepWarning

__all__ = ["grid_search", "random_search", "bayesian_search", "hyperband_search", "SearchResult", "talos_model", "fmeasure_acc",
           "live", "SweepWarning"]
