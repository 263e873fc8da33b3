"""hyperband_search: brackets of successive halving whose promoted runs continue where they stopped."""
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from neuronet.search import SweepWarning, grid_search, hyperband_search
from neuronet.search.hyperband import plan

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


def test_pruned_runs_stop_early_and_the_table_is_identical_for_any_n_jobs(data):
    X, y, Xv, yv = data
    one = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=0.2)
    two = hyperband_search(X, y, WIDE, x_val=Xv, y_val=yv, random_state=1, prune_quantile=0.2, n_jobs=2)
    assert _without_time(one.table).equals(_without_time(two.table))
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
