"""Acceptance review of issues 2 and 9: the notes' Keras snippets with only their imports changed, Keras'
compile defaults, and the summary of a BatchNormalization model."""
import io
from contextlib import redirect_stdout

import numpy as np
import pytest

import neuronet
import neuronet as keras                     # the notes' ``keras.regularizers.l1(0.01)`` spelling
from neuronet.callbacks import EarlyStopping, ModelCheckpoint
from neuronet.layers import Dense, LeakyReLU
from neuronet.layers.normalization import BatchNormalization     # notes: keras.layers.normalization
from neuronet.models import Sequential, load_model
from neuronet.optimizers import SGD, Adagrad, Adam, RMSprop

RNG = np.random.default_rng(0)
X13 = RNG.normal(size=(120, 13)).astype("float32")
Y13 = (X13[:, :3].sum(axis=1) * 2 + 20).astype("float32")


def _summary(model):
    out = io.StringIO()
    with redirect_stdout(out):
        model.summary()
    return out.getvalue()


def test_compile_default_optimizer_is_rmsprop_with_keras_defaults():
    model = Sequential([Dense(1, input_shape=(13,))])
    model.compile(loss="mse")
    assert type(model.optimizer) is RMSprop
    assert model.optimizer.learning_rate == 0.001 and model.optimizer.rho == 0.9
    history = model.fit(X13, Y13, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.compile(optimizer="rmsprop", loss="mse")
    assert type(model.optimizer) is RMSprop


def _notes_bn_ann(optimizer):
    """000_*.txt section 27, ``def ann()``, unchanged except imports."""
    model = Sequential()
    model.add(Dense(128, activation='relu', input_shape=(13,)))
    model.add(BatchNormalization())
    model.add(Dense(64, activation='relu'))
    model.add(BatchNormalization())
    model.add(Dense(64, activation='relu'))
    model.add(BatchNormalization())
    model.add(Dense(32, activation='relu'))
    model.add(BatchNormalization())
    model.add(Dense(1))
    model.compile(loss='mse', optimizer=optimizer, metrics=['mae'])
    return model


def test_batch_normalization_model_summary_counts_moving_statistics_as_non_trainable():
    text = _summary(_notes_bn_ann("adam"))
    # Keras: each BatchNormalization(n) has 4n params, of which 2n (moving mean/variance) non-trainable
    bn = 4 * (128 + 64 + 64 + 32)
    assert f"Total params: {16321 + bn:,}" in text
    assert f"Trainable params: {16321 + bn // 2:,}" in text
    assert f"Non-trainable params: {bn // 2:,}" in text
    assert "batch_normalization (BatchNo (None, 128)               512" in text
    assert "batch_normalization_1 (Batch (None, 64)                256" in text


@pytest.mark.parametrize("optimizer", [
    lambda: SGD(lr=0.001, momentum=0.9),
    lambda: Adagrad(lr=0.001, epsilon=10**-10),
    lambda: RMSprop(lr=0.001, rho=0.9),
    lambda: Adam(lr=0.001, beta_1=0.9, beta_2=0.9),
])
def test_notes_batch_norm_optimizers_run_as_written(optimizer, tmp_path):
    model = _notes_bn_ann(optimizer())
    history = model.fit(X13, Y13, batch_size=64, epochs=2, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    train_loss, train_mae = model.evaluate(X13, Y13, verbose=0)
    assert np.isfinite(train_loss) and np.isfinite(train_mae)
    path = str(tmp_path / "my_ann_model.h5")
    model.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_array_equal(again.predict(X13), model.predict(X13))


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


def test_notes_adamax_accuracy_snippet():
    """001_*.txt: the deep 2-input network compiled with 'adamax' and metrics=['accuracy']."""
    x = RNG.normal(size=(200, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    model_1 = Sequential()
    model_1.add(Dense(8, input_dim=2, activation='relu'))
    for units in (32, 128, 256, 256, 128, 64, 16):
        model_1.add(Dense(units, activation='relu'))
    model_1.add(Dense(1, activation='sigmoid'))
    model_1.compile(loss='binary_crossentropy', optimizer='adamax', metrics=['accuracy'])
    assert type(model_1.optimizer).__name__ == "Adamax" and model_1.optimizer.learning_rate == 0.001
    assert "Total params: 145,561" in _summary(model_1)
    history = model_1.fit(x, y, epochs=2, batch_size=32, verbose=0, validation_data=[x, y])
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    loss, acc = model_1.evaluate(x, y, verbose=0)
    assert 0.0 <= acc <= 1.0 and acc == pytest.approx(history.history["val_accuracy"][-1])
    assert neuronet.__name__ == "neuronet"


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear", "leaky_relu_layer", "elu_layer"])
@pytest.mark.parametrize("make_reg", [lambda: keras.regularizers.l2(0.1), lambda: keras.regularizers.l1(0.05),
                                      lambda: keras.regularizers.l1_l2(l1=0.02, l2=0.03)])
def test_activity_and_bias_regularizer_penalties_are_in_the_gradient(activation, make_reg, float64):
    """L = sum(y * upstream) + penalties: Dense.backward against float64 central differences, also with a
    layer object as the activation (it used to raise at the first backward pass)."""
    from gradcheck import numeric_gradient
    from neuronet.layers import ELU, LeakyReLU
    activation = {"leaky_relu_layer": LeakyReLU(0.2), "elu_layer": ELU(0.7)}.get(activation, activation)
    layer = Dense(3, activation=activation, activity_regularizer=make_reg(), bias_regularizer=make_reg(),
                  bias_initializer="ones")
    layer.build((4,))
    x, upstream = RNG.normal(size=(5, 4)), RNG.normal(size=(5, 3))

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
    x, y = RNG.normal(size=(40, 4)), RNG.normal(size=(40, 1))
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
    x = RNG.normal(size=(6, 4))
    y = np.eye(3)[RNG.integers(0, 3, 6)] if last_activation == "softmax" else RNG.integers(0, 2, (6, 1)) * 1.0
    model = Sequential([Dense(y.shape[1], input_dim=4, activation=last_activation,
                              activity_regularizer=keras.regularizers.l2(0.3))])
    model.compile("sgd", loss)
    assert model._fused
    layer = model.layers[0]

    def objective():
        out = layer.forward(x, training=True)
        return float(model.loss(y, out) + layer.regularization_penalty())

    out = layer.forward(x, training=True)
    from neuronet.models import training
    layer.backward_from_logits(model.loss._training_gradient(y, out, None, True))
    np.testing.assert_allclose(layer.grads["kernel"], numeric_gradient(objective, layer.params["kernel"]),
                               rtol=1e-5, atol=1e-7)


def _schedules():
    from neuronet.optimizers import schedules as S
    return [S.ExponentialDecay(0.05, 2, 0.5), S.InverseTimeDecay(0.05, 1, 1.0),
            S.PiecewiseConstantDecay([1, 2], [0.05, 0.02, 0.01]), S.PolynomialDecay(0.05, 3, 0.001),
            S.CosineDecay(0.01, 4, warmup_target=0.05, warmup_steps=2)]


@pytest.mark.parametrize("index", range(5))
def test_schedule_as_learning_rate_inside_fit_follows_the_step(index, float64):
    """A linear model without bias under SGD: w_{k+1} = w_k - schedule(k) * dL/dw, one batch per step."""
    schedule = _schedules()[index]
    x = RNG.normal(size=(12, 1))
    y = 3.0 * x
    model = Sequential([Dense(1, input_dim=1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=SGD(lr=schedule), loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    w = 0.0
    for k in range(3):
        xb, yb = x[4 * k:4 * k + 4, 0], y[4 * k:4 * k + 4, 0]
        w -= schedule(k) * np.mean(2 * (w * xb - yb) * xb)
    assert model.optimizer.iterations == 3
    assert model.get_weights()[0][0, 0] == pytest.approx(w, rel=1e-12)


@pytest.mark.parametrize("name", ["sgd", "adam", "adamw", "adamax", "nadam", "adagrad", "adadelta", "rmsprop"])
def test_every_optimizer_accepts_lr_alias_and_a_schedule_in_fit(name):
    from neuronet import optimizers
    cls = type(optimizers.get(name))
    assert cls(lr=0.05).learning_rate == 0.05
    model = Sequential([Dense(1, input_shape=(13,))])
    for schedule in _schedules():
        model.compile(optimizer=cls(lr=schedule), loss="mse")
        history = model.fit(X13, Y13, batch_size=40, epochs=1, verbose=0)
        assert np.isfinite(history.history["loss"][0]) and model.optimizer.iterations == 3


def test_leaky_relu_function_takes_alpha_or_negative_slope(float64):
    from gradcheck import numeric_gradient
    from neuronet import activations
    x = np.array([[-2.0, 3.0, -0.5]])
    np.testing.assert_allclose(activations.leaky_relu(x), [[-0.4, 3.0, -0.1]])            # default 0.2
    np.testing.assert_allclose(activations.leaky_relu(x, alpha=0.1), [[-0.2, 3.0, -0.05]])
    np.testing.assert_allclose(activations.leaky_relu(x, negative_slope=0.1), [[-0.2, 3.0, -0.05]])
    up = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(activations.leaky_relu.backward(x, None, up, alpha=0.1),
                               numeric_gradient(lambda: float(np.sum(activations.leaky_relu(x, alpha=0.1) * up)), x))
    with pytest.raises(ValueError, match="alpha"):
        activations.leaky_relu(x, negative_slope=0.1, alpha=0.2)


def test_acc_is_chosen_from_the_loss_and_output_shape_for_every_loss():
    """Keras: one output unit -> binary accuracy; sparse labels -> sparse categorical; else categorical.
    binary_crossentropy over several sigmoid units stays binary (per-label accuracy, issue 9)."""
    from neuronet import losses, metrics
    for name in sorted({losses.LOSSES.canonical(n) for n in losses.LOSSES.names()}):
        loss = losses.get(name)
        one, many = (type(metrics.get("acc", loss=loss, output_shape=s)) for s in ((1,), (3,)))
        if name == "SparseCategoricalCrossentropy":
            assert many is metrics.SparseCategoricalAccuracy, name
            continue
        assert one is metrics.BinaryAccuracy, name
        expected = metrics.BinaryAccuracy if name == "BinaryCrossentropy" else metrics.CategoricalAccuracy
        assert many is expected, name
    assert metrics.get("accuracy", loss=losses.get("mse"), output_shape=(3,)).name == "accuracy"


def test_import_neuronet_as_keras_works_in_a_fresh_interpreter():
    """The notes write keras.Sequential, keras.layers.Dense, keras.models.load_model,
    keras.regularizers.l1, keras.losses..., keras.optimizers.SGD with only `import keras`."""
    import subprocess
    import sys
    code = ("import neuronet as keras\n"
            "m = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),\n"
            "                      keras.layers.Dense(128, activation='relu', kernel_regularizer=keras.regularizers.l1(0.01)),\n"
            "                      keras.layers.Dense(10, activation='softmax')])\n"
            "m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),\n"
            "          loss=keras.losses.categorical_crossentropy, metrics=['accuracy'])\n"
            "assert keras.models.load_model is keras.load_model\n"
            "assert keras.callbacks.EarlyStopping and keras.activations.relu and keras.initializers.HeNormal\n"
            "print(m.count_params())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(28 * 28 * 128 + 128 + 128 * 10 + 10)
