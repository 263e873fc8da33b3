"""Issue 7 guarantees not covered by the family tests: bad input, divergence, reproducibility across
processes, untouched global random state, read-only / memory-mapped inputs, concurrent predict, and
memory that grows with the chunk rather than the data."""
import json
import subprocess
import sys
import textwrap
import threading
import tracemalloc
import warnings

import numpy as np
import pytest

import neuronet
from neuronet.exceptions import NotFittedError
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


def small_model(out=1, activation=None, loss="mse"):
    model = Sequential([Dense(8, activation="relu", input_shape=(3,)), Dense(out, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    return x, x @ np.array([1.0, -1.0, 0.5])


# ---- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize("x, error, words", [
    (np.zeros((5, 3), dtype=complex), TypeError, "complex"),
    (np.array([["a", "b", "c"]] * 5), TypeError, "non-numeric"),
    (np.zeros((5, 0)), ValueError, "features per sample"),
])
def test_unusable_x_is_named(x, error, words):
    with pytest.raises(error, match=words):
        small_model().fit(x, np.zeros(len(x)), verbose=0)


def test_sparse_labels_outside_the_classes_and_one_hot_width():
    x, _ = data()
    model = small_model(out=3, activation="softmax", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"labels outside \[0, 3\)"):
        model.fit(x, np.full(len(x), 3), verbose=0)
    model = small_model(out=3, activation="softmax", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match=r"output has shape \(n, 3\)"):
        model.fit(x, np.eye(4)[np.zeros(len(x), dtype=int)], verbose=0)


@pytest.mark.parametrize("family, make, near", [
    ("activation", lambda: Dense(3, activation="rleu"), "relu"),
    ("loss", lambda: small_model().compile(optimizer="sgd", loss="mse_"), "mse"),
    ("optimizer", lambda: small_model().compile(optimizer="adamx", loss="mse"), "adam"),
    ("initializer", lambda: Dense(3, kernel_initializer="he_normall"), "he_normal"),
    ("metric", lambda: small_model().compile(optimizer="sgd", loss="mse", metrics=["maee"]), "mae"),
])
def test_unknown_names_list_known_ones_and_suggest_the_nearest(family, make, near):
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    assert f"Could not interpret {family} identifier" in message
    assert f"'{near}'" in message and "Known:" in message


def test_use_before_compile_or_build_is_a_clear_error():
    model = Sequential([Dense(2)])
    with pytest.raises(NotFittedError, match="compile"):
        model.evaluate(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(NotFittedError, match="not yet been built"):
        model.count_params()
    assert issubclass(NotFittedError, ValueError)


# ---- divergence ---------------------------------------------------------------------------------------
def test_diverging_fit_warns_once_rolls_back_and_records_it():
    x, y = data(64)
    model = Sequential([Dense(16, activation="relu", input_shape=(3,)), Dense(1)])
    model.compile(optimizer=SGD(learning_rate=1e3), loss="mse")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y * 100, epochs=6, verbose=0)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    assert "non-finite" in messages[0] and "epoch" in messages[0] and "TerminateOnNaN" in messages[0]
    assert not np.isfinite(history.history["loss"][-1])
    assert len(history.history["loss"]) < 6
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert np.isfinite(model.predict(x)).all()


def test_an_overflowing_loss_stops_fit_even_while_the_weights_are_finite():
    """mse overflows float32 (inf) a step before the weights do: fit must stop there, not train on."""
    from neuronet.callbacks import LambdaCallback
    x, y = data(64)
    model = Sequential([Dense(16, activation="relu", input_shape=(3,)), Dense(1)])
    model.compile(optimizer=SGD(learning_rate=1e8), loss="mse")
    model.build()
    start = [w.copy() for w in model.get_weights()]
    batches = []
    for callbacks in ([], [LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))]):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = model.fit(x, y * 100, epochs=6, verbose=0, shuffle=False, callbacks=callbacks)
        assert history.history["loss"] == [np.inf], history.history
        assert len(caught) == 1 and "stayed finite" in str(caught[0].message)
        for before, after in zip(start, model.get_weights()):
            np.testing.assert_array_equal(before, after)
    assert batches == [0, 1]              # the per-batch path ran too, and stopped at the first inf batch


def test_a_callback_stopping_on_the_diverging_batch_does_not_silence_the_rollback():
    """A user's own stop rule (here: after batch 2) firing on the batch whose loss is NaN must not leave
    the NaN weights in place without a word."""
    from neuronet.callbacks import LambdaCallback
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 3)).astype(np.float32)
    model = Sequential([Dense(16, activation="relu", input_shape=(3,)), Dense(1)])
    model.compile(optimizer=SGD(learning_rate=1e4), loss="mse")
    stop = LambdaCallback(on_train_batch_end=lambda batch, logs: setattr(model, "stop_training", batch >= 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, x.sum(axis=1) * 100, epochs=3, verbose=0, shuffle=False, callbacks=[stop])
    assert not np.isfinite(history.history["loss"][-1])
    assert len(caught) == 1 and "non-finite" in str(caught[0].message)
    assert all(np.isfinite(w).all() for w in model.get_weights())


# ---- reproducibility ------------------------------------------------------------------------------------
SCRIPT = textwrap.dedent("""
    import json, numpy as np, neuronet
    from neuronet.models import Sequential
    from neuronet.layers import Dense, Dropout
    neuronet.set_random_seed(11)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 4)); y = (x[:, 0] > 0).astype(float)
    model = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dropout(0.3),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    h = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.2, verbose=0)
    print(json.dumps({"w": [w.tolist() for w in model.get_weights()], "h": h.history,
                      "p": model.predict(x).tolist()}))
""")


def test_same_seed_is_bit_identical_in_two_fresh_processes():
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
            for _ in range(2)]
    first, second = (json.loads(r.stdout) for r in runs)
    assert first == second


def test_explicit_seed_leaves_numpy_global_state_untouched():
    x, y = data()
    before = np.random.get_state()[1].copy()
    model = small_model()
    model.fit(x, y, epochs=2, seed=5, verbose=0)
    model.predict(x)
    assert np.array_equal(np.random.get_state()[1], before)


# ---- inputs and concurrency --------------------------------------------------------------------------------
def test_read_only_and_memory_mapped_inputs(tmp_path):
    x, y = data()
    path = tmp_path / "x.dat"
    mm = np.memmap(path, dtype=np.float64, mode="w+", shape=x.shape)
    mm[:] = x
    mm.flush()
    readonly = np.memmap(path, dtype=np.float64, mode="r", shape=x.shape)
    model = small_model()
    model.fit(readonly, y, epochs=2, verbose=0)
    assert model.predict(readonly).shape == (len(x), 1)
    np.testing.assert_array_equal(readonly, x)


def test_predict_is_identical_from_eight_threads():
    x, y = data(400)
    model = small_model()
    model.fit(x, y, epochs=1, verbose=0)
    expected = model.predict(x)
    results, errors = [None] * 8, []

    def work(i):
        try:
            for _ in range(20):
                results[i] = model.predict(x, batch_size=64)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_predict_memory_grows_with_the_chunk_not_the_data():
    model = Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(1, activation="sigmoid")])
    x = np.random.default_rng(0).normal(size=(200_000, 30))        # float64: 48 MB
    tracemalloc.start()
    out = model.predict(x, batch_size=1024)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert out.shape == (200_000, 1)
    # the output (0.8 MB) plus a few chunk-sized buffers; a float32 copy of x alone would be 24 MB
    assert peak < out.nbytes + 4 * 1024 * 64 * 8 + 2_000_000, peak


def test_nan_in_a_later_chunk_names_the_global_row():
    model = small_model()
    x = np.zeros((3000, 3))
    x[2500, 1] = np.nan
    with pytest.raises(ValueError, match="row 2500, column 1"):
        model.predict(x)


def test_terminate_on_nan_also_rolls_back_batch_norm_statistics():
    from neuronet.callbacks import TerminateOnNaN
    from neuronet.layers import BatchNormalization
    x, y = data(64)
    model = Sequential([Dense(16, activation="relu", input_shape=(3,)), BatchNormalization(), Dense(1)])
    model.compile(optimizer=SGD(learning_rate=1e4), loss="mse")
    stop = TerminateOnNaN()
    model.fit(x, y * 1e3, epochs=20, batch_size=8, verbose=0, callbacks=[stop])
    assert stop.stopped is not None
    assert all(np.isfinite(w).all() for w in model.get_weights())      # includes moving mean/variance


def test_divergence_is_rolled_back_before_validation_and_callbacks():
    from neuronet.callbacks import LambdaCallback
    x, y = data(64)
    seen = []
    model = Sequential([Dense(16, activation="relu", input_shape=(3,)), Dense(1)])
    model.compile(optimizer=SGD(learning_rate=1e3), loss="mse")
    check = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(
        all(np.isfinite(w).all() for w in model.get_weights())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(x, y * 100, epochs=6, validation_data=(x, y * 100), verbose=0, callbacks=[check])
    assert not np.isfinite(history.history["loss"][-1])
    assert len(history.history["val_loss"]) == len(history.history["loss"])
    assert seen and all(seen)                                # no callback ever saw NaN weights


@pytest.mark.parametrize("make, words", [
    (lambda: __import__("neuronet").optimizers.Adam(beta_1=1.0), r"`beta_1`.*\[0, 1\).*beta_1=1\.0"),
    (lambda: __import__("neuronet").optimizers.SGD(momentum=float("nan")), r"`momentum`.*momentum=nan"),
    (lambda: __import__("neuronet").optimizers.RMSprop(epsilon=-1e-7), r"`epsilon`.*non-negative.*epsilon=-1e-07"),
    (lambda: __import__("neuronet").optimizers.Adam(learning_rate=float("inf")), r"`learning_rate`.*non-negative"),
    (lambda: __import__("neuronet").optimizers.SGD(clipnorm=0), r"`clipnorm`.*positive.*clipnorm=0"),
    (lambda: __import__("neuronet").initializers.RandomNormal(stddev=-1), r"`stddev`.*non-negative.*stddev=-1"),
    (lambda: __import__("neuronet").initializers.Constant("3"), r"`value`.*finite number.*value='3'"),
    (lambda: __import__("neuronet").losses.Huber(delta=True), r"`delta`.*positive.*delta=True"),
    (lambda: __import__("neuronet").layers.ReLU(threshold=float("inf")), r"`threshold`.*finite.*threshold=inf"),
])
def test_number_arguments_are_checked_with_one_message_style(make, words):
    """Every numeric hyper-parameter goes through utils.validation.check_number / check_fraction."""
    with pytest.raises(ValueError, match=words):
        make()


def test_check_number_refuses_an_integer_too_large_for_a_float_with_the_usual_message():
    from neuronet.utils.validation import check_number
    with pytest.raises(ValueError, match=r"`factor`.*non-negative number.*factor=1000000000"):
        check_number(10 ** 400, "factor", minimum=0)
