"""Sequential: a linear stack of layers with Keras' compile / fit / evaluate / predict.

    >>> from neuronet.models import Sequential
    >>> from neuronet.layers import Dense
    >>> model = Sequential()
    >>> model.add(Dense(64, activation='relu', input_shape=(30,)))
    >>> model.add(Dense(32, activation='relu'))
    >>> model.add(Dense(1, activation='sigmoid'))
    >>> model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['acc'])
    >>> model.count_params()
    4097
"""
from __future__ import annotations

import time

import numpy as np

from neuronet import losses, metrics as metrics_mod, optimizers
from neuronet.callbacks import CallbackList, History
from neuronet.callbacks.progbar import make_progbar
from neuronet.exceptions import NotFittedError
from neuronet.layers import Layer, InputLayer
from neuronet.models import training
from neuronet.models import training as _training   # for __call__, whose argument `training` hides the module
from neuronet.models.summary import summary_text
from neuronet.utils.naming import unique_name
from neuronet.utils.random import make_generator
from neuronet.utils.snapshot import TrainingSnapshot
from neuronet.utils.validation import check_finite, check_fraction, check_positive_int

# Up to this size the epoch's shuffled copy of x is gathered in one call and stays in cache; a larger x
# is gathered batch by batch (see run_epoch), so its batches are never written to memory and read back.
GATHER_WHOLE_MAX_BYTES = 1 << 22


class Sequential:
    """A stack of layers, each feeding the next. See the module docstring for the notes' example."""

    def __init__(self, layers=None, name=None):
        self.name = name or unique_name("sequential")
        self._all_layers: list[Layer] = []
        self.built = False
        self.optimizer = self.loss = None
        self.compiled_metrics = []
        self._compile_args = None
        self.stop_training = False
        self.history = None
        self._fused = False
        self._output_checked = False   # whether check_output_setup ran since the last compile or build
        for layer in layers or []:
            self.add(layer)

    # ---- structure ------------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        """The model's layers (an Input declaration is not a layer, as in Keras)."""
        return [l for l in self._all_layers if not isinstance(l, InputLayer)]

    def add(self, layer):
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of neuronet.layers.Layer; received "
                            f"{layer!r} of type {type(layer).__name__}.")
        if any(l.name == layer.name for l in self._all_layers):
            raise ValueError(f"All layers added to a Sequential model should have unique names; "
                             f"name {layer.name!r} is already the name of a layer in this model.")
        self._all_layers.append(layer)
        first_shape = self._all_layers[0].declared_input_shape
        if self.built:
            self._build_from(self.sample_shape)
        elif first_shape is not None and self.layers:
            self._build_from(first_shape)

    def pop(self):
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._all_layers.pop()
        if self.built and self.layers:
            self._build_from(self.sample_shape)
        elif not self.layers:
            self.built = False      # nothing left to build: input_shape, summary, fit ask for layers again
        return layer

    def build(self, input_shape=None):
        """Build every layer for samples of ``input_shape`` (without the batch axis; Keras' (None, 13)
        is also accepted)."""
        if input_shape is None:
            input_shape = self._all_layers[0].declared_input_shape if self._all_layers else None
            if input_shape is None:
                raise ValueError("The model has no input shape: pass input_shape to build(), to the first "
                                 "layer (input_shape=(13,)), or call fit/predict on data.")
        shape = tuple(input_shape)
        if shape and shape[0] is None:
            shape = shape[1:]
        self._build_from(shape)

    def _build_from(self, input_shape):
        if not self.layers:
            raise ValueError("The model has no layers; add some with model.add(Dense(...)).")
        shape = tuple(int(d) for d in input_shape)
        self.sample_shape = shape     # one sample's shape; input_shape adds Keras' batch axis (None)
        for layer in self.layers:
            if not layer.built:
                layer.build(shape)
            elif layer.input_shape != shape:
                raise ValueError(f"Layer {layer.name!r} was built for input shape {layer.input_shape} but "
                                 f"receives {shape}.")
            shape = layer.output_shape
        self.built = True
        self._layers = self.layers  # listed once: the training step reads it every batch
        self.dtype = self.layers[0].dtype
        self._pack_parameters()
        for i, layer in enumerate(self.layers):
            layer.needs_input_grad = i > 0
        self._update_fused()
        self._output_checked = False

    def _pack_parameters(self, entries=None):
        """Move every trainable weight (and its gradient) into one contiguous buffer, as views, so the
        optimizer updates the whole network in a handful of NumPy calls (``entries``: which (layer, key)
        pairs; default the weights of the layers trainable now)."""
        if entries is None:
            entries = [(layer, key) for layer in self.layers if layer.trainable for key in layer.params]
        self._packed = entries
        sizes = [layer.params[key].size for layer, key in entries]
        total = int(sum(sizes))
        flat = np.empty(total, dtype=self.dtype)
        flat_grad = np.zeros(total, dtype=self.dtype)
        offset = 0
        for (layer, key), size in zip(entries, sizes):
            shape = layer.params[key].shape
            flat[offset:offset + size] = layer.params[key].ravel()
            layer.params[key] = flat[offset:offset + size].reshape(shape)
            layer.grads[key] = flat_grad[offset:offset + size].reshape(shape)
            offset += size
        self._flat_params, self._flat_grads = [flat], [flat_grad]
        self._segments = np.cumsum([0, *sizes])
        self._regularized = [l for l in self.layers if l.regularizers or getattr(l, "activity_regularizer", None)]

    def _reclaim_weights(self):
        """Before training: a layer shared with another model that was built later had its weights moved
        into that model's buffer, where this model's optimizer would not reach them. Pack them back (the
        current values move with them; the other model does the same when it trains), as Keras shares
        one set of weights between models that share a layer."""
        flat = self._flat_params[0]
        if any(layer.params[key].base is not flat for layer, key in self._packed):
            self._pack_parameters(self._packed)   # the compiled set: a `trainable` change waits for compile

    def _update_fused(self):
        """Use the fused sigmoid/softmax + cross-entropy gradient when the last layer and loss match."""
        self._fused = training.fuses(self.layers[-1] if self.built and self.layers else None, self.loss)

    @property
    def input_shape(self):
        """Keras' ``(None, *one sample's shape)``: ``(None, 30)`` for 30 features."""
        self._require_built("input_shape")
        return (None, *self.sample_shape)

    @property
    def output_shape(self):
        """Keras' ``(None, *one output's shape)``: ``(None, 1)`` for one sigmoid unit."""
        self._require_built("output_shape")
        return (None, *self.layers[-1].output_shape)

    @property
    def output_sample_shape(self):
        """One output's shape, without the batch axis: ``(1,)`` for one sigmoid unit (``sample_shape`` is the
        input's)."""
        self._require_built("output_sample_shape")
        return self.layers[-1].output_shape

    def _require_built(self, what):
        if not self.built:
            raise NotFittedError(f"This model has not yet been built, so `{what}` is unknown. Build it by "
                                 "giving the first layer an input_shape, calling model.build(input_shape), "
                                 "or calling fit/predict on data.")

    # ---- compile --------------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, **kwargs):
        if kwargs:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(kwargs)}. "
                            "Accepted: optimizer, loss, metrics.")
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"`metrics` must be a list, e.g. metrics=['acc']; received {metrics!r}.")
        self._metric_ids = list(metrics or [])
        self._compile_args = {"optimizer": optimizer, "loss": loss, "metrics": self._metric_ids}
        self._resolve_metrics()
        self._output_checked = False
        if self.built:
            if self._packed != [(l, k) for l in self.layers if l.trainable for k in l.params]:
                self._pack_parameters()     # a layer's `trainable` changed since: Keras applies it at compile
            self._update_fused()
            self._check_output()

    def _resolve_metrics(self):
        shape = self.output_sample_shape if self.built else None
        self.compiled_metrics = [metrics_mod.get(m, loss=self.loss, output_shape=shape) for m in self._metric_ids]
        names = [m.name for m in self.compiled_metrics]
        if len(set(names)) != len(names):
            raise ValueError(f"Metric names must be unique; received {names}.")

    def _sync_metrics(self):
        """Re-resolve the compiled metrics ('acc' -> binary/categorical) once the output shape is known
        or has changed since they were resolved."""
        if self.compiled_metrics and getattr(self, "_metrics_shape", None) != self.output_sample_shape:
            self._resolve_metrics()
            self._metrics_shape = self.output_sample_shape

    def _check_output(self):
        """Warn once per compile (at compile when built, else at the first fit/evaluate) about an output
        that cannot learn: a softmax over one unit, a categorical cross-entropy on one unit."""
        if not getattr(self, "_output_checked", False):      # getattr: a model pickled before it existed
            self._output_checked = True
            training.check_output_setup(self)

    @property
    def metrics_names(self):
        return ["loss"] + [m.name for m in self.compiled_metrics]

    def _require_compiled(self, what):
        if self.optimizer is None or self.loss is None:
            raise NotFittedError(f"You must compile your model before {what}: call "
                                 "model.compile(optimizer='adam', loss='mse').")

    # ---- fit / evaluate / predict ---------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, seed=None, validation_batch_size=None, validation_freq=1):
        """Train for ``epochs`` epochs of mini-batch gradient descent; returns a History.

        All arguments are checked before any weight changes. ``seed`` fixes the shuffling order
        (otherwise drawn from neuronet's generator, see neuronet.utils.set_random_seed). As in Keras,
        ``validation_freq=n`` validates after every n-th epoch only ([1, 2, 10]: after those epochs), and
        ``validation_batch_size`` (default: ``batch_size``) is the batch size of validation callbacks'
        on_test_batch hooks.
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
        x, y, w = self._prepare_data(x, y, sample_weight, class_weight, train=True)
        val = None
        if validation_data is not None:
            val = self._prepare_validation(validation_data)
        elif validation_split:
            (x, y, w), (xv, yv, wv) = training.split_validation([x, y, w], validation_split)
            val = (xv, yv, wv)
        rng = make_generator(seed)
        self._shuffle_rng = rng
        history = History()
        cb_list = list(callbacks or []) + [history]  # after the user's, as in Keras: records keys they add
        if verbose:
            cb_list.append(make_progbar(verbose))
        params = {"epochs": epochs, "steps": -(-len(x) // batch_size), "samples": len(x),
                  "val_samples": 0 if val is None else len(val[0]), "batch_size": batch_size,
                  "verbose": verbose}
        cbs = CallbackList(cb_list, self, params)
        self.history = history
        self.stop_training = False
        self._fit_state = {"epoch": initial_epoch}   # BackupAndRestore sets "epoch" and "resume"
        cbs.call("on_train_begin", {})
        n = len(x)
        snapshot = TrainingSnapshot(self)
        shuffled = {}  # buffers the shuffled copies are gathered into, allocated once per fit
        self._diverged_at = None
        for epoch in range(self._fit_state["epoch"], epochs):
            self._fit_state["epoch"] = epoch
            cbs.call("on_epoch_begin", epoch, {})
            snapshot.take()
            xs, ys, ws, x_order = x, y, w, None
            if shuffle:
                order = rng.permutation(n)
                ys = _gather(y, order, shuffled, 1)
                ws = None if w is None else _gather(w, order, shuffled, 2)
                if x.nbytes <= GATHER_WHOLE_MAX_BYTES:
                    xs = _gather(x, order, shuffled, 0)
                else:
                    x_order = order    # run_epoch gathers x batch by batch
            logs = training.run_epoch(self, xs, ys, ws, batch_size, cbs, self.compiled_metrics,
                                      self._fit_state.pop("resume", None), x_order)  # resume: BackupAndRestore
            if self._diverged_at is not None:   # roll back before validation and callbacks see NaN weights
                training.report_divergence(self, epoch, snapshot)
            if val is not None and validates_after(epoch + 1):       # Keras: evaluate(callbacks=...)
                cbs.call("on_test_begin", {})
                val_logs = training.test_loop(self, *val, validation_batch_size, self.compiled_metrics, cbs)
                cbs.call("on_test_end", val_logs)
                logs.update((f"val_{k}", v) for k, v in val_logs.items())
            cbs.call("on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        cbs.call("on_train_end", {})
        return history

    def _prepare_validation(self, validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, "
                             f"sample_weight_val); received {type(validation_data).__name__} of length "
                             f"{len(validation_data) if hasattr(validation_data, '__len__') else '?'}.")
        xv = training.prepare_x(self, validation_data[0], "validation_data x")
        yv = training.prepare_y(self, validation_data[1], len(xv), "validation_data y")
        wv = None
        if len(validation_data) == 3 and validation_data[2] is not None:
            wv = training.prepare_weights(self, yv, len(xv), validation_data[2])
        return xv, yv, wv

    def lr_find(self, x, y, **kwargs):
        """Learning-rate finder (see neuronet.lr_finder.lr_find): an exponential sweep over about one
        epoch on a throw-away copy of the weights and optimizer state; returns lrs, losses, suggestion."""
        from neuronet.lr_finder import lr_find
        return lr_find(self, x, y, **kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 return_dict=False, callbacks=None):
        """Loss, or [loss, *metrics] when metrics were compiled (a dict with return_dict=True)."""
        self._require_compiled("evaluating it")
        batch_size = check_positive_int(32 if batch_size is None else batch_size, "batch_size")
        verbose = _check_verbose(verbose)
        x, y, w = self._prepare_data(x, y, sample_weight)
        cbs = CallbackList(list(callbacks or []), self, {"samples": len(x)})
        started = time.perf_counter()
        cbs.call("on_test_begin", {})
        logs = training.test_loop(self, x, y, w, batch_size, self.compiled_metrics, cbs)
        cbs.call("on_test_end", logs)
        if verbose:
            from neuronet.callbacks.progbar import summary_line
            print(summary_line(len(x), time.perf_counter() - started, logs))
        return self._as_result(logs, return_dict)

    def _prepare_data(self, x, y, sample_weight=None, class_weight=None, train=False):
        """(x, y, per-sample weights) checked and converted for fit, evaluate and the batch methods
        (building an unbuilt model from x); before training, a shared layer's weights are reclaimed."""
        x = training.prepare_x(self, x)
        if train:
            self._reclaim_weights()
        self._check_output()
        self._sync_metrics()
        y = training.prepare_y(self, y, len(x))
        return x, y, training.prepare_weights(self, y, len(x), sample_weight, class_weight)

    def _as_result(self, logs, return_dict):
        if return_dict:
            return logs
        values = [logs[k] for k in self.metrics_names]
        return values[0] if len(values) == 1 else values

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
            out, value = training.train_step(self, x, y, w)
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

    def get_layer(self, name=None, index=None):
        """A layer by its name, or by its position in ``model.layers``."""
        if (name is None) == (index is None):
            raise ValueError("Provide either a layer name or a layer index, not both (nor neither). Received: "
                             f"name={name!r}, index={index!r}")
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(f"Received an invalid value for `index`: the model has {len(self.layers)} "
                                 f"layers. Received: index={index!r}")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: {[l.name for l in self.layers]}.")

    def predict(self, x, batch_size=None, verbose=0, callbacks=None):
        """Outputs for ``x``, computed in chunks of ``batch_size`` rows (default 4096, cache-friendly):
        memory grows with the chunk, not the data. Changes no state, so it is safe from several threads."""
        x = training.prepare_x(self, x, convert=False)      # builds an unbuilt model from the data
        chunk = check_positive_int(4096 if batch_size is None else batch_size, "batch_size")
        n = x.shape[0]
        if n <= chunk and not callbacks:      # the common case, kept lean: one chunk, no hooks
            return self._infer(self._input_chunk(x, 0))
        cbs = CallbackList(list(callbacks or []), self, {"samples": n, "batch_size": chunk})
        cbs.call("on_predict_begin", {})
        out = np.empty((n, *self.output_sample_shape), dtype=self.dtype)
        for batch, start in enumerate(range(0, n, chunk)):
            cbs.call("on_predict_batch_begin", batch, {})
            out[start:start + chunk] = self._infer(self._input_chunk(x[start:start + chunk], start))
            cbs.call("on_predict_batch_end", batch, {"outputs": out[start:start + chunk]})
        cbs.call("on_predict_end", {})
        return out

    def _infer(self, x):
        """The lean inference path: no caches for backward, no per-layer checks."""
        with np.errstate(under="ignore"):
            for layer in self._layers:
                x = layer.infer(x)
        return x

    def _input_chunk(self, x, offset):
        x = np.asarray(x, dtype=self.dtype)
        check_finite(x, "x", row_offset=offset)
        return x

    def __call__(self, x, training=False):
        return self._forward(_training.prepare_x(self, x), training=training)

    def _forward(self, x, training=False):
        # Layers compute into local arrays and only store caches, so concurrent predicts never read
        # each other's intermediate values.
        out = x
        with np.errstate(under="ignore"):
            for layer in self._layers:
                out = layer.forward(out, training)
        return out

    # ---- weights, summary -----------------------------------------------------------------------------
    @property
    def weights(self):
        """Every layer's weight arrays in order (kernel, bias, ...): the live arrays, so changing one in
        place changes the model; ``get_weights()`` returns copies."""
        self._require_built("weights")
        return [w for layer in self.layers for w in layer.weights]

    def get_weights(self):
        return [w.copy() for layer in self.layers for w in layer.weights]

    def set_weights(self, weights):
        self._require_built("weights")
        weights = list(weights)
        expected = sum(len(layer.weights) for layer in self.layers)
        if len(weights) != expected:
            raise ValueError(f"set_weights expects {expected} arrays (the list get_weights() returns); "
                             f"received {len(weights)}.")
        i = 0
        for layer in self.layers:
            k = len(layer.weights)
            layer.set_weights(weights[i:i + k])
            i += k

    def count_params(self):
        self._require_built("count_params()")
        return sum(layer.count_params() for layer in self.layers)

    def explain_step(self, x, y, learning_rate=None, loss=None, apply=False):
        """One training step as tables (z, a, delta per unit; value, gradient, update per weight); the
        model is unchanged unless apply=True. See neuronet.trace.explain_step."""
        from neuronet.trace import explain_step
        return explain_step(self, x, y, learning_rate=learning_rate, loss=loss, apply=apply)

    def summary(self, print_fn=None):
        """Print Keras' summary table (layer names, output shapes, parameter counts)."""
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by calling "
                             "`build()` or by calling `fit()` with some data, or specify an `input_shape` "
                             "argument in the first layer(s) for automatic build.")
        (print_fn or print)(summary_text(self))

    # ---- saving (neuronet.saving: one zip of config.json + .npy arrays, written atomically) -----------
    def save(self, filepath, overwrite=True, include_optimizer=True):
        """Save architecture, weights, compile configuration and optimizer state to one file (a neuronet
        zip archive whatever the extension, also for the notes' ``model.save("my_ann_model.h5")``)."""
        from neuronet.saving import save_model
        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        """Save only the weights; load them back with ``load_weights`` into the same architecture."""
        from neuronet.saving import save_weights
        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath):
        """Load weights written by ``save_weights`` (or ``save``); shapes must match this model."""
        from neuronet.saving import load_weights
        load_weights(self, filepath)

    def get_config(self):
        from neuronet.layers import serialize
        return {"name": self.name, "layers": [serialize(l) for l in self._all_layers],
                **({"input_shape": list(self.sample_shape)} if self.built else {})}

    @classmethod
    def from_config(cls, config):
        from neuronet.layers import deserialize
        model = cls(name=config.get("name"))
        for layer_cfg in config["layers"]:
            model.add(deserialize(layer_cfg))
        if not model.built and config.get("input_shape"):
            model.build(tuple(config["input_shape"]))
        return model

    def __setstate__(self, state):
        """copy.deepcopy (and pickle) copy each weight array on its own, so the copy's layers would no
        longer be views of one parameter buffer and training would not reach them: gather them again.
        A model pickled before input_shape became Keras' (None, ...) property kept one sample's shape in
        ``input_shape``; it becomes ``sample_shape``."""
        state = dict(state)
        if "input_shape" in state:
            state.setdefault("sample_shape", tuple(state.pop("input_shape")))
        self.__dict__.update(state)
        if self.built:
            self._pack_parameters()

    def __repr__(self):
        return f"<Sequential name={self.name!r}, layers={[l.name for l in self.layers]}>"


def _gather(array, order, buffers, key):
    """array[order] into a buffer reused across epochs. C order, so every batch is a contiguous block."""
    buf = buffers.get(key)
    if buf is None:
        buf = buffers[key] = np.empty(array.shape, dtype=array.dtype)
    # 'clip': no extra buffering. The method, not np.take: the same call without its Python wrapper (~0.5 us)
    return array.take(order, axis=0, out=buf, mode="clip")


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


def _check_verbose(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"Received an invalid value for `verbose`, expected 'auto', 0, 1 or 2. Received: verbose={verbose!r}")
    return int(verbose)
