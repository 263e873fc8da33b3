"""Graphs of layers: Input, Model(inputs, outputs), shared layers, fan-out, several inputs, nested and
subclassed models; their gradients against central differences in float64, and the errors of bad graphs."""
import numpy as np
import pytest

import neuronet
from gradcheck import numeric_gradient
from neuronet.layers import Add, Concatenate, Dense, Dropout, Input, Multiply, Softmax
from neuronet.models import Model, Sequential

RNG = np.random.default_rng(7)


def _check_model_gradients(model, x, rtol=1e-5, atol=1e-7):
    """L = sum(model.forward(x) * R): the parameter gradients (model.parameters.grads) and dL/dx from
    model.backward against central differences on every weight and every input value."""
    params = model.parameters
    out = model.forward(x, training=True)
    upstream = RNG.normal(size=np.shape(out))
    inputs = x.arrays if hasattr(x, "arrays") else [x]

    def objective():
        return float(np.sum(model.forward(x, training=True) * upstream))

    model.forward(x, training=True)
    dx = model.backward(upstream)
    np.testing.assert_allclose(params.grads, numeric_gradient(objective, params.values), rtol=rtol, atol=atol)
    for xi, gi in zip(inputs, dx if isinstance(dx, list) else [dx]):
        np.testing.assert_allclose(gi, numeric_gradient(objective, xi), rtol=rtol, atol=atol)


def _multi(*arrays):
    from neuronet.models.multi_array import MultiArray
    return MultiArray(list(arrays))


def test_fan_out_sums_the_gradients_of_both_paths(float64):
    a = Input(shape=(4,))
    h = Dense(5, activation="tanh")(a)
    model = Model(a, Dense(2)(Add()([Dense(5, activation="sigmoid")(h), Dense(5)(h)])))
    for layer in model.layers:
        layer.needs_input_grad = True
    _check_model_gradients(model, RNG.normal(size=(6, 4)))


def test_a_shared_layer_adds_up_its_weight_gradients_over_its_calls(float64):
    a, b = Input(shape=(3,)), Input(shape=(3,))
    shared = Dense(4, activation="tanh")
    model = Model([a, b], Dense(1)(Concatenate()([shared(a), shared(b), shared(a)])))
    assert model.layers.count(shared) == 1 and model.count_params() == 4 * 4 + 12 + 1
    shared.needs_input_grad = True
    _check_model_gradients(model, _multi(RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))))


def test_several_inputs_and_a_multiply(float64):
    a, b = Input(shape=(3,), name="left"), Input(shape=(2,), name="right")
    model = Model([a, b], Dense(2)(Multiply()([Dense(4, activation="relu")(a), Dense(4, activation="elu")(b)])))
    for layer in model.layers:
        layer.needs_input_grad = True
    _check_model_gradients(model, _multi(RNG.normal(size=(6, 3)), RNG.normal(size=(6, 2))))


def test_a_nested_sequential_inside_a_graph(float64):
    inner = Sequential([Dense(5, activation="tanh", input_shape=(3,)), Dense(4)])
    a = Input(shape=(3,))
    model = Model(a, Dense(2)(Add()([inner(a), Dense(4)(a)])))
    assert model.count_params() == inner.count_params() + 16 + 10
    for layer in [*model.layers, inner.layers[0]]:      # dL/dx too: the first layers skip it in training
        layer.needs_input_grad = True
    _check_model_gradients(model, RNG.normal(size=(5, 3)))


class _Residual(Model):
    def __init__(self):
        super().__init__()
        self.hidden = Dense(4, activation="tanh")
        self.skip = Dense(4)
        self.out = Dense(2)

    def call(self, x, training=False):
        return self.out(Add()([self.hidden(x), self.skip(x)]))


def test_a_subclassed_model_trains_through_its_recorded_calls(float64):
    model = _Residual()
    model.build((3,))
    assert [l.name for l in model.layers] == [model.hidden.name, model.skip.name, model.out.name]
    _check_model_gradients(model, RNG.normal(size=(5, 3)))


def test_the_functional_form_of_w1_trains_bit_identically_to_sequential():
    x = RNG.normal(size=(120, 30)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    inputs = Input(shape=(30,))
    h = Dense(32, activation="relu")(Dense(64, activation="relu")(inputs))
    graph = Model(inputs, Dense(1, activation="sigmoid")(h))
    chain = Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(32, activation="relu"),
                        Dense(1, activation="sigmoid")])
    chain.set_weights(graph.get_weights())
    histories = []
    for model in (graph, chain):
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
        histories.append(model.fit(x, y, batch_size=16, epochs=3, validation_split=0.2, verbose=0, seed=3).history)
    assert histories[0] == histories[1] and graph.fused_loss
    np.testing.assert_array_equal(graph.predict(x), chain.predict(x))


def test_a_model_is_a_layer_of_a_sequential_and_can_be_frozen():
    base = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(3)], name="base")
    model = Sequential([base, Softmax()])
    x, y = RNG.normal(size=(40, 4)), RNG.integers(0, 3, 40)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    before = base.get_weights()
    model.fit(x, y, epochs=2, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
    base.trainable = False
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")    # applied at compile, as Keras
    frozen = base.get_weights()
    model.fit(x, y, epochs=2, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(frozen, base.get_weights()))


def test_several_inputs_fit_evaluate_predict_from_lists_and_dicts():
    a, b = Input(shape=(3,), name="wide"), Input(shape=(2,), name="deep")
    model = Model([a, b], Dense(1)(Concatenate()([a, Dense(4, activation="relu")(b)])))
    model.compile(optimizer="adam", loss="mse")
    xa, xb = RNG.normal(size=(50, 3)), RNG.normal(size=(50, 2))
    y = xa[:, :1] + xb[:, :1]
    history = model.fit([xa, xb], y, epochs=3, batch_size=8, validation_split=0.2, verbose=0)
    assert len(history.history["val_loss"]) == 3
    np.testing.assert_allclose(model.predict({"deep": xb, "wide": xa}), model.predict([xa, xb]), rtol=1e-6)
    assert np.isfinite(model.evaluate([xa, xb], y, verbose=0))
    with pytest.raises(ValueError, match=r"missing \['deep'\]"):
        model.predict({"wide": xa})
    with pytest.raises(ValueError, match="2 inputs"):
        model.predict(xa)
    with pytest.raises(ValueError, match="Found input variables with inconsistent numbers of samples"):
        model.predict([xa, xb[:10]])


def test_dropout_in_a_graph_is_active_in_training_only():
    a = Input(shape=(20,))
    model = Model(a, Dropout(0.5)(a))
    x = np.ones((4, 20), np.float32)
    np.testing.assert_array_equal(model.predict(x), x)
    assert (model.forward(x, training=True) == 0).any()


# ---- bad graphs are refused before anything trains ------------------------------------------------------
def test_python_arithmetic_on_a_symbolic_tensor_is_refused():
    a = Input(shape=(3,))
    for op in (lambda t: t + t, lambda t: t * 2, lambda t: np.exp(t), lambda t: t[:, 0]):
        with pytest.raises(TypeError, match=r"merge layer instead: Add\(\)\(\[a, b\]\)"):
            op(a)


def test_arithmetic_inside_a_subclassed_call_is_refused():
    class Bad(Model):
        def __init__(self):
            super().__init__()
            self.d = Dense(2)

        def call(self, x, training=False):
            return self.d(x) * 2

    with pytest.raises(TypeError, match="combine values with merge layers"):
        model = Bad()
        model.compile("sgd", "mse")
        model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)


def test_an_output_not_connected_to_the_inputs_is_refused():
    a, b = Input(shape=(3,)), Input(shape=(3,), name="other")
    with pytest.raises(ValueError, match="depend on Input 'other'"):
        Model(a, Add()([Dense(2)(a), Dense(2)(b)]))
    with pytest.raises(ValueError, match=r"not connected to the outputs"):
        Model([a, b], Dense(2)(a))


def test_a_layer_reused_with_incompatible_shapes_is_refused():
    layer = Dense(2)
    layer(Input(shape=(3,)))
    with pytest.raises(ValueError, match=r"built for inputs of shape \(None, 3\) and is now called on \(None, 5\)"):
        layer(Input(shape=(5,)))


def test_mismatched_merge_shapes_are_refused_when_the_graph_is_written():
    a, b = Input(shape=(3,)), Input(shape=(4,))
    with pytest.raises(ValueError, match="incompatible shapes"):
        Add()([a, b])


def test_model_needs_inputs_and_outputs_or_a_call():
    with pytest.raises(TypeError, match="subclass Model and define call"):
        Model()
    with pytest.raises(ValueError, match="Pass both `inputs` and `outputs`"):
        Model(inputs=Input(shape=(2,)))


# ---- several outputs ------------------------------------------------------------------------------------
def _two_headed():
    inputs = Input(shape=(5,))
    h = Dense(8, activation="relu")(inputs)
    return Model(inputs, [Dense(1, name="price")(h), Dense(3, activation="softmax", name="kind")(h)])


def test_two_outputs_take_the_sum_of_their_gradients(float64):
    model = _two_headed()
    params, x = model.parameters, RNG.normal(size=(6, 5))
    r1, r2 = RNG.normal(size=(6, 1)), RNG.normal(size=(6, 3))

    def objective():
        out = model.forward(x, training=True)
        return float(np.sum(out[0] * r1) + np.sum(out[1] * r2))

    model.forward(x, training=True)
    model.backward([r1, r2])
    np.testing.assert_allclose(params.grads, numeric_gradient(objective, params.values), rtol=1e-5, atol=1e-7)


def test_two_outputs_compile_fit_evaluate_predict_with_keras_keys():
    model = _two_headed()
    x = RNG.normal(size=(60, 5)).astype(np.float32)
    y_price, y_kind = x[:, :1] * 2, RNG.integers(0, 3, 60)
    model.compile(optimizer="adam", loss={"price": "mse", "kind": "sparse_categorical_crossentropy"},
                  loss_weights={"kind": 0.5}, metrics={"price": ["mae"], "kind": ["acc"]})
    history = model.fit(x, {"price": y_price, "kind": y_kind}, epochs=2, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "price_loss", "kind_loss", "price_mae", "kind_acc", "val_loss",
                                    "val_price_loss", "val_kind_loss", "val_price_mae", "val_kind_acc"}
    logs = model.evaluate(x, [y_price, y_kind], verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], logs["price_loss"] + 0.5 * logs["kind_loss"], rtol=1e-5)
    price, kind = model.predict(x)
    assert price.shape == (60, 1) and kind.shape == (60, 3)
    np.testing.assert_allclose(kind.sum(axis=1), 1.0, rtol=1e-5)


def test_two_outputs_refuse_missing_extra_and_mismatched_targets():
    model = _two_headed()
    model.compile(optimizer="sgd", loss=["mse", "sparse_categorical_crossentropy"])
    x = RNG.normal(size=(10, 5))
    with pytest.raises(ValueError, match=r"missing \['kind'\], unexpected \['kinds'\]"):
        model.fit(x, {"price": x[:, :1], "kinds": np.zeros(10)}, verbose=0)
    with pytest.raises(ValueError, match="2 outputs"):
        model.fit(x, x[:, :1], verbose=0)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.fit(x, [x[:, :1], np.zeros(7)], verbose=0)
    with pytest.raises(ValueError, match=r"`loss` has 3 entries, but the model has 2 outputs"):
        model.compile(optimizer="sgd", loss=["mse", "mse", "mse"])
    with pytest.raises(ValueError, match=r"names outputs \['other'\]"):
        model.compile(optimizer="sgd", loss={"price": "mse", "other": "mse"})


def test_a_nested_model_called_twice_shares_its_weights_and_sums_their_gradients(float64):
    """A siamese tower: one Sequential applied to two inputs; each call keeps its own caches."""
    tower = Sequential([Dense(4, activation="tanh", input_shape=(3,)), Dense(2)])
    a, b = Input(shape=(3,)), Input(shape=(3,))
    model = Model([a, b], Dense(1)(Concatenate()([tower(a), tower(b)])))
    assert model.count_params() == tower.count_params() + 5
    for layer in [*model.layers, *tower.layers]:
        layer.needs_input_grad = True
    _check_model_gradients(model, _multi(RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))))


def test_a_nested_functional_model_called_twice(float64):
    x = Input(shape=(3,))
    inner = Model(x, Dense(2, activation="sigmoid")(Dense(4, activation="tanh")(x)))
    a, b = Input(shape=(3,)), Input(shape=(3,))
    model = Model([a, b], Add()([inner(a), inner(b)]))
    for layer in [*model.layers, *inner.layers]:
        layer.needs_input_grad = True
    _check_model_gradients(model, _multi(RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))))


def test_inputs_and_outputs_given_as_one_element_lists_take_plain_arrays():
    """Model(inputs=[a], outputs=[b]) (Hands-On ML's spelling) fits, evaluates and predicts on one array,
    as Keras; a one-element list is accepted too."""
    import numpy as np

    from neuronet.layers import Dense, Input
    from neuronet.models import Model
    a = Input(shape=(3,))
    model = Model(inputs=[a], outputs=[Dense(1)(Dense(4, activation="relu")(a))])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 3), dtype=np.float32), np.ones(8, dtype=np.float32)
    model.fit(x, y, epochs=1, verbose=0)
    assert model.evaluate(x, y, verbose=0) == model.evaluate([x], [y], verbose=0)
    np.testing.assert_array_equal(np.asarray(model.predict(x)).reshape(8, 1),
                                  np.asarray(model.predict([x])).reshape(8, 1))
