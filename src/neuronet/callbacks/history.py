"""History: the per-epoch record that fit returns."""
from neuronet.callbacks.base import Callback


class HistoryDict(dict):
    """A plain dict of per-epoch lists whose missing key says which keys exist: ``history['acc']`` after
    ``metrics=['accuracy']`` points at 'accuracy' (Keras 2 logged 'acc', Keras 3 logs the name given)."""

    def __missing__(self, key):
        hint = ""
        if isinstance(key, str):
            base, prefix = (key[4:], "val_") if key.startswith("val_") else (key, "")
            twins = {"acc": "accuracy", "accuracy": "acc"}
            if base in twins and prefix + twins[base] in self:
                hint = (f" The metric is logged under the name compiled: '{prefix + twins[base]}' (compile with "
                        f"metrics=['{base}'] to log '{key}').")
            elif base in self and prefix:
                hint = " Validation keys appear when fit is given validation_data or validation_split."
        raise KeyError(f"{key!r} is not in the history, which holds {sorted(self)}.{hint}")


class History(Callback):
    """``history.history`` maps 'loss', each metric name and their 'val_' forms to per-epoch lists;
    ``history.epoch`` lists the epoch indices, and ``history.validation_epochs`` those that validated
    (all of them, unless fit's ``validation_freq`` skips some; neuronet's addition, for plots).

    >>> # history = model.fit(...); plt.plot(history.history['val_loss'])
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list] = HistoryDict()
        self.epoch: list[int] = []
        self.validation_epochs: list[int] = []

    def on_train_begin(self, logs=None):
        if not getattr(self, "_resumed", False):
            self.history, self.epoch, self.validation_epochs = HistoryDict(), [], []

    def resume_from(self, history, epoch, validation_epochs=()):
        """Continue a History saved earlier (BackupAndRestore): its per-epoch lists, epoch indices and
        validated epochs; the next on_train_begin keeps them."""
        self.history = HistoryDict({k: list(v) for k, v in history.items()})
        self.epoch, self.validation_epochs = list(epoch), list(validation_epochs)
        self._resumed = True

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        if any(key.startswith("val_") for key in logs or {}):
            self.validation_epochs.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        return f"History(keys={list(self.history)}, epochs={len(self.epoch)})"
