"""Sweeps say so, once, when a swept parameter is never read or when configurations train identically."""
import warnings

import numpy as np
import pytest

from neuronet.search import SweepWarning, grid_search, random_search, talos_model
from neuronet.search.tracking import TrackedParams

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 3)).astype(np.float32)
Y = (X[:, 0] > 0).astype(np.float32)


def _sweep_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(*args, **kwargs)
    return [str(w.message) for w in caught if issubclass(w.category, SweepWarning)]


def test_a_key_the_model_function_never_reads_is_named_once():
    def ignores_hidden_layers(x_train, y_train, x_val, y_val, params):     # as the notes' own function
        return talos_model(x_train, y_train, x_val, y_val, {k: params[k] for k in ("first_neuron", "epochs")})

    params = {"first_neuron": [2, 3], "hidden_layers": [0, 1, 2], "lr": [0.1], "epochs": [1]}
    messages = _sweep_warnings(grid_search, X, Y, params, model_fn=ignores_hidden_layers, val_split=0.25)
    assert len(messages) == 1
    assert "never read ['hidden_layers', 'lr']" in messages[0] and "params['hidden_layers']" in messages[0]


def test_identical_runs_are_named_with_the_keys_they_differ_in():
    from neuronet.initializers import GlorotUniform
    from neuronet.layers import Dense
    from neuronet.models import Sequential

    def seeds_itself(x_train, y_train, x_val, y_val, params):
        _ = params["comment"]                                # read, but changes nothing
        model = Sequential([Dense(params["first_neuron"], activation="relu", input_shape=(3,),
                                  kernel_initializer=GlorotUniform(seed=0)),          # the same weights each run
                            Dense(1, activation="sigmoid", kernel_initializer=GlorotUniform(seed=1))])
        model.compile("sgd", "binary_crossentropy")
        history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=2, shuffle=False, verbose=0)
        return history, model

    params = {"first_neuron": [2, 3], "comment": ["a", "b"]}
    messages = _sweep_warnings(grid_search, X, Y, params, model_fn=seeds_itself, val_split=0.25)
    assert len(messages) == 1
    assert "configurations [0, 2] (differing in ['comment'])" in messages[0]
    assert "configurations [1, 3] (differing in ['comment'])" in messages[0]


def test_a_sweep_where_every_key_matters_is_silent():
    params = {"first_neuron": [2, 3], "epochs": [2], "activation": ["relu", "tanh"]}
    assert _sweep_warnings(random_search, X, Y, params, n_iter=3, val_split=0.25) == []


@pytest.mark.parametrize("read, expected", [
    (lambda p: p["a"], {"a"}), (lambda p: p.get("b", 0), {"b"}), (lambda p: "c" in p, {"c"}),
    (lambda p: dict(p), {"a", "b", "c"}), (lambda p: (lambda **kw: kw)(**p), {"a", "b", "c"}),
    (lambda p: list(p.items()), {"a", "b", "c"}), (lambda p: list(p), set()), (lambda p: len(p), set())])
def test_tracked_params_record_reads(read, expected):
    params = TrackedParams(a=1, b=2, c=3)
    read(params)
    assert params.read == expected
