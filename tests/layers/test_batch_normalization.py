"""Dropout, GaussianNoise, BatchNormalization and the activation layers: behaviour, state, configs."""
import json

import numpy as np
import pytest

import neuronet
from neuronet.layers import (ELU, LAYERS, BatchNormalization, Dense, Dropout, GaussianNoise, LeakyReLU,
                             PReLU, ReLU, Softmax, ThresholdedReLU, deserialize, serialize)
from neuronet.layers.normalization import BatchNormalization as BNAlias
from neuronet.models import Sequential

RNG = np.random.default_rng(7)


# ---- Dropout / GaussianNoise --------------------------------------------------------------------------
def test_dropout_keeps_the_mean_and_drops_the_rate():
    layer = Dropout(0.3, seed=0)
    x = np.ones((2000, 50), dtype=np.float32)
    y = layer(x, training=True)
    assert y.dtype == np.float32
    assert abs(float((y == 0).mean()) - 0.3) < 0.01
    assert abs(float(y.mean()) - 1.0) < 0.02
    np.testing.assert_allclose(np.unique(y), [0.0, 1 / 0.7], rtol=1e-6)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), y)  # the same mask in backward


def test_dropout_is_identity_at_inference():
    layer = Dropout(0.5, seed=0)
    x = RNG.normal(size=(4, 3))
    assert layer(x) is x
    np.testing.assert_array_equal(layer.backward(np.ones((4, 3))), np.ones((4, 3)))


def test_dropout_noise_shape_shares_the_mask():
    y = Dropout(0.5, noise_shape=(None, 1, 4), seed=2)(np.ones((3, 5, 4)), training=True)
    assert (y == y[:, :1, :]).all() and (y == 0).any()


def test_dropout_seed_and_global_seed_reproduce():
    x = np.ones((5, 6))
    assert (Dropout(0.5, seed=9)(x, True) == Dropout(0.5, seed=9)(x, True)).all()
    neuronet.set_random_seed(3)
    a = Dropout(0.5)(x, True)
    neuronet.set_random_seed(3)
    assert (Dropout(0.5)(x, True) == a).all()


def test_rng_state_is_json_safe_and_restores_bit_identically():
    layer = Dropout(0.5, seed=1)
    layer.build((8,))
    layer(np.ones((2, 8)), training=True)
    state = json.loads(json.dumps(layer.get_rng_state()))
    expected = [layer(np.ones((2, 8)), training=True) for _ in range(3)]
    fresh = Dropout(0.5)                       # another seed; restored before build
    fresh.set_rng_state(state)
    fresh.build((8,))
    for want in expected:
        np.testing.assert_array_equal(fresh(np.ones((2, 8)), training=True), want)
    with pytest.raises(ValueError, match="state"):
        fresh.set_rng_state({"nope": 1})


def test_gaussian_noise_training_only():
    layer = GaussianNoise(0.5, seed=0)
    x = np.zeros((4000, 5))
    assert layer(x) is x
    y = layer(x, training=True)
    assert abs(float(y.std()) - 0.5) < 0.02 and abs(float(y.mean())) < 0.02
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), 1.0)


@pytest.mark.parametrize("make, message", [
    (lambda: Dropout(1.0), "rate"), (lambda: Dropout(-0.1), "rate"), (lambda: Dropout(0.5, seed=-1), "seed"),
    (lambda: GaussianNoise(-1.0), "stddev"), (lambda: BatchNormalization(momentum=1.5), "momentum"),
    (lambda: BatchNormalization(epsilon=0), "epsilon"), (lambda: LeakyReLU(alpha=0.1, negative_slope=0.2), "alpha"),
    (lambda: ReLU(max_value=-1.0), "max_value"), (lambda: PReLU(shared_axes=[0]), "shared_axes"),
])
def test_invalid_arguments_name_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


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


# ---- activation layers --------------------------------------------------------------------------------
def test_leaky_relu_layer_defaults_and_alias():
    np.testing.assert_allclose(LeakyReLU()(np.array([[-3.0, -1.0, 0.0, 2.0]])), [[-0.9, -0.3, 0.0, 2.0]])
    assert LeakyReLU(alpha=0.01).negative_slope == 0.01 == LeakyReLU(negative_slope=0.01).alpha


def test_relu_layer_keras_semantics():
    x = np.array([[-2.0, -0.5, 0.5, 3.0, 8.0]])
    np.testing.assert_allclose(ReLU(max_value=6, negative_slope=0.1, threshold=1.0)(x),
                               [[-0.3, -0.15, -0.05, 3.0, 6.0]])
    np.testing.assert_allclose(ELU(alpha=2.0)(np.array([[-1.0]])), [[2.0 * (np.exp(-1) - 1)]])
    np.testing.assert_allclose(ThresholdedReLU(theta=1.0)(x), [[0, 0, 0, 3.0, 8.0]])


def test_notes_leaky_relu_object_as_dense_activation_trains():
    leaky_relu = LeakyReLU(alpha=0.01)            # the notes: one object shared by several layers
    model = Sequential([Dense(32, activation=leaky_relu, input_shape=(4,)), Dense(16, activation=leaky_relu),
                        Dense(1)])
    x = RNG.normal(size=(128, 4)).astype(np.float32)
    y = (x[:, :1] ** 2 - x[:, 1:2]).astype(np.float32)
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    clone = Sequential.from_config(json.loads(json.dumps(model.get_config())))
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(x), model.predict(x), rtol=1e-6)
    assert clone.layers[0].activation.negative_slope == 0.01


def test_prelu_learns_its_slope_and_softmax_layer_fuses():
    model = Sequential([Dense(8, input_shape=(3,)), PReLU(), Dense(3), Softmax()])
    x = RNG.normal(size=(96, 3)).astype(np.float32)
    labels = np.argmax(x, axis=1)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert model.layers[1].count_params() == 8 and model._fused   # softmax + cross-entropy gradient y - t
    model.fit(x, labels, epochs=5, batch_size=16, verbose=0)
    assert np.any(model.layers[1].params["alpha"] != 0)
    np.testing.assert_allclose(model.predict(x).sum(axis=1), 1.0, rtol=1e-5)


LAYER_OBJECTS = [
    lambda: LeakyReLU(alpha=0.05), lambda: PReLU(shared_axes=[1]), lambda: ELU(alpha=0.5),
    lambda: ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5), lambda: Softmax(axis=1),
    lambda: ThresholdedReLU(theta=0.5), lambda: Dropout(0.25, noise_shape=[None, 1], seed=3),
    lambda: GaussianNoise(0.2, seed=1),
    lambda: BatchNormalization(axis=-1, momentum=0.9, epsilon=1e-5, center=False, gamma_regularizer="l2"),
]


@pytest.mark.parametrize("make", LAYER_OBJECTS)
def test_config_round_trip(make):
    layer = make()
    cfg = json.loads(json.dumps(serialize(layer)))
    again = deserialize(cfg)
    assert type(again) is type(layer) and again.get_config() == layer.get_config()
    assert type(layer).__name__ in LAYERS
    layer.build((6, 4) if isinstance(layer, PReLU) else (4,))
    again.build((6, 4) if isinstance(layer, PReLU) else (4,))
    x = RNG.normal(size=(3, 6, 4) if isinstance(layer, PReLU) else (3, 4))
    np.testing.assert_allclose(again(x), layer(x))


@pytest.mark.parametrize("activation", ["softmax", "softplus", "gelu", "sigmoid", "elu"])
def test_a_layer_called_alone_is_silent_at_extremes_under_strict_errors(activation):
    from neuronet.layers import Activation
    x = np.array([[-1e4, 0.0, 1e4]], dtype=np.float32)
    dense = Dense(3, activation=activation, kernel_initializer="identity")
    with np.errstate(all="raise"):
        for layer in (Activation(activation), dense):
            y = layer(x)
            assert np.all(np.isfinite(y)) and y.dtype == np.float32
