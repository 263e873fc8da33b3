"""bayesian_search: Optuna's TPE over the Talos dictionary, pruning by epoch, seeded and identical for any
n_jobs and backend."""
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

optuna = pytest.importorskip("optuna")
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution  # noqa: E402

from neuronet.optimizers import Adam  # noqa: E402
from neuronet.search import bayesian_search, talos_model  # noqa: E402
from neuronet.search.pruning import PruningCallback  # noqa: E402

P = {"first_neuron": [2, 4, 8], "epochs": [4], "optimizer": [Adam, "sgd"], "activation": ["relu", "tanh"],
     "dropout": FloatDistribution(0.0, 0.5)}


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    return X[:240], y[:240], X[240:320], y[240:320]


def _metrics_only(result):
    return result.table.drop(columns="fit_time")


def test_table_study_and_best_params_with_the_original_objects(data):
    X, y, Xv, yv = data
    result = bayesian_search(X, y, P, n_trials=6, trials_per_round=3, x_val=Xv, y_val=yv, pruner=None)
    table = result.table
    assert len(table) == 6 and sorted(table["config"]) == list(range(6))
    assert {"first_neuron", "optimizer", "dropout", "loss", "val_loss", "val_acc", "round_epochs", "best_epoch",
            "pruned", "fit_time"} <= set(table.columns)
    assert table["val_loss"].is_monotonic_increasing and result.metric == "val_loss"
    assert set(table["optimizer"]) <= {"Adam", "sgd"} and not table["pruned"].any()
    study = result.study
    assert [t.state for t in study.trials] == [optuna.trial.TrialState.COMPLETE] * 6
    best = study.best_trial
    assert int(table["config"].iloc[0]) == best.number and best.value == table["val_loss"].iloc[0]
    assert result.best_params["optimizer"] in (Adam, "sgd")                 # the class itself, not its name
    assert result.best_params["dropout"] == best.params["dropout"]
    assert result.configs[best.number] == result.best_params


def test_a_fixed_seed_repeats_for_any_n_jobs(data):
    X, y, Xv, yv = data
    kwargs = dict(n_trials=6, trials_per_round=3, x_val=Xv, y_val=yv, random_state=5)
    serial = bayesian_search(X, y, P, **kwargs)
    parallel = bayesian_search(X, y, P, n_jobs=2, **kwargs)
    threads = bayesian_search(X, y, P, n_jobs=3, backend="threading", **kwargs)
    assert _metrics_only(serial).equals(_metrics_only(parallel))
    assert _metrics_only(serial).equals(_metrics_only(threads))
    other = bayesian_search(X, y, P, **{**kwargs, "random_state": 6})
    assert not _metrics_only(serial).equals(_metrics_only(other))


@pytest.mark.dask
def test_dask_local_cluster_gives_the_local_table(data):
    distributed = pytest.importorskip("distributed")
    X, y, Xv, yv = data
    kwargs = dict(n_trials=4, trials_per_round=2, x_val=Xv, y_val=yv, random_state=3)
    local = bayesian_search(X, y, P, **kwargs)
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        remote = bayesian_search(X, y, P, backend="dask", **kwargs)
    assert _metrics_only(local).equals(_metrics_only(remote))


class PruneAfterSecondEpoch(optuna.pruners.BasePruner):
    """Prunes every trial after trial 1 at step 1: pruning is then known without comparing scores."""

    def prune(self, study, trial):
        return trial.number >= 2 and max(trial.intermediate_values) >= 1


def test_pruned_trials_stop_by_epoch_and_report_their_curves(data):
    X, y, Xv, yv = data
    p = {**P, "epochs": [5]}
    result = bayesian_search(X, y, p, n_trials=4, trials_per_round=2, x_val=Xv, y_val=yv,
                             pruner=PruneAfterSecondEpoch())
    table = result.table.set_index("config").sort_index()
    assert table["pruned"].tolist() == [False, False, True, True]
    assert table["round_epochs"].tolist() == [5, 5, 2, 2]                    # stopped after epoch 2
    assert table["pruned"].iloc[-2:].all() and result.table["pruned"].iloc[-2:].all()   # ranked last
    states = [t.state for t in result.study.trials]
    assert states == [optuna.trial.TrialState.COMPLETE] * 2 + [optuna.trial.TrialState.PRUNED] * 2
    assert sorted(result.study.trials[0].intermediate_values) == [0, 1, 2, 3, 4]


def test_the_median_pruner_compares_with_earlier_rounds_only(data):
    X, y, Xv, yv = data
    p = {"first_neuron": [1, 16], "epochs": [6], "optimizer": ["sgd", Adam], "activation": ["relu"]}
    kwargs = dict(n_trials=8, trials_per_round=4, x_val=Xv, y_val=yv, random_state=0,
                  pruner=optuna.pruners.MedianPruner(n_startup_trials=2))
    result = bayesian_search(X, y, p, **kwargs)
    first_round = result.table[result.table["config"] < 4]
    assert not first_round["pruned"].any()          # nothing had finished when they ran
    assert _metrics_only(result).equals(_metrics_only(bayesian_search(X, y, p, n_jobs=2, **kwargs)))


def test_optuna_distributions_and_non_plain_choices_reach_the_model_function(data):
    X, y, Xv, yv = data
    seen = []

    def model_fn(x_train, y_train, x_val, y_val, params):
        seen.append(dict(params))
        return talos_model(x_train, y_train, x_val, y_val, {**params, "first_neuron": params["layers"][0]})

    p = {"layers": [[4], [8, 8]], "epochs": IntDistribution(1, 3), "optimizer": CategoricalDistribution(["adam"]),
         "dropout": FloatDistribution(0.0, 0.2, step=0.1), "batch_size": [16, 32]}
    result = bayesian_search(X, y, p, n_trials=4, x_val=Xv, y_val=yv, model_fn=model_fn)
    assert all(s["layers"] in ([4], [8, 8]) and 1 <= s["epochs"] <= 3 and s["optimizer"] == "adam" for s in seen)
    assert all(round(s["dropout"] * 10) == pytest.approx(s["dropout"] * 10) for s in seen)
    assert {str(v) for v in result.table["layers"]} <= {"[4]", "[8, 8]"}
    assert {t.params["layers"] for t in result.study.trials} <= {0, 1}    # stored by position


def test_errors_name_the_argument(data):
    X, y, Xv, yv = data
    with pytest.raises(ValueError, match="params"):
        bayesian_search(X, y, {})
    with pytest.raises(ValueError, match=r"params\['epochs'\].*optuna distribution"):
        bayesian_search(X, y, {"epochs": 3})
    with pytest.raises(ValueError, match="pruner='hyperband'"):
        bayesian_search(X, y, P, pruner="hyperband")
    with pytest.raises(ValueError, match="n_trials"):
        bayesian_search(X, y, P, n_trials=0)
    with pytest.raises(ValueError, match="score='mean'"):
        bayesian_search(X, y, P, score="mean")
    with pytest.raises(ValueError, match=r"metric='val_auc'"):
        bayesian_search(X, y, {"epochs": [1]}, n_trials=1, x_val=Xv, y_val=yv, metric="val_auc", score="last")


class _Trial:
    def __init__(self, prune_at):
        self.prune_at, self.values = prune_at, {}

    def report(self, value, step):
        self.values[step] = value

    def should_prune(self):
        return max(self.values) >= self.prune_at


def test_pruning_callback_reports_each_epoch_and_stops_the_fit(data):
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    X, y, Xv, yv = data
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(X.shape[1],))])
    model.compile("sgd", "binary_crossentropy")
    trial = _Trial(prune_at=2)
    callback = PruningCallback(trial, "val_loss")
    history = model.fit(X, y, validation_data=(Xv, yv), epochs=10, verbose=0, callbacks=[callback])
    assert len(history.history["val_loss"]) == 3 and callback.pruned
    assert trial.values == dict(enumerate(history.history["val_loss"]))
    model.fit(X, y, validation_data=(Xv, yv), epochs=2, verbose=0, callbacks=[callback])
    assert len(trial.values) == 3                                   # only the first fit reports
