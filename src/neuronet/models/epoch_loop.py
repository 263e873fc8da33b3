"""The loops over batches: one training epoch (``run_epoch``) and one pass of evaluation (``test_loop``).

A training epoch, for batches (x_b, y_b) from the EpochIterator:

    for each batch:  out = model.train_step(x_b, y_b)        forward, loss gradient, backward, update
                     accumulator.add(out, loss value, ...)    the epoch's loss and metrics
    logs = accumulator.result()                               {'loss': ..., 'acc': ...}
"""
from __future__ import annotations

import math

import numpy as np

from neuronet.models.sparse_rows import dense_rows
from neuronet.utils.user_warning import warn

# At most this many output values (2^22: 16 MB in float32, twice that with the logits) are kept to compute
# an epoch's loss and metrics at its end; beyond it they are computed batch by batch.
DEFER_MAX_VALUES = 1 << 22


class BatchAccumulator:
    """The epoch's loss and metrics summed batch by batch, for when something reads them after every batch
    (an on_train_batch_end callback, a penalty that changes every step). Resumes from ``state``
    (a FitState) when the epoch continues a backup, and keeps it current when ``track`` is set."""

    needs_value = True

    def __init__(self, metrics, state=None, track=False):
        self.metrics, self.state, self.track = metrics, state, track
        resuming = state is not None and state.resuming
        self.loss_sum, self.seen = (state.loss_sum, state.seen) if resuming else (0.0, 0)
        for m in metrics:
            m.reset_state()
        if resuming and state.metric_states:
            for m, saved in zip(metrics, state.metric_states):
                m.set_state(saved)

    def add(self, batch, out, value, yb, wb, logits=None):
        """Add one batch; returns whether its loss was finite."""
        self.loss_sum += value * len(out)
        self.seen += len(out)
        for m in self.metrics:
            m.update_state(yb, out, wb)
        if self.track:
            s = self.state
            s.batch, s.loss_sum, s.seen = batch + 1, self.loss_sum, self.seen
        return math.isfinite(value)

    def logs(self):
        logs = {"loss": self.loss_sum / max(self.seen, 1)}
        logs.update((m.name, m.result()) for m in self.metrics)
        return logs

    def finish(self, model, batch_size):
        """Nothing left to compute: returns the batch where the loss diverged at the end (None)."""
        return None


class DeferredAccumulator(BatchAccumulator):
    """Keeps each batch's outputs (and the last layer's logits for the fused loss) and computes the epoch's
    loss and metrics once at its end, in one vectorized pass each: the same values, and the training step
    is left with the gradient alone. Used when nothing reads them before the epoch ends."""

    needs_value = False

    def __init__(self, metrics, keep_logits, targets, weights):
        super().__init__(metrics)
        self.keep_logits, self.targets, self.weights = keep_logits, targets, weights
        self.outputs, self.logits = [], []

    def add(self, batch, out, value, yb, wb, logits=None):
        self.outputs.append(out)
        if self.keep_logits:
            self.logits.append(logits)
        return True

    def finish(self, model, batch_size):
        if not self.outputs:
            return None
        out = np.concatenate(self.outputs)
        y = self.targets[:len(out)]                       # the epoch's targets, in batch order
        w = None if self.weights is None else self.weights[:len(out)]
        z = np.concatenate(self.logits) if self.logits else None
        self.loss_sum, diverged_at = epoch_loss_sum(model.loss, y, out, w, z, batch_size)
        self.seen = len(out)
        for m in self.metrics:
            m.update_state(y, out, w)
        return diverged_at


def epoch_loss_sum(loss, y, out, w, z, batch_size):
    """The epoch's loss sum (what the per-batch values times their sizes add up to) from all its outputs
    ``out`` (and logits ``z`` for the fused form), and the index of the first batch whose loss is not
    finite (None when all are). One call for a loss that is a mean over samples; batch by batch when the
    value depends on the batches (reduction 'sum' or 'mean_with_sample_weight') or to find the divergence."""
    if loss.is_batch_mean:
        value = loss.batch_loss(y, out, sample_weight=w, logits=z)[0]
        if math.isfinite(value):
            return value * len(out), None
    total = 0.0
    for batch, start in enumerate(range(0, len(out), batch_size)):
        part = slice(start, start + batch_size)
        v = loss.batch_loss(y[part], out[part], sample_weight=None if w is None else w[part],
                            logits=None if z is None else z[part])[0]
        total += v * len(out[part])
        if not math.isfinite(v):
            return (value * len(out) if loss.is_batch_mean else total), batch
    return total, None


def run_epoch(model, iterator, callbacks, metrics, state):
    """Train on one epoch of ``iterator``'s batches (resuming after ``state.batch`` batches when a backup
    says so); returns the epoch's logs. ``state.diverged_at`` is set to the batch whose loss was not finite
    (then ``model.stop_training`` is set too) unless a callback repaired it."""
    has_begin, has_end = callbacks.has("on_train_batch_begin"), callbacks.has("on_train_batch_end")
    # A stream has no y_epoch (its targets arrive batch by batch): its loss is summed batch by batch.
    defer = not has_end and not state.resuming and not model.regularized_layers and not model.several_outputs \
        and getattr(iterator, "y_epoch", None) is not None and iterator.num_samples * math.prod(model.output_sample_shape) <= DEFER_MAX_VALUES
    fused_logits = defer and model.fused_loss
    acc = DeferredAccumulator(metrics, fused_logits, iterator.y_epoch, iterator.w_epoch) if defer else \
        BatchAccumulator(metrics, state, has_end)
    last = model.output_layer
    # Set once per epoch, not per ufunc: exp(-1e4) -> 0 is right, and a diverging run is reported once,
    # in words (report_divergence), instead of by a stream of NumPy overflow warnings.
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        for batch, xb, yb, wb in iterator.batches(first=state.batch if state.resuming else 0):
            if has_begin:
                callbacks.call("on_train_batch_begin", batch, {"batch": batch, "size": len(xb)})
            out, value = model.train_step(xb, yb, wb, need_value=acc.needs_value)
            finite = acc.add(batch, out, value, yb, wb, last.logits if fused_logits else None)
            if has_end:
                callbacks.call("on_train_batch_end", batch, {"batch": batch, "size": len(xb), **acc.logs()})
            if not finite and (not model.stop_training or not model.parameters.all_finite()):
                # Diverged, and no callback repaired it (TerminateOnNaN stops and restores finite weights).
                # On the loss alone unless a callback stopped training: an overflowing loss (inf) can come
                # before non-finite weights.
                state.diverged_at = batch
                model.stop_training = True
            if model.stop_training:
                break
        diverged_at = acc.finish(model, iterator.batch_size)
    if diverged_at is not None:
        state.diverged_at = diverged_at
        model.stop_training = True
    state.batch = 0                  # the epoch is over: a resumed position is used up
    return acc.logs()


def test_loop(model, x, y, w, batch_size, metrics, callbacks=None):
    """Loss (with regularization penalties) and metrics over (x, y), without changing any weight.

    Inference does not depend on how rows are grouped, so it runs in chunks of at least 1,024 rows:
    one forward pass for a typical validation set instead of one per training batch — unless a
    callback wants on_test_batch_begin/end, which then sees batches of ``batch_size``, or the loss's
    value depends on the batches (reduction 'sum' or 'mean_with_sample_weight')."""
    for m in metrics:
        m.reset_state()
    hooks = callbacks is not None and (callbacks.has("on_test_batch_begin") or callbacks.has("on_test_batch_end"))
    if not hooks and model.loss.is_batch_mean:
        batch_size = max(batch_size, 1024)
    n = x.shape[0]
    loss_sum = 0.0
    last, fused = model.output_layer, model.fused_loss
    with np.errstate(under="ignore"):
        for batch, start in enumerate(range(0, n, batch_size)):
            stop = min(start + batch_size, n)
            if hooks:
                callbacks.call("on_test_batch_begin", batch, {"batch": batch, "size": stop - start})
            out = model.forward(dense_rows(x[start:stop]), training=False)
            wb = None if w is None else w[start:stop]
            value = model.loss.batch_loss(y[start:stop], out, sample_weight=wb,
                                          logits=last.logits if fused else None)[0]
            loss_sum += value * (stop - start)
            for m in metrics:
                m.update_state(y[start:stop], out, wb)
            if hooks:
                callbacks.call("on_test_batch_end", batch, {"batch": batch, "size": stop - start,
                                                            "loss": loss_sum / stop})
    loss = loss_sum / n + sum(layer.regularization_penalty() for layer in model.regularized_layers)
    logs = {"loss": loss}
    logs.update((m.name, m.result()) for m in metrics)
    return logs


class LossGrowth:
    """Warns once per fit when the training loss, still finite, has grown to more than ``factor`` times its
    first epoch's value: a divergence that never reaches inf (unscaled inputs with SGD climb to 1e19). One
    comparison per epoch, outside the training step."""

    def __init__(self, factor=1e3):
        self.factor, self.first, self.warned = factor, None, False

    def check(self, epoch, loss):
        if loss is None or not math.isfinite(loss) or self.warned:
            return
        if self.first is None:
            self.first = loss
        elif self.first > 0 and loss > self.factor * self.first:
            self.warned = True
            warn(f"fit: the training loss grew from {self.first:.4g} (first epoch) to {loss:.4g} at epoch "
                 f"{epoch + 1}, more than {self.factor:g} times, while staying finite: training is diverging. "
                 "Scale the inputs (sklearn.preprocessing.StandardScaler: the notes' input normalization) or lower "
                 "the learning rate.", RuntimeWarning)


def report_divergence(model, state, snapshot):
    """Roll back to the epoch's start and warn once, naming where the loss stopped being finite."""
    batch, state.diverged_at = state.diverged_at, None
    weights = "stayed finite" if model.parameters.all_finite() else "followed"
    restored = snapshot.restore()
    where = "the start of that epoch" if restored else "(no earlier state was kept)"
    warn(f"fit: the loss became non-finite (NaN or inf) at epoch {state.epoch + 1}, batch {batch}, and "
         f"the weights {weights}. Training stopped and the weights and optimizer state were restored "
         f"to {where}; the History records the non-finite loss. Lower the learning rate, scale the "
         "inputs, or pass callbacks=[TerminateOnNaN()] to roll back to the last finite batch.",
         RuntimeWarning)
