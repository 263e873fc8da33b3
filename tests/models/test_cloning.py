"""clone_model: same architecture, new weights; shared layers stay shared; clone_function."""
import numpy as np
import pytest

from neuronet.layers import Concatenate, Dense, Input
from neuronet.models import Model, Sequential, clone_model


def _graph():
    a, b = Input(shape=(3,), name="a"), Input(shape=(2,), name="b")
    shared = Dense(4, activation="tanh", name="shared")
    inner = Sequential([Dense(5, input_shape=(4,)), Dense(2)], name="inner")
    out = Dense(1, name="out")(Concatenate()([inner(shared(a)), shared(a), b]))
    return Model([a, b], out, name="g")


def test_a_clone_has_the_config_and_new_weights_and_computes_the_same_with_copied_weights():
    model = _graph()
    copy = clone_model(model)
    assert copy.get_config() == model.get_config()
    assert all(c is not m for c, m in zip(copy.layers, model.layers))
    assert any(not np.array_equal(c, m) for c, m in zip(copy.get_weights(), model.get_weights()))
    copy.set_weights(model.get_weights())
    x = [np.random.default_rng(0).normal(size=(4, 3)), np.ones((4, 2))]
    np.testing.assert_array_equal(copy.predict(x, verbose=0), model.predict(x, verbose=0))
    shared = copy.get_layer("shared")
    assert copy.layers.count(shared) == 1 and len(shared.inbound_nodes) == 2


def test_clone_of_a_sequential_and_a_clone_function():
    model = Sequential([Dense(4, input_shape=(3,), name="h"), Dense(1, name="y")])
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        return Dense.from_config({**layer.get_config(), "units": layer.units + 1}) if layer.name == "h" else \
            Dense.from_config(layer.get_config())
    copy = clone_model(model, clone_function=clone_function)
    assert seen == ["h", "y"] and copy.layers[0].units == 5 and copy.built and copy.count_params() == 20 + 6


def test_clone_refuses_what_it_cannot_copy():
    with pytest.raises(TypeError, match="clone_model expects"):
        clone_model(Dense(3))
    with pytest.raises(TypeError, match="must return a layer"):
        clone_model(Sequential([Dense(2, input_shape=(2,))]), clone_function=lambda layer: None)

    class Sub(Model):
        def __init__(self):
            super().__init__()
            self.d = Dense(1)

        def call(self, x, training=False):
            return self.d(x)
    with pytest.raises(NotImplementedError, match="subclassed"):
        clone_model(Sub())
