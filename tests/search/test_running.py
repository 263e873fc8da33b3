"""Running a sweep's configurations: a Dask cluster gives the local table; verbose=1 shows a progress
bar with the best score so far."""
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from neuronet.optimizers import Adam
from neuronet.search import grid_search


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    return X[:300], y[:300], X[300:400], y[300:400]


P = {"first_neuron": [4, 8], "hidden_layers": [0, 1], "batch_size": [32], "epochs": [3],
     "optimizer": [Adam, "sgd"], "losses": ["binary_crossentropy"], "activation": ["relu"],
     "last_activation": ["sigmoid"]}


def _metrics_only(result):
    return result.table.drop(columns="fit_time")


@pytest.mark.dask
def test_dask_local_cluster_gives_the_local_table(data):
    distributed = pytest.importorskip("distributed")
    X, y, Xv, yv = data
    local = grid_search(X, y, P, x_val=Xv, y_val=yv, random_state=3)
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        remote = grid_search(X, y, P, x_val=Xv, y_val=yv, random_state=3, backend="dask")
    assert _metrics_only(local).equals(_metrics_only(remote))
    with pytest.raises(RuntimeError, match="Client"):
        grid_search(X, y, P, x_val=Xv, y_val=yv, backend="dask")


rng = np.random.default_rng(0)
X = rng.normal(size=(60, 3)).astype(np.float32)
Y = (X[:, 0] > 0).astype(np.float32)


def test_progress_bar_shows_configurations_and_the_best_so_far(capsys):
    params = {"first_neuron": [2, 3], "epochs": [1]}
    result = grid_search(X, Y, params, val_split=0.25, verbose=1)
    err = capsys.readouterr().err
    assert "configurations" in err and "2/2" in err
    assert f"best val_loss={result.table['val_loss'].iloc[0]:.4g}" in err
    grid_search(X, Y, params, val_split=0.25)
    assert capsys.readouterr().err == ""
    with pytest.raises(ValueError, match="verbose=2"):
        grid_search(X, Y, params, verbose=2)
