"""Streams: one epoch over a memmap and over a Dask array larger than the batches, with the process' peak
memory growth, and the speed-up of prefetching on a PyDataset whose __getitem__ waits (I/O-like).

    python bench/streams.py                    # 2 GB memmap and Dask array, a 40-batch sleeping PyDataset
    python bench/streams.py --gigabytes 0.05   # a smoke run

Each memory case runs in a fresh process whose peak resident size is reset before the epoch (Linux'
clear_refs; elsewhere ru_maxrss): growth = peak during the epoch - resident size before it. The memmap is read from its file, so
the pages read are not counted as the process' own; the Dask array is generated chunk by chunk, never
held whole. Quote ratios only: the machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

FEATURES = 784


def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb():
    """The process' peak resident size since start, or since reset_peak() where Linux allows it."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as fh:     # "5": reset the peak resident size (Linux)
            fh.write("5")
    except OSError:
        pass


def model():
    import neuronet
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    neuronet.set_random_seed(0)
    m = Sequential([Dense(50, activation="relu", input_shape=(FEATURES,)), Dense(10, activation="softmax")])
    m.compile("adam", "sparse_categorical_crossentropy", metrics=["acc"])
    return m


def write_memmap(path, rows):
    """``rows`` x 784 random float32 in an .npy file, written block by block."""
    mm = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(rows, FEATURES))
    block, rng = 1 << 14, np.random.default_rng(1)
    for start in range(0, rows, block):
        mm[start:start + block] = rng.random((min(block, rows - start), FEATURES), dtype=np.float32)
    mm.flush()


def one_epoch(kind, rows, folder):
    """Child process: one epoch over ``rows`` x 784 float32 from a memmap or a Dask array."""
    y = np.random.default_rng(0).integers(0, 10, rows)
    if kind == "memmap":
        x = np.load(os.path.join(folder, "x.npy"), mmap_mode="r")        # written by the parent
    else:
        import dask.array as da
        x = da.random.RandomState(1).random((rows, FEATURES), chunks=(1 << 12, FEATURES)).astype(np.float32)
    m = model()
    m.fit(np.zeros((8, FEATURES), np.float32), y[:8], verbose=0)     # first-use imports before measuring
    reset_peak()
    before = rss_mb()
    started = time.perf_counter()
    history = m.fit(x, y, batch_size=256, epochs=1, verbose=0, seed=0)
    elapsed = time.perf_counter() - started
    print(f"{kind}: {rows:,} rows x {FEATURES} float32 = {rows * FEATURES * 4 / 1e9:.2f} GB, one epoch "
          f"{elapsed:.1f} s ({rows / elapsed:,.0f} samples/s), peak RSS growth "
          f"{peak_mb() - before:.0f} MB (RSS before {before:.0f} MB), "
          f"loss {history.history['loss'][0]:.4f}")


def prefetch(batches, sleep_s):
    from neuronet.utils import PyDataset

    class Sleepy(PyDataset):
        def __len__(self):
            return batches

        def __getitem__(self, idx):
            time.sleep(sleep_s)             # reading a file, decoding images, a network share ...
            rng = np.random.default_rng(idx)
            return rng.random((64, FEATURES), dtype=np.float32), rng.integers(0, 10, 64)

    times = {}
    for workers in (1, 4):
        m = model()
        started = time.perf_counter()
        m.fit(Sleepy(workers=workers, max_queue_size=8), epochs=1, verbose=0, seed=0)
        times[workers] = time.perf_counter() - started
    print(f"prefetch: PyDataset of {batches} batches, __getitem__ sleeps {sleep_s * 1e3:.0f} ms: "
          f"workers=1 {times[1]:.2f} s, workers=4 {times[4]:.2f} s, speed-up {times[1] / times[4]:.1f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=2.0)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        one_epoch(args.child[0], int(args.child[1]), args.folder)
        return
    rows = int(args.gigabytes * 1e9 / (FEATURES * 4))
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
        write_memmap(os.path.join(folder, "x.npy"), rows)      # here, so the child's peak is the epoch's
        for kind in ("memmap", "dask"):
            subprocess.run([sys.executable, __file__, "--child", kind, str(rows), "--folder", folder], check=True)
    prefetch(batches=40, sleep_s=0.05)


if __name__ == "__main__":
    main()
