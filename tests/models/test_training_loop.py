"""The training loop: epoch-end losses and metrics equal the per-batch path, copies, shared layers."""
import numpy as np
import pytest

import neuronet
from neuronet.activations import relu
from neuronet.callbacks import LambdaCallback
from neuronet.layers import Dense
from neuronet.models import Sequential


def _data(n=150, d=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype(np.float32)
    return x, rng


def _fit(build, loss, x, y, per_batch_callback, metrics=("acc",), **fit_kwargs):
    """Train a fresh model; with ``per_batch_callback`` an on_train_batch_end hook forces the per-batch path."""
    neuronet.set_random_seed(3)
    model = build()
    model.compile(optimizer="adam", loss=loss, metrics=list(metrics))
    seen = []
    callbacks = [LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(logs["loss"]))] \
        if per_batch_callback else []
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=callbacks, **fit_kwargs)
    return model, history, seen


def _binary():
    return Sequential([Dense(8, activation="relu", input_shape=(5,)), Dense(1, activation="sigmoid")])


def test_epoch_end_loss_and_metrics_equal_the_per_batch_path_bit_for_bit_weights():
    x, rng = _data()
    y = (x[:, 0] + 0.3 * rng.normal(size=len(x)) > 0).astype(np.float32)
    fast, h_fast, _ = _fit(_binary, "binary_crossentropy", x, y, False, validation_split=0.2)
    slow, h_slow, per_batch = _fit(_binary, "binary_crossentropy", x, y, True, validation_split=0.2)
    assert len(per_batch) == 3 * 8     # 120 training rows in batches of 16, three epochs
    for a, b in zip(fast.get_weights(), slow.get_weights()):
        assert np.array_equal(a, b)    # the same gradient, (sigmoid(z) - y) / n, on both paths
    assert h_fast.history.keys() == h_slow.history.keys()
    np.testing.assert_allclose(h_fast.history["loss"], h_slow.history["loss"], rtol=1e-6)
    assert h_fast.history["acc"] == h_slow.history["acc"]
    assert h_fast.history["val_loss"] == h_slow.history["val_loss"]
    # the epoch's loss is the mean over its samples of the per-batch values
    assert h_slow.history["loss"][-1] == pytest.approx(per_batch[-1], rel=1e-6)


def test_epoch_end_loss_matches_with_sample_and_class_weights():
    x, rng = _data()
    y = (x[:, 1] > 0).astype(np.float32)
    w = rng.uniform(0.1, 3.0, size=len(x))
    kwargs = {"sample_weight": w, "class_weight": {0: 1.0, 1: 2.5}}
    fast, h_fast, _ = _fit(_binary, "binary_crossentropy", x, y, False, **kwargs)
    slow, h_slow, _ = _fit(_binary, "binary_crossentropy", x, y, True, **kwargs)
    for a, b in zip(fast.get_weights(), slow.get_weights()):
        assert np.array_equal(a, b)
    np.testing.assert_allclose(h_fast.history["loss"], h_slow.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(h_fast.history["acc"], h_slow.history["acc"], rtol=1e-12)


def test_regression_and_softmax_paths_agree():
    x, rng = _data()
    y_reg = (x @ rng.normal(size=5)).astype(np.float32)
    build_reg = lambda: Sequential([Dense(8, activation="relu", input_shape=(5,)), Dense(1)])  # noqa: E731
    fast, h_fast, _ = _fit(build_reg, "mse", x, y_reg, False, metrics=["mae"])
    slow, h_slow, _ = _fit(build_reg, "mse", x, y_reg, True, metrics=["mae"])
    for a, b in zip(fast.get_weights(), slow.get_weights()):
        assert np.array_equal(a, b)
    np.testing.assert_allclose(h_fast.history["loss"], h_slow.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(h_fast.history["mae"], h_slow.history["mae"], rtol=1e-6)

    labels = np.argmax(x[:, :3], axis=1)
    build_cls = lambda: Sequential([Dense(8, activation="relu", input_shape=(5,)),  # noqa: E731
                                    Dense(3, activation="softmax")])
    fast, h_fast, _ = _fit(build_cls, "sparse_categorical_crossentropy", x, labels, False)
    slow, h_slow, _ = _fit(build_cls, "sparse_categorical_crossentropy", x, labels, True)
    # softmax(z) from the layer and exp(log_softmax(z)) from the loss may differ in the last bit
    for a, b in zip(fast.get_weights(), slow.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(h_fast.history["loss"], h_slow.history["loss"], rtol=1e-5)


def test_epoch_loss_is_the_loss_of_the_outputs_the_batches_produced():
    """No batch callback: the loss fit reports for one epoch without shuffling equals the loss of the
    predictions each batch made before its update (replayed here batch by batch)."""
    x, rng = _data(64)
    y = (x[:, 0] > 0).astype(np.float32)
    neuronet.set_random_seed(1)
    model = _binary()
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    replay = neuronet.models.Sequential.from_config(model.get_config())
    replay.compile(optimizer="sgd", loss="binary_crossentropy")
    replay.set_weights(model.get_weights())
    history = model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    values = []
    for start in range(0, 64, 16):
        values.append(replay.evaluate(x[start:start + 16], y[start:start + 16], verbose=0))
        replay.fit(x[start:start + 16], y[start:start + 16], epochs=1, batch_size=16, verbose=0)
    assert history.history["loss"][0] == pytest.approx(np.mean(values), rel=1e-5)


@pytest.mark.parametrize("loss, build_y", [
    ("binary", lambda x: (x[:, 0] > 0).astype(np.float32)),
    ("categorical", lambda x: np.eye(3, dtype=np.float32)[np.argmax(x[:, :3], axis=1)]),
    ("sparse", lambda x: np.argmax(x[:, :3], axis=1)),
])
def test_from_logits_losses_train_the_same_on_both_paths(loss, build_y):
    """A linear last layer with a from_logits cross-entropy: the gradient is the log-sum-exp one
    (softmax(z) - y), on the epoch-end path as on the per-batch path."""
    from neuronet.losses import BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy
    make = {"binary": BinaryCrossentropy, "categorical": CategoricalCrossentropy,
            "sparse": SparseCategoricalCrossentropy}[loss]
    x, _ = _data()
    y = build_y(x)
    units = 1 if loss == "binary" else 3
    build = lambda: Sequential([Dense(8, activation="relu", input_shape=(5,)), Dense(units)])  # noqa: E731
    fast, h_fast, _ = _fit(build, make(from_logits=True), x, y, False, metrics=[])
    slow, h_slow, _ = _fit(build, make(from_logits=True), x, y, True, metrics=[])
    for a, b in zip(fast.get_weights(), slow.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h_fast.history["loss"], h_slow.history["loss"], rtol=1e-5)
    assert h_fast.history["loss"][-1] < h_fast.history["loss"][0]


def test_wide_outputs_on_large_data_are_not_kept_for_the_epoch_end(monkeypatch):
    """The epoch-end path keeps every batch's output: past DEFER_MAX_VALUES it falls back to per-batch
    values, so memory does not grow with data set size x output width."""
    from neuronet.models import epoch_loop
    x, rng = _data(200, 5)
    y = (x @ rng.normal(size=(5, 4))).astype(np.float32)
    build = lambda: Sequential([Dense(8, activation="relu", input_shape=(5,)), Dense(4)])  # noqa: E731
    kept = []
    original = epoch_loop.epoch_loss_sum
    monkeypatch.setattr(epoch_loop, "epoch_loss_sum", lambda *a, **k: kept.append(1) or original(*a, **k))
    _, small, _ = _fit(build, "mse", x, y, False, metrics=["mae"])
    assert kept
    kept.clear()
    monkeypatch.setattr(epoch_loop, "DEFER_MAX_VALUES", 200 * 4 - 1)
    _, large, _ = _fit(build, "mse", x, y, False, metrics=["mae"])
    assert not kept
    np.testing.assert_allclose(small.history["loss"], large.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(small.history["mae"], large.history["mae"], rtol=1e-6)


def test_a_deep_copied_model_trains_its_own_weights():
    import copy
    x, rng = _data(40, 3)
    y = (x @ rng.normal(size=(3, 2))).astype(np.float32)
    model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    twin = copy.deepcopy(model)
    before = [w.copy() for w in model.get_weights()]
    np.testing.assert_array_equal(twin.predict(x), model.predict(x))
    history = twin.fit(x, y, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert any(not np.array_equal(a, b) for a, b in zip(before, twin.get_weights()))
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))   # the original untouched


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "elu", "softmax", "gelu"])
def test_a_pickled_model_with_any_activation_predicts_and_trains_as_the_original(activation):
    """Layers keep the activations' bare functions; pickle finds them by reference (the module-level
    function neuronet.activations.sigmoid, not a copy)."""
    import pickle
    from neuronet.layers import Activation
    x, rng = _data(40, 3)
    y = (x @ rng.normal(size=(3, 2))).astype(np.float32)
    model = Sequential([Dense(4, activation=activation, input_shape=(3,)), Activation(activation), Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    twin = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(twin.predict(x), model.predict(x))
    twin.fit(x, y, epochs=2, verbose=0, shuffle=False)
    model.fit(x, y, epochs=2, verbose=0, shuffle=False)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), twin.get_weights()))


def test_calling_a_model_returns_its_outputs():
    x, _ = _data(6)
    model = _binary()
    out = model(x)
    np.testing.assert_allclose(out, model.predict(x), rtol=1e-6)
    assert model(x, training=True).shape == (6, 1)


def test_the_progress_bar_leaves_fit_on_the_epoch_end_path(capsys, monkeypatch):
    """verbose=1 written where no live line can show (here pytest's capture, as a file or a pipe) registers
    no batch hook, so fit computes the epoch's loss at its end too, and still prints the notes' lines."""
    from neuronet.models import epoch_loop
    x, _ = _data(64)
    y = (x[:, 0] > 0).astype(np.float32)
    calls = []
    original = epoch_loop.epoch_loss_sum
    monkeypatch.setattr(epoch_loop, "epoch_loss_sum", lambda *a, **k: calls.append(1) or original(*a, **k))
    model = _binary()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    model.fit(x, y, epochs=2, batch_size=16, verbose=1)
    assert len(calls) == 2
    printed = capsys.readouterr().out
    assert "Train on 64 samples" in printed and "Epoch 2/2" in printed and " - loss: " in printed


def test_classes_passed_uncalled_are_instantiated_by_every_registry():
    from neuronet import initializers, losses, optimizers, regularizers
    layer = Dense(3, kernel_initializer=initializers.HeNormal, kernel_regularizer=regularizers.L2,
                  input_shape=(4,))
    assert isinstance(layer.kernel_initializer, initializers.HeNormal)
    assert isinstance(layer.kernel_regularizer, regularizers.L2)
    assert isinstance(optimizers.get(optimizers.Nadam), optimizers.Nadam)
    assert isinstance(losses.get(losses.MeanSquaredError), losses.MeanSquaredError)
    model = Sequential([layer])
    model.compile(optimizer=optimizers.Adam, loss="mse")
    x, _ = _data(8, 4)
    model.fit(x, np.zeros((8, 3), np.float32), epochs=1, verbose=0)


@pytest.mark.parametrize("per_batch_callback", [False, True])
def test_a_large_x_gathered_batch_by_batch_trains_the_same_bits(monkeypatch, per_batch_callback):
    """Above GATHER_WHOLE_MAX_BYTES fit gathers each shuffled batch of x on its own: the same rows in the
    same order as the whole-set copy, so the same weights and history (the last batch is short: 150 rows)."""
    from neuronet.models import epoch_iterator
    x, rng = _data()
    y = (x[:, 0] + 0.3 * rng.normal(size=len(x)) > 0).astype(np.float32)
    w = rng.uniform(0.5, 2.0, size=len(x))
    runs = []
    for limit in (x.nbytes, x.nbytes - 1):                 # whole copy, then batch by batch
        monkeypatch.setattr(epoch_iterator, "GATHER_WHOLE_MAX_BYTES", limit)
        model, history, _ = _fit(_binary, "binary_crossentropy", x, y, per_batch_callback, sample_weight=w)
        runs.append((model.get_weights(), history.history))
    (w_whole, h_whole), (w_batches, h_batches) = runs
    assert all(np.array_equal(a, b) for a, b in zip(w_whole, w_batches))
    assert h_whole == h_batches
    unshuffled, _, _ = _fit(_binary, "binary_crossentropy", x, y, per_batch_callback, sample_weight=w, shuffle=False)
    assert not np.array_equal(unshuffled.get_weights()[0], w_batches[0])   # the order did change


def test_a_subclass_of_sparse_categorical_crossentropy_takes_integer_labels():
    """fit recognises sparse labels by the loss's class, so a subclass takes integer labels too."""
    from neuronet.losses import SparseCategoricalCrossentropy

    class LabelledLoss(SparseCategoricalCrossentropy):
        pass

    x, _ = _data(12, 2)
    model = Sequential([Dense(3, activation="softmax", input_shape=(2,))])
    model.compile("adam", LabelledLoss())
    history = model.fit(x, np.arange(12) % 3, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    with pytest.raises(ValueError, match=r"labels outside \[0, 3\).*\[3\]"):
        model.fit(x, np.arange(12) % 4, epochs=1, verbose=0)


def test_a_layer_shared_by_two_models_trains_in_both():
    """Keras shares one set of weights: building a second model on a layer leaves it training in the
    first model too (its weights change when either model is fitted)."""
    x, rng = _data(64, 4)
    y = (x @ rng.normal(size=(4, 1))).astype(np.float32)
    shared = Dense(6, activation="tanh", input_shape=(4,))
    first = Sequential([shared, Dense(1)])
    second = Sequential([shared, Dense(1)])
    for model in (first, second):
        model.compile(optimizer="sgd", loss="mse")
    for model in (first, second, first):
        before = shared.get_weights()
        model.fit(x, y, epochs=2, verbose=0)
        assert not np.array_equal(before[0], shared.get_weights()[0])      # this model trained it
        np.testing.assert_array_equal(first.layers[0].params["kernel"], second.layers[0].params["kernel"])
    np.testing.assert_array_equal(first.predict(x), first.layers[1](shared(x)))


def test_validation_freq_validates_every_nth_epoch_as_keras():
    x, rng = _data(40, 5)
    y = (x[:, 0] > 0).astype(np.float32)
    model = _binary()
    model.compile("adam", "binary_crossentropy", metrics=["acc"])
    history = model.fit(x, y, epochs=5, validation_split=0.25, validation_freq=2, validation_batch_size=7,
                        verbose=0)
    assert len(history.history["loss"]) == 5
    assert len(history.history["val_loss"]) == 2 and len(history.history["val_acc"]) == 2   # epochs 2 and 4
    with pytest.raises(ValueError, match=r"`validation_freq`.*positive integer.*validation_freq=0"):
        model.fit(x, y, validation_split=0.25, validation_freq=0, verbose=0)


def test_reclaiming_a_shared_layer_keeps_the_compiled_set_of_trainable_weights():
    """Packing a shared layer back into the first model's buffer must not apply a `trainable` change made
    since compile (Keras applies it at the next compile), nor reset the optimizer's state: the first model
    trains exactly as it would had no second model been built."""
    x, rng = _data(64, 4)
    y = (x @ rng.normal(size=(4, 1))).astype(np.float32)
    results = []
    for build_second in (False, True):
        shared, head = Dense(6, activation="tanh", input_shape=(4,)), Dense(1)
        first = Sequential([shared, head])
        first.build((4,))
        first.set_weights([np.linspace(-0.5, 0.5, w.size, dtype=np.float32).reshape(w.shape)
                           for w in first.get_weights()])
        first.compile(optimizer="adam", loss="mse")
        first.fit(x, y, epochs=1, verbose=0, seed=1)
        if build_second:
            Sequential([shared, Dense(1)]).build((4,))
        head.trainable = False                  # not recompiled: takes effect at the next compile
        first.fit(x, y, epochs=1, verbose=0, seed=2)
        results.append(first.get_weights())
    for without, with_second in zip(*results):
        np.testing.assert_array_equal(without, with_second)


def test_validation_freq_takes_a_list_of_epochs_as_keras():
    """Keras (2 documents it, 3 accepts it): a list names the 1-based epochs that validate."""
    x, rng = _data(40, 5)
    y = (x[:, 0] > 0).astype(np.float32)
    model = _binary()
    model.compile("adam", "binary_crossentropy")
    seen = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, "val_loss" in logs)))
    model.fit(x, y, epochs=5, validation_split=0.25, validation_freq=[1, 4], verbose=0, callbacks=[record])
    assert seen == [(0, True), (1, False), (2, False), (3, True), (4, False)]
    with pytest.raises(ValueError, match=r"`validation_freq`.*positive integer or a list.*validation_freq=\[1, 0\]"):
        model.fit(x, y, validation_split=0.25, validation_freq=[1, 0], verbose=0)
