"""A functional model's forward pass and one SGD step against the formulas written out in NumPy: two
inputs, a merge, fan-out (one value feeding two layers, whose gradients add up) and a concatenation."""
import numpy as np
import pytest

from neuronet.layers import Add, Concatenate, Dense, Input
from neuronet.models import Model
from neuronet.optimizers import SGD

RNG = np.random.default_rng(11)


def _model():
    a, b = Input(shape=(3,), name="a"), Input(shape=(2,), name="b")
    h = Dense(4, activation="relu", name="w1")(a)           # h = relu(a @ W1 + b1)
    g = Dense(4, name="w2")(b)                              # g = b @ W2 + b2
    s = Add(name="add")([h, g])                             # s = h + g
    c = Concatenate(name="concat")([s, h])                  # c = [s, h]: h feeds two layers (fan-out)
    return Model([a, b], Dense(1, name="w3")(c))            # y = c @ W3 + b3


def _weights(model):
    return {name: [w.copy() for w in model.get_layer(name).get_weights()] for name in ("w1", "w2", "w3")}


def test_forward_and_one_sgd_step_follow_the_formulas(float64):
    model = _model()
    for name in ("w1", "w2", "w3"):       # non-zero biases so that every term shows
        layer = model.get_layer(name)
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel, RNG.normal(size=bias.shape)])
    a, b = RNG.normal(size=(6, 3)), RNG.normal(size=(6, 2))
    t = RNG.normal(size=(6, 1))
    (W1, b1), (W2, b2), (W3, b3) = _weights(model).values()

    z1 = a @ W1 + b1
    h = np.maximum(z1, 0)
    g = b @ W2 + b2
    s = h + g
    c = np.concatenate([s, h], axis=1)
    y = c @ W3 + b3
    np.testing.assert_allclose(model.predict([a, b], verbose=0), y, rtol=1e-12)

    n, lr = len(a), 0.1
    loss = np.mean((y - t) ** 2)                    # 'mse': mean over outputs, then over the batch
    dy = 2 * (y - t) / n
    dW3, db3 = c.T @ dy, dy.sum(0)
    dc = dy @ W3.T
    ds, dh_concat = dc[:, :4], dc[:, 4:]
    dg = ds                                         # d(h + g)/dg = 1
    dh = ds + dh_concat                             # fan-out: the chain rule sums both consumers' gradients
    dz1 = dh * (z1 > 0)
    dW2, db2 = b.T @ dg, dg.sum(0)
    dW1, db1 = a.T @ dz1, dz1.sum(0)

    model.compile(optimizer=SGD(learning_rate=lr), loss="mse")
    assert model.evaluate([a, b], t, verbose=0) == pytest.approx(loss, rel=1e-12)
    history = model.fit([a, b], t, batch_size=n, epochs=1, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx(loss, rel=1e-12)
    after = _weights(model)
    expected = {"w1": (W1 - lr * dW1, b1 - lr * db1), "w2": (W2 - lr * dW2, b2 - lr * db2),
                "w3": (W3 - lr * dW3, b3 - lr * db3)}
    for name, (kernel, bias) in expected.items():
        np.testing.assert_allclose(after[name][0], kernel, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(after[name][1], bias, rtol=1e-10, atol=1e-14)
    assert not np.allclose(dh, ds)                  # the fan-out term is not negligible: the test can fail


def test_the_notes_network_as_a_graph_sums_the_two_output_gradients_at_the_hidden_layer(float64):
    """docs/functional-api.md's table: h feeds o1 and o2; dE/dout_h1 = delta_o1 w5 + delta_o2 w7."""
    x = Input(shape=(2,))
    h = Dense(2, activation="sigmoid", name="h")(x)
    outputs = Concatenate()([Dense(1, activation="sigmoid", name="o1")(h), Dense(1, activation="sigmoid", name="o2")(h)])
    model = Model(x, outputs)
    model.get_layer("h").set_weights([np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([0.35, 0.35])])
    model.get_layer("o1").set_weights([np.array([[0.40], [0.45]]), np.array([0.60])])
    model.get_layer("o2").set_weights([np.array([[0.50], [0.55]]), np.array([0.60])])
    model.compile(optimizer=SGD(learning_rate=0.5), loss="mse")
    step = model.explain_step(np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]))
    delta = step.units.set_index(["layer", "unit"])["delta"]
    assert delta[("o1", 0)] == pytest.approx(0.138498562, rel=1e-8)
    assert delta[("o2", 0)] == pytest.approx(-0.038098236, rel=1e-7)
    d_out_h1 = 0.055399425 + -0.019049118                  # delta_o1 * w5 + delta_o2 * w7
    assert delta[("o1", 0)] * 0.40 + delta[("o2", 0)] * 0.50 == pytest.approx(d_out_h1, abs=1e-9)
    out_h1 = step.units.set_index(["layer", "unit"])["a"][("h", 0)]
    assert delta[("h", 0)] == pytest.approx(d_out_h1 * out_h1 * (1 - out_h1), rel=1e-7) == \
        pytest.approx(0.008771354, rel=1e-7)
    assert step.weight("h", "kernel", (0, 0)).updated == pytest.approx(0.149780716, rel=1e-8)
