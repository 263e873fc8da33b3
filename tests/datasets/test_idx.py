"""neuronet.datasets: the bundled Boston CSV, scikit-learn wrappers and the IDX reader."""
import gzip
import struct

import numpy as np
import pandas as pd
import pytest

from neuronet import datasets
from neuronet.datasets import load_boston, load_idx, load_mnist


def test_load_boston_bunch():
    b = load_boston()
    assert b.data.shape == (506, 13) and b.target.shape == (506,)
    assert b.feature_names == ["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX",
                               "PTRATIO", "B", "LSTAT"]
    assert b.frame is None and "B encodes race" in b.DESCR.replace("\n", " ")
    np.testing.assert_allclose(b.data[0, :3], [0.00632, 18, 2.31])
    assert b.target[0] == 24.0 and b.target.mean() == pytest.approx(22.5328, abs=1e-3)


def test_load_boston_docstring_states_caveat_and_alternative():
    doc = " ".join(load_boston.__doc__.split())
    assert "encodes race" in doc and "load_diabetes" in doc


def test_load_boston_variants():
    X, y = load_boston(return_X_y=True)
    assert X.shape == (506, 13)
    Xf, yf = load_boston(return_X_y=True, as_frame=True)
    assert isinstance(Xf, pd.DataFrame) and isinstance(yf, pd.Series) and yf.name == "MEDV"
    assert load_boston(as_frame=True).frame.shape == (506, 14)


@pytest.mark.parametrize("name,shape", [("load_breast_cancer", (569, 30)), ("load_wine", (178, 13)),
                                        ("load_iris", (150, 4)), ("load_digits", (1797, 64)),
                                        ("load_diabetes", (442, 10))])
def test_sklearn_wrappers(name, shape):
    loader = getattr(datasets, name)
    X, y = loader(return_X_y=True)
    assert X.shape == shape and len(y) == shape[0]
    Xf, _ = loader(return_X_y=True, as_frame=True)
    assert isinstance(Xf, pd.DataFrame) and Xf.shape == shape
    assert loader.__name__ == name and loader.__doc__


def _idx_bytes(arr, code):
    dt = {0x08: ">u1", 0x0D: ">f4", 0x0B: ">i2"}[code]
    head = bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return head + arr.astype(dt).tobytes()


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("code,dtype", [(0x08, np.uint8), (0x0D, np.float32), (0x0B, np.int16)])
def test_load_idx_round_trip(tmp_path, compress, code, dtype):
    arr = (np.arange(2 * 3 * 4) * 7 % 251).astype(dtype).reshape(2, 3, 4)
    if dtype == np.float32:
        arr = arr / 3
    raw = _idx_bytes(arr, code)
    path = tmp_path / ("x.idx.gz" if compress else "x.idx")  # the name does not matter: magic bytes do
    path.write_bytes(gzip.compress(raw) if compress else raw)
    out = load_idx(path)
    assert out.dtype == dtype and out.dtype.isnative and out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out, arr)


def test_load_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.*|downloads nothing") as info:
        load_idx(tmp_path / "nope-idx3-ubyte")
    assert "nope-idx3-ubyte" in str(info.value) and "downloads nothing" in str(info.value)


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("mutate,match", [
    (lambda b: b[:3], "shorter than"),
    (lambda b: b"\x01" + b[1:], "two zero bytes"),
    (lambda b: b[:2] + b"\x07" + b[3:], "dtype code"),
    (lambda b: b[:3] + b"\x00" + b[4:], "0 dimensions"),
    (lambda b: b[:10], "truncated"),
    (lambda b: b[:-5], "does not match its header"),
    (lambda b: b + b"\x00", "does not match its header"),
    (lambda b: b[:4] + struct.pack(">3I", 4_000_000_000, 4_000_000_000, 9) + b[16:], "does not match"),
])
def test_load_idx_malformed(tmp_path, compress, mutate, match):
    raw = mutate(_idx_bytes(np.zeros((2, 3, 4), np.uint8), 0x08))
    path = tmp_path / "bad"
    path.write_bytes(gzip.compress(raw) if compress else raw)
    with pytest.raises(ValueError, match=match):
        load_idx(path)


def test_load_idx_corrupt_gzip(tmp_path):
    data = gzip.compress(_idx_bytes(np.zeros((5, 5), np.uint8), 0x08))
    path = tmp_path / "bad.gz"
    path.write_bytes(data[:-12])
    with pytest.raises(ValueError, match="gzip"):
        load_idx(path)


def test_load_mnist(tmp_path):
    rng = np.random.default_rng(0)
    parts = {"train-images-idx3-ubyte.gz": rng.integers(0, 255, (6, 28, 28)),
             "train-labels-idx1-ubyte": rng.integers(0, 10, 6),
             "t10k-images-idx3-ubyte": rng.integers(0, 255, (2, 28, 28)),
             "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, 2)}
    for name, arr in parts.items():
        raw = _idx_bytes(arr.astype(np.uint8), 0x08)
        (tmp_path / name).write_bytes(gzip.compress(raw) if name.endswith(".gz") else raw)
    (x_train, y_train), (x_test, y_test) = load_mnist(tmp_path)
    assert x_train.shape == (6, 28, 28) and y_test.shape == (2,)
    np.testing.assert_array_equal(y_train, parts["train-labels-idx1-ubyte"])
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="downloads nothing"):
        load_mnist(tmp_path / "absent")
