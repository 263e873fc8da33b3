"""The training loop: data preparation, the epoch loop, the train step and the test loop.

One training step, for a batch (x, y):
    forward:   a_0 = x;  a_l = layer_l.forward(a_{l-1})           for every layer
    loss:      L = mean_i w_i * loss(y_i, a_L,i)  (+ regularization penalties)
    backward:  g = dL/da_L;  g = layer_l.backward(g)              from the last layer to the first
    update:    optimizer.apply(all parameters, all gradients)     one contiguous buffer, one call
"""
from __future__ import annotations

import math

import numpy as np

from neuronet.utils.user_warning import warn
from neuronet.utils.validation import check_consistent_length, to_array

# At most this many output values (2^22: 16 MB in float32, twice that with the logits) are kept to compute
# an epoch's loss and metrics at its end; beyond it they are computed batch by batch.
DEFER_MAX_VALUES = 1 << 22


# ---- data preparation ---------------------------------------------------------------------------------
def prepare_x(model, x, name="x", convert=True):
    """``x`` as an array of the model's dtype, checked for shape and non-finite values. With
    convert=False (predict) it is neither copied nor scanned here: predict converts and checks it chunk by
    chunk, so memory grows with the chunk, not the data (memory-mapped inputs stay on disk)."""
    x = to_array(x, name, dtype=model.dtype if (model.built and convert) else None, allow_nan=not convert)
    if not model.built:
        if x.ndim < 2:
            raise ValueError(f"Expected 2D array for `{name}`, got 1D array of shape {x.shape}. Reshape your "
                             f"data either using array.reshape(-1, 1) if it has a single feature or "
                             f"array.reshape(1, -1) if it contains a single sample.")
        model.build(x.shape[1:])
        if convert:
            x = x.astype(model.dtype, copy=False)
    expected = model.sample_shape
    if x.shape[1:] != expected:
        if x.ndim == 1 or x.ndim != len(expected) + 1:
            raise ValueError(f"`{name}` has shape {x.shape} ({x.ndim}-D), but the model expects samples of "
                             f"shape {expected}, i.e. an array of shape (n_samples, {', '.join(map(str, expected))}). "
                             "Reshape your data (a single sample: x.reshape(1, -1)).")
        raise ValueError(f"`{name}` has {x.shape[1:]} features per sample, but the model was built for samples of "
                         f"shape {expected} (model.input_shape={model.input_shape}). Pass `{name}` of shape (n_samples, "
                         f"{', '.join(map(str, expected))}) with the columns the model was built on, or build a new "
                         f"model whose first layer has input_shape={x.shape[1:]}.")
    return x


def prepare_y(model, y, n_samples, name="y"):
    y = to_array(y, name)
    check_consistent_length(**{"x": np.empty(n_samples), name: y})
    out_shape = model.output_sample_shape
    from neuronet.losses import BinaryCrossentropy, SparseCategoricalCrossentropy
    if isinstance(model.loss, SparseCategoricalCrossentropy):       # subclasses too
        labels = y.reshape(-1) if (y.ndim == 2 and y.shape[1] == 1) else y
        if labels.ndim != 1:
            raise ValueError(f"`{name}` for sparse_categorical_crossentropy must be one integer label per "
                             f"sample (shape (n,)); received shape {y.shape}. For one-hot targets use "
                             "loss='categorical_crossentropy'.")
        k = out_shape[-1]
        bad = (labels < 0) | (labels >= k) | (labels != np.round(labels))
        if bad.any():
            raise ValueError(f"`{name}` holds labels outside [0, {k}) for a {k}-unit output: "
                             f"{np.unique(labels[bad])[:5].tolist()}. Encode classes as 0..{k - 1} "
                             "(sklearn.preprocessing.LabelEncoder).")
        return labels.astype(np.int64)
    if isinstance(model.loss, BinaryCrossentropy):
        check_binary_targets(model.loss, y, name)
    y = y.astype(model.dtype, copy=False)
    if y.ndim == 1 and out_shape == (1,):
        y = y.reshape(-1, 1)
    if y.shape[1:] != out_shape:
        hint = (" For integer class labels use loss='sparse_categorical_crossentropy', or one-hot encode y."
                if y.ndim == 1 else "")
        raise ValueError(f"`{name}` has shape {y.shape}, but the model's output has shape (n, "
                         f"{', '.join(map(str, out_shape))}).{hint}")
    return y


# Rounding slack of check_binary_targets: p_a + p_b + p_c of a probability row exceeds 1 by an ulp in about
# 7% of rows (float64); float32 sums by a few 1e-7. Labels it exists to catch (2, -1, 255) are far outside.
BINARY_TARGET_SLACK = 1e-5


def check_binary_targets(loss, y, name="y"):
    """Binary cross-entropy's targets are probabilities: 0/1 labels, or soft labels in [0, 1]. Labels
    0..k-1 of k > 2 classes (or -1/1) would train silently towards a negative loss. Checked once per
    fit/evaluate in prepare_y, two vectorized reductions: the training step is not touched. Values within
    BINARY_TARGET_SLACK of [0, 1] pass: soft labels built as sums of probabilities land a few ulps past 1."""
    low, high = -BINARY_TARGET_SLACK, 1 + BINARY_TARGET_SLACK
    if np.min(y) >= low and np.max(y) <= high:
        return
    found = np.unique(y)
    outside = found[(found < low) | (found > high)]
    k = len(found) if len(found) <= 100 and np.array_equal(found, np.arange(len(found))) else None
    k, last = (k, k - 1) if k else ("k", "k-1")
    raise ValueError(
        f"`{name}` for loss {loss.name!r} must hold targets in [0, 1] (0/1 labels or probabilities); "
        f"received values outside it: {_first_values(outside)} (distinct values in `{name}`: "
        f"{_first_values(found)}). Binary cross-entropy needs 0/1 targets (map -1/1 labels to 0/1 with "
        f"(y + 1) / 2); for {k} classes end the model with Dense({k}, activation='softmax') and use "
        f"loss='sparse_categorical_crossentropy' with integer labels 0..{last}.")


def _first_values(values, n=6):
    shown = values[:n].tolist()
    return f"{shown}" if len(values) <= n else f"{str(shown)[:-1]}, ... ({len(values)} in all)]"


def check_output_setup(model):
    """Warn (once: compile and fit call it when the model is built and compiled) about an output that
    cannot learn: a softmax over an axis of size 1 is always 1, and a categorical cross-entropy over one
    unit is constant (its normalized prediction is 1), so the loss never moves and nothing says why."""
    from neuronet import activations
    from neuronet.layers.advanced_activations import Softmax
    from neuronet.losses import CategoricalCrossentropy
    problems = []
    for layer in model.layers:
        shape = (None, *layer.output_shape)
        axis = layer.axis if isinstance(layer, Softmax) else -1
        softmax = isinstance(layer, Softmax) or getattr(layer, "activation", None) is activations.softmax
        if softmax and -len(shape) <= axis < len(shape) and shape[axis] == 1:
            problems.append(f"Layer {layer.name!r} applies a softmax over axis {axis} of size 1 (output "
                            f"shape {shape}): the softmax of a single value is always 1, so its output is "
                            "constant and nothing before it learns. Did you mean to use a sigmoid instead?")
    units = model.output_sample_shape[-1]
    if isinstance(model.loss, CategoricalCrossentropy) and units == 1:          # sparse too
        problems.append(f"In loss {model.loss.name}, expected y_pred.shape to be (batch_size, num_classes) "
                        f"with num_classes > 1. Received: the model's output shape {model.output_shape}: "
                        "over one unit the loss is constant and nothing trains.")
    if problems:
        warn(" ".join(problems) + " For 2 classes end the model with Dense(1, activation='sigmoid') and use "
             "loss='binary_crossentropy' (0/1 labels); for k classes use Dense(num_classes, "
             "activation='softmax') with loss='sparse_categorical_crossentropy' (integer labels 0..k-1) or "
             "'categorical_crossentropy' (one-hot targets).")


def prepare_weights(model, y, n_samples, sample_weight=None, class_weight=None):
    """Per-sample weights from sample_weight and class_weight (their product), or None."""
    w = None
    if sample_weight is not None:
        w = to_array(sample_weight, "sample_weight").astype(np.float64).reshape(-1)
        check_consistent_length(x=np.empty(n_samples), sample_weight=w)
        if (w < 0).any():
            raise ValueError("`sample_weight` must be non-negative; received negative values.")
    if class_weight is not None:
        if not isinstance(class_weight, dict):
            raise ValueError(f"`class_weight` must be a dict mapping class index to weight; received {class_weight!r}.")
        labels = _class_indices(y)
        lookup = np.ones(int(max(labels.max(), max(class_weight) if class_weight else 0)) + 1)
        for cls, weight in class_weight.items():
            lookup[int(cls)] = float(weight)
        cw = lookup[labels]
        w = cw if w is None else w * cw
    return None if w is None else w.astype(model.dtype)


def _class_indices(y):
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    return np.round(y.reshape(-1)).astype(np.int64)


def split_validation(arrays, validation_split):
    """Keras' rule: the last ``validation_split`` fraction (taken before shuffling) validates."""
    n = len(arrays[0])
    split_at = int(np.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"validation_split={validation_split} leaves {split_at} training and "
                         f"{n - split_at} validation samples out of {n}; choose a fraction that keeps both.")
    train = [None if a is None else a[:split_at] for a in arrays]
    val = [None if a is None else a[split_at:] for a in arrays]
    return train, val


def fuses(last_layer, loss):
    """Whether the fused sigmoid/softmax + cross-entropy gradient applies: the loss has a fused form
    (not from_logits) and ``last_layer`` is a Dense-like layer ending in exactly that activation."""
    from neuronet import activations
    name = getattr(loss, "fused_activation", None)
    return bool(name) and not getattr(loss, "from_logits", False) and \
        getattr(last_layer, "activation", None) is getattr(activations, name) and \
        hasattr(last_layer, "backward_from_logits")


# ---- the loops ----------------------------------------------------------------------------------------
def train_step(model, xb, yb, wb, need_value=True):
    """One forward, backward and update on a batch; returns (predictions, loss value).

    With ``need_value=False`` only the gradient is computed and the value is None: run_epoch then
    computes the epoch's loss at its end from the stored outputs (``deferred_loss``). Called inside
    np.errstate by run_epoch, so it uses the loss's unwrapped methods (2-D predictions, no per-call
    errstate)."""
    layers = model._layers
    out = xb
    for layer in layers:
        out = layer.forward(out, training=True)
    loss, fused = model.loss, model._fused
    grad = loss._training_gradient(yb, out, wb, fused)       # one gradient path, value or not
    value = loss._value_and_gradient(yb, out, wb, False, layers[-1].logits if fused else None, True)[0] \
        if need_value else None
    if fused:   # grad is dL/dz of the last layer: skip its activation's backward
        grad = layers[-1].backward_from_logits(grad)
        backward_layers = layers[-2::-1]
    else:
        backward_layers = layers[::-1]
    for layer in backward_layers:
        grad = layer.backward(grad)
    if model._regularized:
        for layer in model._regularized:
            value += layer.regularization_penalty()
            layer.add_regularization_gradients()
    model.optimizer.apply(model._flat_params, model._flat_grads, model._segments)
    return out, value


def batch_mean_loss(loss):
    """Whether the loss of a batch is the mean over its samples (reduction 'sum_over_batch_size' or
    'mean'), so that its values times the batch sizes add up to the same sum however the rows are grouped.
    With 'sum' or 'mean_with_sample_weight' the epoch's loss is, as Keras reports it, the mean of the
    batches' values weighted by their sizes, and depends on the batches."""
    return getattr(loss, "_batch_mean", True)     # kept by Loss's `reduction` setter


def deferred_loss(model, y, w, out, logits, batch_size):
    """The epoch's loss sum (what the per-batch values times their sizes add up to: the sum over its
    samples of w_i * l_i for the mean reduction) from the outputs ``out`` stored batch by batch (and the
    last layer's ``logits`` for the fused form), and the index of the first batch whose loss is not finite
    (None when all are)."""
    z = np.concatenate(logits) if logits else None
    mean = batch_mean_loss(model.loss)
    if mean:
        value, _ = model.loss._value_and_gradient(y, out, w, False, z, True)
        if math.isfinite(value):
            return value * len(out), None
    # Batch by batch: the loss's value depends on the batches, or (rare) find where it diverged.
    total = 0.0
    for batch, start in enumerate(range(0, len(out), batch_size)):
        part = slice(start, start + batch_size)
        v, _ = model.loss._value_and_gradient(y[part], out[part], None if w is None else w[part], False,
                                              None if z is None else z[part], True)
        total += v * len(out[part])
        if not math.isfinite(v):
            return (value * len(out) if mean else total), batch
    return total, None


def run_epoch(model, xs, ys, ws, batch_size, callbacks, metrics, resume=None, order=None):
    """Train on (xs, ys) in order, batch by batch; returns the epoch's logs.

    ``order`` (the epoch's shuffle) picks the rows of ``xs`` for each batch, gathered into one reused
    batch buffer right before its forward pass: the batch is then read from cache, where a shuffled copy
    of the whole set would be written to and read back from memory (6% of a 60,000 x 784 epoch).
    ``ys`` and ``ws`` are already in that order.

    ``resume`` (from BackupAndRestore) continues an epoch interrupted after ``resume['batch']`` batches,
    with the running loss sum, sample count and metric states it had then."""
    n = xs.shape[0]
    has_begin, has_end = callbacks.has("on_train_batch_begin"), callbacks.has("on_train_batch_end")
    for m in metrics:
        m.reset_state()
    loss_sum, seen, first = 0.0, 0, 0
    if resume is not None:
        first, loss_sum, seen = resume["batch"], resume["loss_sum"], resume["seen"]
        for m, state in zip(metrics, resume["metrics"]):
            m.__dict__.update(state)
    # Nobody reads the loss or the metrics before the epoch ends (no per-batch callback, no penalty that
    # changes every step): keep each batch's output and compute both once at the end, in one vectorized
    # pass each. The same values, and the training step is left with the gradient alone.
    # Bounded: the stored outputs of a wide output layer on a large data set (an autoencoder) would cost
    # more memory than the per-batch values save time.
    defer = not has_end and resume is None and not model._regularized and \
        n * math.prod(model.output_sample_shape) <= DEFER_MAX_VALUES
    outputs, logits = [], []
    batch_buffer = None if order is None else np.empty((min(batch_size, n), *xs.shape[1:]), dtype=xs.dtype)
    last = model._layers[-1] if model._fused and defer else None   # keep its logits for the loss
    # Set once per epoch, not per ufunc: exp(-1e4) -> 0 is right, and a diverging run is reported once,
    # in words, by fit (see report_divergence) instead of by a stream of NumPy overflow warnings.
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        for batch, start in enumerate(range(first * batch_size, n, batch_size), start=first):
            stop = min(start + batch_size, n)
            yb = ys[start:stop]
            wb = None if ws is None else ws[start:stop]
            if has_begin:
                callbacks.call("on_train_batch_begin", batch, {"batch": batch, "size": stop - start})
            if order is None:
                xb = xs[start:stop]
            else:
                xb = xs.take(order[start:stop], axis=0, out=batch_buffer[:stop - start], mode="clip")
            out, value = train_step(model, xb, yb, wb, not defer)
            if defer:
                outputs.append(out)
                if last is not None:
                    logits.append(last.logits)
            else:
                loss_sum += value * (stop - start)
                seen += stop - start
                for m in metrics:
                    m.update_state(yb, out, wb)
                if has_end:
                    model._train_progress = (batch + 1, loss_sum, seen)  # read by BackupAndRestore
                    logs = {"batch": batch, "size": stop - start, "loss": loss_sum / seen}
                    logs.update((m.name, m.result()) for m in metrics)
                    callbacks.call("on_train_batch_end", batch, logs)
                if not math.isfinite(value) and \
                        (not model.stop_training or not np.isfinite(model._flat_params[0]).all()):
                    # Diverged, and no callback repaired it (TerminateOnNaN stops and restores finite
                    # weights): fit rolls back and warns. On the loss alone unless a callback stopped
                    # training: an overflowing loss (inf) can come before non-finite weights.
                    model._diverged_at = batch
                    model.stop_training = True
            if model.stop_training:
                break
        if defer and outputs:
            out = np.concatenate(outputs)
            seen = len(out)
            wseen = None if ws is None else ws[:seen]
            loss_sum, diverged_at = deferred_loss(model, ys[:seen], wseen, out, logits, batch_size)
            if diverged_at is not None:
                model._diverged_at = diverged_at   # fit rolls back to the epoch's start and warns
                model.stop_training = True
            for m in metrics:
                m.update_state(ys[:seen], out, wseen)
    logs = {"loss": loss_sum / max(seen, 1)}
    logs.update((m.name, m.result()) for m in metrics)
    return logs


def test_loop(model, x, y, w, batch_size, metrics, callbacks=None):
    """Loss (with regularization penalties) and metrics over (x, y), without changing any weight.

    Inference does not depend on how rows are grouped, so it runs in chunks of at least 1,024 rows:
    one forward pass for a typical validation set instead of one per training batch — unless a
    callback wants on_test_batch_begin/end, which then sees batches of ``batch_size``, or the loss's
    value depends on the batches (reduction 'sum' or 'mean_with_sample_weight': see batch_mean_loss)."""
    for m in metrics:
        m.reset_state()
    hooks = callbacks is not None and (callbacks.has("on_test_batch_begin") or callbacks.has("on_test_batch_end"))
    if not hooks and batch_mean_loss(model.loss):
        batch_size = max(batch_size, 1024)
    n = x.shape[0]
    loss_sum = 0.0
    last = model._layers[-1]
    with np.errstate(under="ignore"):
        for batch, start in enumerate(range(0, n, batch_size)):
            stop = min(start + batch_size, n)
            if hooks:
                callbacks.call("on_test_batch_begin", batch, {"batch": batch, "size": stop - start})
            out = model._forward(x[start:stop], training=False)
            wb = None if w is None else w[start:stop]
            logits = last.logits if model._fused else None
            value, _ = model.loss._value_and_gradient(y[start:stop], out, wb, False, logits, True)
            loss_sum += value * (stop - start)
            for m in metrics:
                m.update_state(y[start:stop], out, wb)
            if hooks:
                callbacks.call("on_test_batch_end", batch, {"batch": batch, "size": stop - start,
                                                            "loss": loss_sum / stop})
    loss = loss_sum / n + sum(layer.regularization_penalty() for layer in model._regularized)
    logs = {"loss": loss}
    logs.update((m.name, m.result()) for m in metrics)
    return logs


def report_divergence(model, epoch, snapshot):
    """Roll back to the epoch's start and warn once, naming where the loss stopped being finite."""
    batch = model._diverged_at
    model._diverged_at = None
    weights = "stayed finite" if np.isfinite(model._flat_params[0]).all() else "followed"
    restored = snapshot.restore()
    where = "the start of that epoch" if restored else "(no earlier state was kept)"
    warn(f"fit: the loss became non-finite (NaN or inf) at epoch {epoch + 1}, batch {batch}, and "
                  f"the weights {weights}. Training stopped and the weights and optimizer state were restored "
                  f"to {where}; the History records the non-finite loss. Lower the learning rate, scale the "
                  "inputs, or pass callbacks=[TerminateOnNaN()] to roll back to the last finite batch.",
                  RuntimeWarning)
