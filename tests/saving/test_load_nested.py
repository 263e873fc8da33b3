"""Saving and loading functional models and nested models (a Sequential in a graph, a graph in a
Sequential): the same predictions and training after load, and the hostile-file checks at every depth."""
import io
import json
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.layers import Concatenate, Dense, Dropout, Input
from neuronet.models import Model, Sequential, load_model

REFUSED = (ModelFormatError, UnsafeModelError)
RNG = np.random.default_rng(3)
X = [RNG.normal(size=(16, 3)).astype("float32"), RNG.normal(size=(16, 2)).astype("float32")]
Y = RNG.normal(size=(16, 1)).astype("float32")


def _graph_with_a_sequential():
    a, b = Input(shape=(3,), name="a"), Input(shape=(2,), name="b")
    inner = Sequential([Dense(5, activation="relu", input_shape=(3,)), Dropout(0.3, seed=1), Dense(4)],
                       name="inner")
    model = Model([a, b], Dense(1, name="out")(Concatenate()([inner(a), b])), name="graph")
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(X, Y, epochs=1, verbose=0, seed=0)
    return model


def _sequential_with_a_graph():
    x = Input(shape=(3,))
    graph = Model(x, Dense(4, activation="tanh")(Dense(6)(x)), name="body")
    model = Sequential([graph, Dense(1)], name="outer")
    model.build((3,))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X[0], Y, epochs=1, verbose=0, seed=0)
    return model


@pytest.mark.parametrize("build, x", [(_graph_with_a_sequential, X), (_sequential_with_a_graph, X[0])])
def test_nested_models_round_trip_and_train_on_identically(build, x, tmp_path):
    model = build()
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    after = [m.fit(x, Y, epochs=2, verbose=0, seed=5).history for m in (model, loaded)]
    assert after[0] == after[1]          # optimizer slots and the nested Dropout's generator came back


@pytest.fixture(scope="module")
def nested_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("nested") / "m.keras"
    _graph_with_a_sequential().save(path)
    return path.read_bytes()


def _edited(data, tmp_path, edit):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config)
    path = tmp_path / "bad.keras"
    with zipfile.ZipFile(path, "w") as zf:
        for name, value in members.items():
            zf.writestr(name, value)
    return path


def _inner(config):
    layers = config["config"]["layers"]                 # config.json: Keras' schema, an InputLayer first
    return next(l for l in layers if l["class_name"] == "Sequential")["config"]["layers"]


@pytest.mark.parametrize("edit, error, message", [
    (lambda c: _inner(c)[1].update(class_name="os.system"), UnsafeModelError, "not in neuronet's registries"),
    (lambda c: _inner(c)[3]["config"].update(kernel_initializer={"class_name": "Evil", "config": {}}),
     UnsafeModelError, "'Evil'"),
    (lambda c: _inner(c)[1]["config"].update(units=10**9), ModelFormatError, "more weights than the file holds"),
    (lambda c: _inner(c)[1]["config"].update(units=7), ModelFormatError, "weight"),
    (lambda c: c["config"]["layers"][-1].update(inbound_nodes=[[["ghost", 0, 0, {}]]]),
     ModelFormatError, "ghost"),
])
def test_hostile_configs_are_refused_inside_nested_models(nested_bytes, tmp_path, edit, error, message):
    with pytest.raises(error, match=message):
        load_model(_edited(nested_bytes, tmp_path, edit))


def test_a_config_nested_too_deeply_is_refused(nested_bytes, tmp_path):
    def edit(config):
        spec = dict(config)
        for _ in range(70):
            spec = {"class_name": "Sequential", "config": {"name": "s", "layers": [spec]}}
        config.clear()
        config.update(spec)
    with pytest.raises(ModelFormatError, match="nested too deeply"):
        load_model(_edited(nested_bytes, tmp_path, edit))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_fuzz_config_values_of_a_nested_model(nested_bytes, tmp_path_factory, data):
    """One value anywhere in the nested config replaced with hostile JSON: a refusal or a model, nothing else."""
    nodes = []

    def walk(obj):
        items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
        for key, value in items:
            nodes.append((obj, key))
            walk(value)

    def edit(config):
        walk(config)
        parent, key = data.draw(st.sampled_from(nodes))
        parent[key] = data.draw(st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(),
                                          st.text(max_size=8), st.lists(st.integers(-5, 10**6), max_size=4),
                                          st.just({"class_name": "Sequential", "config": {}}), st.just({})))
    path = _edited(nested_bytes, tmp_path_factory.mktemp("cfg"), edit)
    try:
        load_model(path)
    except REFUSED:
        pass


def test_a_two_output_model_round_trips_with_its_per_output_compile(tmp_path):
    from neuronet.losses import MeanSquaredError
    from neuronet.metrics import MeanAbsoluteError
    x = Input(shape=(3,), name="features")
    h = Dense(6, activation="relu")(x)
    model = Model(x, [Dense(1, name="price")(h), Dense(3, activation="softmax", name="kind")(h)])
    model.compile(optimizer="adam", loss={"price": MeanSquaredError(), "kind": "sparse_categorical_crossentropy"},
                  loss_weights={"price": 1.0, "kind": 0.3}, metrics={"price": [MeanAbsoluteError()], "kind": ["acc"]})
    y = {"price": Y, "kind": RNG.integers(0, 3, len(Y))}
    model.fit(X[0], y, epochs=1, verbose=0, seed=0)
    model.save(tmp_path / "two.keras")
    loaded = load_model(tmp_path / "two.keras")
    assert loaded.get_compile_config()["loss_weights"] == {"price": 1.0, "kind": 0.3}
    after = [m.fit(X[0], y, epochs=2, verbose=0, seed=1).history for m in (model, loaded)]
    assert after[0] == after[1] and "kind_acc" in after[0] and "price_mean_absolute_error" in after[0]

    def edit(config):
        config["compile_config"]["loss"]["kind"] = {"class_name": "Evil", "config": {}}
    data = (tmp_path / "two.keras").read_bytes()
    with pytest.raises(UnsafeModelError, match="'Evil'"):
        load_model(_edited(data, tmp_path, edit))
