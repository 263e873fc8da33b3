"""The notes' backpropagation worked example through fit and explain_step, number by number."""
import numpy as np
import pytest

from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adam


X = np.array([[0.05, 0.10]])


Y = np.array([[0.01, 0.99]])


def notes_network(optimizer=None):
    """001: the 2-2-2 sigmoid network. Keras kernels are (inputs, units): h1 = w1 i1 + w2 i2 + b1 and
    h2 = w3 i1 + w4 i2 + b1 give [[w1, w3], [w2, w4]]; o1 = w5 h1 + w6 h2 + b2, o2 = w7 h1 + w8 h2 + b2
    give [[w5, w7], [w6, w8]]."""
    model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(2, activation="sigmoid")])
    model.set_weights([np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([0.35, 0.35]),
                       np.array([[0.40, 0.50], [0.45, 0.55]]), np.array([0.60, 0.60])])
    model.compile(optimizer=optimizer or SGD(learning_rate=0.5), loss="mse")
    return model


def test_backprop_worked_example_with_fit(float64):
    model = notes_network()
    # 'mse' = mean over the 2 outputs of (t - o)^2 = sum 1/2 (t - o)^2 = E_total.
    # (The slide prints net_h1 = 0.365 and E_total = 0.28; 0.15*0.05 + 0.2*0.1 + 0.35 = 0.3775.)
    assert model.evaluate(X, Y, verbose=0) == pytest.approx(0.298371109, rel=1e-8)
    model.fit(X, Y, batch_size=1, epochs=1, shuffle=False, verbose=0)
    k1, b1, k2, b2 = model.get_weights()
    # The slide's dE/dw5 = 0.0754 and w5 -> 0.392 are off; the arithmetic gives 0.082167041 -> 0.35891648.
    assert k2[0, 0] == pytest.approx(0.35891648, rel=1e-8)       # w5
    assert k2[1, 0] == pytest.approx(0.408666186, rel=1e-8)      # w6
    assert k2[0, 1] == pytest.approx(0.511301270, rel=1e-8)      # w7
    assert k2[1, 1] == pytest.approx(0.561370121, rel=1e-8)      # w8
    assert k1[0, 0] == pytest.approx(0.149780716, rel=1e-8)      # w1
    assert k1[1, 0] == pytest.approx(0.19956143, rel=1e-7)       # w2
    assert k1[0, 1] == pytest.approx(0.24975114, rel=1e-7)       # w3
    assert k1[1, 1] == pytest.approx(0.29950229, rel=1e-7)       # w4


def test_backprop_worked_example_explain_step(float64):
    model = notes_network()
    before = model.get_weights()
    step = model.explain_step(X, Y)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))   # not applied
    assert model.optimizer.iterations == 0
    hidden, out = (layer.name for layer in model.layers)
    assert step.loss == pytest.approx(0.298371109, rel=1e-8)
    units = step.units.set_index(["layer", "unit"])
    assert units.loc[(hidden, 0), "z"] == pytest.approx(0.3775, rel=1e-12)          # net_h1
    assert units.loc[(hidden, 0), "a"] == pytest.approx(0.593269992, rel=1e-8)      # out_h1
    assert units.loc[(hidden, 1), "a"] == pytest.approx(0.596884378, rel=1e-8)      # out_h2
    assert units.loc[(out, 0), "z"] == pytest.approx(1.105905967, rel=1e-8)         # net_o1
    assert units.loc[(out, 0), "a"] == pytest.approx(0.75136507, rel=1e-7)          # out_o1
    assert units.loc[(out, 1), "a"] == pytest.approx(0.772928465, rel=1e-8)         # out_o2
    assert units.loc[(out, 0), "delta"] == pytest.approx(0.74136507 * 0.186815602, rel=1e-7)
    w5 = step.weight(out, "kernel", (0, 0))
    assert w5.value == 0.4
    assert w5.gradient == pytest.approx(0.082167041, rel=1e-8)
    assert w5.updated == pytest.approx(0.35891648, rel=1e-8)
    w1 = step.weight(hidden, "kernel", (0, 0))
    assert w1.gradient == pytest.approx(0.000438568, rel=1e-6)
    assert w1.updated == pytest.approx(0.149780716, rel=1e-8)
    text = str(step)
    assert "0.0821670406" in text and "0.35891648" in text and "model left unchanged" in text
    # A plain learning rate gives the same step; apply=True makes it real, as fit does.
    same = model.explain_step(X, Y, learning_rate=0.5, apply=True)
    assert same.weight(out, "kernel", (0, 0)).updated == pytest.approx(0.35891648, rel=1e-8)
    assert model.get_weights()[2][0, 0] == pytest.approx(0.35891648, rel=1e-8)


def test_explain_step_with_optimizer_restores_state(float64):
    model = notes_network(Adam(learning_rate=0.1))
    before = model.get_weights()
    step = model.explain_step(X, Y)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.optimizer.iterations == 0
    # Adam's first step is ~ lr * sign(gradient) for every weight
    assert step.weight(model.layers[1].name, "kernel", (0, 0)).updated == pytest.approx(0.3, rel=1e-4)
    with pytest.raises(ValueError, match="learning_rate"):
        model.explain_step(X, Y, learning_rate=-1)


def test_slope_step(float64):
    # 003: prediction 2 * 3 = 6, target 10: slope 2 * (6 - 10) * 3 = -24; 2 - 0.01 * (-24) = 2.24.
    model = Sequential([Dense(1, use_bias=False, input_shape=(1,))])
    model.set_weights([np.array([[2.0]])])
    model.compile(optimizer=SGD(learning_rate=0.01), loss="mse")
    step = model.explain_step([[3.0]], [[10.0]])
    assert step.weights.gradient.iloc[0] == pytest.approx(-24.0, rel=1e-12)
    model.fit(np.array([[3.0]]), np.array([[10.0]]), batch_size=1, epochs=1, verbose=0)
    assert model.get_weights()[0][0, 0] == pytest.approx(2.24, rel=1e-12)


def test_gradient_descent_line_fit(float64):
    # 002: loss = sum of squared residuals; at slope 1, intercept 0:
    # dSSR/dslope = -2 sum x (y - (m x + b)) = -3.44, dSSR/dintercept = -2 sum (y - (m x + b)) = -3.8
    x, y = np.array([0.6, 0.8, 1.1]), np.array([1.1, 1.2, 2.1])
    r = y - (1.0 * x + 0.0)
    assert -2 * np.sum(x * r) == pytest.approx(-3.44, rel=1e-12)
    assert -2 * np.sum(r) == pytest.approx(-3.8, rel=1e-12)
    # neuronet's 'mse' is SSR / n, so its gradients are the slide's divided by n = 3
    model = Sequential([Dense(1, input_shape=(1,))])
    model.set_weights([np.array([[1.0]]), np.array([0.0])])
    step = model.explain_step(x.reshape(-1, 1), y.reshape(-1, 1), learning_rate=0.1, loss="mse")
    g = step.weights.set_index("param").gradient
    assert g["kernel"] * 3 == pytest.approx(-3.44, rel=1e-12)
    assert g["bias"] * 3 == pytest.approx(-3.8, rel=1e-12)
    assert step.loss * 3 == pytest.approx(np.sum(r ** 2), rel=1e-12)


def test_explain_step_on_the_functional_form_of_the_notes_network(float64):
    from neuronet.layers import Input
    from neuronet.models import Model
    inputs = Input(shape=(2,))
    hidden = Dense(2, activation="sigmoid", name="h")(inputs)
    model = Model(inputs, Dense(2, activation="sigmoid", name="o")(hidden))
    model.set_weights(notes_network().get_weights())
    model.compile(optimizer=SGD(learning_rate=0.5), loss="mse")
    step = model.explain_step(X, Y)
    units = step.units.set_index(["layer", "unit"])
    assert step.loss == pytest.approx(0.298371109, rel=1e-8)
    assert units.loc[("h", 0), "z"] == pytest.approx(0.3775, rel=1e-12)
    assert units.loc[("o", 0), "a"] == pytest.approx(0.75136507, rel=1e-7)
    assert step.weight("o", "kernel", (0, 0)).updated == pytest.approx(0.35891648, rel=1e-8)   # w5
    assert step.weight("h", "kernel", (0, 0)).updated == pytest.approx(0.149780716, rel=1e-8)  # w1
