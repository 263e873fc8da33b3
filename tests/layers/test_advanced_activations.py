"""Activation layers (LeakyReLU, ReLU, PReLU, Softmax) with Keras' semantics."""
import json

import numpy as np

from neuronet.layers import ELU, Dense, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU
from neuronet.models import Sequential


RNG = np.random.default_rng(7)


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
    assert model.layers[1].count_params() == 8 and model.fused_loss   # softmax + cross-entropy gradient y - t
    model.fit(x, labels, epochs=5, batch_size=16, verbose=0)
    assert np.any(model.layers[1].params["alpha"] != 0)
    np.testing.assert_allclose(model.predict(x).sum(axis=1), 1.0, rtol=1e-5)
