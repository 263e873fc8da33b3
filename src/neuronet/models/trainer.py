"""Trainer: compile, fit, evaluate, predict and the one-batch methods, mixed into every model class.

A model class gives the structure (``Sequential``: a chain of layers); the Trainer trains it through
these members of the model, so any model that has them trains the same way:

    forward(x, training) / infer(x)   the outputs (infer caches nothing)
    backward(grad, from_logits)       dL/d(output) back through every layer, filling layer.grads
    parameters                        the ParameterBuffer: every trainable weight and gradient, flat
    output_layer, layers, regularized_layers, constrained_layers, sample_shape, output_sample_shape, dtype, build(shape)

One training step (``train_step``), for a batch (x, y):

    forward:   out = model.forward(x, training=True)
    loss:      g = dL/d(out)   (dL/dz of the last layer when the sigmoid/softmax + cross-entropy fuse)
    backward:  model.backward(g)                          every layer's dW, db, from the last to the first
    update:    optimizer.apply(parameters.values, parameters.grads)     the whole network in one call
    constrain: W <- constraint(W) for each layer in constrained_layers (kernel_constraint=..., as Keras)
"""
from __future__ import annotations

import time

import numpy as np

from neuronet import losses, metrics as metrics_mod, optimizers
from neuronet.callbacks import CallbackList, History
from neuronet.callbacks.progbar import make_progbar, summary_line
from neuronet.exceptions import NotFittedError
from neuronet.layers.symbolic import is_symbolic, symbolic_call
from neuronet.layers.tape import current_tape
from neuronet.models import data_adapters, data_checks, epoch_loop
from neuronet.models.epoch_iterator import EpochIterator
from neuronet.models.compile_utils import compile_outputs
from neuronet.models.fit_state import FitState
from neuronet.models.multi_array import MultiArray, as_list
from neuronet.models.sparse_rows import dense_rows
from neuronet.utils.random import make_generator
from neuronet.utils.snapshot import TrainingSnapshot
from neuronet.utils.validation import check_finite, check_fraction, check_positive_int


def fuses(last_layer, loss):
    """Whether the fused sigmoid/softmax + cross-entropy gradient applies: the loss has a fused form
    (not from_logits) and ``last_layer`` ends in exactly that activation and can take dL/dz."""
    from neuronet import activations
    name = getattr(loss, "fused_activation", None)
    return bool(name) and not getattr(loss, "from_logits", False) and \
        getattr(last_layer, "activation", None) is getattr(activations, name) and \
        hasattr(last_layer, "backward_from_logits")


class Trainer:
    """compile / fit / evaluate / predict, as Keras' (see the module docstring for what a model gives)."""

    optimizer = loss = None
    compiled_metrics = ()
    fused_loss = False
    stop_training = False
    history = fit_state = None

    # ---- compile --------------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, **kwargs):
        if kwargs:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(kwargs)}. "
                            "Accepted: optimizer, loss, metrics.")
        self.optimizer = optimizers.get(optimizer)
        several = self.built and isinstance(self.output_sample_shape, list)
        if several:
            self.loss, self.compiled_metrics = compile_outputs(loss, loss_weights, metrics, self.output_names,
                                                               self.output_sample_shape)
        else:
            self.loss = losses.get(loss)
            if metrics is not None and not isinstance(metrics, (list, tuple)):
                raise ValueError(f"`metrics` must be a list, e.g. metrics=['acc']; received {metrics!r}.")
        self._compile_config = {"optimizer": optimizer, "loss": loss, "metrics": metrics if several else list(metrics or []),
                                **({"loss_weights": loss_weights} if loss_weights is not None else {})}
        if not several:
            self._resolve_metrics()
        self._output_checked = False
        if self.built:
            self.refresh_parameters()
            self._check_output()
        self._update_fused()

    def get_compile_config(self):
        """The compile arguments as given (names stay names; Keras' ``model.get_compile_config()``), or
        None before compile."""
        return None if self.optimizer is None else dict(getattr(self, "_compile_config", {}))

    def _resolve_metrics(self):
        shape = self.output_sample_shape if self.built else None
        ids = (self.get_compile_config() or {}).get("metrics") or []
        self.compiled_metrics = [metrics_mod.get(m, loss=self.loss, output_shape=shape) for m in ids]
        names = [m.name for m in self.compiled_metrics]
        if len(set(names)) != len(names):
            raise ValueError(f"Metric names must be unique; received {names}.")
        self._metrics_shape = shape

    def _update_fused(self):
        self.fused_loss = bool(self.built and self.layers) and not self.several_outputs and \
            fuses(self.output_layer, self.loss)

    def _check_output(self):
        """Warn once per compile about an output that cannot learn (a softmax over one unit, ...)."""
        if not getattr(self, "_output_checked", False):
            self._output_checked = True
            data_checks.check_output_setup(self)

    @property
    def several_outputs(self):
        return self.built and isinstance(self.output_sample_shape, list)

    @property
    def metrics_names(self):
        """The names of evaluate's values, as Keras: ['loss', 'acc', ...] once compiled, [] before."""
        return [] if self.loss is None else ["loss"] + [m.name for m in self.compiled_metrics]

    def _require_compiled(self, what):
        if self.optimizer is None or self.loss is None:
            raise NotFittedError(f"You must compile your model before {what}: call "
                                 "model.compile(optimizer='adam', loss='mse').")

    # ---- one training step ----------------------------------------------------------------------------
    def train_step(self, x, y, sample_weight=None, need_value=True):
        """One forward, backward and update on a batch; returns (outputs, loss value or None).

        Called under np.errstate by fit; ``need_value=False`` computes the gradient alone (fit then
        computes the epoch's loss at its end from the stored outputs)."""
        out = self.forward(x, training=True)
        fused = self.fused_loss
        grad = self.loss.training_gradient(y, out, sample_weight=sample_weight, fused=fused)
        value = self.loss.batch_loss(y, out, sample_weight=sample_weight,
                                     logits=self.output_layer.logits if fused else None)[0] if need_value else None
        self.backward(grad, from_logits=fused)
        if self.regularized_layers:
            for layer in self.regularized_layers:
                value += layer.regularization_penalty()
                layer.add_regularization_gradients()
        p = self.parameters
        self.optimizer.apply([p.values], [p.grads], p.segments)
        if self.constrained_layers:
            for layer in self.constrained_layers:      # Keras: W <- constraint(W) after the update
                if layer.trainable:
                    layer.apply_constraints()
        return out, value

    # ---- fit / evaluate / predict ---------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, seed=None, validation_batch_size=None, validation_freq=1,
            steps_per_epoch=None, validation_steps=None):
        """Train for ``epochs`` epochs of mini-batch gradient descent; returns a History.

        All arguments are checked before any weight changes. ``seed`` fixes the shuffling order
        (otherwise drawn from neuronet's generator, see neuronet.utils.set_random_seed). As in Keras,
        ``validation_freq=n`` validates after every n-th epoch only ([1, 2, 10]: after those epochs), and
        ``validation_batch_size`` (default: ``batch_size``) is the batch size of validation callbacks'
        on_test_batch hooks.

        ``x`` may also be a stream (see neuronet.models.data_adapters): a generator yielding (x, y) or
        (x, y, sample_weight) with ``steps_per_epoch`` batches per epoch, a neuronet.utils.PyDataset, a
        memmap or a Dask array; ``validation_data`` likewise, with ``validation_steps``.
        """
        self._require_compiled("training it")
        batch_size = check_positive_int(32 if batch_size is None else batch_size, "batch_size")
        validation_batch_size = check_positive_int(batch_size if validation_batch_size is None
                                                   else validation_batch_size, "validation_batch_size")
        validates_after = _validation_schedule(validation_freq)
        epochs = check_positive_int(epochs, "epochs") if epochs != 0 else 0
        verbose = _check_verbose(verbose)
        validation_split = check_fraction(validation_split, "validation_split")
        if isinstance(initial_epoch, bool) or not isinstance(initial_epoch, (int, np.integer)) or initial_epoch < 0:
            raise ValueError(f"Received an invalid value for `initial_epoch`, expected a non-negative integer. "
                             f"Received: initial_epoch={initial_epoch!r}")
        if data_adapters.is_stream(x):
            if validation_split:
                raise ValueError("`validation_split` is only supported for in-memory arrays; with a stream "
                                 f"as x ({type(x).__name__}) pass validation_data instead.")
            iterator = data_adapters.make_iterator(self, x, y, sample_weight, batch_size=batch_size,
                                                   shuffle=shuffle, rng=make_generator(seed), epochs=epochs,
                                                   steps=steps_per_epoch, class_weight=class_weight, train=True)
            x = None
        else:
            x, y, w = self._prepare_data(x, y, sample_weight, class_weight, train=True)
        val = None
        if validation_data is not None:
            val = self._prepare_validation(validation_data, validation_steps, epochs)
        elif validation_split:
            (x, y, w), val = data_checks.split_validation([x, y, w], validation_split)
        if x is not None:
            iterator = EpochIterator(x, y, w, batch_size, shuffle, make_generator(seed))
        history = History()
        cb_list = list(callbacks or []) + [history]  # after the user's, as in Keras: records keys they add
        if verbose:
            cb_list.append(make_progbar(verbose))
        params = {"epochs": epochs, "steps": iterator.num_batches, "samples": iterator.num_samples,
                  "val_samples": 0 if val is None else _samples(val), "batch_size": batch_size,
                  "verbose": verbose}
        cbs = CallbackList(cb_list, self, params)
        self.history, self.stop_training = history, False
        state = self.fit_state = FitState(iterator.rng, initial_epoch, self.compiled_metrics)
        cbs.call("on_train_begin", {})          # BackupAndRestore may move state to a backup's position
        snapshot = TrainingSnapshot(self)
        growth = epoch_loop.LossGrowth()
        for epoch in range(state.epoch, epochs):
            state.start_epoch(epoch)
            cbs.call("on_epoch_begin", epoch, {})
            snapshot.take()
            iterator.start_epoch()     # also when resuming: the backup's generator state redraws the order
            logs = epoch_loop.run_epoch(self, iterator, cbs, self.compiled_metrics, state)
            if state.diverged_at is not None:   # roll back before validation and callbacks see NaN weights
                epoch_loop.report_divergence(self, state, snapshot)
            growth.check(epoch, logs.get("loss"))
            if val is not None and validates_after(epoch + 1):       # Keras: evaluate(callbacks=...)
                cbs.call("on_test_begin", {})
                val_logs = epoch_loop.test_loop(self, *val, validation_batch_size, self.compiled_metrics, cbs) \
                    if isinstance(val, (tuple, list)) else data_adapters.evaluate_stream(self, val, self.compiled_metrics, cbs)
                cbs.call("on_test_end", val_logs)
                logs.update((f"val_{k}", v) for k, v in val_logs.items())
            cbs.call("on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        cbs.call("on_train_end", {})
        return history

    def _prepare_validation(self, validation_data, steps=None, epochs=1):
        if data_adapters.is_stream(validation_data) or (isinstance(validation_data, (tuple, list)) and
                                                        validation_data and data_adapters.is_stream(validation_data[0])):
            stream = (validation_data,) if data_adapters.is_stream(validation_data) else tuple(validation_data)
            return data_adapters.make_iterator(self, *stream, batch_size=32, steps=steps, epochs=epochs,
                                               source="validation_data")
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, "
                             f"sample_weight_val); received {type(validation_data).__name__} of length "
                             f"{len(validation_data) if hasattr(validation_data, '__len__') else '?'}.")
        xv = data_checks.prepare_x(self, validation_data[0], "validation_data x")
        yv = data_checks.prepare_y(self, validation_data[1], len(xv), "validation_data y")
        wv = None
        if len(validation_data) == 3 and validation_data[2] is not None:
            wv = data_checks.prepare_weights(self, yv, len(xv), validation_data[2])
        return xv, yv, wv

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 return_dict=False, callbacks=None):
        """Loss, or [loss, *metrics] when metrics were compiled (a dict with return_dict=True)."""
        self._require_compiled("evaluating it")
        batch_size = check_positive_int(32 if batch_size is None else batch_size, "batch_size")
        verbose = _check_verbose(verbose)
        stream = data_adapters.is_stream(x)
        if stream:       # a generator, PyDataset, memmap or Dask array: read batch by batch
            stream = data_adapters.make_iterator(self, x, y, sample_weight, batch_size=batch_size, steps=steps)
        else:
            x, y, w = self._prepare_data(x, y, sample_weight)
        cbs = CallbackList(list(callbacks or []), self, {"samples": stream.num_samples if stream else len(x)})
        started = time.perf_counter()
        cbs.call("on_test_begin", {})
        logs = data_adapters.evaluate_stream(self, stream, self.compiled_metrics, cbs) if stream else \
            epoch_loop.test_loop(self, x, y, w, batch_size, self.compiled_metrics, cbs)
        cbs.call("on_test_end", logs)
        if verbose:
            count, unit = (len(x), "sample") if not stream else (stream.num_samples, "sample") \
                if stream.num_samples is not None else (stream.num_batches or 0, "step")
            print(summary_line(count, time.perf_counter() - started, logs, unit_name=unit))
        return self._as_result(logs, return_dict)

    def _prepare_data(self, x, y, sample_weight=None, class_weight=None, train=False):
        """(x, y, per-sample weights) checked and converted for fit, evaluate and the batch methods
        (building an unbuilt model from x); before training, a shared layer's weights are reclaimed."""
        x = data_checks.prepare_x(self, x)
        if train and not self.parameters.is_intact():
            self.refresh_parameters(keep_entries=True)
        self._check_output()
        if self.compiled_metrics and not self.several_outputs and self._metrics_shape != self.output_sample_shape:
            self._resolve_metrics()   # 'acc' -> binary/categorical once the output shape is known
        y = data_checks.prepare_y(self, y, len(x))
        return x, y, data_checks.prepare_weights(self, y, len(x), sample_weight, class_weight)

    def prepare_batch(self, x, y, sample_weight=None, class_weight=None, train=False):
        """One batch of a stream (neuronet.models.data_adapters) checked and converted as fit's arrays are:
        (x, y, per-sample weights); builds an unbuilt model."""
        return self._prepare_data(x, y, sample_weight, class_weight, train=train)

    def _as_result(self, logs, return_dict):
        if return_dict:
            return logs
        values = [logs[k] for k in self.metrics_names]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None):
        """Outputs for ``x``, computed in chunks of ``batch_size`` rows (default 4096, cache-friendly):
        memory grows with the chunk, not the data. Changes no state, so it is safe from several threads."""
        chunk = 4096 if batch_size is None else check_positive_int(batch_size, "batch_size")
        if data_adapters.is_stream(x):   # a generator, PyDataset, memmap or Dask array: batch by batch
            stream = data_adapters.make_iterator(self, x, batch_size=chunk, steps=steps, targets=False)
            return data_adapters.predict_stream(self, stream, CallbackList(list(callbacks or []), self, {}))
        x = data_checks.prepare_x(self, x, convert=False)      # builds an unbuilt model from the data
        n = x.shape[0]
        if n <= chunk and not callbacks:      # the common case, kept lean: one chunk, no hooks
            return self._infer_checked(x, 0)
        cbs = CallbackList(list(callbacks or []), self, {"samples": n, "batch_size": chunk})
        cbs.call("on_predict_begin", {})
        shapes = self.output_sample_shape if self.several_outputs else [self.output_sample_shape]
        outs = [np.empty((n, *shape), dtype=self.dtype) for shape in shapes]
        for batch, start in enumerate(range(0, n, chunk)):
            cbs.call("on_predict_batch_begin", batch, {})
            part = self._infer_checked(x[start:start + chunk], start)
            for out, p in zip(outs, part if self.several_outputs else [part]):
                out[start:start + chunk] = p
            cbs.call("on_predict_batch_end", batch, {"outputs": [o[start:start + chunk] for o in outs]
                                                     if self.several_outputs else outs[0][start:start + chunk]})
        cbs.call("on_predict_end", {})
        return outs if self.several_outputs else outs[0]

    def _infer_checked(self, x, offset):
        given = as_list(x)
        # over: a value beyond the dtype becomes inf, named by check_finite below
        with np.errstate(over="ignore", under="ignore"):
            arrays = [np.asarray(a, dtype=self.dtype) for a in given]
            for i, (a, source) in enumerate(zip(arrays, given)):
                check_finite(a, "x" if len(arrays) == 1 else f"x[{i}]", row_offset=offset, source=source)
            return self.infer(arrays[0] if len(arrays) == 1 else MultiArray(arrays))

    # ---- one batch at a time (Keras' train_on_batch / test_on_batch / predict_on_batch) ----------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient step on (x, y) as one batch. Returns the batch's loss (before the step, with any
        penalties), or [loss, *metrics] as evaluate does; the metrics are this batch's own (Keras 2's
        default reset_metrics=True).

            >>> # for x_b, y_b in my_batches: loss, acc = model.train_on_batch(x_b, y_b)
        """
        self._require_compiled("training it")
        x, y, w = self._prepare_data(x, y, sample_weight, class_weight, train=True)
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            out, value = self.train_step(dense_rows(x), y, w)
        logs = {"loss": value}
        for metric in self.compiled_metrics:
            metric.reset_state()
            metric.update_state(y, out, w)
            logs[metric.name] = metric.result()
        return self._as_result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss (and metrics) of (x, y) as one batch, changing no weight: evaluate without batching."""
        return self.evaluate(x, y, batch_size=max(1, len(x)), verbose=0, sample_weight=sample_weight,
                             return_dict=return_dict)

    def predict_on_batch(self, x):
        """predict(x) for x as one batch."""
        return self.predict(x, batch_size=max(1, len(x)))

    def __call__(self, x, training=False):
        if is_symbolic(x):                       # a model is a layer: called in another model's graph
            return symbolic_call(self, x)
        if current_tape() is not None:           # or inside a subclassed model's call()
            return current_tape().call(self, x, training)
        x = data_checks.prepare_x(self, x)
        with np.errstate(under="ignore"):
            return self.forward(x, training=training)

    # ---- tools built on the training step -------------------------------------------------------------
    def lr_find(self, x, y, **kwargs):
        """Learning-rate finder (see neuronet.models.lr_finder.lr_find): an exponential sweep over about one
        epoch on a throw-away copy of the weights and optimizer state; returns lrs, losses, suggestion."""
        from neuronet.models.lr_finder import lr_find
        return lr_find(self, x, y, **kwargs)

    def explain_step(self, x, y, learning_rate=None, loss=None, apply=False):
        """One training step as tables (z, a, delta per unit; value, gradient, update per weight); the
        model is unchanged unless apply=True. See neuronet.models.explain.explain_step."""
        from neuronet.models.explain import explain_step
        return explain_step(self, x, y, learning_rate=learning_rate, loss=loss, apply=apply)


def _validation_schedule(value):
    """Keras' validation_freq as a test of a 1-based epoch number: every n-th epoch (an int), or the
    epochs listed."""
    if isinstance(value, (list, tuple)):
        if all(isinstance(e, (int, np.integer)) and not isinstance(e, bool) and e >= 1 for e in value):
            return {int(e) for e in value}.__contains__
    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1:
        return lambda epoch: epoch % int(value) == 0
    raise ValueError("Received an invalid value for `validation_freq`, expected a positive integer or a list of "
                     f"epoch numbers (1-based, e.g. [1, 2, 10]). Received: validation_freq={value!r}")


def _samples(data):
    """The samples of validation data: arrays (x, y, w) or a stream iterator (None if unknown)."""
    return len(data[0]) if isinstance(data, (tuple, list)) else data.num_samples


def _check_verbose(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"Received an invalid value for `verbose`, expected 'auto', 0, 1 or 2. Received: verbose={verbose!r}")
    return int(verbose)
