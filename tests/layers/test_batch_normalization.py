"""BatchNormalization: batch and moving statistics, Keras' weight order, the notes' networks."""
import io
from contextlib import redirect_stdout

import numpy as np
import pytest

from neuronet.layers import BatchNormalization, Dense
from neuronet.layers.normalization import BatchNormalization as BNAlias
from neuronet.models import Sequential
import neuronet as keras
from neuronet.layers import Dense
from neuronet.layers.normalization import BatchNormalization
from neuronet.optimizers import SGD, Adagrad, Adam, RMSprop


RNG = np.random.default_rng(7)


# ---- BatchNormalization -------------------------------------------------------------------------------
def test_batch_normalization_training_uses_batch_statistics_and_updates_moving_ones(float64):
    layer = BatchNormalization(momentum=0.9, epsilon=1e-3)
    x = RNG.normal(3.0, 2.0, size=(64, 4))
    y = layer(x, training=True)
    mu, var = x.mean(axis=0), x.var(axis=0)
    np.testing.assert_allclose(y, (x - mu) / np.sqrt(var + 1e-3), rtol=1e-12)
    np.testing.assert_allclose(layer.states["moving_mean"], 0.9 * 0 + 0.1 * mu, rtol=1e-12)
    np.testing.assert_allclose(layer.states["moving_variance"], 0.9 * 1 + 0.1 * var, rtol=1e-12)
    mm = layer.states["moving_mean"].copy()
    layer(x, training=True)
    np.testing.assert_allclose(layer.states["moving_mean"], 0.9 * mm + 0.1 * mu, rtol=1e-12)


def test_batch_normalization_inference_uses_moving_statistics(float64):
    layer = BatchNormalization()
    layer.build((3,))
    layer.params["gamma"][...] = [1.0, 2.0, 0.5]
    layer.params["beta"][...] = [0.0, -1.0, 1.0]
    layer.states["moving_mean"][...] = [1.0, 2.0, 3.0]
    layer.states["moving_variance"][...] = [4.0, 1.0, 0.25]
    x = RNG.normal(size=(5, 3))
    before = layer.get_weights()
    expected = layer.params["gamma"] * (x - [1, 2, 3]) / np.sqrt(np.array([4.0, 1, 0.25]) + 1e-3) + layer.params["beta"]
    np.testing.assert_allclose(layer(x), expected, rtol=1e-12)
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)      # inference changes nothing
    layer.trainable = False                      # frozen: inference mode even when training=True
    np.testing.assert_allclose(layer(x, training=True), expected, rtol=1e-12)
    np.testing.assert_array_equal(layer.states["moving_mean"], [1.0, 2.0, 3.0])


def test_batch_normalization_weights_in_keras_order():
    layer = BatchNormalization()
    layer.build((128,))
    assert list(layer.params) == ["gamma", "beta"] and list(layer.states) == ["moving_mean", "moving_variance"]
    assert layer.count_params() == 512 and len(layer.get_weights()) == 4
    assert BNAlias is BatchNormalization


def ann_with_batch_normalization():
    model = Sequential()
    model.add(Dense(128, activation="relu", input_shape=(13,)))
    model.add(BatchNormalization())
    for units in (64, 64, 32):
        model.add(Dense(units, activation="relu"))
        model.add(BatchNormalization())
    model.add(Dense(1))
    return model


def test_notes_ann_summary_counts_non_trainable_like_keras():
    model = ann_with_batch_normalization()
    dense = (13 * 128 + 128) + (128 * 64 + 64) + (64 * 64 + 64) + (64 * 32 + 32) + (32 + 1)
    bn = 4 * (128 + 64 + 64 + 32)                 # gamma, beta, moving mean and variance per unit
    non_trainable = bn // 2
    assert (dense + bn, non_trainable) == (17473, 576)
    lines = []
    model.summary(print_fn=lines.append)
    text = lines[0]
    assert "batch_normalization (BatchNormalization)"[:28] in text
    assert f"Total params: {dense + bn:,}" in text
    assert f"Trainable params: {dense + bn - non_trainable:,}" in text
    assert f"Non-trainable params: {non_trainable:,}" in text


def test_batch_normalization_model_trains_and_predicts_deterministically():
    x = RNG.normal(size=(256, 13)).astype(np.float32)
    y = (x @ RNG.normal(size=13) + 0.1 * RNG.normal(size=256)).astype(np.float32)
    model = ann_with_batch_normalization()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    bn = model.layers[1]
    assert np.any(bn.states["moving_mean"] != 0)
    np.testing.assert_array_equal(model.predict(x[:10]), model.predict(x[:10]))


RNG0 = np.random.default_rng(0)


X13 = RNG0.normal(size=(120, 13)).astype("float32")


Y13 = (X13[:, :3].sum(axis=1) * 2 + 20).astype("float32")


def _summary(model):
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    return out.getvalue()


def _notes_bn_ann(optimizer):
    """000_*.txt section 27, ``def ann()``, unchanged except imports."""
    model = Sequential()
    model.add(Dense(128, activation='relu', input_shape=(13,)))
    model.add(BatchNormalization())
    model.add(Dense(64, activation='relu'))
    model.add(BatchNormalization())
    model.add(Dense(64, activation='relu'))
    model.add(BatchNormalization())
    model.add(Dense(32, activation='relu'))
    model.add(BatchNormalization())
    model.add(Dense(1))
    model.compile(loss='mse', optimizer=optimizer, metrics=['mae'])
    return model


def test_batch_normalization_model_summary_counts_moving_statistics_as_non_trainable():
    text = _summary(_notes_bn_ann("adam"))
    # Keras: each BatchNormalization(n) has 4n params, of which 2n (moving mean/variance) non-trainable
    bn = 4 * (128 + 64 + 64 + 32)
    assert f"Total params: {16321 + bn:,}" in text
    assert f"Trainable params: {16321 + bn // 2:,}" in text
    assert f"Non-trainable params: {bn // 2:,}" in text
    assert "batch_normalization (BatchNo (None, 128)               512" in text
    assert "batch_normalization_1 (Batch (None, 64)                256" in text


@pytest.mark.parametrize("optimizer", [
    lambda: SGD(lr=0.001, momentum=0.9),
    lambda: Adagrad(lr=0.001, epsilon=10**-10),
    lambda: RMSprop(lr=0.001, rho=0.9),
    lambda: Adam(lr=0.001, beta_1=0.9, beta_2=0.9),
])
def test_notes_batch_norm_optimizers_run_as_written(optimizer, tmp_path):
    model = _notes_bn_ann(optimizer())
    history = model.fit(X13, Y13, batch_size=64, epochs=2, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    train_loss, train_mae = model.evaluate(X13, Y13, verbose=0)
    assert np.isfinite(train_loss) and np.isfinite(train_mae)
    path = str(tmp_path / "my_ann_model.h5")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_array_equal(again.predict(X13), model.predict(X13))
