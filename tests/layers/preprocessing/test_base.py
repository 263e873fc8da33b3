"""The preprocessing layers' shared parts: NoGradient, and a model whose trainable layers come before a
layer without a gradient refusing to train, whatever layer stands between them."""
import copy
import pickle

import numpy as np
import pytest

from neuronet.layers import (Activation, BatchNormalization, CategoryEncoding, Dense, Discretization, Dropout,
                             Flatten, Normalization, PReLU)
from neuronet.layers.preprocessing import NoGradient
from neuronet.models import Sequential

X = np.linspace(-1, 1, 16, dtype=np.float32).reshape(8, 2)
Y = X[:, :1] > 0


@pytest.mark.parametrize("between", [lambda: [], lambda: [Activation("tanh")], lambda: [Flatten()],
                                     lambda: [Dropout(0.3)], lambda: [BatchNormalization()],
                                     lambda: [PReLU()], lambda: [Normalization(mean=0.0, variance=1.0)]],
                         ids=["nothing", "activation", "flatten", "dropout", "batch_normalization", "prelu",
                              "normalization"])
@pytest.mark.parametrize("train", ["fit", "train_on_batch"])
def test_a_trainable_layer_before_a_layer_without_gradient_is_refused_in_words(between, train):
    model = Sequential([Dense(2, input_shape=(2,)), *between(), Discretization(bin_boundaries=[0.0]), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    before = [w.copy() for layer in dense for w in layer.get_weights()]
    with pytest.raises(ValueError, match="has no gradient .* Put the preprocessing layers .* first"):
        if train == "fit":
            model.fit(X, Y, verbose=0)
        else:
            model.train_on_batch(X, Y)
    after = [w for layer in dense for w in layer.get_weights()]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))   # no step was taken


def test_preprocessing_layers_first_then_trainable_layers_train():
    model = Sequential([Normalization(mean=0.0, variance=1.0, input_shape=(2,)),
                        Discretization(bin_boundaries=[0.0]),
                        CategoryEncoding(num_tokens=2, output_mode="count"), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    before = model.layers[-1].get_weights()[0].copy()
    model.fit(X, Y, epochs=2, verbose=0)
    assert not np.array_equal(before, model.layers[-1].get_weights()[0])


def test_no_gradient_passes_through_another_layer_without_gradient():
    encoding = CategoryEncoding(num_tokens=2, output_mode="multi_hot")
    encoding(np.zeros((2, 1), dtype=np.int64))
    encoding.needs_input_grad = True
    signal = NoGradient("discretization")
    assert encoding.backward(signal) is signal


def test_no_gradient_refuses_arrays_uses_but_copies_and_pickles():
    signal = NoGradient("lookup")
    for use in (lambda g: g.reshape(2, 1), lambda g: g.T, lambda g: np.asarray(g), lambda g: g @ np.ones(2),
                lambda g: np.sum(g), lambda g: -g, lambda g: g[0]):
        with pytest.raises(ValueError, match="'lookup' has no gradient"):
            use(signal)
    assert copy.deepcopy(signal).message == pickle.loads(pickle.dumps(signal)).message == signal.message
