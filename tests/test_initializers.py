"""Initializers: statistics within tolerance, Keras defaults, seeds, shapes and dtypes."""
import numpy as np
import pytest

from neuronet import initializers
from neuronet.initializers import INITIALIZERS

SHAPE = (400, 300)        # fan_in 400, fan_out 300
FAN_IN, FAN_AVG = 400, 350


def _draw(name, shape=SHAPE, **kwargs):
    init = type(initializers.get(name))(**kwargs) if kwargs else initializers.get(name)
    return init(shape, np.float64, np.random.default_rng(0))


@pytest.mark.parametrize("name, std, bound", [
    ("glorot_uniform", np.sqrt(1 / FAN_AVG), np.sqrt(6 / (400 + 300))),
    ("he_uniform", np.sqrt(2 / FAN_IN), np.sqrt(6 / FAN_IN)),
    ("lecun_uniform", np.sqrt(1 / FAN_IN), np.sqrt(3 / FAN_IN)),
    ("glorot_normal", np.sqrt(1 / FAN_AVG), 2 * np.sqrt(1 / FAN_AVG) / 0.87962566103423978),
    ("he_normal", np.sqrt(2 / FAN_IN), 2 * np.sqrt(2 / FAN_IN) / 0.87962566103423978),
    ("lecun_normal", np.sqrt(1 / FAN_IN), 2 * np.sqrt(1 / FAN_IN) / 0.87962566103423978),
    ("random_normal", 0.05, None),
    ("normal", 0.05, None),                                   # the notes' init='normal'
    ("uniform", 0.1 / np.sqrt(12), 0.05),                     # the notes' init='uniform'
    ("random_uniform", 0.1 / np.sqrt(12), 0.05),
    ("truncated_normal", 0.05 * 0.87962566103423978, 0.1),
])
def test_statistics(name, std, bound):
    w = _draw(name)
    assert w.shape == SHAPE
    assert abs(w.mean()) < 5 * std / np.sqrt(w.size)          # five standard errors
    assert w.std() == pytest.approx(std, rel=0.02)
    if bound is not None:
        assert np.abs(w).max() <= bound + 1e-12


def test_keras_defaults_and_arguments():
    assert initializers.get("random_normal").get_config() == {"mean": 0.0, "stddev": 0.05}
    assert initializers.get("random_uniform").get_config() == {"minval": -0.05, "maxval": 0.05}
    assert initializers.get("truncated_normal").get_config() == {"mean": 0.0, "stddev": 0.05}
    assert initializers.get("orthogonal").get_config() == {"gain": 1.0}
    assert initializers.get("constant").get_config() == {"value": 0.0}
    assert initializers.get("variance_scaling").get_config() == {
        "scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}
    w = initializers.RandomNormal(mean=2.0, stddev=0.5)((200, 200), np.float64, np.random.default_rng(1))
    assert w.mean() == pytest.approx(2.0, abs=0.01) and w.std() == pytest.approx(0.5, rel=0.02)
    w = initializers.RandomUniform(1.0, 3.0)((100, 100), np.float32, np.random.default_rng(1))
    assert w.min() >= 1.0 and w.max() <= 3.0 and w.dtype == np.float32
    assert np.all(initializers.get("ones")((2, 3)) == 1)
    np.testing.assert_array_equal(initializers.Constant(0.5)((2,)), [0.5, 0.5])
    np.testing.assert_array_equal(initializers.get("identity")((2, 3)), np.eye(2, 3))
    with pytest.raises(ValueError, match="stddev"):
        initializers.RandomNormal(stddev=-1)
    with pytest.raises(ValueError, match="minval"):
        initializers.RandomUniform(1.0, 0.0)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 3, 4)])
def test_orthogonal(shape):
    w = initializers.Orthogonal(gain=2.0)(shape, np.float64, np.random.default_rng(0))
    flat = w.reshape(-1, shape[-1])
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(gram.shape[0]), atol=1e-12)


@pytest.mark.parametrize("name", sorted({INITIALIZERS.canonical(n) for n in INITIALIZERS.names()}
                                        - {"Zeros", "Ones", "Constant", "Identity"}))
def test_seed_gives_same_array_and_config_round_trip(name):
    cls = INITIALIZERS.lookup(name)
    a = cls(seed=7)((4, 6))
    b = cls(seed=7)((4, 6))
    c = cls(seed=8)((4, 6))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.dtype == np.float32 and a.shape == (4, 6)
    again = INITIALIZERS.get(initializers.serialize(cls(seed=7)))
    np.testing.assert_array_equal(again((4, 6)), a)


@pytest.mark.parametrize("name", ["glorot_uniform", "he_normal", "random_normal", "orthogonal"])
def test_unseeded_initializer_called_alone_repeats_after_set_random_seed(name):
    """Keras: without a seed an initializer draws from the global seed generator."""
    import neuronet
    draws = []
    for _ in range(2):
        neuronet.set_random_seed(11)
        init = INITIALIZERS.get(name)
        draws.append((init((5, 3)), init((5, 3))))
    np.testing.assert_array_equal(draws[0][0], draws[1][0])
    np.testing.assert_array_equal(draws[0][1], draws[1][1])
    assert not np.array_equal(draws[0][0], draws[0][1])     # two calls, two draws


def test_unknown_name_suggests():
    with pytest.raises(ValueError, match="Did you mean 'he_normal'"):
        initializers.get("he_nromal")
