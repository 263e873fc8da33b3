"""hyperband_search: brackets of successive halving whose promoted runs continue where they stopped."""
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from neuronet.search import SweepWarning, grid_search, hyperband_search
from neuronet.search.hyperband import _reference, _Schedule, plan

P = {"first_neuron": [4, 8], "optimizer": ["adam", "sgd"], "dropout": [0.0, 0.3], "batch_size": [32],
     "epochs": [9]}


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return X[:200], y[:200], X[200:280], y[200:280]


def _without_time(table):
    return table.drop(columns="fit_time")


def test_the_brackets_share_out_every_configuration():
    brackets = plan(72, 100, factor=3)
    assert [s for s, _, _ in brackets] == [4, 3, 2, 1, 0]
    assert sum(n for _, n, _ in brackets) == 72
    assert brackets[0][2] == [1, 4, 11, 33, 100] and brackets[-1][2] == [100]


def test_runs_that_reach_max_epochs_equal_the_grids_runs(data, float64):
    X, y, Xv, yv = data
    hyper = hyperband_search(X, y, P, x_val=Xv, y_val=yv, prune_quantile=None, random_state=3)
    grid = grid_search(X, y, P, x_val=Xv, y_val=yv, score="best", random_state=3).table.set_index("config")
    table = hyper.table.set_index("config")
    full = table[table["round_epochs"] == 9]
    assert 1 <= len(full) < len(table)
    for config, row in full.iterrows():       # continued across rungs, yet the grid's uninterrupted run
        assert row["val_loss"] == grid.loc[config, "val_loss"] and row["loss"] == grid.loc[config, "loss"]
    assert (table["epochs_trained"] == table["round_epochs"]).all()          # nothing was retrained
    assert table["epochs_trained"].sum() < 9 * len(table)
    assert hyper.best_params["epochs"] == int(hyper.table["round_epochs"].iloc[0])


WIDE = {"first_neuron": [2, 4, 8], "optimizer": ["adam", "sgd", "rmsprop"], "dropout": [0.0, 0.3],
        "batch_size": [32], "epochs": [9]}


def test_pruned_runs_stop_early_and_the_table_is_identical_for_any_n_jobs_and_backend(data):
    X, y, Xv, yv = data
    one = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=0.2)
    two = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=0.2, n_jobs=2)
    threads = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=0.2, n_jobs=3,
                               backend="threading")
    assert _without_time(one.table).equals(_without_time(two.table))
    assert _without_time(one.table).equals(_without_time(threads.table))
    assert {"round_epochs", "epochs_trained", "best_epoch", "last_val_loss", "bracket", "pruned"} <= set(one.table)
    pruned = one.table[one.table["pruned"]]
    assert len(pruned) and list(one.table["pruned"]) == sorted(one.table["pruned"])      # pruned rows last
    free = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=None).table
    assert not free["pruned"].any()
    assert one.table["epochs_trained"].sum() < free["epochs_trained"].sum()


def _no_model(x, y, xv, yv, params):
    from neuronet.search import talos_model
    history, _ = talos_model(x, y, xv, yv, params)
    return history, None


def test_a_model_function_that_hides_its_model_is_retrained_with_one_warning(data):
    X, y, Xv, yv = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hidden = hyperband_search(X, y, P, model_fn=_no_model, x_val=Xv, y_val=yv, prune_quantile=None)
    said = [w for w in caught if issubclass(w.category, SweepWarning) and "retrained" in str(w.message)]
    assert len(said) == 1 and "NoneType" in str(said[0].message)
    shown = hyperband_search(X, y, P, x_val=Xv, y_val=yv, prune_quantile=None)
    assert (hidden.table["epochs_trained"] > hidden.table["round_epochs"]).any()
    # retraining from scratch under the same seed reproduces the continued runs
    columns = [c for c in shown.table if c not in ("fit_time", "epochs_trained")]
    assert hidden.table[columns].equals(shown.table[columns])


@pytest.mark.parametrize("kwargs, match", [
    ({"params": {**P, "epochs": [3, 9]}}, "one value"),
    ({"params": {"first_neuron": [4]}}, "max_epochs"),
    ({"max_epochs": 5}, "disagree"),
    ({"factor": 1}, "factor"),
    ({"min_epochs": 20}, "min_epochs"),
    ({"prune_quantile": 2.0}, "prune_quantile"),
    ({"score": "mean"}, "score"),
])
def test_invalid_arguments_are_named(data, kwargs, match):
    X, y, Xv, yv = data
    kwargs = {"params": P, **kwargs}
    with pytest.raises(ValueError, match=match):
        hyperband_search(X, y, x_val=Xv, y_val=yv, **kwargs)


def test_cross_validated_runs_continue_every_fold(data):
    X, y, _, _ = data
    small = {**P, "dropout": [0.3]}
    hyper = hyperband_search(X, y, small, cv=2, prune_quantile=None, random_state=0).table.set_index("config")
    grid = grid_search(X, y, small, cv=2, score="best", random_state=0).table.set_index("config")
    full = hyper[hyper["round_epochs"] == 9]
    assert len(full)
    for config, row in full.iterrows():
        assert row["val_loss"] == grid.loc[config, "val_loss"]


@pytest.mark.dask
def test_dask_local_cluster_gives_the_local_table(data):
    distributed = pytest.importorskip("distributed")
    X, y, Xv, yv = data
    local = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=0.2)
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        remote = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=0.2,
                                  backend="dask")
    assert _without_time(local.table).equals(_without_time(remote.table))


def test_the_reference_is_every_rung_0_curve_and_the_brackets_earlier_curves():
    state = {0: {"bracket": 2, "curves": {0: [0.9], 1: [0.9, 0.8, 0.7], 2: [0.9, 0.8, 0.7, 0.6]}},
             1: {"bracket": 2, "curves": {0: [0.5], 1: [0.5, 0.4, 0.3]}},
             2: {"bracket": 2, "curves": {0: [0.95]}},
             3: {"bracket": 1, "curves": {0: [0.6, 0.5, 0.4], 1: [0.6, 0.5, 0.4, 0.3]}},
             4: {"bracket": 0, "curves": {0: []}}}               # pruning was off for it: no curve
    assert _reference(state, 2, 0) == []
    assert _reference(state, 2, 1) == [[0.9], [0.5], [0.95], [0.6, 0.5, 0.4]]
    # config 0's rung-2 curve and config 3's rung-1 curve (another bracket) are not seen, whatever ended first
    assert _reference(state, 2, 2) == [[0.9, 0.8, 0.7], [0.5, 0.4, 0.3], [0.95], [0.6, 0.5, 0.4]]
    assert _reference(state, 1, 1) == [[0.9], [0.5], [0.95], [0.6, 0.5, 0.4]]


class _Boom(Exception):
    pass


def _fails_when_promoted():
    calls = {}

    def model_fn(x, y, xv, yv, params):
        from neuronet.search import talos_model
        key = tuple(sorted((k, str(v)) for k, v in params.items()))
        calls[key] = calls.get(key, 0) + 1
        if calls[key] == 2:
            raise _Boom(f"promoted run of {params['first_neuron']} neurons")
        return talos_model(x, y, xv, yv, params)
    return model_fn


@pytest.mark.parametrize("kwargs", [{}, {"n_jobs": 2, "backend": "threading"}])
def test_a_model_functions_exception_surfaces(data, kwargs):
    X, y, Xv, yv = data
    with pytest.raises(_Boom, match="promoted run"):
        hyperband_search(X, y, P, model_fn=_fails_when_promoted(), x_val=Xv, y_val=yv, **kwargs)


def test_a_worker_processs_exception_surfaces_and_the_next_search_runs(data):
    X, y, Xv, yv = data
    with pytest.raises(ValueError, match="activation identifier: 'nope'"):
        hyperband_search(X, y, {**P, "activation": ["relu", "nope"]}, x_val=Xv, y_val=yv, n_jobs=2)
    again = hyperband_search(X, y, P, x_val=Xv, y_val=yv, n_jobs=2, prune_quantile=None)
    assert len(again.table) == 8


def test_an_unknown_backend_is_named(data):
    X, y, Xv, yv = data
    with pytest.raises(ValueError, match="'threading', 'dask'.*backend='multiprocessing'"):
        hyperband_search(X, y, P, x_val=Xv, y_val=yv, n_jobs=2, backend="multiprocessing")


@pytest.mark.parametrize("kwargs", [{}, {"n_jobs": 2, "backend": "threading"}])
def test_the_progress_bar_counts_every_run(data, capsys, kwargs):
    X, y, Xv, yv = data
    calls = []

    def counted(x, y, xv, yv, params):
        from neuronet.search import talos_model
        calls.append(1)
        return talos_model(x, y, xv, yv, params)
    hyperband_search(X, y, P, model_fn=counted, x_val=Xv, y_val=yv, prune_quantile=None, verbose=1, **kwargs)
    err = capsys.readouterr().err
    assert len(calls) > 8 and f"{len(calls)}/{len(calls)}" in err     # 8 configurations, some promoted


def test_a_bracket_is_promoted_once_rung_0_of_every_bracket_has_ended():
    brackets = [{"s": 1, "members": [0, 1, 2], "budgets": [1, 3], "rung": 0},
                {"s": 0, "members": [3], "budgets": [3], "rung": 0}]
    state = {i: {"bracket": 1 if i < 3 else 0, "checkpoints": None, "trained": 0, "fit_time": 0.0, "curves": {},
                 "stopped": True, "pruned": False, "row": None, "read": set()} for i in range(4)}
    schedule = _Schedule(brackets, state, 3, None, lambda result: None,
                         lambda i, budget, pruning: (print, (i, budget, pruning)), ("val_loss", 0.5))

    def result(i, value, epochs):
        return ({"config": i, "val_loss": value, "round_epochs": epochs},
                {"checkpoints": ["run"], "stopped": True, "pruned": False, "curve": [value] * epochs,
                 "trained": epochs, "fit_time": 0.0, "read": set(), "reasons": set()})
    first = schedule.start()
    # priority: epochs left to the bracket's last rung, then the runs' own epochs
    assert [(priority, runs) for priority, runs, _, _ in first] == [((3, 1), (0,)), ((3, 1), (1,)), ((3, 1), (2,)),
                                                                     ((3, 3), (3,))]
    assert schedule.finished((0, 1), [result(0, 0.5, 1), result(1, 0.3, 1)]) == []
    assert schedule.finished((2,), [result(2, 0.4, 1)]) == []
    [(priority, runs, _, (calls,))] = schedule.finished((3,), [result(3, 0.2, 3)])
    [call] = calls
    i, budget, pruning = call.args
    assert (priority, runs, i, budget) == ((2, 2), (1,), 1, 3)   # the best of bracket 1 continues for 2 epochs
    assert pruning == ("val_loss", 0.5, [[0.5], [0.3], [0.4], [0.2, 0.2, 0.2]])


def test_runs_shorter_than_task_epochs_share_tasks_and_their_results_come_back_in_order():
    from neuronet.search.hyperband import TASK_EPOCHS, _run_all
    brackets = [{"s": 2, "members": list(range(10)), "budgets": [1, 3, 9], "rung": 0},
                {"s": 1, "members": [10, 11, 12], "budgets": [3, 9], "rung": 0}]
    state = {i: {"bracket": 2 if i < 10 else 1, "checkpoints": None, "trained": 0, "fit_time": 0.0,
                 "curves": {}, "stopped": True, "pruned": False, "row": None, "read": set()} for i in range(13)}
    schedule = _Schedule(brackets, state, 3, None, lambda result: None,
                         lambda i, budget, pruning: (pow, (i, 2)), None)
    tasks = schedule.start()
    assert TASK_EPOCHS == 8
    # ten 1-epoch runs: eight to a task, the last two alone; three 3-epoch runs: (2 to a task,) the last two alone
    assert [runs for _, runs, _, _ in tasks] == [tuple(range(8)), (8,), (9,), (10,), (11,), (12,)]
    _, runs, function, args = tasks[0]
    assert function(*args) == [i ** 2 for i in runs] and function is _run_all

