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

    def set_state(self, state: dict) -> None:
        """Continue from ``state`` (from get_state); the shuffle generator's state is set when given."""
        epoch, batch = state["epoch"], state.get("batch", 0)
        for name, value in (("epoch", epoch), ("batch", batch), ("seen", state.get("seen", 0))):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"Invalid fit state: `{name}` must be a non-negative integer. "
                                 f"Received: {name}={value!r}")
        self.epoch, self.batch = int(epoch), int(batch)
        self.loss_sum, self.seen = state.get("loss_sum", 0.0), int(state.get("seen", 0))
        self.metric_states = state.get("metrics")
        if state.get("shuffle_rng") is not None:
            self.shuffle_rng.bit_generator.state = state["shuffle_rng"]

    def __repr__(self):
        return f"<FitState epoch={self.epoch}, batch={self.batch}, seen={self.seen}>"
