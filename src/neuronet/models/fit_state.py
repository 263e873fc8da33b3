"""FitState: where a fit is, as BackupAndRestore saves it and the epoch loop reports it.

    >>> import numpy as np
    >>> state = FitState(np.random.default_rng(0), epoch=3)
    >>> state.get_state()["epoch"], state.resuming
    (3, False)
"""
from __future__ import annotations

import numpy as np


class FitState:
    """The position and running sums of a fit, public so callbacks need nothing private:

    - ``epoch``: the epoch running (0-based); ``batch``: how many of its batches are done;
    - ``loss_sum``, ``seen``: the epoch's running sum of batch losses times batch sizes, and its samples;
    - ``metrics``: the compiled metrics, whose running states ``get_state()`` includes;
    - ``shuffle_rng``: the Generator that shuffles the data each epoch;
    - ``diverged_at``: the batch at which the loss stopped being finite in this epoch (or None).

    ``batch``, ``loss_sum`` and ``seen`` are kept current after every batch only while a
    callback listens to ``on_train_batch_end`` (otherwise the epoch's loss is computed at its end).
    ``set_state`` of a position with ``batch > 0`` makes the next epoch resume mid-way (``resuming``).
    """

    def __init__(self, shuffle_rng, epoch=0, metrics=()):
        self.shuffle_rng, self.metrics = shuffle_rng, list(metrics)
        self.epoch, self.batch = int(epoch), 0
        self.loss_sum, self.seen = 0.0, 0
        self.metric_states = None
        self.diverged_at = None

    @property
    def resuming(self) -> bool:
        return self.batch > 0

    def start_epoch(self, epoch):
        """Enter ``epoch``; a resumed position (set_state) keeps its batch and running sums."""
        if epoch != self.epoch or not self.resuming:
            self.batch, self.loss_sum, self.seen, self.metric_states = 0, 0.0, 0, None
        self.epoch, self.diverged_at = epoch, None

    def get_state(self) -> dict:
        """The position, running sums and shuffling generator state, as plain values (and arrays)."""
        return {"epoch": self.epoch, "batch": self.batch, "loss_sum": self.loss_sum, "seen": self.seen,
                "metrics": [m.get_state() for m in self.metrics], "shuffle_rng": self.shuffle_rng.bit_generator.state}

    def set_state(self, state: dict, epochs=None, steps=None, samples=None) -> None:
        """Continue from ``state`` (from get_state); the shuffle generator's state is set when given.
        Everything is checked first (``check_state``), so an invalid state changes nothing."""
        state, rng = self.check_state(state, epochs, steps, samples)
        self.epoch, self.batch = state["epoch"], state["batch"]
        self.loss_sum, self.seen, self.metric_states = state["loss_sum"], state["seen"], state["metrics"]
        if rng is not None:
            self.shuffle_rng.bit_generator.state = rng.bit_generator.state

    def check_state(self, state, epochs=None, steps=None, samples=None):
        """``(state, generator)``: the position checked against the fit (``epoch <= epochs``, ``batch <=
        steps``, ``seen <= samples`` when given), a finite ``loss_sum``, metric states shaped like the
        compiled metrics' own, and the shuffle generator's state as a new Generator (or None); else a
        ValueError naming the piece."""
        from neuronet.utils.random import generator_from_state
        if not isinstance(state, dict):
            raise ValueError(f"Invalid fit state: expected the dict of get_state(). Received: {type(state).__name__}")
        values = {"epoch": state.get("epoch"), "batch": state.get("batch", 0), "seen": state.get("seen", 0)}
        limits = {"epoch": epochs, "batch": steps, "seen": samples}
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0 or \
                    (limits[name] is not None and value > limits[name]):
                bound = "" if limits[name] is None else f" at most {limits[name]} (this fit's)"
                raise ValueError(f"Invalid fit state: `{name}` must be a non-negative integer{bound}. "
                                 f"Received: {name}={value!r}")
            values[name] = int(value)
        loss_sum = state.get("loss_sum", 0.0)
        if isinstance(loss_sum, bool) or not isinstance(loss_sum, (int, float, np.integer, np.floating)) or \
                not np.isfinite(loss_sum):
            raise ValueError(f"Invalid fit state: `loss_sum` must be a finite number. Received: loss_sum={loss_sum!r}")
        values["loss_sum"], values["metrics"] = loss_sum, self._checked_metric_states(state.get("metrics"))
        rng = None
        if state.get("shuffle_rng") is not None:
            rng = generator_from_state(state["shuffle_rng"], "shuffle_rng")
        return values, rng

    def _checked_metric_states(self, saved):
        if saved is None:
            return None
        if not isinstance(saved, list) or len(saved) != len(self.metrics):
            raise ValueError(f"Invalid fit state: `metrics` must hold the states of the {len(self.metrics)} "
                             f"compiled metrics. Received: {type(saved).__name__} of length "
                             f"{len(saved) if isinstance(saved, list) else '-'}")
        for metric, entry in zip(self.metrics, saved):
            own = metric.get_state()
            if not isinstance(entry, dict) or set(entry) != set(own):
                raise ValueError(f"Invalid fit state: metric {metric.name!r} keeps {sorted(own)}. Received: "
                                 f"{sorted(entry) if isinstance(entry, dict) else type(entry).__name__}")
            for key, value in entry.items():
                if not _same_kind(value, own[key]):
                    raise ValueError(f"Invalid fit state: metric {metric.name!r} state {key!r} does not match "
                                     f"the metric's own ({_describe(own[key])}). Received: {_describe(value)}")
        return saved

    def __repr__(self):
        return f"<FitState epoch={self.epoch}, batch={self.batch}, seen={self.seen}>"


def _same_kind(value, own):
    """Whether a saved metric state value can stand for ``own``: arrays of its shape and dtype, finite
    numbers for numbers, lists of arrays or numbers for lists."""
    if isinstance(own, np.ndarray):
        return isinstance(value, np.ndarray) and value.shape == own.shape and value.dtype == own.dtype and \
            (value.dtype.kind not in "fc" or bool(np.isfinite(value).all()))
    if isinstance(own, list):
        return isinstance(value, list) and all(isinstance(v, np.ndarray) and v.dtype.kind in "biuf"
                                               or _is_number(v) for v in value)
    return _is_number(value)


def _is_number(value):
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)) and bool(np.isfinite(value))


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"{value.shape} {value.dtype} array"
    return type(value).__name__
