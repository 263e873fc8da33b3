"""The loss functions (keras.losses.mean_squared_error, ...): values, signatures, use in compile."""
import numpy as np
import pytest

from neuronet import losses
from neuronet.losses import LOSSES


# ---- Keras' function spellings: one loss per sample ---------------------------------------------------
FUNCTIONS = losses.functions.FUNCTIONS


def _inputs(name, shape, dtype=np.float64):
    """(y_true, y_pred) of ``shape`` (..., K) fitting the loss ``name``: one-hot / probability rows for the
    cross-entropies and KL, integer labels for the sparse one, 0/1 labels for the hinges."""
    rng = np.random.default_rng(1)
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    probs = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]).astype(dtype)
    if name == "sparse_categorical_crossentropy":
        return labels, probs
    if "crossentropy" in name or name in ("kl_divergence", "kld", "kullback_leibler_divergence",
                                         "categorical_hinge", "poisson"):
        return np.eye(shape[-1], dtype=dtype)[labels], probs
    if "hinge" in name:
        return rng.integers(0, 2, size=shape).astype(dtype), rng.normal(size=shape).astype(dtype)
    return rng.uniform(0.5, 2.0, size=shape).astype(dtype), rng.uniform(0.1, 3.0, size=shape).astype(dtype)


def test_the_notes_per_row_cross_entropy_table():
    """The notes' table of -ln p(true class), one row per sample, as keras.losses.categorical_crossentropy."""
    import neuronet as keras
    y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    p = [[.6, .2, .2], [.3, .4, .3], [.2, .3, .5]]
    per_row = keras.losses.categorical_crossentropy(y, p)
    np.testing.assert_allclose(per_row, [0.5108, 0.9163, 0.6931], atol=5e-5)
    np.testing.assert_allclose(per_row, -np.log([0.6, 0.4, 0.5]), rtol=1e-12)
    assert keras.losses.CategoricalCrossentropy()(y, p) == pytest.approx(0.7068, abs=5e-5)   # the class: the mean
    np.testing.assert_allclose(keras.losses.sparse_categorical_crossentropy([0, 1, 2], p), per_row, rtol=1e-12)
    one = keras.losses.categorical_crossentropy([1, 0, 0], [.6, .2, .2])      # a 1-D y_pred is one sample
    assert isinstance(one, np.ndarray) and one.shape == () and float(one) == pytest.approx(0.5108256)


def test_functions_match_keras_documented_examples():
    f32 = np.float32
    np.testing.assert_allclose(losses.categorical_crossentropy([[0, 1, 0], [0, 0, 1]],
                                                               f32([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])),
                               [0.0513, 2.303], atol=5e-4)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy([1, 2], f32([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])),
                               [0.0513, 2.303], atol=5e-4)
    np.testing.assert_allclose(losses.binary_crossentropy([[0, 1], [0, 0]], f32([[0.6, 0.4], [0.4, 0.6]])),
                               [0.916, 0.714], atol=5e-4)
    assert np.mean(losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])) == pytest.approx(0.155)
    z = np.log(np.array([[0.05, 0.95, 1e-30], [0.1, 0.8, 0.1]]))
    np.testing.assert_allclose(losses.categorical_crossentropy([[0, 1, 0], [0, 0, 1]], z, from_logits=True),
                               -np.log([0.95, 0.1]), rtol=1e-9)


def test_functions_have_keras_signatures():
    import inspect
    expected = {"categorical_crossentropy": ["y_true", "y_pred", "from_logits", "label_smoothing"],
                "binary_crossentropy": ["y_true", "y_pred", "from_logits", "label_smoothing"],
                "sparse_categorical_crossentropy": ["y_true", "y_pred", "from_logits"],
                "huber": ["y_true", "y_pred", "delta"], "huber_loss": ["y_true", "y_pred", "delta"],
                "cosine_similarity": ["y_true", "y_pred", "axis"]}
    for name in FUNCTIONS:
        params = list(inspect.signature(getattr(losses, name)).parameters)
        assert params == expected.get(name, ["y_true", "y_pred"]), name
        assert getattr(losses, name).__name__ == name and name in LOSSES


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_functions_give_one_loss_per_sample_whose_mean_is_the_class_value(name, dtype):
    fn, loss = getattr(losses, name), losses.get(name)
    for shape in ((6, 4), (2, 3, 4)):
        y, p = _inputs(name, shape, dtype)
        values = fn(y, p)
        assert isinstance(values, np.ndarray) and values.shape == shape[:-1] and values.dtype == dtype, shape
        assert np.mean(values, dtype=np.float64) == pytest.approx(loss(y, p), rel=1e-5 if dtype == np.float32
                                                                  else 1e-12)
        np.testing.assert_array_equal(values, type(loss)(reduction=None)(y, p))
    one = fn(y[0, 0], p[0, 0])                           # a 1-D y_pred: one sample, a 0-d value
    assert one.shape == () and float(one) == pytest.approx(float(values[0, 0]), rel=1e-6)


def _fit_history(loss, metrics=None, seed=0, out="sigmoid", y=None):
    import neuronet
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    neuronet.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 3)).astype("float32")
    width = 1 if y is None else 3                  # 3 classes: one-hot rows or integer labels
    y = (x[:, :1] > 0).astype("float32") if y is None else y
    model = Sequential([Dense(4, activation="tanh", input_shape=(3,), kernel_initializer="glorot_uniform"),
                        Dense(width, activation=out)])
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, seed=seed)
    return history.history, model, x, y


@pytest.mark.parametrize("name, out, labels", [
    ("binary_crossentropy", "sigmoid", None), ("mse", None, None), ("mean_squared_error", None, None),
    ("huber", None, None), ("hinge", "tanh", None),
    ("categorical_crossentropy", "softmax", "onehot"), ("sparse_categorical_crossentropy", "softmax", "sparse"),
    ("kld", "softmax", "onehot")])
def test_compile_with_the_function_trains_exactly_as_the_string(name, out, labels):
    """compile(loss=losses.<function>) resolves to the class of its name: the same History, bit for bit."""
    classes = np.random.default_rng(5).integers(0, 3, size=64)
    y = None if labels is None else classes if labels == "sparse" else np.eye(3, dtype="float32")[classes]
    by_name, model, _, _ = _fit_history(name, ["acc"], out=out, y=y)
    by_function, model_f, _, _ = _fit_history(getattr(losses, name), ["acc"], out=out, y=y)
    assert by_name.keys() == by_function.keys()
    for key in by_name:
        np.testing.assert_array_equal(by_function[key], by_name[key], err_msg=key)
    assert type(model_f.loss) is type(losses.get(name))
    for a, b in zip(model.get_weights(), model_f.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_compiled_with_loss_functions_saves_and_loads(tmp_path):
    from neuronet import metrics
    from neuronet.models import load_model
    history, model, x, y = _fit_history(losses.binary_crossentropy,
                                        [metrics.binary_accuracy, metrics.mean_squared_error, metrics.huber])
    assert {"loss", "binary_accuracy", "mean_squared_error", "huber", "val_binary_accuracy"} <= history.keys()
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras")
    assert type(again.loss) is losses.BinaryCrossentropy
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    after = again.evaluate(x, y, verbose=0, return_dict=True)
    assert before.keys() == after.keys() and all(after[k] == pytest.approx(before[k]) for k in before)
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
    assert before["huber"] == pytest.approx(np.mean(losses.huber(y, model.predict(x, verbose=0))), rel=1e-5)


def test_your_own_function_named_like_a_neuronet_loss_is_not_replaced_by_it():
    from neuronet import losses

    def binary_crossentropy(y_true, y_pred):      # a user's function: neuronet cannot know its gradient
        return 0.0

    with pytest.raises(ValueError, match=r"'binary_crossentropy' \(.*test_functions\) has no gradient"):
        losses.get(binary_crossentropy)
    assert type(losses.get(losses.binary_crossentropy)).__name__ == "BinaryCrossentropy"
