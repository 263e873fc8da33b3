"""A diverging fit: warned once, rolled back to the last finite weights, recorded in the history."""
import warnings

import numpy as np

from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    return x, x @ np.array([1.0, -1.0, 0.5])


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


def test_a_finite_divergence_warns_once_naming_the_growth():
    """Unscaled Boston-like inputs with SGD: the loss climbs by orders of magnitude without reaching inf."""
    import warnings
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 700, size=(64, 13)).astype(np.float32)
    y = x[:, :1] * 0.05
    model = Sequential([Dense(1, input_shape=(13,))])
    model.compile(optimizer=SGD(learning_rate=1e-6), loss="mse")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, epochs=12, batch_size=64, verbose=0, shuffle=False)
    losses = history.history["loss"]
    growth = [w for w in caught if "grew from" in str(w.message)]
    assert np.isfinite(losses).all() and losses[-1] > 1e3 * losses[0]
    assert len(growth) == 1 and "Scale the inputs" in str(growth[0].message)


def test_a_loss_that_falls_gives_no_growth_warning():
    import warnings
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    x = np.random.default_rng(1).normal(size=(64, 3)).astype(np.float32)
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, x[:, :1], epochs=5, verbose=0)
