"""load_idx: round trips, missing, malformed and corrupt files."""
import gzip
import struct

import numpy as np
import pytest

from neuronet.datasets import load_idx
from idx_files import idx_bytes


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("code,dtype", [(0x08, np.uint8), (0x0D, np.float32), (0x0B, np.int16)])
def test_load_idx_round_trip(tmp_path, compress, code, dtype):
    arr = (np.arange(2 * 3 * 4) * 7 % 251).astype(dtype).reshape(2, 3, 4)
    if dtype == np.float32:
        arr = arr / 3
    raw = idx_bytes(arr, code)
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
    raw = mutate(idx_bytes(np.zeros((2, 3, 4), np.uint8), 0x08))
    path = tmp_path / "bad"
    path.write_bytes(gzip.compress(raw) if compress else raw)
    with pytest.raises(ValueError, match=match):
        load_idx(path)


def test_load_idx_corrupt_gzip(tmp_path):
    data = gzip.compress(idx_bytes(np.zeros((5, 5), np.uint8), 0x08))
    path = tmp_path / "bad.gz"
    path.write_bytes(data[:-12])
    with pytest.raises(ValueError, match="gzip"):
        load_idx(path)


def test_gzip_decompression_bomb_is_refused_before_decompressing(tmp_path, monkeypatch):
    import neuronet.datasets.idx as idx
    zeros = idx_bytes(np.zeros((2000, 100, 100), np.uint8), 0x08)        # 20 MB of zeros: ~20 KB gzipped
    path = tmp_path / "bomb-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(zeros))
    assert len(zeros) > idx.MAX_RATIO * path.stat().st_size + idx.FREE_BYTES
    with pytest.raises(ValueError, match="decompression bomb"):
        load_idx(path)
    monkeypatch.setattr(idx, "MAX_RATIO", 10_000)                         # the same file under a looser limit
    assert load_idx(path).shape == (2000, 100, 100)


def test_gzip_of_real_looking_data_passes_the_ratio_limit(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (300, 28, 28), dtype=np.uint8)
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(idx_bytes(images, 0x08)))
    assert np.array_equal(load_idx(path), images)
