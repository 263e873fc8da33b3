"""Sequential's Keras API: compile, build, layers, weights, shapes, batch-level calls."""
import numpy as np
import pytest

from neuronet.exceptions import NotFittedError
from neuronet.layers import Dense, Input
from neuronet.models import Sequential
from neuronet.layers import Dense
from neuronet.layers.normalization import BatchNormalization
from neuronet.optimizers import RMSprop


def cancer_model():
    return Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(32, activation="relu"),
                       Dense(1, activation="sigmoid")])


def test_use_before_compile_and_predict_with_wrong_features():
    model = cancer_model()
    with pytest.raises(NotFittedError, match="compile"):
        model.fit(np.zeros((4, 30)), np.zeros(4))
    for use in (model.evaluate, model.train_on_batch, model.test_on_batch):     # as README.md says
        with pytest.raises(NotFittedError, match="You must compile your model before"):
            use(np.zeros((4, 30)), np.zeros(4))
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    with pytest.raises(ValueError, match="features per sample"):
        model.predict(np.zeros((4, 12)))
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 'adamm'. Did you mean 'adam'"):
        model.compile(optimizer="adamm", loss="mse")


def test_input_layer_and_set_weights():
    model = Sequential([Input(shape=(3,)), Dense(2)])
    assert [l.name for l in model.layers] == ["dense"]
    weights = [np.ones((3, 2)), np.zeros(2)]
    model.set_weights(weights)
    assert np.array_equal(model.predict(np.ones((1, 3))), [[3.0, 3.0]])
    with pytest.raises(ValueError, match="shape"):
        model.set_weights([np.ones((2, 2)), np.zeros(2)])


def test_train_test_predict_on_batch_and_get_layer_as_keras():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(24, 4)).astype("float32")
    y = (x[:, 0] - x[:, 1] > 0).astype("float32")
    model = Sequential([Dense(8, activation="relu", input_shape=(4,), name="hidden"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    before_loss, before_acc = model.evaluate(x, y, verbose=0)
    weights = model.get_weights()
    loss, acc = model.train_on_batch(x, y)
    assert loss == pytest.approx(before_loss, rel=1e-5) and acc == before_acc     # values before the step
    assert not np.array_equal(weights[0], model.get_weights()[0])                  # one step was taken
    assert model.test_on_batch(x, y) == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-6)
    assert model.train_on_batch(x, y, return_dict=True).keys() == {"loss", "acc"}
    np.testing.assert_array_equal(model.predict_on_batch(x), model.predict(x))
    weighted = model.train_on_batch(x, y, sample_weight=np.r_[np.ones(12), np.zeros(12)])
    assert np.isfinite(weighted[0])
    assert model.get_layer("hidden") is model.layers[0] and model.get_layer(index=-1) is model.layers[1]
    with pytest.raises(ValueError, match="No such layer: 'nope'"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="either a layer name or a layer index"):
        model.get_layer()


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


def test_freezing_a_layer_then_recompiling_stops_its_updates():
    """Keras: set layer.trainable, then compile() again for it to take effect: a layer frozen after
    training stops changing, and one unfrozen again trains again."""
    import numpy as np

    from neuronet.layers import Dense
    from neuronet.models import Sequential

    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ rng.normal(size=(3, 1))).astype("float32")
    model = Sequential([Dense(4, activation="tanh", input_shape=(3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    first, second = model.layers
    first.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    frozen, head = first.get_weights(), second.get_weights()
    model.fit(x, y, epochs=2, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(first.get_weights(), frozen))
    assert not np.array_equal(second.get_weights()[0], head[0])
    first.trainable = True
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    assert not np.array_equal(first.get_weights()[0], frozen[0])


RNG0 = np.random.default_rng(0)


X13 = RNG0.normal(size=(120, 13)).astype("float32")


Y13 = (X13[:, :3].sum(axis=1) * 2 + 20).astype("float32")


def test_compile_default_optimizer_is_rmsprop_with_keras_defaults():
    model = Sequential([Dense(1, input_shape=(13,))])
    model.compile(loss="mse")
    assert type(model.optimizer) is RMSprop
    assert model.optimizer.learning_rate == 0.001 and model.optimizer.rho == 0.9
    history = model.fit(X13, Y13, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.compile(optimizer="rmsprop", loss="mse")
    assert type(model.optimizer) is RMSprop


def test_a_built_model_as_first_layer_builds_the_sequential_at_once_as_keras():
    import neuronet
    from neuronet.models import Model
    base = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(4)])
    stacked = Sequential([base, Dense(1)])
    assert stacked.built and stacked.input_shape == (None, 4) and stacked.output_shape == (None, 1)
    assert stacked.count_params() == base.count_params() + 4 + 1
    x = np.random.default_rng(0).random((6, 4)).astype(np.float32)
    top = stacked.layers[-1].get_weights()
    np.testing.assert_allclose(stacked.predict(x), base.predict(x) @ top[0] + top[1], rtol=1e-6)
    inp = neuronet.Input(shape=(5,))
    functional = Model(inp, Dense(3)(inp))
    assert Sequential([functional, Dense(2)]).input_shape == (None, 5)
    assert not Sequential([Sequential([Dense(3)]), Dense(1)]).built      # no input shape known yet
