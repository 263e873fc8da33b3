"""model.save / save_weights: round trips, atomic writes, overwrite and unwritable paths."""
import os
import zipfile

import numpy as np
import pytest

import neuronet.saving.format as fmt
from neuronet.layers import Dense, Dropout
from neuronet.losses import CosineSimilarity, Huber, MeanSquaredError
from neuronet.models import Sequential, load_model
from neuronet.optimizers import Adam


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


def test_notes_h5_name_round_trip_predict_bit_identical(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, verbose=0, seed=0)
    path = tmp_path / "my_ann_model.h5"
    model.save(str(path))
    import h5py
    assert h5py.is_hdf5(path) and not zipfile.is_zipfile(path)      # Keras 2's HDF5 format, as the name says
    loaded = load_model(path)
    assert np.array_equal(model.predict(x), loaded.predict(x))
    assert [l.get_config() for l in loaded.layers] == [l.get_config() for l in model.layers]
    assert loaded.metrics_names == ["loss", "mae"] and loaded.optimizer.learning_rate == 0.01
    assert loaded.optimizer.iterations == model.optimizer.iterations


def test_save_load_fit_continues_identically(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, verbose=0, seed=0)
    model.save(tmp_path / "m.neuronet")
    loaded = load_model(tmp_path / "m.neuronet")
    h1 = model.fit(x, y, epochs=3, verbose=0, seed=1)
    h2 = loaded.fit(x, y, epochs=3, verbose=0, seed=1)
    assert h1.history == h2.history and _same(model, loaded)


def test_save_before_compile_and_weights_round_trip(tmp_path):
    model = Sequential([Dense(3, input_shape=(2,)), Dense(1)])
    model.save(tmp_path / "raw.h5")
    loaded = load_model(tmp_path / "raw.h5")
    assert loaded.optimizer is None and _same(model, loaded)
    model.save_weights(tmp_path / "w.h5")
    other = Sequential([Dense(3, input_shape=(2,)), Dense(1)])
    other.load_weights(tmp_path / "w.h5")
    assert _same(model, other)
    wrong = Sequential([Dense(4, input_shape=(2,)), Dense(1)])
    with pytest.raises(ValueError, match="weight 'dense.*/0' is a \\(2, 3\\)"):
        wrong.load_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="load_weights"):
        load_model(tmp_path / "w.h5")


def test_float64_model_round_trip(tmp_path, float64):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=1, verbose=0, seed=0)
    model.save(tmp_path / "m64")
    import neuronet
    neuronet.config.set_floatx("float32")
    loaded = load_model(tmp_path / "m64")
    assert loaded.dtype == np.float64 and np.array_equal(model.predict(x), loaded.predict(x.astype("float64")))


def test_atomic_write_keeps_previous_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "model.h5"
    model = _model()
    model.save(path)
    before = path.read_bytes()

    def broken_save(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(fmt.os, "fsync", broken_save)
    with pytest.raises(OSError, match="model.h5.*No space left"):
        model.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.h5"]        # no temporary file left behind


def test_unwritable_path_gives_oserror_naming_it(tmp_path):
    target = tmp_path / "missing_dir" / "model.h5"
    with pytest.raises(OSError, match="missing_dir") as info:
        _model().save(target)
    assert str(info.value) == f"[Errno 2] Could not write {str(target)!r}: No such file or directory"  # path once
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        (ro / "m.h5").write_bytes(b"old")
        os.chmod(ro, 0o500)
        try:
            with pytest.raises(PermissionError, match="m.h5"):
                _model().save(ro / "m.h5")
            assert (ro / "m.h5").read_bytes() == b"old"
        finally:
            os.chmod(ro, 0o700)


def test_overwrite_false(tmp_path):
    _model().save(tmp_path / "a")
    with pytest.raises(FileExistsError):
        _model().save(tmp_path / "a", overwrite=False)


@pytest.mark.parametrize("cls, kwargs", [(MeanSquaredError, {"reduction": "sum"}),
                                         (Huber, {"delta": 0.5, "reduction": "mean_with_sample_weight"}),
                                         (CosineSimilarity, {"axis": 1, "reduction": "sum"})])
def test_loss_reduction_and_config_survive_save_and_load(tmp_path, cls, kwargs):
    x, y = _data()
    y = np.stack([y, -y + 1], axis=1)
    model = Sequential([Dense(4, activation="tanh", input_shape=(6,)), Dense(2)])
    model.compile(optimizer=Adam(learning_rate=0.01), loss=cls(**kwargs))
    model.fit(x, y, epochs=2, batch_size=32, verbose=0, seed=0)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert type(loaded.loss) is type(model.loss)
    assert loaded.loss.get_config() == model.loss.get_config()
    assert loaded.loss.reduction == kwargs["reduction"]
    assert loaded.evaluate(x, y, batch_size=32, verbose=0) == model.evaluate(x, y, batch_size=32, verbose=0)
    # training goes on identically (the reduction's gradient, the optimizer state)
    model.fit(x, y, epochs=1, batch_size=32, verbose=0, shuffle=False)
    loaded.fit(x, y, epochs=1, batch_size=32, verbose=0, shuffle=False)
    assert _same(model, loaded)
