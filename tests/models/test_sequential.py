"""Sequential: the notes' parameter counts, summary layout, training quality, History, bad input."""
import io
from contextlib import redirect_stdout

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import neuronet
from neuronet.exceptions import NotFittedError
from neuronet.layers import Dense, Flatten, Input
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adam


def boston_model():
    model = Sequential()
    model.add(Dense(128, activation="relu", input_shape=(13,)))
    model.add(Dense(64, activation="relu"))
    model.add(Dense(64, activation="relu"))
    model.add(Dense(32, activation="relu"))
    model.add(Dense(1))
    return model


def cancer_model():
    return Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(32, activation="relu"),
                       Dense(1, activation="sigmoid")])


def deep_model():
    model = Sequential()
    model.add(Dense(8, input_dim=2, activation="relu"))
    for units in (32, 128, 256, 256, 128, 64, 16):
        model.add(Dense(units, activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    return model


@pytest.mark.parametrize("build, total", [
    (boston_model, 16321),
    (cancer_model, 4097),
    (lambda: Sequential([Flatten(input_shape=(28, 28)), Dense(50, activation="relu"),
                         Dense(10, activation="softmax")]), 39760),
    (deep_model, 145561),
])
def test_notes_parameter_counts(build, total):
    model = build()
    assert model.count_params() == total
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    assert f"Total params: {total:,}" in out.getvalue()
    assert f"Trainable params: {total:,}" in out.getvalue()
    assert "Non-trainable params: 0" in out.getvalue()


def test_summary_layout_matches_keras():
    model = boston_model()
    lines = []
    model.summary(print_fn=lines.append)
    text = lines[0].splitlines()
    assert text[0] == 'Model: "sequential"'
    assert text[2].startswith("Layer (type)                 Output Shape              Param #")
    assert text[4] == "dense (Dense)                (None, 128)               1792"
    assert text[6].startswith("dense_1 (Dense)              (None, 64)                8256")
    assert "dense_4 (Dense)              (None, 1)                 33" in text


def test_unbuilt_summary_is_a_clear_error():
    model = Sequential([Dense(3)])
    with pytest.raises(ValueError, match="not yet been built"):
        model.summary()


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
    original = neuronet.models.training.test_loop

    def spy_loop(m, xv, yv, wv, batch_size, metrics, callbacks=None):
        seen.append(xv.ravel().tolist())
        return original(m, xv, yv, wv, batch_size, metrics, callbacks)

    neuronet.models.training.test_loop = spy_loop
    try:
        model.fit(x, y, validation_split=0.2, epochs=1, verbose=0, callbacks=[Spy()])
    finally:
        neuronet.models.training.test_loop = original
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


def test_use_before_compile_and_predict_with_wrong_features():
    model = cancer_model()
    with pytest.raises(NotFittedError, match="compile"):
        model.fit(np.zeros((4, 30)), np.zeros(4))
    for use in (model.evaluate, model.train_on_batch, model.test_on_batch):     # as README.md says
        with pytest.raises(NotFittedError, match="You must compile your model before"):
            use(np.zeros((4, 30)), np.zeros(4))
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    with pytest.raises(ValueError, match="features per sample"):
        model.predict(np.zeros((4, 12)))
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 'adamm'. Did you mean 'adam'"):
        model.compile(optimizer="adamm", loss="mse")


def test_caller_arrays_are_never_modified():
    X_train, _, y_train, _ = _cancer_data()
    x, y = X_train.astype(np.float32), y_train.astype(np.float32)
    x.flags.writeable = False
    copy_x, copy_y = x.copy(), y.copy()
    model = _compiled()
    model.fit(x, y, epochs=1, verbose=0)
    model.predict(x)
    assert np.array_equal(x, copy_x) and np.array_equal(y, copy_y)


def test_input_layer_and_set_weights():
    model = Sequential([Input(shape=(3,)), Dense(2)])
    assert [l.name for l in model.layers] == ["dense"]
    weights = [np.ones((3, 2)), np.zeros(2)]
    model.set_weights(weights)
    assert np.array_equal(model.predict(np.ones((1, 3))), [[3.0, 3.0]])
    with pytest.raises(ValueError, match="shape"):
        model.set_weights([np.ones((2, 2)), np.zeros(2)])


def test_class_weight_and_sample_weight_change_the_loss():
    x = np.random.default_rng(1).normal(size=(30, 2))
    y = (x[:, 0] > 0).astype(float)
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    plain = model.evaluate(x, y, verbose=0)
    weighted = model.evaluate(x, y, sample_weight=np.full(30, 2.0), verbose=0)
    assert weighted == pytest.approx(2 * plain, rel=1e-5)
    model.fit(x, y, class_weight={0: 1.0, 1: 3.0}, epochs=1, verbose=0)


def test_train_test_predict_on_batch_and_get_layer_as_keras():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(24, 4)).astype("float32")
    y = (x[:, 0] - x[:, 1] > 0).astype("float32")
    model = Sequential([Dense(8, activation="relu", input_shape=(4,), name="hidden"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    before_loss, before_acc = model.evaluate(x, y, verbose=0)
    weights = model.get_weights()
    loss, acc = model.train_on_batch(x, y)
    assert loss == pytest.approx(before_loss, rel=1e-5) and acc == before_acc     # values before the step
    assert not np.array_equal(weights[0], model.get_weights()[0])                  # one step was taken
    assert model.test_on_batch(x, y) == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-6)
    assert model.train_on_batch(x, y, return_dict=True).keys() == {"loss", "acc"}
    np.testing.assert_array_equal(model.predict_on_batch(x), model.predict(x))
    weighted = model.train_on_batch(x, y, sample_weight=np.r_[np.ones(12), np.zeros(12)])
    assert np.isfinite(weighted[0])
    assert model.get_layer("hidden") is model.layers[0] and model.get_layer(index=-1) is model.layers[1]
    with pytest.raises(ValueError, match="No such layer: 'nope'"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="either a layer name or a layer index"):
        model.get_layer()
