"""ModelCheckpoint: save_best_only, weights-only files, format placeholders, save_freq in
batches, missing folders, initial_value_threshold, Keras 2's period."""
import os
import shutil

import numpy as np
import pytest

from neuronet import set_random_seed
from neuronet.callbacks import LambdaCallback, ModelCheckpoint
from neuronet.layers import Dense
from neuronet.models import Sequential, load_model
from neuronet.optimizers import SGD


def _data(n=160, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = (x @ rng.normal(size=d) + 0.3 * rng.normal(size=n)).astype("float32")
    return x, y


def _model(optimizer="adam", metrics=("mae",)):
    model = Sequential([Dense(16, activation="relu", input_shape=(4,)), Dense(1)])
    model.compile(optimizer=optimizer, loss="mse", metrics=list(metrics))
    return model


def test_model_checkpoint_save_best_only_writes_only_on_improvement(tmp_path):
    x, y = _data()
    xv, yv = _data(60, seed=1)
    model = _model(optimizer=SGD(learning_rate=0.05))
    pattern = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.4f}.keras")
    history = model.fit(x, y, epochs=15, verbose=0, validation_data=(xv, yv), seed=0,
                        callbacks=[ModelCheckpoint(pattern, save_best_only=True)])
    val = history.history["val_loss"]
    improved = [e for e in range(len(val)) if val[e] < min(val[:e], default=np.inf)]
    expected = sorted(f"ckpt-{e + 1:02d}-{val[e]:.4f}.keras" for e in improved)
    assert sorted(os.listdir(tmp_path)) == expected
    best = load_model(tmp_path / expected[-1])
    assert best.evaluate(xv, yv, verbose=0)[0] == pytest.approx(min(val), rel=1e-5)


def test_model_checkpoint_single_file_weights_only(tmp_path):
    x, y = _data()
    model = _model()
    path = tmp_path / "w.weights.h5"
    model.fit(x, y, epochs=3, verbose=0, seed=0, callbacks=[ModelCheckpoint(path, monitor="loss", save_weights_only=True)])
    other = _model()
    other.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), other.get_weights()))


def test_model_checkpoint_bad_format_key(tmp_path):
    x, y = _data()
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(str(tmp_path / "{nope}.h5"))])


N, BATCH = 48, 16          # 3 batches per epoch


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N, 3)).astype(np.float32)
    return x, x @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)


def model():
    set_random_seed(0)                         # the same initial weights each time
    m = Sequential([Dense(4, activation="tanh", input_shape=(3,), kernel_initializer="glorot_uniform"),
                    Dense(1)])
    m.compile(optimizer=SGD(learning_rate=0.05), loss="mse")
    return m


def test_save_freq_in_batches_counts_across_epochs_and_fills_epoch_and_batch(tmp_path):
    x, y = data()
    saved = []
    m = model()
    record = LambdaCallback(on_train_batch_end=lambda b, logs: saved.append([w.copy() for w in m.get_weights()]))
    m.fit(x, y, batch_size=BATCH, epochs=3, verbose=0, shuffle=False, seed=0,
          callbacks=[record, ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.keras"), monitor="loss",
                                             save_freq=2)])
    # global batches 2, 4, 6, 8: (epoch 1, batch 2), (2, 1), (2, 3), (3, 2); batch is 1-based as Keras
    assert sorted(os.listdir(tmp_path)) == ["e1-b2.keras", "e2-b1.keras", "e2-b3.keras", "e3-b2.keras"]
    for name, step in (("e1-b2.keras", 2), ("e2-b3.keras", 6)):
        restored = load_model(tmp_path / name).get_weights()
        assert all(np.array_equal(a, b) for a, b in zip(restored, saved[step - 1]))


def test_save_freq_with_save_best_only_monitors_the_running_batch_loss(tmp_path):
    x, y = data()
    path = tmp_path / "best.keras"
    ckpt = ModelCheckpoint(str(path), monitor="loss", save_best_only=True, save_freq=1)
    model().fit(x, y, batch_size=BATCH, epochs=2, verbose=0, seed=0, callbacks=[ckpt])
    assert path.exists() and np.isfinite(ckpt.best) and ckpt.best < np.inf


def test_the_checkpoint_folder_is_created_and_recreated_when_removed_during_training(tmp_path):
    x, y = data()
    folder = tmp_path / "runs" / "nested"
    removals = []

    def remove_folder(epoch, logs):
        if epoch == 1 and folder.exists():
            shutil.rmtree(tmp_path / "runs")
            removals.append(epoch)

    model().fit(x, y, batch_size=BATCH, epochs=3, verbose=0, seed=0,
                callbacks=[LambdaCallback(on_epoch_begin=remove_folder),
                           ModelCheckpoint(str(folder / "m-{epoch:02d}.keras"), monitor="loss")])
    assert removals == [1]
    assert sorted(os.listdir(folder)) == ["m-02.keras", "m-03.keras"]


def test_weights_only_into_a_missing_folder(tmp_path):
    x, y = data()
    path = tmp_path / "w" / "model.weights.h5"
    m = model()
    m.fit(x, y, epochs=1, verbose=0, seed=0,
          callbacks=[ModelCheckpoint(str(path), monitor="loss", save_weights_only=True)])
    other = model()
    other.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(m.get_weights(), other.get_weights()))


def test_initial_value_threshold_saves_only_below_it(tmp_path):
    x, y = data()
    losses = model().fit(x, y, batch_size=BATCH, epochs=6, verbose=0, seed=0).history["loss"]
    threshold = losses[2]                     # epochs 1-3 are not below it
    ckpt = ModelCheckpoint(str(tmp_path / "m-{epoch}.keras"), monitor="loss", save_best_only=True,
                           initial_value_threshold=threshold)
    again = model().fit(x, y, batch_size=BATCH, epochs=6, verbose=0, seed=0, callbacks=[ckpt]).history["loss"]
    assert again == losses
    best, expected = threshold, []
    for e, value in enumerate(losses):
        if value < best:
            best = value
            expected.append(f"m-{e + 1}.keras")
    assert expected and sorted(os.listdir(tmp_path)) == sorted(expected) and ckpt.best == best
    assert "m-1.keras" not in expected


def test_period_is_keras_2s_every_n_epochs(tmp_path):
    x, y = data()
    model().fit(x, y, epochs=5, verbose=0, seed=0,
                callbacks=[ModelCheckpoint(str(tmp_path / "m-{epoch}.keras"), monitor="loss", period=2)])
    assert sorted(os.listdir(tmp_path)) == ["m-2.keras", "m-4.keras"]


@pytest.mark.parametrize("kwargs, match", [
    ({"save_freq": 0}, "save_freq=0"),
    ({"save_freq": "batch"}, "save_freq='batch'"),
    ({"period": 0}, "period=0"),
    ({"period": 2, "save_freq": 10}, "pass one of them"),
    ({"initial_value_threshold": "0.5"}, "initial_value_threshold='0.5'"),
])
def test_bad_arguments_are_named(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ModelCheckpoint(str(tmp_path / "m.keras"), **kwargs)


def test_model_checkpoint_of_a_two_input_functional_model(tmp_path):
    from neuronet.layers import Concatenate, Input
    from neuronet.models import Model
    x, y = _data()
    xv, yv = _data(60, seed=1)
    a, b = Input(shape=(2,), name="a"), Input(shape=(2,), name="b")
    model = Model([a, b], Dense(1)(Concatenate()([Dense(8, activation="relu")(a), b])))
    model.compile(optimizer=SGD(learning_rate=0.05), loss="mse")
    split = lambda arr: [arr[:, :2], arr[:, 2:]]          # noqa: E731
    history = model.fit(split(x), y, epochs=6, verbose=0, validation_data=(split(xv), yv), seed=0,
                        callbacks=[ModelCheckpoint(str(tmp_path / "best.keras"), save_best_only=True),
                                   ModelCheckpoint(str(tmp_path / "w.weights.h5"), save_weights_only=True)])
    best = load_model(tmp_path / "best.keras")
    assert best.input_names == ["a", "b"]
    assert best.evaluate(split(xv), yv, verbose=0) == pytest.approx(min(history.history["val_loss"]), rel=1e-5)
    best.load_weights(tmp_path / "w.weights.h5")                # the last epoch's weights
    np.testing.assert_array_equal(best.predict(split(xv), verbose=0), model.predict(split(xv), verbose=0))
