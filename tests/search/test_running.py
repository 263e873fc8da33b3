"""Running a sweep's configurations: a Dask cluster gives the local table; verbose=1 shows a progress
bar with the best score so far."""
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from neuronet.optimizers import Adam
from neuronet.search import grid_search
from neuronet.search.running import _pool, _run_as_ready


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


def _square(x):
    return x * x


def _chain(order):
    """Tasks squaring 2, 3, 5 (priority: the number); a result x < 20 makes a task squaring x, key * 10."""
    def finished(key, result):
        order.append(key)
        return [(result, key * 10, _square, (result,))] if result < 20 else []
    return [(n, n, _square, (n,)) for n in (2, 3, 5)], finished


def test_tasks_run_here_highest_priority_first_with_the_tasks_they_make_ready():
    order = []
    tasks, finished = _chain(order)
    _run_as_ready(tasks, finished)
    # 5 -> 25; 3 -> 9, whose task (priority 9) goes before 2's; 2 -> 4 -> 16 -> 256
    assert order == [5, 3, 30, 2, 20, 200]
    order.clear()
    _run_as_ready([((1, 0), 2, _square, (3,)), ((1, 5), 3, _square, (2,)), ((1, 5), 1, _square, (5,))],
                  lambda key, result: order.append(key) or [])
    assert order == [1, 3, 2]                   # priorities compare as tuples; ties: the lower key


@pytest.mark.parametrize("n_jobs, backend", [(2, "threading"), (2, None)])
def test_workers_run_every_task_they_make_ready(n_jobs, backend):
    order = []
    tasks, finished = _chain(order)
    _run_as_ready(tasks, finished, n_jobs, backend)
    assert sorted(order) == [2, 3, 5, 20, 30, 200]


def _fails(x):
    raise ZeroDivisionError(f"task {x}")


def test_a_tasks_exception_is_raised_and_the_tasks_not_started_are_not_run():
    ran = []
    tasks = [(2, 0, _fails, (0,))] + [(1, k, ran.append, (k,)) for k in range(1, 41)]
    with pytest.raises(ZeroDivisionError, match="task 0"):
        _run_as_ready(tasks, lambda key, result: [], n_jobs=2, backend="threading")
    assert len(ran) < 40


def test_an_unknown_backend_is_refused_with_the_accepted_ones():
    with pytest.raises(ValueError, match=r"\[None, 'loky', 'threading', 'dask'\].*backend='sequential'"):
        _run_as_ready([], lambda key, result: [], n_jobs=2, backend="sequential")


def test_the_process_pool_is_the_one_joblib_sweeps_use():
    import joblib
    from joblib.externals.loky import get_reusable_executor
    joblib.Parallel(n_jobs=2)(joblib.delayed(_square)(n) for n in range(4))
    started = get_reusable_executor(reuse=True)
    big = np.arange(300_000, dtype=np.float64)          # over joblib's 1 MB: sent as a memory map
    with _pool(2, None) as (_, submit):
        assert submit(_square, 3).result() == 9
        np.testing.assert_array_equal(submit(_square, big).result(), big * big)
    joblib.Parallel(n_jobs=2)(joblib.delayed(_square)(n) for n in range(4))
    assert get_reusable_executor(reuse=True) is started      # neither restarted the other's workers


def test_a_progress_total_planned_as_an_upper_bound_ends_at_the_runs_that_ran(capsys):
    from neuronet.search.running import _Progress
    progress = _Progress(5, None, verbose=1)
    for value in (0.5, 0.4, 0.3):
        progress(({"val_loss": value}, {}))
    progress.done()
    progress.close()
    err = capsys.readouterr().err
    assert "3/3" in err and "best val_loss=0.3" in err
