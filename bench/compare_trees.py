"""Before/after figures for a change to the training step: neuronet's seconds per epoch on W1-W3 (and W4
with --w4) for two versions of the code, run in turns in fresh processes so that a busy spell of the
machine slows both alike; the best of each is kept.

    python bench/compare_trees.py HEAD~1 HEAD                  # git revisions of this repository
    python bench/compare_trees.py /path/to/old/src ./src --rounds 6 --w4

Prints per-epoch times (``--w5``: also predict's latency on one row, in microseconds), their ratio (old / new:
above 1 is faster), each version's last training loss in full (repr) and whether the two fits' whole
histories (every epoch's loss and metrics) are identical, bit for bit: a change to the speed only must
print "identical". ``--metrics`` compiles with bench/run.py's
metrics (acc, mae, acc), as the issue's workloads are timed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Runs inside a fresh interpreter with the version's src first on sys.path; prints one JSON line.
WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, neuronet
from neuronet.datasets import load_boston
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import Adam
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

def split(X, y, classes=True):
    a, _, c, _ = train_test_split(X, y, random_state=0, stratify=y if classes else None)
    return StandardScaler().fit(a).transform(a).astype(np.float32), c.astype(np.int64 if classes else np.float32)

epochs, w4, with_metrics, w5 = int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1", sys.argv[5] == "1"
metrics = {"W1": "acc", "W2": "mae", "W3": "acc", "W4": "acc"}   # bench/run.py's
runs = {"W1": (split(*load_breast_cancer(return_X_y=True)), [30, 64, 32, 1], "sigmoid", "binary_crossentropy", 64, 1e-3, 0.2, epochs),
        "W2": (split(*load_boston(return_X_y=True), classes=False), [13, 128, 64, 64, 32, 1], None, "mse", 64, 1e-2, 0.0, epochs),
        "W3": (split(*load_wine(return_X_y=True)), [13, 64, 32, 3], "softmax", "sparse_categorical_crossentropy", 32, 1e-3, 0.0, epochs)}
if w4:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60000, 784), dtype=np.float32)
    y = np.argmax(X[:, :10] + 0.5 * rng.standard_normal((60000, 10), dtype=np.float32), axis=1)
    runs["W4"] = ((X, y), [784, 512, 256, 10], "softmax", "sparse_categorical_crossentropy", 128, 1e-3, 0.0, 2)
result = {}
for name, ((X, y), sizes, out, loss, batch, lr, split_, n_epochs) in runs.items():
    best = float("inf")
    for _ in range(1 if name == "W4" else 3):
        neuronet.set_random_seed(0)
        model = Sequential([Dense(sizes[1], activation="relu", input_shape=(sizes[0],))] +
                           [Dense(u, activation="relu") for u in sizes[2:-1]] + [Dense(sizes[-1], activation=out)])
        model.compile(optimizer=Adam(learning_rate=lr), loss=loss, metrics=[metrics[name]] if with_metrics else None)
        start = time.perf_counter()
        history = model.fit(X, y, batch_size=batch, epochs=n_epochs, validation_split=split_, verbose=0)
        best = min(best, (time.perf_counter() - start) / n_epochs)
    result[name] = {"seconds": best, "loss": history.history["loss"][-1], "history": dict(history.history)}
    if name == "W1" and w5:      # bench/run.py's W5: predict on one row of the W1 model, median of 200 calls
        one = X[:1]
        times = []
        for _ in range(10):
            calls = []
            for _ in range(200):
                start = time.perf_counter()
                model.predict(one)
                calls.append(time.perf_counter() - start)
            times.append(sorted(calls)[100])
        prediction = float(model.predict(one)[0, 0])
        result["W5"] = {"seconds": min(times), "loss": prediction, "history": {"prediction": [prediction]}}
print(json.dumps(result))
"""


def source_dir(spec, scratch):
    """``spec`` as a folder holding the neuronet package: a folder as given, or a git revision exported."""
    if os.path.isdir(os.path.join(spec, "neuronet")):
        return os.path.abspath(spec)
    target = os.path.join(scratch, spec.replace("/", "_").replace("~", "_"))
    archive = os.path.join(scratch, "src.tar")
    subprocess.run(["git", "-C", os.path.dirname(HERE), "archive", "--format=tar", "-o", archive, spec, "src"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return os.path.join(target, "src")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", help="git revision or src folder of the version before the change")
    parser.add_argument("new", help="git revision or src folder of the version after it")
    parser.add_argument("--rounds", type=int, default=4, help="turns each version gets (default 4)")
    parser.add_argument("--epochs", type=int, default=100, help="epochs per fit on W1-W3 (default 100)")
    parser.add_argument("--w4", action="store_true", help="also W4 (60,000 x 784, 2 epochs)")
    parser.add_argument("--metrics", action="store_true", help="compile with bench/run.py's metrics (acc, mae, acc)")
    parser.add_argument("--w5", action="store_true", help="also W5: predict latency on one row (W1's model; "
                        "the W5 row's figures are seconds per call)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"old": source_dir(args.old, scratch), "new": source_dir(args.new, scratch)}
        results = {"old": [], "new": []}
        for _ in range(args.rounds):
            for key, tree in trees.items():
                out = subprocess.run([sys.executable, "-c", WORKER, tree, str(args.epochs), "1" if args.w4 else "0",
                                      "1" if args.metrics else "0", "1" if args.w5 else "0"],
                                     capture_output=True, text=True, check=True)
                results[key].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'':4} {'old s/epoch':>12} {'new s/epoch':>12} {'old/new':>8}   histories  last loss old / new")
    for name in results["old"][0]:
        old = min(r[name]["seconds"] for r in results["old"])
        new = min(r[name]["seconds"] for r in results["new"])
        same = all(r[name]["history"] == results["old"][0][name]["history"] for r in results["old"] + results["new"])
        scale, digits = (1e6, 2) if name == "W5" else (1, 6)      # W5: microseconds per call
        print(f"{name:4} {old * scale:12.{digits}f} {new * scale:12.{digits}f} {old / new:7.3f}x   "
              f"{'identical' if same else 'DIFFER':9}  "
              f"{results['old'][0][name]['loss']!r} / {results['new'][0][name]['loss']!r}")


if __name__ == "__main__":
    main()
