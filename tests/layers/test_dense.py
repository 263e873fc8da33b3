"""Dense: z = x @ W + b then the activation, its backward pass, parameters and arguments."""
import numpy as np
import pytest

from gradcheck import numeric_gradient
from neuronet.layers import Dense
from neuronet.models import Sequential

RNG = np.random.default_rng(11)

# The activations written out in NumPy, independently of neuronet.activations.
NUMPY_ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
}


def _built(units, inputs, **kwargs):
    """A Dense layer built for `inputs` features, with a random (not initializer-shaped) bias."""
    layer = Dense(units, input_shape=(inputs,), **kwargs)
    layer.build((inputs,))
    if layer.use_bias:
        layer.params["bias"][...] = RNG.normal(size=units)
    return layer


@pytest.mark.parametrize("activation", sorted(NUMPY_ACTIVATIONS))
def test_forward_is_x_at_w_plus_b_then_the_activation(activation, float64):
    layer = _built(4, 3, activation=activation)
    x = RNG.normal(size=(5, 3))
    W, b = layer.get_weights()
    expected = NUMPY_ACTIVATIONS[activation](x @ W + b)
    np.testing.assert_allclose(layer(x), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(layer.forward(x, training=True), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(layer.infer(x), expected, rtol=1e-12, atol=1e-15)
    assert layer(x).shape == (5, 4) and layer(x).dtype == np.float64


@pytest.mark.parametrize("activation, dz_of", [
    ("linear", lambda z, g: g),
    ("relu", lambda z, g: g * (z > 0)),
], ids=["linear", "relu"])
def test_backward_gives_dw_db_dx_from_dz(activation, dz_of, float64):
    """dz = activation'(z) * g, dW = x.T @ dz, db = dz.sum(0), dx = dz @ W.T."""
    layer = _built(4, 3, activation=activation)
    x, g = RNG.normal(size=(6, 3)), RNG.normal(size=(6, 4))
    W, b = layer.get_weights()
    z = x @ W + b
    assert (z > 0).any() and (z < 0).any()                # relu's mask matters
    layer.forward(x, training=True)
    dx = layer.backward(g)
    dz = dz_of(z, g)
    np.testing.assert_allclose(layer.grads["kernel"], x.T @ dz, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(layer.grads["bias"], dz.sum(0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dx, dz @ W.T, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", ["linear", "relu"])
def test_backward_matches_finite_differences_of_the_forward(activation, float64):
    """L = sum(y * g): the analytic dW, db and dx against central differences of layer.forward."""
    layer = _built(3, 4, activation=activation)
    x, g = RNG.normal(size=(5, 4)), RNG.normal(size=(5, 3))
    layer.forward(x, training=True)
    dx = layer.backward(g)

    def loss():
        return float(np.sum(layer.forward(x, training=True) * g))

    np.testing.assert_allclose(layer.grads["kernel"], numeric_gradient(loss, layer.params["kernel"]), atol=1e-7)
    np.testing.assert_allclose(layer.grads["bias"], numeric_gradient(loss, layer.params["bias"]), atol=1e-7)
    np.testing.assert_allclose(dx, numeric_gradient(loss, x), atol=1e-7)


@pytest.mark.parametrize("units, inputs", [(128, 13), (1, 1), (3, 7)])
def test_parameter_count_is_units_times_inputs_plus_one(units, inputs):
    layer = _built(units, inputs)
    assert layer.count_params() == units * (inputs + 1)
    assert [w.shape for w in layer.get_weights()] == [(inputs, units), (units,)]
    assert _built(units, inputs, use_bias=False).count_params() == units * inputs


def test_use_bias_false_has_only_a_kernel_and_computes_x_at_w(float64):
    layer = _built(2, 3, use_bias=False, activation="relu")
    assert list(layer.params) == ["kernel"] and list(layer.grads) == ["kernel"]
    assert layer.bias is None and len(layer.get_weights()) == 1
    x, g = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 2))
    (W,) = layer.get_weights()
    z = x @ W
    np.testing.assert_allclose(layer.forward(x, training=True), np.maximum(z, 0.0), rtol=1e-12)
    dx = layer.backward(g)
    dz = g * (z > 0)
    np.testing.assert_allclose(layer.grads["kernel"], x.T @ dz, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dx, dz @ W.T, rtol=1e-12, atol=1e-14)
    assert layer.get_config()["use_bias"] is False


@pytest.mark.parametrize("units", [0, -3, 2.5, True, "8", None])
def test_invalid_units_name_the_argument_and_the_value(units):
    with pytest.raises(ValueError) as info:
        Dense(units)
    message = str(info.value)
    assert "`units`" in message and "positive integer" in message
    assert f"Received: units={units!r}" in message


def test_samples_that_are_not_1d_are_refused_pointing_at_flatten():
    with pytest.raises(ValueError, match=r"1-D samples.*input_shape=\(4, 5\).*Flatten\(\)"):
        Dense(3).build((4, 5))


def test_dense_training_forward_keeps_memory_bounded_over_many_batch_sizes():
    """Training forward passes on batches of many sizes keep no per-size buffers: memory stays bounded
    (model(x, training=True) on inputs of 299 sizes)."""
    import tracemalloc

    import numpy as np

    from neuronet.layers import Dense
    from neuronet.models import Sequential

    model = Sequential([Dense(4, activation="tanh", input_shape=(50,)), Dense(1)])
    x = np.ones((300, 50), dtype="float32")
    model(x[:300], training=True)                      # the largest batch first: its buffers may stay
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(1, 300):
            model(x[:n], training=True)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 200_000, f"{grown} bytes kept after forward passes of 299 batch sizes"


def test_copies_of_a_dense_with_a_layer_activation_use_their_own_activation():
    """Dense(activation=LeakyReLU()): a deep copy and a pickled copy each run their own activation layer
    (not the original's, with its cached input), so they train bit-identically to a fresh model."""
    import copy
    import pickle

    import numpy as np

    from neuronet.layers import Dense, LeakyReLU
    from neuronet.models import Sequential

    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ rng.normal(size=(3, 1))).astype("float32")
    model = Sequential([Dense(5, activation=LeakyReLU(0.2), input_shape=(3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, seed=0)
    twins = [copy.deepcopy(model), pickle.loads(pickle.dumps(model))]
    model.fit(x[::-1], y[::-1], epochs=1, batch_size=8, verbose=0, shuffle=False)  # leaves other caches
    reference = copy.deepcopy(twins[0].get_weights())
    for twin in twins:
        twin.set_weights(reference)
    expected = None
    for twin in twins:
        twin.fit(x, y, epochs=2, batch_size=8, verbose=0, seed=1)
        weights = twin.get_weights()
        expected = expected or weights
        assert all(np.array_equal(a, b) for a, b in zip(weights, expected))
    fresh = Sequential([Dense(5, activation=LeakyReLU(0.2), input_shape=(3,)), Dense(1)])
    fresh.compile(optimizer="sgd", loss="mse")
    fresh.set_weights(reference)
    fresh.fit(x, y, epochs=2, batch_size=8, verbose=0, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(fresh.get_weights(), expected))


def _data(n=150, d=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype(np.float32)
    return x, rng


def test_dense_in_a_model_computes_on_views_of_the_buffer_with_the_same_gradients(float64):
    """Packed into the model's buffer, kernel, bias and their gradients are views of it; forward and
    backward give the values of a lone layer that owns its arrays."""
    import copy
    x, rng = _data(9, 5)
    x = x.astype(np.float64)
    model = Sequential([Dense(4, activation="tanh", input_shape=(5,)), Dense(3)])
    model.compile(optimizer="sgd", loss="mse")
    packed = model.layers[0]
    for key in ("kernel", "bias"):
        assert np.shares_memory(packed.params[key], model.parameters.values)
        assert np.shares_memory(packed.grads[key], model.parameters.grads)
    alone = Dense(4, activation="tanh")
    alone.build((5,))
    alone.set_weights(packed.get_weights())
    assert not np.shares_memory(alone.params["kernel"], model.parameters.values)
    upstream = rng.normal(size=(9, 4))
    for layer in (packed, alone):
        layer.needs_input_grad = True
        layer.forward(x, training=True)
    np.testing.assert_allclose(packed.y, alone.y, rtol=1e-13)
    dx_packed, dx_alone = packed.backward(upstream), alone.backward(upstream)
    np.testing.assert_allclose(dx_packed, dx_alone, rtol=1e-13)
    for key in ("kernel", "bias"):
        np.testing.assert_allclose(packed.grads[key], alone.grads[key], rtol=1e-12, atol=1e-15)
    # a copy of the packed layer owns new arrays: it must not write into the model's gradient buffer
    twin = copy.deepcopy(packed)
    before = model.parameters.grads.copy()
    twin.forward(x, training=True)
    twin.backward(2 * upstream)
    np.testing.assert_array_equal(model.parameters.grads, before)
    np.testing.assert_allclose(twin.grads["kernel"], 2 * alone.grads["kernel"], rtol=1e-12)


# ---- constraints, losses and the Keras 2 spellings ---------------------------------------------------

def _constrained_model(**dense_kwargs):
    model = Sequential([Dense(6, activation="relu", input_shape=(4,), **dense_kwargs), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_kernel_constraint_holds_after_every_update():
    """Keras applies the constraint after each optimizer update: each unit's incoming weight vector has norm
    at most max_value after training, though an unconstrained twin's grows past it."""
    from neuronet import constraints
    x = RNG.normal(size=(64, 4))
    y = x @ np.array([3.0, -2.0, 4.0, 1.0])
    from neuronet.utils import set_random_seed
    set_random_seed(0)
    free = _constrained_model()
    free.fit(x, y, epochs=3, batch_size=8, verbose=0)
    set_random_seed(0)
    model = _constrained_model(kernel_constraint=constraints.MaxNorm(0.3))
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert np.linalg.norm(free.layers[0].kernel, axis=0).max() > 0.3
    assert np.linalg.norm(model.layers[0].kernel, axis=0).max() <= 0.3 + 1e-6


def test_bias_constraint_non_neg_and_train_on_batch():
    from neuronet import constraints
    model = _constrained_model(bias_constraint="non_neg")
    x, y = RNG.normal(size=(32, 4)), -10 * np.ones(32)
    for _ in range(5):
        model.train_on_batch(x, y)
    assert (model.layers[0].bias >= 0).all()
    assert isinstance(model.layers[0].bias_constraint, constraints.NonNeg)
    assert model.constrained_layers == [model.layers[0]]


def test_unconstrained_model_lists_no_constrained_layer():
    assert _constrained_model().constrained_layers == []


def test_frozen_layer_is_not_constrained():
    from neuronet import constraints
    model = Sequential([Dense(3, input_shape=(2,), kernel_constraint=constraints.UnitNorm()), Dense(1)])
    model.layers[0].trainable = False
    model.compile(optimizer="sgd", loss="mse")
    model.layers[0].kernel[...] = 5.0
    model.train_on_batch(np.ones((4, 2)), np.ones(4))
    assert np.all(model.layers[0].kernel == 5.0)


def test_constraints_round_trip_through_config_and_file(tmp_path):
    from neuronet import constraints
    from neuronet.models import load_model
    model = _constrained_model(kernel_constraint=constraints.MinMaxNorm(0.1, 0.9, rate=0.5),
                               bias_constraint=constraints.MaxNorm(2))
    config = model.layers[0].get_config()
    assert config["kernel_constraint"] == {"class_name": "MinMaxNorm", "config": {
        "min_value": 0.1, "max_value": 0.9, "rate": 0.5, "axis": 0}}
    again = Dense.from_config(config)
    assert again.kernel_constraint.get_config() == model.layers[0].kernel_constraint.get_config()
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert isinstance(loaded.layers[0].bias_constraint, constraints.MaxNorm)
    assert loaded.constrained_layers == [loaded.layers[0]]


def test_layer_losses_list_each_penalty():
    """layer.losses / model.losses: one scalar per regularized weight (l2: 0.01 * sum(W^2)), then the
    activity penalty of the last forward pass averaged over the batch, as Keras lists them."""
    from neuronet import regularizers
    model = Sequential([Dense(3, input_shape=(2,), kernel_regularizer=regularizers.l2(0.01),
                              bias_regularizer=regularizers.l1(0.1), bias_initializer="ones"),
                        Dense(1, activity_regularizer=regularizers.l1(0.5))])
    W = model.layers[0].kernel
    assert model.losses == pytest.approx([0.01 * np.sum(W ** 2), 0.1 * 3])
    x = RNG.normal(size=(5, 2)).astype(np.float32)
    out = model(x)
    assert model.losses[-1] == pytest.approx(0.5 * np.abs(out).sum() / 5, rel=1e-5)
    assert len(model.losses) == 3 and Sequential().losses == []


def test_keras2_spellings_output_dim_and_init():
    """Keras 2's Dense(output_dim=12, init='uniform', input_dim=8) is Dense(12, kernel_initializer='uniform',
    input_shape=(8,))."""
    old = Dense(output_dim=12, init="uniform", input_dim=8, activation="relu")
    new = Dense(12, kernel_initializer="uniform", input_shape=(8,), activation="relu")
    assert old.units == 12 and old.declared_input_shape == (8,)
    assert type(old.kernel_initializer) is type(new.kernel_initializer)
    with pytest.raises(TypeError, match="output_dim"):
        Dense(4, output_dim=4)
    with pytest.raises(TypeError, match="init"):
        Dense(4, init="uniform", kernel_initializer="zeros")
