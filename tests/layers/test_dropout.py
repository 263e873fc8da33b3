"""Dropout and GaussianNoise: training-only noise, masks, seeds and the saved random state."""
import json

import numpy as np
import pytest

import neuronet
from neuronet.layers import Dropout, GaussianNoise


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


@pytest.mark.parametrize("name", ["BitGenerator", "SeedSequence", "os.system", "RandomState", None])
def test_set_rng_state_refuses_a_state_naming_no_numpy_bit_generator(name):
    layer = Dropout(0.5, seed=0)
    layer.build((4,))
    state = layer.get_rng_state()
    state["bit_generator"] = name
    with pytest.raises(ValueError, match="bit generator"):
        layer.set_rng_state(state)
    assert layer.get_rng_state()["bit_generator"] == "PCG64"


def test_set_rng_state_refuses_a_state_that_does_not_fit_its_generator():
    layer = Dropout(0.5, seed=0)
    layer.build((4,))
    before = layer.get_rng_state()
    state = layer.get_rng_state()
    state["bit_generator"] = "MT19937"               # a PCG64 layout under MT19937's name
    with pytest.raises(ValueError, match="not a valid MT19937 state"):
        layer.set_rng_state(state)
    assert layer.get_rng_state() == before
