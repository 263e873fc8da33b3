"""Downloads through the real code against a local HTTP server on 127.0.0.1: good, corrupt, truncated,
wrong-hash and slow files; the cache folder rule; atomic writes."""
import gzip
import hashlib
import http.server
import io
import os
import pickle
import tarfile
import threading
import time

import numpy as np
import pytest

from neuronet.datasets import cifar10, download, fashion_mnist, mnist
from idx_files import idx_bytes


class Files(http.server.BaseHTTPRequestHandler):
    """Serves ``files`` (path -> bytes); '/truncated/...' announces more bytes than it sends and
    '/slow/...' waits before answering."""
    files, hits = {}, []

    def do_GET(self):
        Files.hits.append(self.path)
        name = self.path.rsplit("/", 1)[-1]
        if self.path.startswith("/slow/"):
            time.sleep(1.5)
        data = self.files.get(name)
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data) + (100 if self.path.startswith("/truncated/") else 0)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURONET_HOME", str(tmp_path / "home"))
    Files.files, Files.hits = {}, []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_a_good_file_is_downloaded_once_into_neuronet_home(server, tmp_path):
    Files.files["a.bin"] = data = os.urandom(200_000)
    path = download.get_file("a.bin", f"{server}/a.bin", sha(data))
    assert path == tmp_path / "home" / "datasets" / "a.bin" and path.read_bytes() == data
    assert download.get_file("a.bin", f"{server}/a.bin", sha(data)) == path
    assert Files.hits == ["/a.bin"]                          # the second call used the cache
    assert [p.name for p in path.parent.iterdir()] == ["a.bin"]      # no temporary file left


def test_a_cached_file_with_the_wrong_hash_is_downloaded_again(server):
    Files.files["a.bin"] = data = b"right" * 1000
    target = download.cache_dir() / "a.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"stale")
    assert download.get_file("a.bin", f"{server}/a.bin", sha(data)).read_bytes() == data


@pytest.mark.parametrize("route, message", [("/truncated/", "stopped after"), ("/", "SHA-256")])
def test_truncated_and_corrupt_downloads_save_nothing(server, route, message):
    Files.files["a.bin"] = b"x" * 5000
    expected = sha(b"y" * 5000)                       # the route '/' serves a file with another hash
    with pytest.raises(download.DownloadError, match=message):
        download.get_file("a.bin", f"{server}{route}a.bin", expected)
    assert not download.cache_dir().exists() or list(download.cache_dir().iterdir()) == []


def test_a_slow_server_times_out_with_the_offline_advice(server):
    Files.files["a.bin"] = b"late"
    started = time.monotonic()
    with pytest.raises(download.DownloadError, match="copy it to") as info:
        download.get_file("a.bin", f"{server}/slow/a.bin", sha(b"late"), timeout=0.3)
    assert time.monotonic() - started < 1.4
    assert "timed out" in str(info.value)


def test_a_missing_file_and_a_closed_port_are_clear(server):
    with pytest.raises(download.DownloadError, match="HTTP 404"):
        download.get_file("none.bin", f"{server}/none.bin")
    with pytest.raises(download.DownloadError, match="offline"):
        download.get_file("a.bin", "http://127.0.0.1:9/a.bin", timeout=1)


def test_the_internet_is_out_of_reach_in_tests_and_the_message_says_what_to_do(server):
    with pytest.raises(download.DownloadError) as info:
        mnist.load_data()
    text = str(info.value)
    assert "storage.googleapis.com" in text and "mnist.npz" in text and "load_digits" in text


def test_cache_folder_rule(tmp_path, monkeypatch):
    monkeypatch.delenv("NEURONET_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert download.cache_dir() == tmp_path / ".neuronet" / "datasets"
    (tmp_path / ".keras" / "datasets").mkdir(parents=True)
    assert download.cache_dir() == tmp_path / ".keras" / "datasets"
    monkeypatch.setenv("NEURONET_HOME", str(tmp_path / "elsewhere"))
    assert download.cache_dir() == tmp_path / "elsewhere" / "datasets"


def _npz_bytes():
    buf = io.BytesIO()
    rng = np.random.default_rng(0)
    np.savez(buf, x_train=rng.integers(0, 255, (5, 28, 28), dtype=np.uint8), y_train=np.arange(5, dtype=np.uint8),
             x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.ones(2, np.uint8))
    return buf.getvalue()


def test_mnist_load_data_downloads_and_checks(server, monkeypatch):
    Files.files["mnist.npz"] = data = _npz_bytes()
    monkeypatch.setattr(mnist, "ORIGIN", f"{server}/mnist.npz")
    monkeypatch.setattr(mnist, "FILE_HASH", sha(data))
    (x_train, y_train), (x_test, _) = mnist.load_data()
    assert x_train.shape == (5, 28, 28) and y_train.tolist() == [0, 1, 2, 3, 4] and x_test.shape == (2, 28, 28)
    monkeypatch.setattr(mnist, "FILE_HASH", sha(b"other"))
    (download.cache_dir() / "mnist.npz").write_bytes(data)
    with pytest.raises(download.DownloadError, match="SHA-256"):
        mnist.load_data()


def test_fashion_mnist_load_data_downloads_the_four_gz_files(server, monkeypatch):
    labels = np.array([9, 0, 3], dtype=np.uint8)
    arrays = {"train-images-idx3-ubyte.gz": np.zeros((3, 28, 28), np.uint8), "train-labels-idx1-ubyte.gz": labels,
              "t10k-images-idx3-ubyte.gz": np.ones((1, 28, 28), np.uint8), "t10k-labels-idx1-ubyte.gz": labels[:1]}
    Files.files = {name: gzip.compress(idx_bytes(a, 0x08)) for name, a in arrays.items()}
    monkeypatch.setattr(fashion_mnist, "BASE", f"{server}/")
    monkeypatch.setattr(fashion_mnist, "FILE_HASHES", {k: sha(v) for k, v in Files.files.items()})
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(y_train, labels)
    assert x_test.shape == (1, 28, 28) and (download.cache_dir() / "fashion-mnist").is_dir()


def _cifar_archive(evil=False):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for i, name in enumerate([f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]):
            batch = {b"data": np.full((2, 3072), i, np.uint8), b"labels": [i, 9 - i]}
            data = pickle.dumps(batch if not (evil and i == 2) else os.system, protocol=2)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_cifar10_load_data_reads_the_pickled_batches_safely(server, monkeypatch):
    Files.files["cifar-10-python.tar.gz"] = data = _cifar_archive()
    monkeypatch.setattr(cifar10, "ORIGIN", f"{server}/cifar-10-python.tar.gz")
    monkeypatch.setattr(cifar10, "FILE_HASH", sha(data))
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and y_train.shape == (10, 1) and x_test.shape == (2, 32, 32, 3)
    assert y_train[:4].ravel().tolist() == [0, 9, 1, 8] and int(x_test.max()) == 5
    evil = download.cache_dir() / "evil.tar.gz"
    evil.write_bytes(_cifar_archive(evil=True))
    with pytest.raises(ValueError, match="only plain arrays"):
        cifar10.read_archive(evil)
