"""neuronet.cli.network: the epoch bar fits the terminal with its metrics whole; the task heads."""
import io
import re

import numpy as np
import pytest

from neuronet.cli import network


def _lines(columns, logs, epochs=100, label="train", scale=None):
    buf = io.StringIO()
    bar = network.EpochBar(label, scale=scale, file=buf, columns=columns)
    bar.params = {"epochs": epochs}
    bar.on_train_begin()
    for epoch in range(3):
        bar.on_epoch_end(epoch, logs)
    return [line for line in buf.getvalue().split("\r") if line.strip()]


CLASSIFIER = {"loss": 0.341234, "acc": 0.875, "val_loss": 0.360123, "val_acc": 0.854231}
REGRESSOR = {"loss": 0.0612, "mae": 0.1885, "val_loss": 0.0711, "val_mae": 0.2037}


@pytest.mark.parametrize("columns", [80, 100, 200])
@pytest.mark.parametrize("logs", [CLASSIFIER, REGRESSOR])
def test_bar_fits_the_terminal_with_whole_metrics_and_a_real_bar(columns, logs):
    lines = _lines(columns, logs)
    assert len(lines) == 4                                   # the empty bar, then one line per epoch
    for line in lines[1:]:
        assert len(line) < columns, line
        cells = re.search(r"\|(.*)\|", line).group(1)
        assert len(cells) >= network.EpochBar.MIN_CELLS, line
        for key, value in logs.items():
            assert f"{key}={value:.4g}" in line, line
    if columns >= 100:
        assert re.search(r"\d\d:\d\d<\d\d:\d\d", lines[-1])    # room for the time too


def test_bar_shows_regression_logs_in_the_targets_units():
    line = _lines(80, REGRESSOR, scale={"loss": 9.0, "val_loss": 9.0, "mae": 3.0, "val_mae": 3.0})[-1]
    assert "loss=0.5508" in line and "mae=0.5655" in line and "val_mae=0.6111" in line


def test_closing_line_keeps_the_notes_format(capsys):
    bar = network.EpochBar("train", file=io.StringIO(), columns=80)
    bar.params = {"epochs": 2}
    bar.on_train_begin()
    bar.on_epoch_end(0, CLASSIFIER)
    bar.on_train_end()
    out = capsys.readouterr().out
    assert re.fullmatch(r"train: 1 epochs in [\d.]+s - loss: 0.3412 - acc: 0.8750 - val_loss: 0.3601 - "
                        r"val_acc: 0.8542\n", out)


@pytest.mark.parametrize("task, n, expected", [("regression", 0, (1, None, "mse", ["mae"])),
                                               ("classification", 2, (1, "sigmoid", "binary_crossentropy", ["acc"])),
                                               ("classification", 3, (3, "softmax",
                                                                      "sparse_categorical_crossentropy", ["acc"]))])
def test_task_heads_are_the_notes_choices(task, n, expected):
    assert network.task_head(task, n) == expected


def test_early_stopping_keeps_the_best_weights():
    cb = network.early_stopping(7)
    assert (cb.monitor, cb.patience, cb.restore_best_weights) == ("val_loss", 7, True)


def test_regression_scores_are_in_the_units_given():
    scores = network.score("regression", np.array([10.0, 20.0]), np.array([12.0, 18.0]))
    assert scores["mae"] == 2.0 and scores["rmse"] == 2.0
