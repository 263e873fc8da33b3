"""score='best' scores a run at its best epoch by `metric`, as restore_best_weights would keep it."""
import numpy as np
import pytest

from neuronet.search import grid_search

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
