"""Sequential.fit / evaluate: notes-quality training, input checks, weights, verbose output."""
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import neuronet
from neuronet.exceptions import NotFittedError
from neuronet.layers import Dense, Input
from neuronet.models import Sequential
from neuronet.optimizers import Adam
from neuronet.layers import Dense


def cancer_model():
    return Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(32, activation="relu"),
                       Dense(1, activation="sigmoid")])


def _cancer_data():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_breast_cancer_reaches_notes_quality():
    X_train, X_test, y_train, y_test = _cancer_data()
    model = cancer_model()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(X_train, y_train, batch_size=64, epochs=300, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "acc", "val_loss", "val_acc"}
    assert len(history.history["loss"]) == 300
    assert history.history["loss"][-1] < history.history["loss"][0]
    test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
    assert test_acc >= 0.95


def test_wine_reaches_notes_quality():
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    model = Sequential([Dense(64, activation="relu", input_shape=(13,)), Dense(32, activation="relu"),
                        Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(scaler.transform(X_train), y_train, batch_size=32, epochs=300,
                        validation_split=0.2, verbose=0)
    assert "val_accuracy" in history.history
    _, acc = model.evaluate(scaler.transform(X_test), y_test, verbose=0)
    assert acc >= 0.94


def test_same_seed_gives_bit_identical_runs():
    X_train, _, y_train, _ = _cancer_data()

    def run():
        neuronet.clear_session()
        neuronet.set_random_seed(7)
        model = cancer_model()
        model.compile(optimizer=Adam(lr=0.01), loss="binary_crossentropy", metrics=["acc"])
        history = model.fit(X_train, y_train, batch_size=32, epochs=3, validation_split=0.2, verbose=0)
        return model.get_weights(), history.history

    (w1, h1), (w2, h2) = run(), run()
    assert h1 == h2
    for a, b in zip(w1, w2):
        assert np.array_equal(a, b)


def test_float32_end_to_end_and_float64_on_request():
    X_train, _, y_train, _ = _cancer_data()
    model = cancer_model()
    model.compile(optimizer=Adam(learning_rate=np.sqrt(1e-4)), loss="binary_crossentropy")
    model.fit(X_train, y_train, epochs=1, verbose=0)
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert model.predict(X_train[:3]).dtype == np.float32
    neuronet.config.set_floatx("float64")
    model64 = cancer_model()
    model64.compile(optimizer="sgd", loss="binary_crossentropy")
    model64.fit(X_train, y_train, epochs=1, verbose=0)
    assert all(w.dtype == np.float64 for w in model64.get_weights())


def test_validation_split_takes_the_last_fraction_before_shuffling():
    x = np.arange(10, dtype=float).reshape(-1, 1)
    y = np.zeros(10)
    seen = []

    class Spy(neuronet.callbacks.Callback):
        pass

    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer="sgd", loss="mse")
    original = neuronet.models.epoch_loop.test_loop

    def spy_loop(m, xv, yv, wv, batch_size, metrics, callbacks=None):
        seen.append(xv.ravel().tolist())
        return original(m, xv, yv, wv, batch_size, metrics, callbacks)

    neuronet.models.epoch_loop.test_loop = spy_loop
    try:
        model.fit(x, y, validation_split=0.2, epochs=1, verbose=0, callbacks=[Spy()])
    finally:
        neuronet.models.epoch_loop.test_loop = original
    assert seen == [[8.0, 9.0]]


def test_evaluate_returns_loss_or_list_and_history_keys_follow_user_names():
    x = np.random.default_rng(0).normal(size=(40, 3))
    y = x @ np.array([1.0, -2.0, 0.5])
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile(optimizer="adam", loss="mean_squared_error", metrics=["mae", "rmse"])
    history = model.fit(x, y, epochs=2, validation_data=(x, y), verbose=0)
    assert set(history.history) == {"loss", "mae", "rmse", "val_loss", "val_mae", "val_rmse"}
    loss, mae, rmse = model.evaluate(x, y, verbose=0)
    assert rmse == pytest.approx(np.sqrt(loss), rel=1e-5)
    model.compile(optimizer="adam", loss="mse")
    assert isinstance(model.evaluate(x, y, verbose=0), float)


def test_accepts_lists_and_pandas():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(20, 2)), columns=["a", "b"])
    target = pd.Series(rng.integers(0, 2, 20))
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["acc"])
    model.fit(frame, target, epochs=1, verbose=0)
    model.fit(frame.values.tolist(), target.tolist(), epochs=1, verbose=0)
    assert model.predict([[0.1, 0.2]]).shape == (1, 1)


def test_verbose_prints_keras_style_epoch_lines(capsys):
    X_train, _, y_train, _ = _cancer_data()
    model = cancer_model()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["acc"])
    model.fit(X_train, y_train, batch_size=64, epochs=2, validation_split=0.2, verbose=2)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Train on 340 samples, validate on 86 samples"     # as the notes print it
    assert out[1].startswith("Epoch 1/2")
    assert out[2].startswith("340/340 - ")
    assert " - loss: " in out[2] and " - acc: " in out[2] and " - val_loss: " in out[2] and " - val_acc: " in out[2]
    model.fit(X_train, y_train, batch_size=64, epochs=1, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/1" in out and "426/426 [==============================]" in out
    model.evaluate(X_train, y_train)            # the notes: 426/426 [===...===] - 0s 30us/sample - loss: ...
    line = capsys.readouterr().out.strip()
    import re
    assert re.fullmatch(r"426/426 \[={30}\] - \d+s \d+[um]s/sample - loss: \d\.\d{4} - acc: \d\.\d{4}", line), line


# ---- bad input: ValueError naming the argument, before any weight changes ----------------------------
def _compiled():
    model = cancer_model()
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model


@pytest.mark.parametrize("x, y, match", [
    (np.zeros((20, 30)), np.zeros(19), r"inconsistent numbers of samples: \[20, 19\]"),
    (np.zeros((20, 29)), np.zeros(20), "features per sample"),
    (np.full((20, 30), np.nan), np.zeros(20), "Input x contains NaN"),
    (np.zeros((20, 30)), np.full(20, np.inf), "Input y contains infinity"),
    (np.zeros((0, 30)), np.zeros(0), "empty"),
    (np.zeros((20, 30, 2)), np.zeros(20), "3-D"),
    (np.zeros(30), np.zeros(30), "1-D"),
])
def test_bad_fit_input_is_rejected_before_training(x, y, match):
    model = _compiled()
    before = model.get_weights()
    with pytest.raises(ValueError, match=match):
        model.fit(x, y, epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.optimizer.iterations == 0


def test_nan_reports_position():
    x = np.zeros((5, 30))
    x[3, 7] = np.nan
    with pytest.raises(ValueError, match="row 3, column 7"):
        _compiled().fit(x, np.zeros(5), verbose=0)


@pytest.mark.parametrize("kwargs, match", [
    ({"batch_size": 0}, "batch_size"),
    ({"validation_split": 1.0}, "validation_split"),
    ({"epochs": -1}, "epochs"),
    ({"verbose": 5}, "verbose"),
])
def test_bad_fit_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _compiled().fit(np.zeros((10, 30)), np.zeros(10), **kwargs)


def test_caller_arrays_are_never_modified():
    X_train, _, y_train, _ = _cancer_data()
    x, y = X_train.astype(np.float32), y_train.astype(np.float32)
    x.flags.writeable = False
    copy_x, copy_y = x.copy(), y.copy()
    model = _compiled()
    model.fit(x, y, epochs=1, verbose=0)
    model.predict(x)
    assert np.array_equal(x, copy_x) and np.array_equal(y, copy_y)


def test_class_weight_and_sample_weight_change_the_loss():
    x = np.random.default_rng(1).normal(size=(30, 2))
    y = (x[:, 0] > 0).astype(float)
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    plain = model.evaluate(x, y, verbose=0)
    weighted = model.evaluate(x, y, sample_weight=np.full(30, 2.0), verbose=0)
    assert weighted == pytest.approx(2 * plain, rel=1e-5)
    model.fit(x, y, class_weight={0: 1.0, 1: 3.0}, epochs=1, verbose=0)


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


def test_use_before_compile_or_build_is_a_clear_error():
    model = Sequential([Dense(2)])
    with pytest.raises(NotFittedError, match="compile"):
        model.evaluate(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(NotFittedError, match="not yet been built"):
        model.count_params()
    assert issubclass(NotFittedError, ValueError)


@pytest.mark.parametrize("call, words", [
    (lambda m, x, y: m.fit(np.where(np.arange(30).reshape(10, 3) % 7 == 2, np.nan, x), y, verbose=0),
     r"Input x contains NaN: 4 non-finite value\(s\), the first at row 0, column 2"),
    (lambda m, x, y: m.fit(x[:, 0], y, verbose=0), r"1-D.*Reshape your data"),
    (lambda m, x, y: m.evaluate(np.zeros((10, 4)), y, verbose=0), r"`x` has \(4,\) features per sample.*\(3,\)"),
    (lambda m, x, y: m.fit(x, y, validation_split=-0.1, verbose=0), r"validation_split.*\[0, 1\).*-0.1"),
    (lambda m, x, y: m.fit(x, y, validation_split=0.95, verbose=0), r"validation_split=0.95 leaves 0 training"),
    (lambda m, x, y: m.fit(x, y, batch_size=-1, verbose=0), r"`batch_size`.*positive integer.*batch_size=-1"),
    (lambda m, x, y: m.predict(x, batch_size=0), r"`batch_size`.*batch_size=0"),
])
def test_bad_input_names_what_was_received_before_any_change(call, words):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(10, 3)), rng.normal(size=10)
    model = Sequential([Dense(4, input_shape=(3,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    before = model.get_weights()
    with pytest.raises(ValueError, match=words):
        call(model, x, y)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.optimizer.iterations == 0


def test_metrics_names_as_keras():
    """[] before compile; then 'loss' and each metric under the name it was given ('acc' stays 'acc'),
    the order of evaluate's list."""
    import numpy as np

    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    assert model.metrics_names == []
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["acc", "mse"])
    assert model.metrics_names == ["loss", "acc", "mse"]
    values = model.evaluate(np.ones((4, 2)), np.ones(4), verbose=0)
    logs = model.evaluate(np.ones((4, 2)), np.ones(4), verbose=0, return_dict=True)
    assert values == [logs[name] for name in model.metrics_names]
