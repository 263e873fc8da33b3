"""SciPy sparse x in fit / evaluate / predict / train_on_batch: the same numbers as the dense array,
densified one batch at a time."""
import numpy as np
import pytest
from scipy import sparse

from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.models.epoch_iterator import EpochIterator
from neuronet.models.sparse_rows import SparseRows, dense_rows, is_sparse


def _data(n=60, d=12, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) * (rng.random((n, d)) < 0.3)       # mostly zeros, as one-hot columns are
    return x, (x[:, 0] - x[:, 1] > 0).astype(np.float32)


def _model(seed=0):
    import neuronet
    neuronet.set_random_seed(seed)
    model = Sequential([Dense(8, activation="relu", input_shape=(12,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    return model


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_fit_evaluate_predict_on_sparse_equal_dense(fmt):
    x, y = _data()
    xs = sparse.csr_matrix(x) if fmt == "csr" else sparse.csc_matrix(x)
    dense, sparse_model = _model(), _model()
    hd = dense.fit(x, y, batch_size=16, epochs=3, validation_split=0.25, seed=1, verbose=0)
    hs = sparse_model.fit(xs, y, batch_size=16, epochs=3, validation_split=0.25, seed=1, verbose=0)
    assert hs.history == hd.history
    for a, b in zip(sparse_model.get_weights(), dense.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert sparse_model.evaluate(xs, y, verbose=0) == dense.evaluate(x, y, verbose=0)
    np.testing.assert_array_equal(sparse_model.predict(xs, batch_size=7), dense.predict(x, batch_size=7))
    np.testing.assert_array_equal(sparse_model.predict(xs), dense.predict(x))
    assert sparse_model.train_on_batch(xs[:10], y[:10]) == dense.train_on_batch(x[:10], y[:10])


def test_batches_of_sparse_rows_are_dense_and_shuffled_like_dense():
    x, y = _data(n=10, d=3)
    dense = EpochIterator(x, y, batch_size=4, shuffle=True, rng=np.random.default_rng(0))
    rows = EpochIterator(SparseRows(sparse.csr_matrix(x)), y, batch_size=4, shuffle=True,
                         rng=np.random.default_rng(0))
    dense.start_epoch(), rows.start_epoch()
    for (i, xd, yd, _), (j, xs, ys, _) in zip(dense.batches(), rows.batches()):
        assert isinstance(xs, np.ndarray) and i == j
        np.testing.assert_array_equal(xs, xd)
        np.testing.assert_array_equal(ys, yd)


def test_an_unbuilt_model_builds_from_sparse_x_and_keeps_it_sparse():
    import neuronet
    x, y = _data()
    models = []
    for data in (x, sparse.csr_matrix(x)):
        neuronet.set_random_seed(0)
        model = Sequential([Dense(8, activation="relu"), Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(data, y, batch_size=16, epochs=2, seed=1, verbose=0)
        models.append(model)
    for a, b in zip(*(m.get_weights() for m in models)):
        np.testing.assert_array_equal(a, b)
    from neuronet.models import data_checks
    unbuilt = Sequential([Dense(2)])
    assert isinstance(data_checks.prepare_x(unbuilt, sparse.csr_matrix(x)), SparseRows)


def test_sparse_rows_keep_the_matrix_sparse_until_asked():
    m = sparse.random(50, 20, density=0.1, format="csc", random_state=0)
    rows = SparseRows(m, np.float32)
    assert len(rows) == 50 and rows.shape == (50, 20) and rows.dtype == np.float32
    assert is_sparse(rows[5:9].matrix) and is_sparse(rows.take([3, 1]).matrix)
    assert rows[4, 7] == np.float32(m.toarray()[4, 7])            # one value, as an array's [i, j]
    np.testing.assert_array_equal(dense_rows(rows.take([3, 1])), m.toarray()[[3, 1]].astype(np.float32))
    np.testing.assert_array_equal(np.asarray(rows), m.toarray().astype(np.float32))
    array = m.toarray()
    assert dense_rows(array) is array and not is_sparse(array)


def test_sparse_x_errors_name_the_argument():
    model = _model()
    x, y = _data()
    bad = sparse.csr_matrix(x)
    bad.data[bad.indptr[7]] = np.nan          # the first stored value of row 7
    with pytest.raises(ValueError, match=r"`x` \(a sparse matrix\) has 1 NaN or inf stored value\(s\), the first in row 7"):
        model.fit(bad, y, verbose=0)
    huge = sparse.csr_matrix(x)
    huge.data[huge.indptr[3]] = 1e300          # finite in float64, beyond float32
    with pytest.raises(ValueError, match=r"a value out of float32 range \(1e\+300\), the first in row 3"):
        model.fit(huge, y, verbose=0)
    with pytest.raises(ValueError, match="out of float32 range"):
        model.predict(huge)
    with pytest.raises(ValueError, match="CSR or CSC"):
        model.fit(sparse.coo_matrix(x), y, verbose=0)
    with pytest.raises(ValueError, match="features per sample"):
        model.fit(sparse.csr_matrix(x[:, :5]), y, verbose=0)
