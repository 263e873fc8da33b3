"""Building, training and scoring the network that the command line trains."""
from __future__ import annotations

import sys
import time

import numpy as np

from neuronet.callbacks import Callback
from neuronet.cli.errors import CLIError


def build_model(n_features, n_outputs, layers, activation="relu", output_activation=None, dropout=0.0,
                l2=0.0):
    """Sequential: Dense(units, activation) per hidden layer (+ Dropout), then Dense(n_outputs)."""
    from neuronet import regularizers
    from neuronet.layers import Dense, Dropout
    from neuronet.models import Sequential
    reg = regularizers.L2(float(l2)) if l2 else None
    model = Sequential()
    for i, units in enumerate(layers):
        extra = {"input_shape": (n_features,)} if i == 0 else {}
        try:
            model.add(Dense(units, activation=activation, kernel_regularizer=reg, **extra))
        except ValueError as exc:
            raise CLIError(f"--activation: {exc}") from None
        if dropout:
            model.add(Dropout(float(dropout)))
    model.add(Dense(n_outputs, activation=output_activation, kernel_regularizer=reg,
                    **({} if layers else {"input_shape": (n_features,)})))
    return model


def task_head(task, n_classes):
    """(units, output activation, loss, metrics) for a task, the notes' choices."""
    if task == "regression":
        return 1, None, "mse", ["mae"]
    if n_classes == 2:
        return 1, "sigmoid", "binary_crossentropy", ["acc"]
    return n_classes, "softmax", "sparse_categorical_crossentropy", ["acc"]


def make_optimizer(name, lr=None):
    from neuronet import optimizers
    try:
        opt = optimizers.get(name)
    except ValueError as exc:
        raise CLIError(f"--optimizer: {exc}") from None
    return opt if lr is None else type(opt)(learning_rate=float(lr))


class EpochBar(Callback):
    """A tqdm bar over epochs with the last epoch's metrics (on stderr, hidden when stderr is not a
    terminal) and one closing line. ``scale`` maps a log key to a factor (a regression network's
    standardized loss and MAE times the target's scale give the target's units).

    The line fits the terminal: the metrics are always whole; the bar keeps at least MIN_CELLS cells and
    grows to MAX_CELLS; the elapsed/remaining time is shown only where it fits.

        >>> import io
        >>> bar = EpochBar("train", file=io.StringIO(), columns=80)
        >>> bar.line_format(100, "loss=0.3412")
        '{desc} {n_fmt}/{total_fmt} |{bar:30}| {elapsed}<{remaining} loss=0.3412'
        >>> bar.line_format(100, "loss=0.3412 acc=0.875 val_loss=0.3601 val_acc=0.8542")
        '{desc} {n_fmt}/{total_fmt} |{bar:10}| loss=0.3412 acc=0.875 val_loss=0.3601 val_acc=0.8542'
    """

    MIN_CELLS, MAX_CELLS = 10, 30

    def __init__(self, label="training", scale=None, file=None, columns=None):
        super().__init__()
        self.label, self.scale = label, dict(scale or {})
        self.file, self.columns = file, columns

    def on_train_begin(self, logs=None):
        from tqdm import tqdm
        self._start = time.perf_counter()
        self._total = self.params.get("epochs", 0)
        self._bar = tqdm(total=self._total, desc=self.label, file=self.file or sys.stderr,
                         disable=None if self.file is None else False, leave=False, mininterval=0, miniters=1,
                         bar_format=self.line_format(self._total, ""))
        self._last, self._epochs = {}, 0

    def scaled(self, logs):
        return {k: float(v) * self.scale.get(k, 1.0) for k, v in (logs or {}).items()
                if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)}

    def line_format(self, total, metrics):
        """tqdm's bar_format for a line of at most ``columns`` characters holding ``metrics`` whole."""
        import shutil
        width = (self.columns or shutil.get_terminal_size((80, 24)).columns) - 1   # the cursor's cell
        count = f"{self.label} {total}/{total} |"
        fixed = len(count) + 1 + (len(metrics) + 1 if metrics else 0)
        timing = " {elapsed}<{remaining}"
        room = width - fixed
        with_time = room - len(" 00:00<00:00") >= self.MIN_CELLS
        if with_time:
            room -= len(" 00:00<00:00")
        cells = max(self.MIN_CELLS, min(self.MAX_CELLS, room))
        tail = (timing if with_time else "") + (" " + metrics.replace("{", "{{").replace("}", "}}") if metrics else "")
        return "{desc} {n_fmt}/{total_fmt} |{bar:%d}|%s" % (cells, tail)

    def on_epoch_end(self, epoch, logs=None):
        self._last, self._epochs = self.scaled(logs), epoch + 1
        metrics = " ".join(f"{k}={v:.4g}" for k, v in self._last.items())
        self._bar.bar_format = self.line_format(self._total, metrics)
        self._bar.update(1)

    def on_train_end(self, logs=None):
        self._bar.close()
        shown = " - ".join(f"{k}: {v:.4f}" for k, v in self._last.items())
        print(f"{self.label}: {self._epochs} epochs in {time.perf_counter() - self._start:.1f}s - {shown}")


def early_stopping(patience):
    """Keras' EarlyStopping(monitor='val_loss', restore_best_weights=True): stop after ``patience``
    epochs without a lower val_loss and keep the best epoch's weights."""
    from neuronet.callbacks import EarlyStopping
    return EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)


def score(task, y_true, y_pred, n_classes=2):
    """Test metrics in the target's own units: accuracy and F1, or MAE, RMSE and R^2."""
    from sklearn import metrics as skm
    if task == "regression":
        return {"mae": float(skm.mean_absolute_error(y_true, y_pred)),
                "rmse": float(np.sqrt(skm.mean_squared_error(y_true, y_pred))),
                "r2": float(skm.r2_score(y_true, y_pred))}
    average = "binary" if n_classes == 2 else "macro"
    return {"accuracy": float(skm.accuracy_score(y_true, y_pred)),
            ("f1" if average == "binary" else "f1_macro"): float(skm.f1_score(y_true, y_pred, average=average))}
