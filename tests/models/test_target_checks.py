"""Warnings and errors for a loss, output layer and targets that cannot train together."""
import warnings

import numpy as np
import pytest

from neuronet import losses
from neuronet.layers import Activation, Dense, Softmax
from neuronet.models import Sequential, data_checks, epoch_loop


RNG = np.random.default_rng(0)


X = RNG.normal(size=(200, 10)).astype(np.float32)


Y01 = (X[:, 0] > 0).astype(int)


Y3 = np.digitize(X[:, 0], [-0.5, 0.5])          # labels 0, 1, 2


def _model(*last, input_shape=(10,)):
    return Sequential([Dense(16, activation="relu", input_shape=input_shape), *last])


def _single_warning(record, *words):
    """The one UserWarning recorded: it names ``words`` and points at this file (the user's code)."""
    assert len(record) == 1, [str(w.message) for w in record]
    w = record[0]
    assert issubclass(w.category, UserWarning)
    assert w.filename == __file__
    for word in words:
        assert word in str(w.message), (word, str(w.message))
    return str(w.message)


@pytest.fixture
def silent():
    """Fail on any warning raised inside the block."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ---- a one-unit output with a multi-class loss ---------------------------------------------------------
@pytest.mark.parametrize("loss", ["categorical_crossentropy", losses.CategoricalCrossentropy(),
                                  losses.CategoricalCrossentropy(from_logits=True),
                                  "sparse_categorical_crossentropy"])
def test_categorical_loss_on_one_unit_warns_at_compile(loss):
    model = _model(Dense(1))
    with pytest.warns(UserWarning) as record:
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    message = _single_warning(record, "num_classes > 1", "(None, 1)", "binary_crossentropy",
                              "sigmoid", "Dense(num_classes, activation='softmax')")
    assert model.loss.name in message


def test_the_learners_repro_warns_once_and_not_again_in_fit_evaluate_predict():
    model = _model(Dense(1))
    with pytest.warns(UserWarning, match="categorical_crossentropy") as record:
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    _single_warning(record)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, Y01.reshape(-1, 1), epochs=2, verbose=0)
        model.fit(X, Y01.reshape(-1, 1), epochs=1, verbose=0, validation_split=0.2)
        model.evaluate(X, Y01.reshape(-1, 1), verbose=0)
        model.train_on_batch(X[:8], Y01[:8].reshape(-1, 1))
        model.predict(X)


def test_unbuilt_model_warns_at_its_first_fit_only():
    model = Sequential([Dense(16, activation="relu"), Dense(1)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.compile(optimizer="adam", loss="categorical_crossentropy")    # shape unknown yet
    with pytest.warns(UserWarning) as record:
        model.fit(X, Y01.reshape(-1, 1), epochs=1, verbose=0)
    _single_warning(record, "categorical_crossentropy", "(None, 1)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, Y01.reshape(-1, 1), epochs=1, verbose=0)
        model.evaluate(X, Y01.reshape(-1, 1), verbose=0)


def test_recompiling_checks_again():
    model = _model(Dense(1))
    with pytest.warns(UserWarning):
        model.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.warns(UserWarning) as record:
        model.compile(optimizer="adam", loss="categorical_crossentropy")
    _single_warning(record)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.compile(optimizer="adam", loss="mse")


# ---- a softmax over one unit ---------------------------------------------------------------------------
@pytest.mark.parametrize("last", [lambda: [Dense(1, activation="softmax")],
                                  lambda: [Dense(1), Activation("softmax")],
                                  lambda: [Dense(1), Softmax()]],
                         ids=["dense-softmax", "activation-layer", "softmax-layer"])
@pytest.mark.parametrize("loss", ["binary_crossentropy", "mse"])
def test_softmax_over_one_unit_warns(last, loss):
    model = _model(*last())
    with pytest.warns(UserWarning) as record:
        model.compile(optimizer="adam", loss=loss)
    _single_warning(record, "softmax", "always", "1", "sigmoid", "binary_crossentropy",
                    model.layers[-1].name)


def test_softmax_on_one_unit_with_categorical_loss_is_one_warning_naming_both():
    model = _model(Dense(1, activation="softmax"))
    with pytest.warns(UserWarning) as record:
        model.compile(optimizer="adam", loss="categorical_crossentropy")
    _single_warning(record, "softmax", "categorical_crossentropy")


def test_softmax_stuck_repro_warns_at_first_fit_when_unbuilt():
    model = Sequential([Dense(16, activation="relu"), Dense(1, activation="softmax")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    with pytest.warns(UserWarning) as record:
        history = model.fit(X, Y01, epochs=3, verbose=0)
    _single_warning(record, "softmax", "sigmoid")
    assert len(set(np.round(history.history["loss"], 6))) == 1     # what the warning is about


# ---- setups that train: no warning ---------------------------------------------------------------------
@pytest.mark.parametrize("last, loss, y", [
    (lambda: Dense(1, activation="sigmoid"), "binary_crossentropy", Y01),
    (lambda: Dense(1), losses.BinaryCrossentropy(from_logits=True), Y01),
    (lambda: Dense(3, activation="softmax"), "sparse_categorical_crossentropy", Y3),
    (lambda: Dense(3, activation="softmax"), "categorical_crossentropy", np.eye(3)[Y3]),
    (lambda: Dense(1), "mse", X[:, 0]),
    (lambda: Dense(2, activation="softmax"), "binary_crossentropy", np.eye(2)[Y01]),
], ids=["sigmoid-bce", "logits-bce", "softmax3-sparse", "softmax3-onehot", "linear-mse", "softmax2-bce"])
def test_no_warning_for_setups_that_train(silent, last, loss, y):
    model = _model(last())
    model.compile(optimizer="adam", loss=loss, metrics=["acc"])
    model.fit(X, y, epochs=2, verbose=0, validation_split=0.2)
    model.evaluate(X, y, verbose=0)
    model.predict(X)


def test_softmax_in_a_hidden_layer_over_several_units_is_fine(silent):
    model = Sequential([Dense(4, activation="softmax", input_shape=(10,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, Y01, epochs=1, verbose=0)


# ---- binary cross-entropy targets ----------------------------------------------------------------------
def _binary_model(loss="binary_crossentropy", input_shape=(10,)):
    model = _model(Dense(1, activation="sigmoid"), input_shape=input_shape)
    model.compile(optimizer="adam", loss=loss, metrics=["acc"])
    return model


def test_wine_repro_raises_naming_loss_labels_and_fix():
    from sklearn.datasets import load_wine
    x, y = load_wine(return_X_y=True)                    # y in {0, 1, 2}
    model = _binary_model(input_shape=(13,))
    before = model.get_weights()
    with pytest.raises(ValueError) as info:
        model.fit(x, y, epochs=20, verbose=0)
    message = str(info.value)
    for part in ("`y`", "binary_crossentropy", "[0, 1]", "[0, 1, 2]", "Dense(3, activation='softmax')",
                 "sparse_categorical_crossentropy"):
        assert part in message, (part, message)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))   # nothing trained


@pytest.mark.parametrize("y", [np.where(Y01 == 1, 1, -1), Y01 * 255, Y01 + 0.5],
                         ids=["minus-one-one", "0-255", "shifted"])
def test_binary_targets_outside_unit_interval_raise(y):
    with pytest.raises(ValueError, match="binary_crossentropy.*outside"):
        _binary_model().fit(X, y, epochs=1, verbose=0)


def test_binary_check_covers_from_logits_subclasses_evaluate_and_train_on_batch():
    class MyBCE(losses.BinaryCrossentropy):
        pass
    bad = Y01 * 2
    for loss in (losses.BinaryCrossentropy(from_logits=True), MyBCE()):
        model = _model(Dense(1))
        model.compile(optimizer="adam", loss=loss)
        with pytest.raises(ValueError, match=r"\[2\]"):
            model.fit(X, bad, epochs=1, verbose=0)
    model = _binary_model()
    with pytest.raises(ValueError, match="binary_crossentropy"):
        model.evaluate(X, bad, verbose=0)
    with pytest.raises(ValueError, match="binary_crossentropy"):
        model.train_on_batch(X[:8], bad[:8])


@pytest.mark.parametrize("with_weights", [False, True])
def test_binary_check_covers_validation_data(with_weights):
    model = _binary_model()
    xv, yv = X[:50], Y01[:50] * 2
    val = (xv, yv, np.ones(50)) if with_weights else (xv, yv)
    with pytest.raises(ValueError, match="validation_data y.*binary_crossentropy"):
        model.fit(X, Y01, epochs=1, verbose=0, validation_data=val)


def test_soft_multilabel_and_boolean_binary_targets_are_accepted(silent):
    _binary_model().fit(X, np.clip(0.5 + 0.2 * X[:, 0], 0, 1), epochs=1, verbose=0)   # soft labels
    _binary_model().fit(X, Y01.astype(bool), epochs=1, verbose=0)
    model = _model(Dense(2, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, np.stack([Y01, 1 - Y01], axis=1), epochs=1, verbose=0)                # multi-label


def test_soft_labels_a_rounding_error_past_the_unit_interval_are_accepted(silent):
    """A binary soft label built as the sum of a probability row's entries exceeds 1 by an ulp in ~7% of
    rows (float64), float32 by a few 1e-7: such targets train, only real labels outside [0, 1] raise."""
    p = RNG.dirichlet(np.ones(3), size=len(X))
    y = p[:, 0] + p[:, 1] + p[:, 2]                      # all 1 up to rounding
    assert y.max() > 1                                    # the case this test is about
    _binary_model().fit(X, y, epochs=1, verbose=0)
    _binary_model().fit(X, np.nextafter(np.float32(1), np.float32(2)) * np.ones(len(X), np.float32), epochs=1,
                        verbose=0)
    _binary_model().fit(X, np.full(len(X), -1e-7), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"outside it: \[1.01\]"):
        _binary_model().fit(X, np.where(Y01 == 1, 1.01, 0.0), epochs=1, verbose=0)


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge"])
def test_hinge_losses_keep_accepting_minus_one_one(silent, loss):
    model = _model(Dense(1, activation="tanh"))
    model.compile(optimizer="adam", loss=loss)
    model.fit(X, np.where(Y01 == 1, 1, -1), epochs=1, verbose=0)


def test_binary_check_is_in_prepare_y_once_not_per_batch(monkeypatch):
    """The check runs once per fit in prepare_y; the training step is not touched."""
    model = _binary_model()
    with pytest.raises(ValueError, match="binary_crossentropy"):
        data_checks.prepare_y(model, Y01 * 2, len(X))
    calls, checks = [], []
    real, real_check = data_checks.prepare_y, data_checks.check_binary_targets
    monkeypatch.setattr(data_checks, "prepare_y", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(data_checks, "check_binary_targets", lambda *a, **k: checks.append(1) or real_check(*a, **k))
    model.fit(X, Y01, epochs=3, batch_size=8, verbose=0)
    assert len(calls) == 1 and len(checks) == 1           # 3 epochs of 25 batches: one check
