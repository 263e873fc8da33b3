"""label_smoothing of the cross-entropy losses, as Keras."""
import numpy as np
import pytest

import neuronet
from neuronet import losses, metrics
from neuronet.layers import Dense
from neuronet.models import Sequential, load_model


RNG = np.random.default_rng(0)


def test_binary_value_by_hand():
    """s = 0.2 moves the labels 1, 0 to 0.9, 0.1: l = -(0.9 ln 0.7 + 0.1 ln 0.3) for both elements."""
    y, p = np.array([[1.0, 0.0]]), np.array([[0.7, 0.3]])
    expected = -(0.9 * np.log(0.7) + 0.1 * np.log(0.3))                  # 0.4414048
    assert losses.BinaryCrossentropy(label_smoothing=0.2)(y, p) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.4414048, abs=1e-7)
    # the metric of the same name, which had label_smoothing already, agrees
    assert metrics.BinaryCrossentropy(label_smoothing=0.2)(y, p) == pytest.approx(expected, rel=1e-12)
    # s = 1: every target is 0.5
    half = -(0.5 * np.log(0.7) + 0.5 * np.log(0.3))
    assert losses.BinaryCrossentropy(label_smoothing=1)(y, p) == pytest.approx(half, rel=1e-12)


def test_categorical_value_by_hand():
    """Keras' documented example with s = 0.3 over K = 3 classes: one-hot rows become 0.8 / 0.1 / 0.1
    (0.7 y + 0.1); the prediction 0 is clipped to 1e-7."""
    y = np.array([[0, 1, 0], [0, 0, 1]])
    p = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    rows = [-(0.1 * np.log(0.05) + 0.8 * np.log(0.95) + 0.1 * np.log(1e-7)),   # 1.9524174
            -(0.1 * np.log(0.1) + 0.1 * np.log(0.8) + 0.8 * np.log(0.1))]      # 2.0946410
    loss = losses.CategoricalCrossentropy(label_smoothing=0.3, reduction=None)
    np.testing.assert_allclose(loss(y, p), rows, rtol=1e-9)
    np.testing.assert_allclose(rows, [1.9524174, 2.0946410], atol=1e-7)
    np.testing.assert_allclose(losses.categorical_crossentropy(y, p, label_smoothing=0.3), rows, rtol=1e-9)
    assert metrics.CategoricalCrossentropy(label_smoothing=0.3)(y, p) == pytest.approx(np.mean(rows), rel=1e-9)
    # logits form: the same targets against log_softmax(z)
    z = np.log(np.array([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1]]))
    by_hand = [-(0.1 * np.log(0.2) + 0.8 * np.log(0.5) + 0.1 * np.log(0.3)),
               -(0.1 * np.log(0.1) + 0.1 * np.log(0.8) + 0.8 * np.log(0.1))]
    np.testing.assert_allclose(losses.categorical_crossentropy(y, z, from_logits=True, label_smoothing=0.3),
                               by_hand, rtol=1e-9)


def test_binary_logits_value_by_hand():
    z = np.array([[2.0, -1.0]])
    y = np.array([[1.0, 0.0]])
    p = 1 / (1 + np.exp(-z))
    t = np.array([[0.95, 0.05]])                                          # s = 0.1
    by_hand = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)(y, z) == pytest.approx(by_hand,
                                                                                                  rel=1e-12)


def test_default_is_no_smoothing_and_targets_are_not_changed_in_place():
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    p = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    for cls in (losses.BinaryCrossentropy, losses.CategoricalCrossentropy):
        assert cls().label_smoothing == 0.0
        assert cls(label_smoothing=0)(y, p) == cls()(y, p)
        kept = y.copy()
        cls(label_smoothing=0.4).value_and_gradient(y, p)
        assert np.array_equal(y, kept)


def test_smoothed_targets_keep_float32():
    y = np.array([[1, 0, 0]], dtype=np.float32)
    p = np.array([[0.6, 0.3, 0.1]], dtype=np.float32)
    for cls in (losses.BinaryCrossentropy, losses.CategoricalCrossentropy):
        _, grad = cls(label_smoothing=0.1).value_and_gradient(y, p)
        assert grad.dtype == np.float32
        assert cls(label_smoothing=0.1, reduction=None)(y, p).dtype == np.float32


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan"), float("inf"), "0.1", None, True, [0.1]])
@pytest.mark.parametrize("cls", [losses.BinaryCrossentropy, losses.CategoricalCrossentropy])
def test_invalid_label_smoothing_is_rejected(cls, value):
    with pytest.raises(ValueError, match=r"`label_smoothing`.*\[0, 1\].*Received: label_smoothing="):
        cls(label_smoothing=value)


def test_invalid_label_smoothing_in_the_functions():
    with pytest.raises(ValueError, match="label_smoothing=2"):
        losses.binary_crossentropy([[1.0]], [[0.5]], label_smoothing=2)
    with pytest.raises(ValueError, match="label_smoothing=-1"):
        losses.categorical_crossentropy([[1.0, 0.0]], [[0.5, 0.5]], label_smoothing=-1)


def test_sparse_categorical_has_no_label_smoothing_as_keras_3():
    with pytest.raises(TypeError):
        losses.SparseCategoricalCrossentropy(label_smoothing=0.1)
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    assert "label_smoothing" not in loss.get_config() and loss.from_logits
    assert "ignore_class" not in loss.get_config()


@pytest.mark.parametrize("cls", [losses.BinaryCrossentropy, losses.CategoricalCrossentropy])
def test_config_round_trip(cls):
    loss = cls(from_logits=True, label_smoothing=0.25, reduction="sum", name="smooth")
    cfg = loss.get_config()
    assert cfg == {"name": "smooth", "reduction": "sum", "from_logits": True, "label_smoothing": 0.25}
    again = cls.from_config(cfg)
    assert again.get_config() == cfg
    assert losses.get(losses.serialize(loss)).get_config() == cfg
    assert "label_smoothing=0.25" in repr(loss)
    # a config saved before label_smoothing existed loads with none
    assert cls.from_config({"name": "old", "reduction": "sum_over_batch_size", "from_logits": False}) \
        .label_smoothing == 0.0


@pytest.mark.parametrize("loss, units, labels", [
    (lambda: losses.BinaryCrossentropy(label_smoothing=0.1), 1, lambda y: y),
    (lambda: losses.CategoricalCrossentropy(label_smoothing=0.1), 3, lambda y: np.eye(3)[y]),
], ids=["binary", "categorical"])
def test_model_trained_with_label_smoothing_saves_and_loads(tmp_path, loss, units, labels):
    x = RNG.normal(size=(64, 4)).astype(np.float32)
    y = labels((x[:, 0] > 0).astype(int) + (units == 3) * (x[:, 1] > 0).astype(int))
    activation = "sigmoid" if units == 1 else "softmax"
    model = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss())
    assert model.fused_loss                                      # the fused p - y' path trains it
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, seed=0)
    # the reported loss is the smoothed one: evaluate equals the loss object on the predictions
    assert model.evaluate(x, y, verbose=0) == pytest.approx(model.loss(y, model.predict(x, verbose=0)), rel=1e-5)
    model.save(tmp_path / "smooth.neuronet")
    loaded = load_model(tmp_path / "smooth.neuronet")
    assert loaded.loss.label_smoothing == pytest.approx(0.1)
    assert loaded.loss.get_config() == model.loss.get_config()
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)
    # smoothing changed the training: the same fit without it gives another history
    plain = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(units, activation=activation)])
    plain.compile(optimizer="adam", loss=type(model.loss)())
    assert plain.fit(x, y, epochs=3, batch_size=16, verbose=0, seed=0).history["loss"] != history.history["loss"]


def test_binary_target_check_sees_the_raw_targets():
    """1.2 smoothed with s = 0.5 would be 0.85, inside [0, 1]: fit still refuses the raw target."""
    x = RNG.normal(size=(32, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float64)
    y[0] = 1.2
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(4,))])
    model.compile(optimizer="sgd", loss=losses.BinaryCrossentropy(label_smoothing=0.5))
    with pytest.raises(ValueError, match=r"\[0, 1\].*1\.2"):
        model.fit(x, y, epochs=1, verbose=0)
    y[0] = 1.0
    model.fit(x, y, epochs=1, verbose=0)


@pytest.mark.parametrize("name", losses.functions.FUNCTIONS)
def test_functions_return_floatx_for_integer_inputs(name):
    fn = getattr(losses, name)
    y = np.array([[1, 0, 0], [0, 1, 0]])
    labels = np.array([0, 1])
    y_true = labels if "sparse" in name else y
    assert fn(y_true, y).dtype == np.float32                    # integer y_pred: floatx
    assert fn(y_true, y.astype(bool)).dtype == np.float32
    assert fn(y_true, y.astype(np.float64)).dtype == np.float64  # float y_pred keeps its dtype
    assert fn(y_true, y.astype(np.float32)).dtype == np.float32
    neuronet.config.set_floatx("float64")
    try:
        assert fn(y_true, y).dtype == np.float64
    finally:
        neuronet.config.set_floatx("float32")
