"""grid_search and random_search: the table, sorting, best parameters, seeded runs that n_jobs does not
change, hold-out and cross-validation splits, ranking metrics, and score='best' (a run scored at its best
epoch by `metric`, as restore_best_weights would keep it)."""
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from neuronet.optimizers import Adam
from neuronet.search import grid_search, random_search, talos_model


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


def test_grid_table_shape_sorting_and_best_params(data):
    X, y, Xv, yv = data
    result = grid_search(X, y, P, x_val=Xv, y_val=yv)
    table = result.table
    assert len(table) == 8 and sorted(table["config"]) == list(range(8))
    assert {"first_neuron", "hidden_layers", "optimizer", "loss", "val_loss", "acc", "val_acc",
            "round_epochs", "fit_time"} <= set(table.columns)
    assert table["val_loss"].is_monotonic_increasing and result.metric == "val_loss"
    assert set(table["optimizer"]) == {"Adam", "sgd"}        # classes are shown by name
    top = table.iloc[0]                                       # the lowest val_loss
    assert result.best_params == {"first_neuron": top["first_neuron"], "hidden_layers": top["hidden_layers"],
                                  "batch_size": 32, "epochs": 3, "losses": "binary_crossentropy",
                                  "activation": "relu", "last_activation": "sigmoid",
                                  "optimizer": {"Adam": Adam, "sgd": "sgd"}[top["optimizer"]]}  # the class itself
    by_acc = grid_search(X, y, P, x_val=Xv, y_val=yv, metric="val_acc")
    assert by_acc.table["val_acc"].is_monotonic_decreasing
    assert result.data is result.table                        # Talos' name


def test_seeded_runs_repeat_and_n_jobs_does_not_change_the_table(data):
    X, y, Xv, yv = data
    serial = grid_search(X, y, P, x_val=Xv, y_val=yv, random_state=7)
    again = grid_search(X, y, P, x_val=Xv, y_val=yv, random_state=7)
    parallel = grid_search(X, y, P, x_val=Xv, y_val=yv, random_state=7, n_jobs=2)
    assert _metrics_only(serial).equals(_metrics_only(again))
    assert _metrics_only(serial).equals(_metrics_only(parallel))


def test_cv_folds_random_search_and_custom_model_fn(data):
    X, y, _, _ = data
    calls = []

    def model_fn(x_train, y_train, x_val, y_val, params):
        calls.append(len(x_val))
        return talos_model(x_train, y_train, x_val, y_val, params)

    result = random_search(X, y, P, n_iter=3, cv=3, model_fn=model_fn, metric="val_acc", random_state=1)
    assert len(result.table) == 3 and len(calls) == 9 and sum(calls[:3]) == len(X)
    assert result.table["val_acc"].between(0, 1).all()


def test_hold_out_split_and_errors(data):
    X, y, _, _ = data
    result = grid_search(X, y, {"first_neuron": [4], "epochs": [2], "dropout": [0.0, 0.25]}, val_split=0.25)
    assert len(result.table) == 2 and "val_loss" in result.table
    with pytest.raises(ValueError, match="params"):
        grid_search(X, y, {})
    with pytest.raises(ValueError, match="metric"):
        grid_search(X, y, {"epochs": [1]}, metric="val_f1")
    with pytest.raises(ValueError, match="n_iter"):
        random_search(X, y, P, n_iter=0)


def test_lower_is_better_metrics_rank_ascending_by_the_monitor_rule(data):
    """A metric like val_eer (equal error rate: no "loss" or "error" in its name) ranks smallest first, as
    EarlyStopping's mode='auto' would treat it; accuracies rank largest first."""
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    X, y, Xv, yv = data

    def model_fn(x_train, y_train, x_val, y_val, params):
        model = Sequential([Dense(params["units"], activation="relu", input_shape=(X.shape[1],)),
                            Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["eer", "acc"])
        history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=2, verbose=0)
        return history, model

    params = {"units": [1, 2, 8]}
    by_ce = grid_search(X, y, params, model_fn=model_fn, x_val=Xv, y_val=yv, metric="val_eer")
    assert by_ce.table["val_eer"].is_monotonic_increasing
    by_acc = grid_search(X, y, params, model_fn=model_fn, x_val=Xv, y_val=yv, metric="val_acc")
    assert by_acc.table["val_acc"].is_monotonic_decreasing


def test_per_class_metrics_become_one_column_per_class_and_can_rank():
    """F1Score() logs one score per class (Keras' average=None): the table gets one column per class."""
    from neuronet.layers import Dense
    from neuronet.metrics import F1Score
    from neuronet.models import Sequential

    def model_fn(xt, yt, xv, yv, p):
        model = Sequential([Dense(p["units"], activation="relu", input_shape=(4,)), Dense(3, activation="softmax")])
        model.compile("adam", "categorical_crossentropy", metrics=[F1Score()])
        return model.fit(xt, yt, validation_data=(xv, yv), epochs=2, verbose=0), model

    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4)).astype(np.float32)
    y = np.eye(3)[rng.integers(0, 3, 60)].astype(np.float32)
    result = grid_search(x, y, {"units": [4, 8]}, model_fn=model_fn, cv=2, metric="val_f1_score[1]")
    assert {"val_f1_score[0]", "val_f1_score[1]", "val_f1_score[2]"} <= set(result.table.columns)
    assert result.table["val_f1_score[1]"].is_monotonic_decreasing      # an F-score: higher is better
    with pytest.raises(ValueError, match=r"per class.*val_f1_score\[0\].*average='macro'"):
        grid_search(x, y, {"units": [4]}, model_fn=model_fn, metric="val_f1_score")


def test_a_metric_that_is_not_logged_fails_before_the_sweep_trains(data, monkeypatch):
    """talos_model's logged names follow from params, so nothing trains; the error lists metric columns
    only (no config / parameter / round_epochs / fit_time)."""
    from neuronet.models import Sequential
    X, y, Xv, yv = data

    def no_training(*args, **kwargs):
        raise AssertionError("a configuration was trained")

    with monkeypatch.context() as patch:
        patch.setattr(Sequential, "fit", no_training)
        with pytest.raises(ValueError, match=r"talos_model does not log it.*metric='val_acuracy'; "
                                             r"logged: \['loss', 'acc', 'val_loss', 'val_acc'\]$"):
            grid_search(X, y, P, x_val=Xv, y_val=yv, metric="val_acuracy")
        with pytest.raises(ValueError, match=r"logged: \['loss', 'val_loss'\]$"):
            grid_search(X, y, {"losses": ["mse"], "epochs": [1]}, x_val=Xv, y_val=yv, metric="val_acc")
        with pytest.raises(TypeError, match="metric=3"):
            grid_search(X, y, P, x_val=Xv, y_val=yv, metric=3)


def test_with_your_own_model_fn_a_metric_some_configurations_log_ranks_them(data):
    """Only the cross-entropy configuration logs val_acc: the sweep runs both and ranks by it; a metric
    that no configuration logs fails after the sweep, listing what was logged."""
    X, y, Xv, yv = data
    calls = []

    def model_fn(x_train, y_train, x_val, y_val, params):
        calls.append(params)
        return talos_model(x_train, y_train, x_val, y_val, params)

    params = {"losses": ["mse", "binary_crossentropy"], "epochs": [2]}
    result = grid_search(X, y, params, model_fn=model_fn, x_val=Xv, y_val=yv, metric="val_acc")
    assert len(calls) == 2
    assert result.table["val_acc"].notna().tolist() == [True, False]      # the logged one ranks first
    assert result.best_params["losses"] == "binary_crossentropy"
    calls.clear()
    with pytest.raises(ValueError, match=r"no run logged it.*"
                                         r"logged: \['loss', 'acc', 'val_loss', 'val_acc'\]$"):
        grid_search(X, y, P, model_fn=model_fn, x_val=Xv, y_val=yv, metric="val_auc")
    assert len(calls) == 8


X = np.zeros((20, 2), dtype=np.float32)
Y = np.zeros(20, dtype=np.float32)
HISTORIES = {1: {"loss": [3.0, 2.0, 1.0], "val_loss": [0.5, 0.2, 0.4], "val_acc": [0.6, 0.9, 0.7]},
             2: {"loss": [3.0, 2.5, 2.0], "val_loss": [0.6, 0.5, 0.3], "val_acc": [0.5, 0.6, 0.8]}}


def logged(x_train, y_train, x_val, y_val, params):
    return HISTORIES[params["run"]], None


def test_best_epoch_scores_every_metric_at_that_epoch():
    result = grid_search(X, Y, {"run": [1, 2]}, model_fn=logged, val_split=0.25, score="best")
    rows = result.table.set_index("run")
    assert rows.loc[1, ["loss", "val_loss", "val_acc", "best_epoch"]].tolist() == [2.0, 0.2, 0.9, 2]
    assert rows.loc[2, ["loss", "val_loss", "best_epoch"]].tolist() == [2.0, 0.3, 3]
    assert result.best_params == {"run": 1}
    by_acc = grid_search(X, Y, {"run": [1, 2]}, model_fn=logged, val_split=0.25, score="best", metric="val_acc")
    assert by_acc.table.set_index("run").loc[1, "val_loss"] == 0.2        # epoch 2, the best val_acc


def test_last_epoch_stays_the_default():
    result = grid_search(X, Y, {"run": [1, 2]}, model_fn=logged, val_split=0.25)
    assert result.table.set_index("run").loc[1, "val_loss"] == 0.4 and "best_epoch" not in result.table
    assert result.best_params == {"run": 2}
    with pytest.raises(ValueError, match="score='first'"):
        grid_search(X, Y, {"run": [1]}, model_fn=logged, score="first")


def test_a_model_function_building_a_functional_model(data):
    from neuronet.layers import Concatenate, Dense, Input
    from neuronet.models import Model
    X, y, Xv, yv = data

    def model_fn(x_train, y_train, x_val, y_val, params):
        inputs = Input(shape=(x_train.shape[1],))
        wide = Dense(params["first_neuron"], activation="relu")(inputs)
        model = Model(inputs, Dense(1, activation="sigmoid")(Concatenate()([wide, inputs])))
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
        history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=params["epochs"],
                            batch_size=32, verbose=0)
        return history, model

    result = grid_search(X, y, {"first_neuron": [2, 6], "epochs": [2]}, x_val=Xv, y_val=yv,
                         model_fn=model_fn, metric="val_acc")
    assert len(result.table) == 2 and result.table["val_acc"].between(0, 1).all()
    assert result.best_params["first_neuron"] in (2, 6)
