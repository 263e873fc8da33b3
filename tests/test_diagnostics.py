"""Gradient-flow diagnostics: the notes' vanishing gradients (sigmoid vs ReLU + He) and dying ReLUs."""
import numpy as np
import pytest

import neuronet
from neuronet import diagnostics
from neuronet.callbacks import GradientFlow
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


def data(n=128, d=20):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, d))
    return x, (x[:, :2].sum(axis=1) > 0).astype(float)


def deep(activation, initializer, depth=10, width=32):
    neuronet.set_random_seed(0)
    model = Sequential([Dense(width, activation=activation, kernel_initializer=initializer, input_shape=(20,))])
    for _ in range(depth - 2):
        model.add(Dense(width, activation=activation, kernel_initializer=initializer))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer=SGD(learning_rate=0.01), loss="binary_crossentropy")
    return model


def test_sigmoid_network_vanishes_relu_he_does_not():
    x, y = data()
    sig = deep("sigmoid", "glorot_uniform")
    before = sig.get_weights()
    report = diagnostics.check(sig, x, y)
    assert all(np.array_equal(a, b) for a, b in zip(before, sig.get_weights()))   # nothing trained
    names = [l.name for l in sig.layers]
    assert report.vanishing and report.vanishing == names[:len(report.vanishing)]  # the first layers
    assert names[-1] not in report.vanishing and not report.exploding
    ratios = report.layers.set_index("layer").ratio_to_last
    assert all(ratios[n] < 1e-3 for n in report.vanishing)
    assert ratios.is_monotonic_increasing                                           # shrinks backwards
    text = str(report)
    assert "VANISHING" in text and all(n in text for n in report.vanishing)

    relu = deep("relu", "he_normal")
    report = diagnostics.check(relu, x, y)
    assert report.vanishing == [] and report.exploding == [] and report.dying == [] and report.ok
    assert "No vanishing" in str(report)
    assert not any(l.name in str(report).split("detected")[-1] for l in relu.layers)


def test_dying_relus_and_exploding_flags():
    x, y = data()
    model = deep("relu", "he_normal", depth=4)
    hidden = model.layers[1]
    hidden.params["bias"][...] = -1e3                     # every unit of this layer off for every sample
    report = diagnostics.check(model, x, y)
    # the next ReLU layer only receives zeros (z = its zero bias), so it is dead as well
    assert report.dying == [hidden.name, model.layers[2].name]
    assert report.layers.set_index("layer").dead_fraction[hidden.name] == 1.0
    assert f"{hidden.name} (100% of units dead)" in str(report)
    model = Sequential([Dense(8, activation="relu", input_shape=(20,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.layers[0].params["kernel"][...] *= 1e4           # huge activations -> huge errors and gradients
    report = diagnostics.check(model, x, y)
    assert report.exploding and "EXPLODING" in str(report)
    with pytest.raises(ValueError, match="vanishing"):
        diagnostics.check(model, x, y, vanishing=0)


def test_gradient_monitor_records_history_per_epoch():
    x, y = data()
    model = deep("sigmoid", "glorot_uniform", depth=4)
    assert diagnostics.GradientMonitor is GradientFlow
    cb = GradientFlow()
    history = model.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[cb])
    for layer in model.layers:
        values = history.history[f"{layer.name}_grad_norm"]
        assert len(values) == 2 and all(v > 0 for v in values)
        assert cb.history[f"{layer.name}_grad_norm"] == values
    first, last = model.layers[0].name, model.layers[-1].name
    assert history.history[f"{first}_grad_norm"][0] < history.history[f"{last}_grad_norm"][0]
    relu = deep("relu", "he_normal", depth=3)
    history = relu.fit(x, y, epochs=1, batch_size=32, verbose=0, callbacks=[GradientFlow()])
    assert history.history[f"{relu.layers[0].name}_dead_fraction"][0] < 0.5
    relu.layers[0].params["bias"][...] = -1e3
    history = relu.fit(x, y, epochs=1, batch_size=32, verbose=0, callbacks=[GradientFlow()])
    assert history.history[f"{relu.layers[0].name}_dead_fraction"] == [1.0]
    assert f"{relu.layers[2].name}_dead_fraction" not in history.history          # sigmoid output


def test_check_on_a_functional_model_flags_its_vanishing_branch():
    from neuronet.layers import Input
    from neuronet.models import Model
    x, y = data()
    neuronet.set_random_seed(0)
    inputs = Input(shape=(20,))
    h = inputs
    for i in range(9):
        h = Dense(32, activation="sigmoid", name=f"s{i}")(h)
    model = Model(inputs, Dense(1, activation="sigmoid", name="out")(h))
    model.compile(optimizer=SGD(learning_rate=0.01), loss="binary_crossentropy")
    before = model.get_weights()
    report = diagnostics.check(model, x, y)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert list(report.layers.layer) == [f"s{i}" for i in range(9)] + ["out"]
    assert report.vanishing and report.vanishing[0] == "s0" and "out" not in report.vanishing
