"""Files as Keras writes them, and what Keras' loaders need in the files neuronet writes.

Keras 3 cannot run here (its NumPy backend imports JAX), so the Keras-written files are built in the test
with h5py and zipfile exactly as Keras' saving code lays them out (keras/src/saving/saving_lib.py for
.keras, keras/src/legacy/saving/legacy_h5_format.py for .h5), and predictions are checked against the
layers' formulas in NumPy.
"""
import io
import json
import zipfile

import h5py
import numpy as np
import pytest

from neuronet.layers import Dense
from neuronet.models import Sequential, load_model, model_from_json

RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 4)).astype("float32")


def _policy():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def _init(name):
    return {"module": "keras.initializers", "class_name": name, "config": {"seed": None} if "Glorot" in name else {},
            "registered_name": None}


def _layer(class_name, **config):
    return {"module": "keras.layers", "class_name": class_name,
            "config": {"name": config.pop("name"), "trainable": True, "dtype": _policy(), **config},
            "registered_name": None}


def _dense(name, units, activation, n_in):
    spec = _layer("Dense", name=name, units=units, activation=activation, use_bias=True,
                  kernel_initializer=_init("GlorotUniform"), bias_initializer=_init("Zeros"), kernel_regularizer=None,
                  bias_regularizer=None, kernel_constraint=None, bias_constraint=None, quantization_config=None)
    spec["build_config"] = {"input_shape": [None, n_in]}
    return spec


def _weights():
    return {"dense": [RNG.normal(size=(4, 8)).astype("float32"), RNG.normal(size=8).astype("float32")],
            "batch_normalization": [RNG.uniform(0.5, 2, 8).astype("float32"), RNG.normal(size=8).astype("float32"),
                                    RNG.normal(size=8).astype("float32"), RNG.uniform(0.5, 2, 8).astype("float32")],
            "dense_1": [RNG.normal(size=(8, 3)).astype("float32"), RNG.normal(size=3).astype("float32")]}


def _reference(w, x):
    """What Keras computes for Dense(8, relu) -> BatchNormalization -> Dropout -> Dense(3, softmax)."""
    h = np.maximum(x @ w["dense"][0] + w["dense"][1], 0)
    gamma, beta, mean, var = w["batch_normalization"]
    h = gamma * (h - mean) / np.sqrt(var + 1e-3) + beta
    z = h @ w["dense_1"][0] + w["dense_1"][1]
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def _keras3_sequential_config():
    bn = _layer("BatchNormalization", name="batch_normalization", axis=-1, momentum=0.99, epsilon=0.001, center=True,
                scale=True, beta_initializer=_init("Zeros"), gamma_initializer=_init("Ones"),
                moving_mean_initializer=_init("Zeros"), moving_variance_initializer=_init("Ones"),
                beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                synchronized=False)
    drop = _layer("Dropout", name="dropout", rate=0.5, seed=None, noise_shape=None)
    inp = {"module": "keras.layers", "class_name": "InputLayer",
           "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False,
                      "name": "input_layer", "optional": False}, "registered_name": None}
    adam = {"module": "keras.optimizers", "class_name": "Adam",
            "config": {"name": "adam", "learning_rate": 0.001, "weight_decay": None, "clipnorm": None,
                       "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                       "ema_overwrite_frequency": None, "loss_scale_factor": None, "gradient_accumulation_steps": None,
                       "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}, "registered_name": None}
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": "sequential", "trainable": True, "dtype": _policy(),
                       "layers": [inp, _dense("dense", 8, "relu", 4), bn, drop, _dense("dense_1", 3, "softmax", 8)],
                       "build_input_shape": [None, 4]},
            "registered_name": None, "build_config": {"input_shape": [None, 4]},
            "compile_config": {"optimizer": adam, "loss": "categorical_crossentropy", "loss_weights": None,
                               "metrics": ["accuracy"], "weighted_metrics": None, "run_eagerly": False,
                               "steps_per_execution": 1, "jit_compile": False}}


def _keras3_weights_h5(weights, optimizer=None):
    """model.weights.h5 as Keras 3's H5IOStore writes it: a `vars` group per saveable with a `name` attribute."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_group("vars").attrs["name"] = "sequential"
        for path, name in (("layers/input_layer", "input_layer"), ("layers/dropout", "dropout")):
            f.create_group(path).create_group("vars").attrs["name"] = name
        for name, arrays in weights.items():
            group = f.create_group(f"layers/{name}").create_group("vars")
            group.attrs["name"] = name
            for i, value in enumerate(arrays):
                group[str(i)] = value
        if optimizer is not None:
            group = f.create_group("optimizer").create_group("vars")
            group.attrs["name"] = "adam"
            for i, value in enumerate(optimizer):
                group[str(i)] = value
    return buf.getvalue()


def _keras_zip(tmp_path, config, weights_h5, name="keras_written.keras"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.15.1", "date_saved": "2026-12-07@10:00:00"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", weights_h5)
    return path


def test_a_keras3_sequential_file_loads_predicts_and_keeps_the_adam_state(tmp_path):
    w = _weights()
    trainable = [w["dense"][0], w["dense"][1], w["batch_normalization"][0], w["batch_normalization"][1],
                 w["dense_1"][0], w["dense_1"][1]]
    slots = [(RNG.normal(size=v.shape).astype("float32"), RNG.uniform(size=v.shape).astype("float32")) for v in trainable]
    optimizer = [np.array(7, "int64"), np.array(0.001, "float32")] + [a for pair in slots for a in pair]
    path = _keras_zip(tmp_path, _keras3_sequential_config(), _keras3_weights_h5(w, optimizer))
    model = load_model(path)
    assert [type(l).__name__ for l in model.layers] == ["Dense", "BatchNormalization", "Dropout", "Dense"]
    np.testing.assert_allclose(model.predict(X, verbose=0), _reference(w, X), atol=1e-6)
    state = model.optimizer.get_state()
    assert state["iterations"] == 7
    np.testing.assert_array_equal(state["slots"]["0"]["m"], np.concatenate([m.ravel() for m, _ in slots]))
    np.testing.assert_array_equal(state["slots"]["0"]["v"], np.concatenate([v.ravel() for _, v in slots]))
    assert model.get_compile_config()["loss"] == "categorical_crossentropy"


def test_a_keras3_functional_file_with_merge_layers_loads(tmp_path):
    def tensor(layer, shape):
        return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32",
                                                             "keras_history": [layer, 0, 0]}}
    inp = {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None, "name": "input_layer",
           "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "name": "input_layer"},
           "inbound_nodes": []}
    a, b = _dense("dense", 3, "tanh", 4), _dense("dense_1", 3, "linear", 4)
    add = _layer("Add", name="add")
    cat = _layer("Concatenate", name="concatenate", axis=-1)
    out = _dense("dense_2", 1, "linear", 6)
    for layer, args in ((a, [tensor("input_layer", [None, 4])]), (b, [tensor("input_layer", [None, 4])]),
                        (add, [[tensor("dense", [None, 3]), tensor("dense_1", [None, 3])]]),
                        (cat, [[tensor("add", [None, 3]), tensor("dense", [None, 3])]]),
                        (out, [tensor("concatenate", [None, 6])])):
        layer["name"], layer["inbound_nodes"] = layer["config"]["name"], [{"args": args, "kwargs": {}}]
    config = {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
              "config": {"name": "functional", "trainable": True, "layers": [inp, a, b, add, cat, out],
                         "input_layers": ["input_layer", 0, 0], "output_layers": ["dense_2", 0, 0]}}
    w = {name: [RNG.normal(size=s).astype("float32"), RNG.normal(size=s[1]).astype("float32")]
         for name, s in (("dense", (4, 3)), ("dense_1", (4, 3)), ("dense_2", (6, 1)))}
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for name, arrays in w.items():
            for i, value in enumerate(arrays):
                f[f"layers/{name}/vars/{i}"] = value
    model = load_model(_keras_zip(tmp_path, config, buf.getvalue()))
    ha = np.tanh(X @ w["dense"][0] + w["dense"][1])
    hb = X @ w["dense_1"][0] + w["dense_1"][1]
    expected = np.concatenate([ha + hb, ha], 1) @ w["dense_2"][0] + w["dense_2"][1]
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, atol=1e-5)


def _keras2_config():
    def dense(name, units, activation, **extra):
        return {"class_name": "Dense", "config": {"name": name, "trainable": True, "dtype": "float32", "units": units,
                                                  "activation": activation, "use_bias": True,
                                                  "kernel_initializer": {"class_name": "GlorotUniform",
                                                                         "config": {"seed": None}},
                                                  "bias_initializer": {"class_name": "Zeros", "config": {}},
                                                  "kernel_regularizer": None, "bias_regularizer": None,
                                                  "activity_regularizer": None, "kernel_constraint": None,
                                                  "bias_constraint": None, **extra}}
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "dense_input"}},
        dense("dense", 5, "sigmoid"), dense("dense_1", 2, "linear")]}}


def _write_keras2_layers(group, w):
    group.attrs["layer_names"] = np.array([b"dense", b"dense_1"])
    group.attrs["backend"], group.attrs["keras_version"] = b"tensorflow", b"2.15.0"
    for name, arrays in w.items():
        names = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
        group.create_group(name).attrs["weight_names"] = np.array(names)
        for weight_name, value in zip(names, arrays):
            group[name].create_dataset(weight_name.decode(), data=value)


def test_a_keras2_h5_model_file_loads_with_its_short_loss_name(tmp_path):
    w = {"dense": [RNG.normal(size=(4, 5)).astype("float32"), RNG.normal(size=5).astype("float32")],
         "dense_1": [RNG.normal(size=(5, 2)).astype("float32"), RNG.normal(size=2).astype("float32")]}
    path = tmp_path / "keras2.h5"
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"], f.attrs["backend"] = "2.15.0", "tensorflow"
        f.attrs["model_config"] = json.dumps(_keras2_config()).encode()
        f.attrs["training_config"] = json.dumps({
            "loss": "mse", "metrics": [["mae"]], "weighted_metrics": None, "loss_weights": None,
            "optimizer_config": {"class_name": "SGD", "config": {"name": "SGD", "learning_rate": 0.01, "momentum": 0.0,
                                                                 "nesterov": False, "is_legacy_optimizer": False}}}).encode()
        _write_keras2_layers(f.create_group("model_weights"), w)
    model = load_model(path)
    expected = (1 / (1 + np.exp(-(X @ w["dense"][0] + w["dense"][1])))) @ w["dense_1"][0] + w["dense_1"][1]
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, atol=1e-6)
    assert model.get_compile_config()["loss"] == "mean_squared_error" and model.optimizer.learning_rate == 0.01
    other = Sequential([Dense(5, activation="sigmoid", input_shape=(4,)), Dense(2)])
    weights_only = tmp_path / "keras2_weights.h5"
    with h5py.File(weights_only, "w") as f:
        _write_keras2_layers(f, w)
    other.load_weights(weights_only)
    np.testing.assert_allclose(other.predict(X, verbose=0), expected, atol=1e-6)


def test_keras3_json_loads_and_json_io_writes_keras_schema():
    model = model_from_json(json.dumps(_keras3_sequential_config()))
    assert [l.name for l in model.layers] == ["dense", "batch_normalization", "dropout", "dense_1"]
    assert model.count_params() == 4 * 8 + 8 + 4 * 8 + 8 * 3 + 3
    from neuronet.saving.json_io import model_to_json
    spec = json.loads(model_to_json(model))
    assert spec["module"] == "keras" and spec["class_name"] == "Sequential" and "registered_name" in spec
    assert spec["config"]["layers"][0]["config"]["batch_shape"] == [None, 4]
    assert all(set(l) >= {"module", "class_name", "config", "registered_name"} for l in spec["config"]["layers"])
    assert Sequential.from_config(spec["config"]).count_params() == model.count_params()


def test_files_neuronet_writes_have_the_layout_keras_loaders_read(tmp_path):
    model = Sequential([Dense(3, activation="relu", input_shape=(4,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(X, X[:, :1], epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        assert {"metadata.json", "config.json", "model.weights.h5"} <= set(zf.namelist())
        config = json.loads(zf.read("config.json"))
        assert json.loads(zf.read("metadata.json"))["keras_version"].startswith("3.")
        with h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as f:
            assert f["layers/dense/vars/0"].shape == (4, 3) and f["layers/dense_1/vars/1"].shape == (1,)
            assert f["optimizer/vars/0"][()] == 1 and len(f["optimizer/vars"]) == 2 + 2 * 4
    assert config["compile_config"]["loss"] == "mean_squared_error"          # canonical, not 'mse'
    assert config["build_config"] == {"input_shape": [None, 4]}
    dense = config["config"]["layers"][1]
    assert dense["module"] == "keras.layers" and dense["config"]["dtype"]["class_name"] == "DTypePolicy"
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert json.loads(f.attrs["model_config"])["config"]["layers"][0]["config"]["batch_input_shape"] == [None, 4]
        assert json.loads(f.attrs["training_config"])["loss"] == "mean_squared_error"
        assert [n.decode() for n in f["model_weights"].attrs["layer_names"]] == ["dense", "dense_1"]
        names = [n.decode() for n in f["model_weights/dense"].attrs["weight_names"]]
        assert names == ["dense/kernel:0", "dense/bias:0"]
        np.testing.assert_array_equal(f["model_weights/dense"][names[0]][()], model.layers[0].kernel)


@pytest.mark.parametrize("name", ["m.keras", "m.h5"])
def test_notes_save_load_round_trip_resumes_training_identically(tmp_path, name):
    def make():
        m = Sequential([Dense(6, activation="relu", input_shape=(4,)), Dense(1)])
        m.compile(optimizer="rmsprop", loss="mse")
        return m
    model = make()
    model.fit(X, X[:, :1], epochs=2, verbose=0, seed=0)
    model.save(tmp_path / name)
    loaded = load_model(tmp_path / name)
    h1 = model.fit(X, X[:, :1], epochs=2, verbose=0, seed=1)
    h2 = loaded.fit(X, X[:, :1], epochs=2, verbose=0, seed=1)
    assert h1.history == h2.history


def test_notes_model_checkpoint_h5_writes_a_keras2_file_that_loads(tmp_path):
    from neuronet.callbacks import ModelCheckpoint
    model = Sequential([Dense(3, activation="relu", input_shape=(4,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    path = tmp_path / "best_model.h5"
    model.fit(X, X[:, :1], epochs=2, verbose=0, validation_split=0.25,
              callbacks=[ModelCheckpoint(str(path), monitor="val_loss", save_best_only=True)])
    assert h5py.is_hdf5(path)
    loaded = load_model(path)
    assert loaded.count_params() == model.count_params() and loaded.get_compile_config()["loss"] == "mean_squared_error"


def test_keras3_loss_objects_with_dtype_none_load(tmp_path):
    config = _keras3_sequential_config()
    config["compile_config"]["loss"] = {"module": "keras.losses", "class_name": "CategoricalCrossentropy",
                                        "config": {"name": "categorical_crossentropy", "reduction": "sum_over_batch_size",
                                                   "from_logits": False, "label_smoothing": 0.0, "axis": -1,
                                                   "dtype": None}, "registered_name": None}
    model = load_model(_keras_zip(tmp_path, config, _keras3_weights_h5(_weights())))
    assert type(model.loss).__name__ == "CategoricalCrossentropy"


def test_a_compiled_unfitted_model_writes_keras3_optimizer_variables_of_zeros(tmp_path):
    model = Sequential([Dense(3, input_shape=(4,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as zf, h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as f:
        values = [f[f"optimizer/vars/{i}"][()] for i in range(len(f["optimizer/vars"]))]
    assert len(values) == 2 + 2 * 4 and values[0] == 0 and np.isclose(values[1], 0.001)
    assert all(not v.any() for v in values[2:]) and values[2].shape == (4, 3) and values[3].shape == (4, 3)


@pytest.mark.parametrize("name", ["m.keras", "m.h5"])
def test_a_model_with_two_outputs_keeps_its_losses_and_weights(tmp_path, name):
    from neuronet.layers import Input
    from neuronet.models import Model
    inputs = Input(shape=(4,))
    model = Model(inputs, [Dense(1, name="a")(inputs), Dense(2, name="b")(inputs)])
    model.compile(optimizer="adam", loss=["mse", "mae"], loss_weights=[1.0, 0.5], metrics=[["mae"], []])
    model.fit(X, [X[:, :1], X[:, :2]], epochs=1, verbose=0)
    model.save(tmp_path / name)
    loaded = load_model(tmp_path / name)
    assert loaded.get_compile_config()["loss_weights"] == [1.0, 0.5]
    for a, b in zip(loaded.predict(X, verbose=0), model.predict(X, verbose=0)):
        np.testing.assert_array_equal(a, b)
