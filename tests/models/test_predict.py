"""Model.predict: read-only and memory-mapped inputs, threads, chunked memory, errors naming the row."""
import threading
import tracemalloc

import numpy as np
import pytest

from neuronet.layers import Dense
from neuronet.models import Sequential


def small_model(out=1, activation=None, loss="mse"):
    model = Sequential([Dense(8, activation="relu", input_shape=(3,)), Dense(out, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    return x, x @ np.array([1.0, -1.0, 0.5])


# ---- inputs and concurrency --------------------------------------------------------------------------------
def test_read_only_and_memory_mapped_inputs(tmp_path):
    x, y = data()
    path = tmp_path / "x.dat"
    mm = np.memmap(path, dtype=np.float64, mode="w+", shape=x.shape)
    mm[:] = x
    mm.flush()
    readonly = np.memmap(path, dtype=np.float64, mode="r", shape=x.shape)
    model = small_model()
    model.fit(readonly, y, epochs=2, verbose=0)
    assert model.predict(readonly).shape == (len(x), 1)
    np.testing.assert_array_equal(readonly, x)


def test_predict_is_identical_from_eight_threads():
    x, y = data(400)
    model = small_model()
    model.fit(x, y, epochs=1, verbose=0)
    expected = model.predict(x)
    results, errors = [None] * 8, []

    def work(i):
        try:
            for _ in range(20):
                results[i] = model.predict(x, batch_size=64)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_predict_memory_grows_with_the_chunk_not_the_data():
    model = Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(1, activation="sigmoid")])
    x = np.random.default_rng(0).normal(size=(200_000, 30))        # float64: 48 MB
    tracemalloc.start()
    out = model.predict(x, batch_size=1024)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert out.shape == (200_000, 1)
    # the output (0.8 MB) plus a few chunk-sized buffers; a float32 copy of x alone would be 24 MB
    assert peak < out.nbytes + 4 * 1024 * 64 * 8 + 2_000_000, peak


def test_nan_in_a_later_chunk_names_the_global_row():
    model = small_model()
    x = np.zeros((3000, 3))
    x[2500, 1] = np.nan
    with pytest.raises(ValueError, match="row 2500, column 1"):
        model.predict(x)


def _unbuilt_models():
    from neuronet.layers import Dropout, Input
    from neuronet.models import Model

    class Subclassed(Model):
        def __init__(self):
            super().__init__()
            self.hidden, self.out = Dense(8, activation="relu"), Dense(1, activation="sigmoid")

        def call(self, x, training=False):
            return self.out(self.hidden(x))
    yield "sequential", lambda: Sequential([Dense(16, activation="relu"), Dropout(0.2), Dense(8, activation="relu"),
                                             Dense(1, activation="sigmoid")])
    yield "subclassed", Subclassed


@pytest.mark.parametrize("kind", [name for name, _ in _unbuilt_models()])
def test_eight_threads_predicting_on_an_unbuilt_model_build_it_once(kind):
    make = dict(_unbuilt_models())[kind]
    x = np.random.default_rng(0).normal(size=(50, 5)).astype("float32")
    for _ in range(10):                       # the race needs the threads to meet inside the build
        model = make()
        results, errors = [None] * 8, []
        barrier = threading.Barrier(8)

        def work(i):
            barrier.wait()
            try:
                results[i] = model.predict(x, verbose=0)
            except Exception as exc:          # noqa: BLE001 - any error is the failure reported below
                errors.append(repr(exc))
        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert all(r.dtype == np.float32 and np.array_equal(r, results[0]) for r in results)


def test_values_beyond_float32_are_named_out_of_range_in_fit_and_predict():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    x = np.ones((4, 2))
    x[2, 1] = 1e39                                   # finite in float64, inf in float32
    model = Sequential([Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="out of float32 range"):
        model.fit(x, np.ones(4), verbose=0)          # unbuilt: built from x, then converted and checked
    with pytest.raises(ValueError, match="out of float32 range"):
        model.predict(x)
