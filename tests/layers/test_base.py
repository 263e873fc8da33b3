"""Behaviour every layer shares: argument checks, config round trips, silence at numeric extremes."""
import json

import numpy as np
import pytest

from neuronet.layers import (ELU, LAYERS, BatchNormalization, Dense, Dropout, GaussianNoise, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU, deserialize, serialize)


RNG = np.random.default_rng(7)


@pytest.mark.parametrize("make, message", [
    (lambda: Dropout(1.0), "rate"), (lambda: Dropout(-0.1), "rate"), (lambda: Dropout(0.5, seed=-1), "seed"),
    (lambda: GaussianNoise(-1.0), "stddev"), (lambda: BatchNormalization(momentum=1.5), "momentum"),
    (lambda: BatchNormalization(epsilon=0), "epsilon"), (lambda: LeakyReLU(alpha=0.1, negative_slope=0.2), "alpha"),
    (lambda: ReLU(max_value=-1.0), "max_value"), (lambda: PReLU(shared_axes=[0]), "shared_axes"),
])
def test_invalid_arguments_name_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


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
