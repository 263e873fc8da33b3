"""model.to_json() and model_from_json(): the architecture as JSON, read back as safely as load_model."""
import json

import numpy as np
import pytest

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.layers import Add, Dense, Input
from neuronet.models import Model, Sequential, model_from_json


def _nested():
    x = Input(shape=(3,), name="x")
    inner = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(2)], name="inner")
    graph = Model(x, Add()([inner(x), Dense(2)(x)]), name="g")
    return Sequential([graph, Dense(1, name="head")], name="outer")


def test_to_json_round_trips_a_graph_nested_in_a_sequential():
    model = _nested()
    model.build((3,))
    text = model.to_json()
    spec = json.loads(text)
    assert spec["class_name"] == "Sequential" and spec["config"]["layers"][0]["class_name"] == "Model"
    copy = model_from_json(text)
    assert copy.get_config() == model.get_config() and copy.to_json() == text
    copy.set_weights(model.get_weights())
    x = np.random.default_rng(1).normal(size=(5, 3)).astype("float32")
    np.testing.assert_array_equal(copy.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras_functional_class_name_is_accepted():
    x = Input(shape=(2,))
    spec = json.loads(Model(x, Dense(1)(x), name="m").to_json())
    spec["class_name"] = "Functional"
    assert model_from_json(json.dumps(spec)).name == "m"


@pytest.mark.parametrize("edit, error", [
    (lambda s: s.update(class_name="os.system"), UnsafeModelError),
    (lambda s: s["config"]["layers"][0]["config"]["layers"][1].update(class_name="Evil"), UnsafeModelError),
    (lambda s: s["config"]["layers"][0]["config"]["layers"][2]["config"].update(
        activation={"class_name": "Evil", "config": {}}), UnsafeModelError),
    (lambda s: s["config"]["layers"][0]["config"]["layers"][2].update(inbound_nodes=[[["nowhere", 0, 0, {}]]]),
     ModelFormatError),
])
def test_unregistered_names_and_broken_graphs_are_refused_at_every_depth(edit, error):
    model = _nested()
    model.build((3,))
    spec = json.loads(model.to_json())
    edit(spec)
    with pytest.raises(error):
        model_from_json(json.dumps(spec))


def test_not_json_is_a_clear_error():
    with pytest.raises(ValueError, match="not valid JSON"):
        model_from_json("{")
    with pytest.raises(TypeError, match="json_string"):
        model_from_json({"class_name": "Sequential"})
