"""Keras spellings that learners paste: keras.datasets.mnist/fashion_mnist.load_data (from files on disk),
keras.utils.to_categorical, and `import neuronet as keras` reaching datasets lazily."""
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import neuronet
from neuronet.datasets import fashion_mnist, mnist
from neuronet.utils import to_categorical
from idx_files import idx_bytes as _idx_bytes


def _keras_npz(path, n_train=5, n_test=3):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 255, (n_train, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
              "x_test": rng.integers(0, 255, (n_test, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, n_test, dtype=np.uint8)}
    np.savez(path, **arrays)
    return arrays


def test_mnist_load_data_reads_keras_npz_given_as_path(tmp_path):
    arrays = _keras_npz(tmp_path / "mnist.npz")
    (x_train, y_train), (x_test, y_test) = mnist.load_data(tmp_path / "mnist.npz")
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert x_train.dtype == np.uint8 and x_test.shape == (3, 28, 28) and y_train.shape == (5,)


def test_mnist_load_data_default_reads_keras_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".keras" / "datasets").mkdir(parents=True)
    arrays = _keras_npz(tmp_path / ".keras" / "datasets" / "mnist.npz", n_train=4)
    (x_train, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])


def test_fashion_mnist_load_data_reads_idx_folder_in_keras_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / ".keras" / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    labels = np.array([9, 0, 3], dtype=np.uint8)
    for name, arr in {"train-images-idx3-ubyte": np.zeros((3, 28, 28), np.uint8),
                      "train-labels-idx1-ubyte": labels,
                      "t10k-images-idx3-ubyte": np.ones((1, 28, 28), np.uint8),
                      "t10k-labels-idx1-ubyte": labels[:1]}.items():
        (folder / name).write_bytes(_idx_bytes(arr, 0x08))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(y_train, labels)
    assert x_test.shape == (1, 28, 28) and int(x_test.sum()) == 28 * 28


def test_load_data_without_files_says_nothing_is_downloaded_and_where_to_put_them(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_data()
    message = str(info.value)
    assert "downloads nothing" in message and "mnist.npz" in message and "load_digits" in message
    assert str(tmp_path / ".keras" / "datasets" / "mnist.npz") in message
    with pytest.raises(FileNotFoundError, match="fashion-mnist"):
        fashion_mnist.load_data()


def test_load_data_refuses_pickled_and_incomplete_npz(tmp_path):
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.savez(tmp_path / "pickled.npz", x_train=np.array([{"a": 1}], dtype=object), y_train=np.zeros(1),
             x_test=np.zeros(1), y_test=np.zeros(1))
    with pytest.raises(ValueError, match="pickle"):
        mnist.load_data(tmp_path / "pickled.npz")
    np.savez(tmp_path / "partial.npz", x_train=np.zeros(1))
    with pytest.raises(ValueError, match=r"y_train"):
        mnist.load_data(tmp_path / "partial.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="not a readable .npz"):
        mnist.load_data(tmp_path / "junk.npz")


def test_import_neuronet_as_keras_reaches_datasets_without_importing_sklearn_up_front():
    code = ("import sys, neuronet as keras; before = 'sklearn' in sys.modules; "
            "keras.datasets.load_iris; print(before, 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]
    with pytest.raises(AttributeError, match="no attribute 'datasetz'"):
        neuronet.datasetz  # noqa: B018


def test_to_categorical_matches_keras():
    out = to_categorical([0, 1, 2, 3], num_classes=4)
    np.testing.assert_array_equal(out, np.eye(4))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(to_categorical(np.array([[2], [0]])), [[0, 0, 1], [1, 0, 0]])
    assert to_categorical([1, 0], num_classes=3, dtype="float64").dtype == np.float64
    assert to_categorical(np.array([[1, 0], [2, 2]])).shape == (2, 2, 3)
    np.testing.assert_array_equal(to_categorical(np.array([1.0, 0.0])), [[0, 1], [1, 0]])
    assert neuronet.utils.to_categorical is to_categorical


@pytest.mark.parametrize("y, kwargs, match", [
    (["cat", "dog"], {}, "LabelEncoder"),
    ([0.5, 1.0], {}, "non-integer"),
    ([-1, 0], {}, ">= 0"),
    ([0, 3], {"num_classes": 2}, "num_classes >= 4"),
    ([0, 1], {"num_classes": 0}, "positive integer"),
])
def test_to_categorical_rejects_bad_labels_with_a_clear_message(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        to_categorical(y, **kwargs)


@pytest.fixture(scope="module")
def npz_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("npz") / "mnist.npz"
    _keras_npz(path, n_train=2, n_test=1)
    return path.read_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_load_data_on_damaged_npz_returns_arrays_or_raises_value_error(npz_bytes, tmp_path, data):
    raw = bytearray(npz_bytes)
    cut = data.draw(st.integers(4, len(raw)), label="truncate at")
    raw = raw[:cut]
    for _ in range(data.draw(st.integers(0, 6), label="flips")):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.npz"
    path.write_bytes(bytes(raw))
    try:
        (x_train, _), _ = mnist.load_data(path)
    except ValueError as error:
        assert str(path) in str(error)
    else:
        assert isinstance(x_train, np.ndarray)


def test_model_input_and_output_shape_carry_keras_batch_axis():
    from neuronet.exceptions import NotFittedError
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(4, input_shape=(3,)), Dense(2)])
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    assert model.layers[1].output_shape == (2,)          # a layer's own shapes stay per sample
    lazy = Sequential([Dense(2)])
    assert not hasattr(lazy, "input_shape")
    with pytest.raises(NotFittedError, match="input_shape"):
        lazy.input_shape  # noqa: B018
    lazy.build((None, 5))
    assert lazy.input_shape == (None, 5) and lazy.output_shape == (None, 2)
    assert lazy.predict(np.ones((4, 5), "float32"), verbose=0).shape == (4, 2)


def test_keras_2_import_paths_of_the_notes_era():
    from neuronet.layers.core import Activation, Dense, Dropout, Flatten
    from neuronet.sklearn import KerasClassifier as Wrapped
    from neuronet.utils.np_utils import to_categorical as old_to_categorical
    from neuronet.wrappers.scikit_learn import KerasClassifier, KerasRegressor
    import neuronet.layers as layers
    assert (Dense, Dropout, Activation, Flatten) == (layers.Dense, layers.Dropout, layers.Activation,
                                                     layers.Flatten)
    assert KerasClassifier is Wrapped and KerasRegressor.__name__ == "KerasRegressor"
    assert old_to_categorical is to_categorical


def test_keras_2_decay_argument_points_at_the_equivalent_schedule():
    from neuronet.optimizers import SGD
    from neuronet.optimizers.schedules import InverseTimeDecay
    with pytest.raises(TypeError) as info:
        SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
    message = str(info.value)
    assert "InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-06)" in message and "decay=1e-06" in message
    schedule = InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)   # what the message proposes
    opt = SGD(learning_rate=schedule, momentum=0.9, nesterov=True)
    w, g = np.array([1.0]), np.array([1.0])
    for _ in range(3):
        opt.apply([w], [g])
    assert opt.learning_rate == pytest.approx(0.01 / (1 + 1e-6 * 3))   # Keras 2: lr / (1 + decay * t)


def test_keras_2_default_decay_of_zero_is_accepted_as_no_decay():
    """Keras 2's documented signature, Adam(lr=0.001, ..., decay=0.0, amsgrad=False), is pasted whole; a
    decay of 0 (or None) changes no rate, so it is accepted (Keras 3 accepts it too)."""
    from neuronet.optimizers import SGD, Adam, RMSprop
    adam = Adam(lr=0.001, beta_1=0.9, beta_2=0.999, decay=0.0, amsgrad=False)
    assert adam.learning_rate == pytest.approx(0.001)
    assert SGD(lr=0.01, momentum=0.0, decay=0, nesterov=False).learning_rate == pytest.approx(0.01)
    assert RMSprop(learning_rate=0.01, decay=None).get_config() == RMSprop(learning_rate=0.01).get_config()
    assert SGD(decay=np.float32(0.0)).get_config() == SGD().get_config()
    with pytest.raises(TypeError, match="decay=0.5"):
        Adam(decay=0.5)


def test_keras_2_default_epsilon_none_is_keras_epsilon():
    """Keras 2 documented Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False):
    epsilon=None meant the backend's 1e-7 (Keras 3's default); every optimizer with an epsilon takes it."""
    from neuronet import optimizers
    adam = optimizers.Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False)
    assert adam.get_config() == optimizers.Adam().get_config()
    for cls in (optimizers.RMSprop, optimizers.Adagrad, optimizers.Adadelta, optimizers.Adamax, optimizers.Nadam):
        assert cls(epsilon=None).epsilon == 1e-7 == cls().epsilon, cls
    with pytest.raises(ValueError, match="Received: epsilon=-1"):
        optimizers.Adam(epsilon=-1)


def test_model_weights_and_layer_kernel_bias_are_the_live_arrays():
    from neuronet.layers import BatchNormalization, Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(), Dense(1, use_bias=False)])
    dense, norm, last = model.layers
    assert [w.shape for w in model.weights] == [(3, 4), (4,), (4,), (4,), (4,), (4,), (4, 1)]
    assert dense.kernel is dense.params["kernel"] and dense.bias is dense.params["bias"]
    assert norm.gamma.shape == (4,) and norm.moving_variance is norm.states["moving_variance"]
    dense.kernel[...] = 0.0                                   # in place: the model changes
    dense.bias[...] = 1.0
    np.testing.assert_array_equal(model.get_weights()[0], np.zeros((3, 4)))
    assert last.bias is None                                  # Keras: None without use_bias
    with pytest.raises(AttributeError, match="'Dense' object has no attribute 'kernal'"):
        dense.kernal  # noqa: B018
    with pytest.raises(AttributeError):
        Sequential([Dense(2)]).weights  # noqa: B018


def test_weight_attributes_follow_keras_unbuilt_absent_assigned_and_copied():
    """Keras 3: an unbuilt layer's kernel is an AttributeError saying to build it; a weight the configuration
    does not create is None (use_bias=False, center=False); assigning layer.kernel cannot silently leave
    the model training its own array; copies and pickles read their own arrays."""
    import copy
    import pickle
    from neuronet.layers import BatchNormalization, Dense, PReLU
    from neuronet.models import Sequential
    lazy = Dense(3)
    assert not hasattr(lazy, "kernel")
    with pytest.raises(AttributeError, match=r"'dense' is not built yet, so it has no `kernel`.*build"):
        lazy.kernel  # noqa: B018
    norm = BatchNormalization(center=False, scale=False)
    prelu = PReLU()
    model = Sequential([Dense(2, input_shape=(3,)), norm, prelu])
    assert norm.beta is None and norm.gamma is None and norm.moving_mean is norm.states["moving_mean"]
    assert prelu.alpha is prelu.params["alpha"]
    dense = model.layers[0]
    x = np.ones((2, 3), "float32")
    before = model.predict(x, verbose=0)
    with pytest.raises(AttributeError, match=r"Cannot assign `kernel`.*shape \(3, 2\).*layer.kernel\[...\] ="):
        dense.kernel = np.zeros((3, 2))
    assert dense.kernel is dense.params["kernel"] and not np.all(dense.kernel == 0)
    np.testing.assert_array_equal(model.predict(x, verbose=0), before)
    for twin in (copy.deepcopy(dense), pickle.loads(pickle.dumps(dense))):
        assert twin.kernel is twin.params["kernel"] and twin.kernel is not dense.kernel
        np.testing.assert_array_equal(twin.kernel, dense.kernel)
        assert twin.bias is twin.params["bias"]


def test_a_missing_history_key_lists_the_keys_and_points_at_accuracy():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(np.ones((8, 2), "float32"), np.ones(8), epochs=2, verbose=0)
    with pytest.raises(KeyError, match=r"holds \['accuracy', 'loss'\].*'accuracy'.*metrics=\['acc'\]"):
        history.history["acc"]
    with pytest.raises(KeyError, match="validation_split"):
        history.history["val_loss"]
    assert history.history.get("acc") is None and len(history.history["loss"]) == 2
    assert dict(history.history) == history.history and "acc" not in history.history


def test_wrong_feature_count_message_shows_keras_input_shape_and_the_fix():
    """The model's input_shape is Keras' (None, 4) now; the message must not call (4,) its input_shape."""
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(1, input_shape=(4,))])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError) as err:
        model.fit(np.ones((3, 5)), np.ones(3), verbose=0)
    text = str(err.value)
    assert "(5,) features per sample" in text and "model.input_shape=(None, 4)" in text
    assert "(n_samples, 4)" in text and "input_shape=(5,)" in text


def test_model_pickled_before_input_shape_became_a_property_still_loads():
    """Until 6163b2a, Sequential kept one sample's shape in the attribute `input_shape`; such a pickle
    (its __dict__ has 'input_shape', not 'sample_shape') must still predict and report (None, 3)."""
    import pickle
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(2, input_shape=(3,))])
    x = np.ones((4, 3), "float32")
    expected = model.predict(x, verbose=0)
    reduce = model.__reduce_ex__(2)
    state = dict(reduce[2])
    state["input_shape"] = state.pop("sample_shape")          # the old attribute name
    old = pickle.loads(pickle.dumps((reduce[0], reduce[1], state)))
    restored = old[0](*old[1])
    restored.__setstate__(old[2])
    assert restored.input_shape == (None, 3) and restored.sample_shape == (3,)
    np.testing.assert_allclose(restored.predict(x, verbose=0), expected)


def test_npz_with_mismatched_images_and_labels_is_refused(tmp_path):
    np.savez(tmp_path / "bad.npz", x_train=np.zeros((3, 28, 28), np.uint8), y_train=np.zeros(2, np.uint8),
             x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(ValueError, match=r"train images and labels disagree: 3 images \(x_train\), 2 labels"):
        mnist.load_data(tmp_path / "bad.npz")


def test_npz_with_a_scalar_array_is_refused_as_a_value_error(tmp_path):
    np.savez(tmp_path / "scalar.npz", x_train=np.array(3, np.uint8), y_train=np.zeros(2, np.uint8),
             x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(ValueError, match=r"x_train and y_train must be arrays.*shapes \(\) and \(2,\)"):
        mnist.load_data(tmp_path / "scalar.npz")


def test_to_categorical_takes_keras_3_keyword():
    np.testing.assert_array_equal(to_categorical(x=[1, 0], num_classes=2), [[0, 1], [1, 0]])


def test_to_categorical_still_takes_keras_2_keyword_y():
    """Keras 2-era code writes np_utils.to_categorical(y=y_train, num_classes=10); 306caa7's rename of the
    first argument to Keras 3's x made that a TypeError."""
    from neuronet.utils.np_utils import to_categorical as old_to_categorical
    np.testing.assert_array_equal(old_to_categorical(y=[1, 0], num_classes=2), [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"`y` holds the label 2, which needs num_classes >= 3"):
        to_categorical(y=[2, 0], num_classes=2)
    with pytest.raises(TypeError, match="twice"):
        to_categorical([1], y=[1])
    with pytest.raises(TypeError, match="Received: x=None"):
        to_categorical()


def test_popping_the_last_layer_unbuilds_the_model():
    from neuronet.exceptions import NotFittedError
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(2, input_shape=(3,))])
    model.pop()
    assert not model.built
    with pytest.raises(NotFittedError):
        model.output_shape  # noqa: B018
    model.add(Dense(4, input_shape=(5,)))
    assert model.built and model.output_shape == (None, 4)
