"""load_model: refusal of pickles, damaged and hostile files; missing files; custom objects."""
import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.layers import Dense, register
from neuronet.models import Sequential, load_model
from neuronet.layers import Dense, Dropout
from neuronet.optimizers import Adam


REFUSED = (ModelFormatError, UnsafeModelError)


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory):
    import neuronet
    neuronet.set_random_seed(0)
    model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x = np.ones((8, 3), "float32")
    model.fit(x, x[:, 0], epochs=1, verbose=0, seed=0)
    path = tmp_path_factory.mktemp("valid") / "m.keras"
    model.save(path)
    return path.read_bytes()


def _members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(members, tmp_path, name="bad.keras", infos=(), compression=zipfile.ZIP_STORED):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression) as zf:   # default: arrays stored, as neuronet writes them
        for member, data in members.items():
            zf.writestr(member, data)
        for info, data in infos:
            zf.writestr(info, data)
    return path


def _with_config(valid_bytes, tmp_path, edit):
    members = _members(valid_bytes)
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config)
    return _zip(members, tmp_path)


class Canary:
    path = None

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_pickle_is_refused_and_never_executed(tmp_path):
    canary = tmp_path / "canary_was_created"
    Canary.path = str(canary)
    for name, data in (("model.h5", pickle.dumps(Canary())), ("model.pkl", pickle.dumps({"w": Canary()}, protocol=5))):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(UnsafeModelError, match="pickle"):
            load_model(tmp_path / name)
    assert not canary.exists()


def _h5(arrays, links=None):
    import h5py
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for key, value in arrays.items():
            f[key] = value
        for key, link in (links or {}).items():
            f[key] = link
    return buf.getvalue()


def _weights(valid_bytes):
    import h5py
    with h5py.File(io.BytesIO(_members(valid_bytes)["model.weights.h5"]), "r") as f:
        out = {}
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def test_npz_weights_and_pickles_inside_the_archive_are_refused(valid_bytes, tmp_path):
    canary = tmp_path / "canary2"
    Canary.path = str(canary)
    members = _members(valid_bytes)
    del members["model.weights.h5"]
    buf = io.BytesIO()
    np.savez(buf, **{"layers/dense/vars/0": np.array([Canary()], dtype=object)})
    members["model.weights.npz"] = buf.getvalue()
    with pytest.raises(UnsafeModelError, match="model.weights.npz.*pickle.*Re-save"):
        load_model(_zip(members, tmp_path))
    assert not canary.exists()


@pytest.mark.parametrize("data", [b"", b"hello world", os.urandom(2000), b"PK\x03\x04" + os.urandom(100),
                                  b"\x89HDF\r\n\x1a\n" + b"\0" * 100])
def test_random_bytes_are_not_a_model(tmp_path, data):
    path = tmp_path / "junk.h5"
    path.write_bytes(data)
    with pytest.raises(ModelFormatError, match="not a model file neuronet can read or it is corrupted"):
        load_model(path)


def test_truncated_file_says_corrupted_not_missing(valid_bytes, tmp_path):
    for cut in (10, len(valid_bytes) // 2, len(valid_bytes) - 30):
        path = tmp_path / f"cut{cut}.keras"
        path.write_bytes(valid_bytes[:cut])
        with pytest.raises(ModelFormatError, match="not a model file neuronet can read or it is corrupted") as info:
            load_model(path)
        assert "not found" not in str(info.value).lower()


@pytest.mark.parametrize("member", ["../evil.npy", "/etc/evil", "assets/../../x", "C:\\evil", "a\\..\\b"])
def test_members_escaping_the_archive_are_refused(valid_bytes, tmp_path, member):
    members = _members(valid_bytes)
    members[member] = b"x"
    with pytest.raises(UnsafeModelError, match="escapes"):
        load_model(_zip(members, tmp_path))


def test_symlink_member_is_refused(valid_bytes, tmp_path):
    info = zipfile.ZipInfo("assets/evil")
    info.external_attr = (0o120777 << 16)
    with pytest.raises(UnsafeModelError, match="symbolic link"):
        load_model(_zip(_members(valid_bytes), tmp_path, infos=[(info, "/etc/passwd")]))


def test_decompression_bomb_is_refused_before_reading(valid_bytes, tmp_path):
    members = _members(valid_bytes)
    members["config.json"] = b" " * (40 * 2**20)            # 40 MiB of spaces, deflates to ~40 KiB
    with pytest.raises(UnsafeModelError, match="config.json.* declares|decompression bomb"):
        load_model(_zip(members, tmp_path, compression=zipfile.ZIP_DEFLATED))
    members = _members(valid_bytes)
    members["model.weights.h5"] = members["model.weights.h5"] + b"\0" * (50 * 2**20)
    with pytest.raises(UnsafeModelError, match="decompression bomb"):
        load_model(_zip(members, tmp_path, compression=zipfile.ZIP_DEFLATED))


def test_shape_bomb_is_refused_before_allocating(valid_bytes, tmp_path):
    import h5py
    members = _members(valid_bytes)
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:      # a compressed, empty dataset declaring 10**14 floats
        f.create_dataset("layers/dense/vars/0", shape=(10**7, 10**7), dtype="float32", chunks=(1, 1000),
                         compression="gzip")
    members["model.weights.h5"] = buf.getvalue()
    with pytest.raises(UnsafeModelError, match="before allocating"):
        load_model(_zip(members, tmp_path))

    def huge_layer(config):     # the config asks for a weight far larger than the file holds
        config["config"]["layers"][1]["config"]["units"] = 10**9
    with pytest.raises(ModelFormatError, match="more weights than the file holds"):
        load_model(_with_config(valid_bytes, tmp_path, huge_layer))


def test_weights_disagreeing_with_config_are_refused(valid_bytes, tmp_path):
    def edit(config):
        config["config"]["layers"][1]["config"]["units"] = 3
    with pytest.raises(ModelFormatError, match="weight|more weights"):
        load_model(_with_config(valid_bytes, tmp_path, edit))
    for change in ({"layers/dense/vars/0": np.zeros((4, 3), "float32")}, {"layers/dense_9/vars/0": np.zeros(2)}):
        members = _members(valid_bytes)
        members["model.weights.h5"] = _h5({**_weights(valid_bytes), **change})
        with pytest.raises(ModelFormatError, match="weight"):
            load_model(_zip(members, tmp_path))
    members = _members(valid_bytes)
    arrays = _weights(valid_bytes)
    del arrays["layers/dense_1/vars/1"]
    members["model.weights.h5"] = _h5(arrays)
    with pytest.raises(ModelFormatError, match="missing|more weights"):
        load_model(_zip(members, tmp_path))


def test_object_dtype_links_and_external_data_are_refused(valid_bytes, tmp_path):
    import h5py
    members = _members(valid_bytes)
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.array([b"x", b"y"], dtype=object),
                         dtype=h5py.string_dtype())
    members["model.weights.h5"] = buf.getvalue()
    with pytest.raises(UnsafeModelError, match="dtype"):
        load_model(_zip(members, tmp_path))
    for link in (h5py.SoftLink("/layers/dense/vars/1"), h5py.ExternalLink("/etc/passwd", "/x")):
        members["model.weights.h5"] = _h5(_weights(valid_bytes), {"layers/dense_1/vars/0": link} if False else
                                          {"layers/extra": link})
        with pytest.raises(UnsafeModelError, match="Link"):
            load_model(_zip(members, tmp_path))


def test_unknown_class_lambda_and_module_refused_registered_class_accepted(valid_bytes, tmp_path):
    def edit(config):
        config["config"]["layers"][2]["class_name"] = "Lambda"
        config["config"]["layers"][2]["config"] = {"function": "os.system('touch x')"}
    with pytest.raises(UnsafeModelError, match="'Lambda'"):
        load_model(_with_config(valid_bytes, tmp_path, edit))

    def edit_module(config):
        config["config"]["layers"][2]["module"] = "os"
    with pytest.raises(UnsafeModelError, match="module 'os'"):
        load_model(_with_config(valid_bytes, tmp_path, edit_module))

    def edit_act(config):
        config["config"]["layers"][1]["config"]["kernel_initializer"] = {"class_name": "Evil", "config": {}}
    with pytest.raises(UnsafeModelError, match="'Evil'"):
        load_model(_with_config(valid_bytes, tmp_path, edit_act))

    class MyDense(Dense):
        pass
    register(MyDense)
    def edit_mine(config):
        config["config"]["layers"][2]["class_name"] = "MyDense"
    path = _with_config(valid_bytes, tmp_path, edit_mine)
    members = _members(path.read_bytes())
    members["model.weights.h5"] = _h5({k.replace("dense_1", "my_dense"): v for k, v in _weights(valid_bytes).items()})
    assert isinstance(load_model(_zip(members, tmp_path, name="mine.keras")).layers[1], MyDense)


def test_newer_format_version_is_refused(valid_bytes, tmp_path):
    members = _members(valid_bytes)
    extra = json.loads(members["neuronet.json"])
    extra["format_version"] = 99
    members["neuronet.json"] = json.dumps(extra)
    with pytest.raises(ModelFormatError, match="newer"):
        load_model(_zip(members, tmp_path))


def _check(path, valid_bytes=None):
    try:
        load_model(path)
    except REFUSED:
        pass


@pytest.fixture(scope="module")
def valid_h5_bytes(tmp_path_factory):
    model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    path = tmp_path_factory.mktemp("valid") / "m.h5"
    model.save(path)
    return path.read_bytes()


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_fuzz_mutated_truncated_and_random_files(valid_bytes, valid_h5_bytes, tmp_path_factory, data):
    """Both formats: flipped, cut, spliced or random bytes give a model or a refusal, nothing else."""
    kind = data.draw(st.sampled_from(["flip", "truncate", "random", "splice"]))
    raw = bytearray(data.draw(st.sampled_from([valid_bytes, valid_h5_bytes])))
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
    elif kind == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw) - 1))]
    elif kind == "random":
        raw = bytearray(data.draw(st.binary(max_size=512)))
    else:
        i = data.draw(st.integers(0, len(raw)))
        raw = raw[:i] + data.draw(st.binary(min_size=1, max_size=64)) + raw[i:]
    path = tmp_path_factory.mktemp("fuzz") / "m.h5"
    path.write_bytes(bytes(raw))
    _check(path)                       # anything else than a refusal or a model fails the test


def _hostile_value(data):
    return data.draw(st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(),
                               st.text(max_size=8), st.lists(st.integers(-5, 10**6), max_size=4),
                               st.just({"class_name": "Dense", "config": {}}), st.just({})))


def _replace_one(config, data):
    nodes = []

    def walk(obj):
        items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
        for key, value in items:
            nodes.append((obj, key))
            walk(value)
    walk(config)
    parent, key = data.draw(st.sampled_from(nodes))
    parent[key] = _hostile_value(data)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_fuzz_config_values(valid_bytes, tmp_path_factory, data):
    """Replace one value anywhere in config.json with hostile JSON: still only refusals or a model."""
    members = _members(valid_bytes)
    config = json.loads(members["config.json"])
    _replace_one(config, data)
    members["config.json"] = json.dumps(config)
    _check(_zip(members, tmp_path_factory.mktemp("cfg")))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_fuzz_h5_model_config_values(valid_h5_bytes, tmp_path_factory, data):
    """The same for the model_config attribute of a Keras 2 .h5 file."""
    import h5py
    path = tmp_path_factory.mktemp("h5cfg") / "m.h5"
    path.write_bytes(valid_h5_bytes)
    with h5py.File(path, "a") as f:
        config = json.loads(f.attrs["model_config"])
        _replace_one(config, data)
        f.attrs["model_config"] = json.dumps(config).encode()
    _check(path)


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype("float32")
    return x, (x @ rng.normal(size=6)).astype("float32")


def _model():
    model = Sequential([Dense(12, activation="relu", input_shape=(6,), kernel_regularizer="l2"),
                        Dropout(0.3, seed=7), Dense(1)])
    model.compile(optimizer=Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
    return model


def _same(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))


def test_loading_an_unseeded_dropout_model_leaves_the_global_generator_alone(tmp_path):
    """load_model builds under a throw-away generator: a Dropout without a seed drew from neuronet's
    global generator while being built, so loading a model changed what the user's next fit did."""
    from neuronet.utils.random import global_generator
    x, y = _data()
    model = Sequential([Dense(8, activation="relu", input_shape=(6,)), Dropout(0.5), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0, seed=0)
    model.save(tmp_path / "m.neuronet")
    state = global_generator().bit_generator.state
    loaded = load_model(tmp_path / "m.neuronet")
    assert global_generator().bit_generator.state == state
    h1 = model.fit(x, y, epochs=2, verbose=0, seed=3)        # the dropout masks continue identically
    h2 = loaded.fit(x, y, epochs=2, verbose=0, seed=3)
    assert h1.history == h2.history and _same(model, loaded)


def test_missing_file_is_file_not_found(tmp_path, monkeypatch):
    missing = tmp_path / "nope.h5"
    with pytest.raises(FileNotFoundError, match="nope.h5") as info:
        load_model(missing)
    assert str(info.value) == (f"[Errno 2] No model file at {str(missing)!r}: nothing exists there. Check the "
                               "path, or write the model first with model.save(path).")   # the path once
    assert info.value.errno == 2
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"No model file at 'nope.h5': .*a relative path starts in the "
                                                r"current folder, '.*'\)"):
        load_model("nope.h5")


def test_missing_relative_path_names_it_even_when_the_current_folder_is_gone(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()                                   # os.getcwd() now raises FileNotFoundError itself
    with pytest.raises(FileNotFoundError, match=r"No model file at 'nope.h5': .*current folder, which is "
                                                r"unavailable: No such file or directory\)") as info:
        load_model("nope.h5")
    assert info.value.errno == 2


def _max_error(y_true, y_pred):
    return np.abs(y_true - y_pred).max(axis=-1)


def test_load_model_resolves_a_user_metric_function_through_custom_objects(tmp_path):
    """Keras' load_model(custom_objects={'name': fn}) for a metric saved under its function's name."""
    model = _model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae", _max_error])
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = load_model(path, custom_objects={"_max_error": _max_error})
    assert loaded.metrics_names == ["loss", "mae", "_max_error"]
    assert loaded.compiled_metrics[1].fn is _max_error


def _with_arrays(valid_bytes, tmp_path, edit):
    """The valid file with its config and arrays edited through the archive's reader and writer."""
    from neuronet.saving.keras_v3 import read_archive, write_archive
    source = tmp_path / "valid.h5"
    source.write_bytes(valid_bytes)
    config, arrays = read_archive(source)
    edit(config, arrays)
    write_archive(tmp_path / "bad.h5", config, arrays)
    return tmp_path / "bad.h5"


def _slot(config):
    return config["optimizer_state"]["slots"][0]


@pytest.mark.parametrize("edit", [
    lambda c, a: a.__setitem__(_slot(c)["key"], a[_slot(c)["key"]][:3]),
    lambda c, a: a.__setitem__(_slot(c)["key"], a[_slot(c)["key"]].astype("float64")),
    lambda c, a: c["optimizer_state"].__setitem__("iterations", -1),
    lambda c, a: c["optimizer_state"].__setitem__("iterations", "1"),
    lambda c, a: _slot(c).__setitem__("index", 3),
    lambda c, a: _slot(c).__setitem__("slot", "velocity"),
], ids=["slot shape", "slot dtype", "negative step", "string step", "slot index", "slot name"])
def test_tampered_optimizer_state_is_refused_at_load(valid_bytes, tmp_path, edit):
    with pytest.raises(ModelFormatError, match="optimizer state"):
        load_model(_with_arrays(valid_bytes, tmp_path, edit))
    assert load_model(_with_arrays(valid_bytes, tmp_path, lambda c, a: None)).optimizer.iterations == 1


@pytest.mark.parametrize("name", ["BitGenerator", "SeedSequence", "numpy.random.MT19937"])
def test_random_state_naming_an_abstract_or_foreign_generator_is_a_format_error(tmp_path, name):
    from neuronet.saving.keras_v3 import read_archive, write_archive
    model = Sequential([Dense(4, input_shape=(3,)), Dropout(0.5, seed=1), Dense(1)])
    model.save(tmp_path / "m.keras")
    config, arrays = read_archive(tmp_path / "m.keras")
    next(iter(config["layer_rng"].values()))["bit_generator"] = name
    write_archive(tmp_path / "m.keras", config, arrays)
    with pytest.raises(ModelFormatError, match="random state"):
        load_model(tmp_path / "m.keras")


@pytest.mark.parametrize("activation", [
    {"class_name": "Dense", "config": {"units": 100000}},
    {"class_name": "PReLU", "config": {}},
    {"class_name": "Sequential", "config": {"layers": []}},
])
def test_an_activation_that_is_not_an_activation_layer_is_refused(valid_bytes, tmp_path, activation):
    def edit(config):
        config["config"]["layers"][1]["config"]["activation"] = activation
    with pytest.raises(ModelFormatError, match="an `activation` is a"):
        load_model(_with_config(valid_bytes, tmp_path, edit))


def test_an_activation_layer_as_activation_loads(tmp_path):
    from neuronet.layers import LeakyReLU
    model = Sequential([Dense(2, activation=LeakyReLU(negative_slope=0.2), input_shape=(3,))])
    model.save(tmp_path / "m.h5")
    x = np.full((1, 3), -1.0, "float32")
    assert np.array_equal(load_model(tmp_path / "m.h5").predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("error", [MemoryError, RecursionError])
def test_memory_and_recursion_errors_while_building_become_format_errors(valid_bytes, tmp_path, monkeypatch, error):
    def fail(cls, config):
        raise error("from the file")
    monkeypatch.setattr(Dense, "from_config", classmethod(fail))
    with pytest.raises(ModelFormatError, match=error.__name__):
        load_model(_with_config(valid_bytes, tmp_path, lambda config: None))
