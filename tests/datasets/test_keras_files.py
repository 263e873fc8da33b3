"""Keras dataset files: missing, pickled, damaged or inconsistent npz files are refused clearly."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from neuronet.datasets import fashion_mnist, mnist


def _keras_npz(path, n_train=5, n_test=3):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 255, (n_train, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
              "x_test": rng.integers(0, 255, (n_test, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, n_test, dtype=np.uint8)}
    np.savez(path, **arrays)
    return arrays


def test_load_data_offline_without_files_says_where_to_put_which_file(tmp_path, monkeypatch):
    from neuronet.datasets.download import DownloadError
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NEURONET_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DownloadError) as info:        # the tests reach no host but 127.0.0.1
        mnist.load_data()
    message = str(info.value)
    assert "mnist.npz" in message and "load_digits" in message and "offline" in message
    assert str(tmp_path / ".neuronet" / "datasets" / "mnist.npz") in message
    with pytest.raises(DownloadError, match="fashion-mnist"):
        fashion_mnist.load_data()


def test_load_data_refuses_pickled_and_incomplete_npz(tmp_path):
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.savez(tmp_path / "pickled.npz", x_train=np.array([{"a": 1}], dtype=object), y_train=np.zeros(1),
             x_test=np.zeros(1), y_test=np.zeros(1))
    with pytest.raises(ValueError, match="pickle"):
        mnist.load_data(tmp_path / "pickled.npz")
    np.savez(tmp_path / "partial.npz", x_train=np.zeros(1))
    with pytest.raises(ValueError, match=r"y_train"):
        mnist.load_data(tmp_path / "partial.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="not a readable .npz"):
        mnist.load_data(tmp_path / "junk.npz")


@pytest.fixture(scope="module")
def npz_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("npz") / "mnist.npz"
    _keras_npz(path, n_train=2, n_test=1)
    return path.read_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_load_data_on_damaged_npz_returns_arrays_or_raises_value_error(npz_bytes, tmp_path, data):
    raw = bytearray(npz_bytes)
    cut = data.draw(st.integers(4, len(raw)), label="truncate at")
    raw = raw[:cut]
    for _ in range(data.draw(st.integers(0, 6), label="flips")):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.npz"
    path.write_bytes(bytes(raw))
    try:
        (x_train, _), _ = mnist.load_data(path)
    except ValueError as error:
        assert str(path) in str(error)
    else:
        assert isinstance(x_train, np.ndarray)


def test_npz_with_mismatched_images_and_labels_is_refused(tmp_path):
    np.savez(tmp_path / "bad.npz", x_train=np.zeros((3, 28, 28), np.uint8), y_train=np.zeros(2, np.uint8),
             x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(ValueError, match=r"train images and labels disagree: 3 images \(x_train\), 2 labels"):
        mnist.load_data(tmp_path / "bad.npz")


def test_npz_with_a_scalar_array_is_refused_as_a_value_error(tmp_path):
    np.savez(tmp_path / "scalar.npz", x_train=np.array(3, np.uint8), y_train=np.zeros(2, np.uint8),
             x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(ValueError, match=r"x_train and y_train must be arrays.*shapes \(\) and \(2,\)"):
        mnist.load_data(tmp_path / "scalar.npz")


def test_npz_decompression_bomb_is_refused_before_decompressing(tmp_path):
    arrays = {"x_train": np.zeros((2000, 100, 100), np.uint8), "y_train": np.zeros(2000, np.uint8),
              "x_test": np.zeros((1, 100, 100), np.uint8), "y_test": np.zeros(1, np.uint8)}
    np.savez_compressed(tmp_path / "bomb.npz", **arrays)                  # 20 MB of zeros in ~20 KB
    with pytest.raises(ValueError, match="decompression bomb"):
        mnist.load_data(tmp_path / "bomb.npz")
    arrays["x_train"] = np.random.default_rng(0).integers(0, 256, (2000, 10, 10), dtype=np.uint8)
    np.savez_compressed(tmp_path / "fine.npz", **{**arrays, "x_test": np.zeros((1, 10, 10), np.uint8)})
    assert mnist.load_data(tmp_path / "fine.npz")[0][0].shape == (2000, 10, 10)
