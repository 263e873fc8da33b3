"""Regularizers: penalties and gradients, in the loss and the update, the notes' snippets."""
import numpy as np
import pytest

import neuronet as keras
from neuronet.callbacks import EarlyStopping, ModelCheckpoint
from neuronet.layers import Dense, LeakyReLU
from neuronet.models import Sequential, load_model
from neuronet.optimizers import SGD, Adam
from gradcheck import numeric_gradient
from neuronet import regularizers
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD


RNG0 = np.random.default_rng(0)


X13 = RNG0.normal(size=(120, 13)).astype("float32")


Y13 = (X13[:, :3].sum(axis=1) * 2 + 20).astype("float32")


def test_notes_regularization_and_callbacks_snippets(tmp_path):
    model_l1 = Sequential()
    model_l1.add(Dense(128, activation='relu', input_shape=(13,),
                       kernel_regularizer=keras.regularizers.l1(0.01)))
    model_l1.add(Dense(64, activation='relu', kernel_regularizer=keras.regularizers.l2(0.01)))
    model_l1.add(Dense(32, activation=LeakyReLU(alpha=0.01), kernel_initializer="he_normal"))
    model_l1.add(Dense(1))
    model_l1.compile(loss='mse', optimizer=Adam(lr=0.01), metrics=['mae'])
    early_stop = EarlyStopping(monitor='val_loss', patience=30)
    checkpoint = ModelCheckpoint(str(tmp_path / "my_ann_model_2.h5"), save_best_only=True)
    history = model_l1.fit(X13, Y13, batch_size=64, epochs=2, validation_split=0.2,
                           callbacks=[early_stop, checkpoint], verbose=0)
    assert len(history.history["val_mae"]) == 2
    # the reported loss includes the penalty: it exceeds the plain MSE of the same predictions
    loss, mae = model_l1.evaluate(X13, Y13, verbose=0)
    assert loss > float(np.mean((model_l1.predict(X13)[:, 0] - Y13) ** 2)) + 1e-3
    assert isinstance(load_model(str(tmp_path / "my_ann_model_2.h5")), Sequential)


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear", "leaky_relu_layer", "elu_layer"])
@pytest.mark.parametrize("make_reg", [lambda: keras.regularizers.l2(0.1), lambda: keras.regularizers.l1(0.05),
                                      lambda: keras.regularizers.l1_l2(l1=0.02, l2=0.03)])
def test_activity_and_bias_regularizer_penalties_are_in_the_gradient(activation, make_reg, float64):
    """L = sum(y * upstream) + penalties: Dense.backward against float64 central differences, also with a
    layer object as the activation."""
    from gradcheck import numeric_gradient
    from neuronet.layers import ELU, LeakyReLU
    activation = {"leaky_relu_layer": LeakyReLU(0.2), "elu_layer": ELU(0.7)}.get(activation, activation)
    layer = Dense(3, activation=activation, activity_regularizer=make_reg(), bias_regularizer=make_reg(),
                  bias_initializer="ones")
    layer.build((4,))
    x, upstream = RNG0.normal(size=(5, 4)), RNG0.normal(size=(5, 3))

    def objective():
        return float(np.sum(layer.forward(x, training=True) * upstream) + layer.regularization_penalty())

    layer.forward(x, training=True)
    layer.needs_input_grad = True
    dx = layer.backward(upstream)
    # weight penalties are added by the model (Layer.regularizers); the activity one inside backward
    grads = {k: g + (layer.regularizers[k].gradient(layer.params[k]) if k in layer.regularizers else 0.0)
             for k, g in layer.grads.items()}
    np.testing.assert_allclose(dx, numeric_gradient(objective, x), rtol=1e-5, atol=1e-7)
    for key, param in layer.params.items():
        np.testing.assert_allclose(grads[key], numeric_gradient(objective, param), rtol=1e-5, atol=1e-7,
                                   err_msg=key)


def test_activity_penalty_is_part_of_evaluate_loss(float64):
    x, y = RNG0.normal(size=(40, 4)), RNG0.normal(size=(40, 1))
    model = Sequential([Dense(3, input_dim=4, activation="tanh", activity_regularizer=keras.regularizers.l2(0.5)),
                        Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    hidden = model.layers[0]
    h = np.tanh(x @ hidden.params["kernel"] + hidden.params["bias"])
    expected = np.mean((model.predict(x) - y) ** 2) + 0.5 * np.sum(h ** 2) / len(x)   # Keras: per-sample mean
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-10)
    assert model.evaluate(x, y, batch_size=8, verbose=0) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("last_activation, loss", [("sigmoid", "binary_crossentropy"), ("softmax", "categorical_crossentropy")])
def test_activity_penalty_on_a_fused_output_layer_is_in_the_gradient(last_activation, loss, float64):
    """The fused cross-entropy path starts from dL/dz: the activity term still goes through the activation."""
    from gradcheck import numeric_gradient
    x = RNG0.normal(size=(6, 4))
    y = np.eye(3)[RNG0.integers(0, 3, 6)] if last_activation == "softmax" else RNG0.integers(0, 2, (6, 1)) * 1.0
    model = Sequential([Dense(y.shape[1], input_dim=4, activation=last_activation,
                              activity_regularizer=keras.regularizers.l2(0.3))])
    model.compile("sgd", loss)
    assert model.fused_loss
    layer = model.layers[0]

    def objective():
        out = layer.forward(x, training=True)
        return float(model.loss(y, out) + layer.regularization_penalty())

    out = layer.forward(x, training=True)
    layer.backward_from_logits(model.loss.training_gradient(y, out, fused=True))
    np.testing.assert_allclose(layer.grads["kernel"], numeric_gradient(objective, layer.params["kernel"]),
                               rtol=1e-5, atol=1e-7)


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
