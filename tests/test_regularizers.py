"""Regularizers: formulas, gradients, and the penalty inside the reported loss and the weight update."""
import numpy as np
import pytest

from gradcheck import numeric_gradient
from neuronet import regularizers
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("reg, expected", [
    (regularizers.l1(0.1), lambda w: 0.1 * np.abs(w).sum()),
    (regularizers.l2(0.1), lambda w: 0.1 * np.square(w).sum()),
    (regularizers.l1_l2(l1=0.1, l2=0.2), lambda w: 0.1 * np.abs(w).sum() + 0.2 * np.square(w).sum()),
])
def test_penalty_and_gradient(reg, expected):
    w = RNG.normal(size=(4, 3))
    assert reg(w) == pytest.approx(expected(w))
    np.testing.assert_allclose(reg.gradient(w), numeric_gradient(lambda: reg(w), w), rtol=1e-6, atol=1e-8)


def test_keras_defaults_names_and_errors():
    assert regularizers.get("l2").l2 == 0.01 and regularizers.get("l1").l1 == 0.01
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.0, "l2": 0.0}
    again = regularizers.get(regularizers.serialize(regularizers.L1L2(0.3, 0.4)))
    assert again.get_config() == {"l1": 0.3, "l2": 0.4}
    with pytest.raises(ValueError, match="l2=-1"):
        regularizers.l2(-1)


def _model(**reg):
    model = Sequential([Dense(2, input_shape=(3,), **reg)])
    model.compile(optimizer=SGD(learning_rate=0.1), loss="mse")
    return model


def test_penalty_is_part_of_evaluate_loss(float64):
    x, y = RNG.normal(size=(16, 3)), RNG.normal(size=(16, 2))
    model = _model(kernel_regularizer=regularizers.l2(0.05), bias_regularizer=regularizers.l1(0.02))
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    kernel, bias = model.get_weights()
    data_loss = np.mean(np.square(model.predict(x, verbose=0) - y))
    penalty = 0.05 * np.sum(kernel ** 2) + 0.02 * np.sum(np.abs(bias))
    assert penalty > 0
    assert model.evaluate(x, y, verbose=0) == pytest.approx(data_loss + penalty, rel=1e-10)


def test_penalty_gradient_is_part_of_the_update(float64):
    x, y = RNG.normal(size=(8, 3)), RNG.normal(size=(8, 2))
    model = _model(kernel_regularizer=regularizers.l1_l2(l1=0.03, l2=0.05))
    kernel, bias = (w.copy() for w in model.get_weights())
    history = model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    residual = x @ kernel + bias - y                              # mse gradient: 2/(n K) residual
    grad_kernel = x.T @ residual * (2 / residual.size) + 0.03 * np.sign(kernel) + 2 * 0.05 * kernel
    grad_bias = residual.sum(0) * (2 / residual.size)
    new_kernel, new_bias = model.get_weights()
    np.testing.assert_allclose(new_kernel, kernel - 0.1 * grad_kernel, rtol=1e-10)
    np.testing.assert_allclose(new_bias, bias - 0.1 * grad_bias, rtol=1e-10)
    reported = np.mean(residual ** 2) + 0.03 * np.abs(kernel).sum() + 0.05 * (kernel ** 2).sum()
    assert history.history["loss"][0] == pytest.approx(reported, rel=1e-10)


def _keras_orthogonal(w, factor, mode):
    """Keras 3's formula, written out: factor * 0.5 * sum |offdiag(U U^T)| / (n (n - 1) / 2)."""
    v = w if mode == "rows" else w.T
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    p = u @ u.T
    n = len(u)
    return factor * 0.5 * np.sum(np.abs(p - np.diag(np.diag(p)))) / (n * (n - 1) / 2)


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_value_and_gradient(mode, float64):
    rng = np.random.default_rng(4)
    w = rng.normal(size=(5, 3)) + 0.3
    reg = regularizers.get({"class_name": "OrthogonalRegularizer", "config": {"factor": 0.2, "mode": mode}})
    assert reg(w) == pytest.approx(_keras_orthogonal(w, 0.2, mode), rel=1e-12)
    np.testing.assert_allclose(reg.gradient(w), numeric_gradient(lambda: reg(w), w), rtol=1e-6, atol=1e-9)
    orthogonal = np.linalg.qr(rng.normal(size=(4, 4)))[0]
    assert reg(orthogonal) == pytest.approx(0.0, abs=1e-12)          # nothing to push
    assert regularizers.get("orthogonal_regularizer").factor == 0.01   # Keras' default
    assert regularizers.get(regularizers.serialize(reg)).get_config() == {"factor": 0.2, "mode": mode}


def test_orthogonal_regularizer_trains_a_dense_kernel_towards_orthogonal_columns():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 6)).astype(np.float32), rng.normal(size=(64, 1)).astype(np.float32)
    reg = regularizers.OrthogonalRegularizer(factor=5.0, mode="columns")
    model = Sequential([Dense(4, input_shape=(6,), kernel_regularizer=reg), Dense(1)])
    model.compile(optimizer=SGD(learning_rate=0.05), loss="mse")
    before = reg(model.layers[0].params["kernel"])
    model.fit(x, y, epochs=20, verbose=0)
    assert reg(model.layers[0].params["kernel"]) < 0.5 * before
    with pytest.raises(ValueError, match=r"`mode`.*'rows' or 'columns'.*mode='diagonal'"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match=r"2-D weight.*\(3,\)"):
        reg(np.ones(3))
