"""fit / evaluate / predict on streams: generators, PyDataset, memmaps and Dask arrays."""
import math

import numpy as np
import pytest

import neuronet
from neuronet.callbacks import BackupAndRestore, Callback
from neuronet.layers import Dense, Dropout
from neuronet.models import Sequential
from neuronet.models.data_adapters import StreamDataError, data_kind
from neuronet.utils import PyDataset, Sequence

RNG = np.random.default_rng(0)
X = RNG.normal(size=(120, 4)).astype("float32")
Y = (X @ RNG.normal(size=4) > 0).astype("float32")


def make_model(seed=1, dropout=False):
    neuronet.utils.clear_session()          # layer names (which a backup keys on) repeat
    neuronet.set_random_seed(seed)
    layers = [Dense(6, activation="relu", input_shape=(4,))] + ([Dropout(0.2, seed=5)] if dropout else [])
    model = Sequential(layers + [Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["acc"])
    return model


def batches(size=20, repeat=True):
    while True:
        for i in range(0, len(X), size):
            yield X[i:i + size], Y[i:i + size]
        if not repeat:
            return


class Slices(PyDataset):
    def __init__(self, batch_size=20, **kwargs):
        super().__init__(**kwargs)
        self.batch_size, self.ends = batch_size, 0

    def __len__(self):
        return math.ceil(len(X) / self.batch_size)

    def __getitem__(self, idx):
        part = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return X[part], Y[part]

    def on_epoch_end(self):
        self.ends += 1


def same_weights(a, b):
    return all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))


# ---- the same training as arrays ------------------------------------------------------------------
def test_a_generator_trains_exactly_as_the_same_batches_in_an_array():
    ref, gen = make_model(), make_model()
    ref.fit(X, Y, batch_size=20, epochs=3, shuffle=False, verbose=0)
    history = gen.fit(batches(), steps_per_epoch=6, epochs=3, verbose=0)
    assert same_weights(ref, gen)
    assert len(history.history["loss"]) == 3


@pytest.mark.parametrize("kind", ["memmap", "dask"])
def test_memmap_and_dask_train_exactly_as_the_array_in_order(tmp_path, kind):
    if kind == "memmap":
        np.save(tmp_path / "x.npy", X)
        data = np.load(tmp_path / "x.npy", mmap_mode="r")
    else:
        da = pytest.importorskip("dask.array")
        data = da.from_array(X, chunks=25)           # chunks that do not line up with the batches
    ref, model = make_model(), make_model()
    ref.fit(X, Y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    model.fit(data, Y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert same_weights(ref, model)
    np.testing.assert_allclose(model.predict(data, batch_size=7), model.predict(X), rtol=1e-6)
    assert model.evaluate(data, Y, verbose=0) == pytest.approx(model.evaluate(X, Y, verbose=0), rel=1e-6)


def test_a_shuffled_memmap_sees_every_sample_once_per_epoch_and_repeats_with_a_seed(tmp_path):
    from neuronet.models.data_adapters import make_iterator
    rows = np.arange(100, dtype="float32").reshape(-1, 1).repeat(4, axis=1)
    np.save(tmp_path / "x.npy", rows)
    data = np.load(tmp_path / "x.npy", mmap_mode="r")
    orders = []
    for _ in range(2):
        it = make_iterator(make_model(), data, np.zeros(100), batch_size=8, shuffle=True,
                           rng=np.random.default_rng(3))
        it.start_epoch()
        orders.append(np.concatenate([xb[:, 0] for _, xb, _, _ in it.batches()]))
    assert sorted(orders[0].tolist()) == list(range(100)) and orders[0].tolist() != list(range(100))
    np.testing.assert_array_equal(orders[0], orders[1])


def test_a_memmap_is_read_from_its_file_past_the_npy_header(tmp_path):
    from neuronet.models.data_adapters.array_stream import RowReader, is_file_memmap
    np.save(tmp_path / "x.npy", X)
    data = np.load(tmp_path / "x.npy", mmap_mode="r")
    assert is_file_memmap(data)
    np.testing.assert_array_equal(RowReader(data).read(7, 30), X[7:30])


def test_a_pydataset_with_workers_trains_as_with_one_worker_and_repeats_with_a_seed():
    runs = []
    for workers in (1, 4, 4):
        model, data = make_model(), Slices(workers=workers, max_queue_size=3)
        model.fit(data, epochs=3, seed=7, verbose=0)
        runs.append(model)
        assert data.ends == 3                          # on_epoch_end after every epoch
    assert same_weights(runs[0], runs[1]) and same_weights(runs[1], runs[2])
    other = make_model()
    other.fit(Slices(), epochs=3, seed=8, verbose=0)
    assert not same_weights(runs[0], other)            # the seed sets the batch order


def test_a_pydataset_loads_in_processes_with_use_multiprocessing():
    model, ref = make_model(), make_model()
    model.fit(Slices(workers=2, use_multiprocessing=True), epochs=1, seed=0, verbose=0)
    ref.fit(Slices(), epochs=1, seed=0, verbose=0)
    assert same_weights(model, ref)


def test_evaluate_and_predict_read_a_pydataset_and_a_generator():
    model = make_model()
    model.fit(X, Y, epochs=1, verbose=0)
    loss, acc = model.evaluate(X, Y, verbose=0)
    assert model.evaluate(Slices(), verbose=0) == pytest.approx([loss, acc], rel=1e-6)
    assert model.evaluate(batches(repeat=False), verbose=0) == pytest.approx([loss, acc], rel=1e-6)
    np.testing.assert_allclose(model.predict(Slices()), model.predict(X), rtol=1e-6)
    only_x = (xb for xb, _ in batches(repeat=False))
    np.testing.assert_allclose(model.predict(only_x), model.predict(X), rtol=1e-6)
    np.testing.assert_allclose(model.predict(batches(), steps=2), model.predict(X[:40]), rtol=1e-6)


def test_validation_data_as_a_generator_with_validation_steps():
    model = make_model()
    history = model.fit(batches(), steps_per_epoch=6, epochs=2, validation_data=batches(),
                        validation_steps=6, verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(model.evaluate(X, Y, verbose=0)[0], rel=1e-6)


def test_a_sequence_is_the_keras2_name_of_pydataset():
    assert issubclass(Sequence, PyDataset)


def test_the_progress_bar_counts_steps_of_a_stream(capsys):
    make_model().fit(Slices(), epochs=1, verbose=2)
    out = capsys.readouterr().out
    assert "Train for 6 steps" in out and "6/6" in out


# ---- Keras semantics and errors ------------------------------------------------------------------
def test_a_generator_that_runs_out_ends_training_with_keras_warning():
    model = make_model()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(batches(repeat=False), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(history.epoch) == 2        # the second epoch ran out after 2 batches; training stopped


def test_an_endless_generator_needs_steps_per_epoch():
    model = make_model()
    before = model.get_weights()
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(batches(), epochs=2, verbose=0)
    with pytest.raises(ValueError, match="validation_steps"):
        model.fit(batches(), steps_per_epoch=2, epochs=2, validation_data=batches(), verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_a_finite_generator_without_steps_is_one_epoch_until_it_ends():
    model = make_model()
    history = model.fit(batches(repeat=False), epochs=1, verbose=0)
    assert history.history["acc"][0] == pytest.approx(history.history["acc"][0]) and len(history.epoch) == 1


def _bad(kind):
    for i, (xb, yb) in enumerate(batches(repeat=False)):
        if i == 2:
            if kind == "shape":
                xb = np.zeros((20, 5), "float32")
            elif kind == "dtype":
                xb = xb.astype("float64")
            elif kind == "nan":
                xb = xb.copy()
                xb[3, 1] = np.nan
            elif kind == "strings":
                xb = np.array([["a"] * 4] * 20)
        yield xb, yb


@pytest.mark.parametrize("kind, message", [("shape", r"Batch 2 .*shape \(5,\)"), ("dtype", "Batch 2 .*dtype float64"),
                                           ("nan", "Batch 2 .*NaN"), ("strings", "Batch 2 .*non-numeric")])
def test_a_bad_batch_is_named_and_leaves_the_weights_as_fit_found_them(kind, message):
    model = make_model()
    before = model.get_weights()
    with pytest.raises(StreamDataError, match=message):
        model.fit(_bad(kind), epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_a_bad_first_batch_stops_fit_before_any_step():
    model = make_model()
    before = model.get_weights()
    with pytest.raises(StreamDataError, match="Batch 0 .*not a tuple"):
        model.fit((xb for xb, _ in batches()), steps_per_epoch=3, epochs=1, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_an_empty_generator_is_refused():
    with pytest.raises(ValueError, match="yielded nothing"):
        make_model().fit(iter([]), epochs=1, verbose=0)


def test_a_pydataset_of_length_zero_is_refused():
    class Empty(PyDataset):
        def __len__(self):
            return 0
    with pytest.raises(ValueError, match="at least one batch"):
        make_model().fit(Empty(), epochs=1, verbose=0)


def test_a_sequence_like_object_that_is_no_pydataset_is_refused_before_it_is_read():
    class Endless:          # a Keras tutorial's Sequence: __getitem__ never raises IndexError
        reads = 0

        def __len__(self):
            return 3

        def __getitem__(self, idx):
            Endless.reads += 1
            return X[:2], Y[:2]
    with pytest.raises(TypeError, match="subclass neuronet.utils.PyDataset"):
        make_model().fit(Endless(), epochs=1, verbose=0)
    assert Endless.reads == 0
    with pytest.raises(TypeError, match="Unrecognized data type"):
        data_kind({1, 2})


def test_sparse_matrices_and_dataframes_stay_on_the_array_path():
    import pandas as pd
    import scipy.sparse as sp
    assert data_kind(sp.csr_matrix(X)) == data_kind(pd.DataFrame(X)) == data_kind([[1.0, 2.0]]) == "array"


def test_a_batch_of_several_inputs_is_refused_by_name():
    gen = (([xb, xb], yb) for xb, yb in batches())
    with pytest.raises(StreamDataError, match="Batch 0 .*list of arrays"):
        make_model().fit(gen, steps_per_epoch=2, verbose=0)
    rows = ([list(r) for r in X[:4]], Y[:4])          # nested lists of numbers are one array
    make_model().fit(iter([rows]), verbose=0)


def test_y_with_a_generator_is_refused():
    with pytest.raises(ValueError, match="`y` argument is not supported"):
        make_model().fit(batches(), Y, steps_per_epoch=2, verbose=0)


# ---- BackupAndRestore ------------------------------------------------------------------------------
def _pydataset():
    return (Slices(workers=2),), {}


def _memmap(tmp_path):
    np.save(tmp_path / "x.npy", X)
    return (np.load(tmp_path / "x.npy", mmap_mode="r"), Y), {"batch_size": 20}


def _generator():
    return (batches(),), {"steps_per_epoch": 6}


@pytest.mark.parametrize("data", ["pydataset", "memmap", "generator"])
def test_backup_and_restore_resumes_a_stream_mid_epoch_bit_identically(tmp_path, data):
    def make():
        return {"pydataset": _pydataset, "generator": _generator}[data]() if data != "memmap" else _memmap(tmp_path)
    args, kwargs = make()
    ref = make_model(dropout=True)
    ref_history = ref.fit(*args, epochs=3, seed=4, verbose=0, **kwargs)

    class Interrupt(Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if (self.epoch, batch) == (1, 3):
                raise KeyboardInterrupt

    backup = tmp_path / "backup"
    args, kwargs = make()
    with pytest.raises(KeyboardInterrupt):
        make_model(dropout=True).fit(*args, epochs=3, seed=4, verbose=0, **kwargs,
                                     callbacks=[Interrupt(), BackupAndRestore(backup, save_freq=2)])
    resumed = make_model(dropout=True)
    callback = BackupAndRestore(backup, save_freq=2)
    args, kwargs = make()
    history = resumed.fit(*args, epochs=3, seed=4, verbose=0, callbacks=[callback], **kwargs)
    assert callback.restored is not None and callback.restored[1] > 0           # resumed mid-epoch
    assert same_weights(ref, resumed)
    assert history.history["loss"] == ref_history.history["loss"]


def test_evaluate_on_a_pydataset_prints_steps(capsys):
    model = make_model()
    model.evaluate(Slices(), verbose=1)
    assert "6/6" in capsys.readouterr().out
