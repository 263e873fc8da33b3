"""neuronet beside scikit-learn's MLP and the NumPy float32 matmul peak, measured in one run.

    python bench/run.py                 # all workloads (a few minutes on 2 cores)
    python bench/run.py --quick         # fewer epochs, W4 on 10,000 rows: a smoke run
    python bench/run.py --only W1 W5    # some workloads

Prints one table (seconds per epoch, samples per second, speed-up over scikit-learn, achieved GFLOP/s =
6 x weights x samples / seconds and its fraction of the matmul peak, test quality of both) and writes the
same rows to bench/results.json. Quote ratios: the machines are shared and noisy.

W1 validates on 20% every epoch (Keras' validation_split=0.2); scikit-learn does the same through its
held-out score (early_stopping=True, validation_fraction=0.2, never triggered).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
import neuronet  # noqa: E402
from neuronet.datasets import load_boston  # noqa: E402
from neuronet.layers import Dense  # noqa: E402
from neuronet.models import Sequential  # noqa: E402
from neuronet.optimizers import Adam  # noqa: E402

warnings.filterwarnings("ignore", category=ConvergenceWarning)


def best_of_interleaved(fns, repeats):
    """best_of for several contenders, alternating their runs so that a busy spell of the (shared)
    machine slows all of them alike instead of whichever happened to run then. Returns
    [(best seconds, last result), ...] in the order of ``fns``."""
    best, results = [float("inf")] * len(fns), [None] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            results[i] = fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return list(zip(best, results))


def best_of(fn, repeats):
    """The fastest of ``repeats`` runs of ``fn`` (the least disturbed by other processes) and its result."""
    return best_of_interleaved([fn], repeats)[0]


def matmul_peak(n=2048, repeats=5):
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b = a.T.copy()
    a @ b
    seconds, _ = best_of(lambda: a @ b, repeats)
    return 2 * n ** 3 / seconds / 1e9


def step_matmul_epoch(sizes, batch, n_samples, input_gradient=True):
    """A function running only the matrix products of one epoch's forward and backward passes at the
    workload's shapes: x@W, x.T@dz and dz@W.T per layer (the issue's "nine products" of a three-layer
    network). ``input_gradient=False`` leaves out the first layer's dz@W.T, which neuronet does not
    compute (nothing upstream needs the gradient of the inputs)."""
    rng = np.random.default_rng(0)
    acts = [rng.standard_normal((batch, s), dtype=np.float32) for s in sizes]
    weights = [rng.standard_normal((a, b), dtype=np.float32) for a, b in zip(sizes[:-1], sizes[1:])]
    grads = [np.empty_like(w) for w in weights]
    steps = n_samples // batch

    def epoch():
        for _ in range(steps):
            for i, w in enumerate(weights):
                acts[i] @ w
            for i in range(len(weights) - 1, -1, -1):
                np.matmul(acts[i].T, acts[i + 1], out=grads[i])
                if i or input_gradient:
                    acts[i + 1] @ weights[i].T
    epoch()
    return epoch


def n_weights(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def neuronet_model(sizes, hidden="relu", out=None):
    model = Sequential([Dense(sizes[1], activation=hidden, input_shape=(sizes[0],))])
    for units in sizes[2:-1]:
        model.add(Dense(units, activation=hidden))
    model.add(Dense(sizes[-1], activation=out))
    return model


def run_workload(name, data, sizes, kind, batch, lr, epochs, repeats, validation_split=0.0):
    X_train, X_test, y_train, y_test = data
    n_fit = int(np.floor(len(X_train) * (1 - validation_split)))

    def train_neuronet():
        neuronet.set_random_seed(0)
        out, loss, metric = {"binary": ("sigmoid", "binary_crossentropy", "acc"),
                             "multiclass": ("softmax", "sparse_categorical_crossentropy", "acc"),
                             "regression": (None, "mse", "mae")}[kind]
        model = neuronet_model(sizes, out=out)
        model.compile(optimizer=Adam(learning_rate=lr), loss=loss, metrics=[metric])
        model.fit(X_train, y_train, batch_size=batch, epochs=epochs, validation_split=validation_split,
                  verbose=0)
        return model

    def train_sklearn():
        # With a validation split, scikit-learn's equivalent of Keras' validation_split is its held-out
        # score: early_stopping=True scores the same fraction every epoch (and, with n_iter_no_change
        # never reached, never stops), so both libraries train on n_fit rows and validate the rest.
        cls = MLPRegressor if kind == "regression" else MLPClassifier
        est = cls(hidden_layer_sizes=tuple(sizes[1:-1]), solver="adam", batch_size=batch,
                  learning_rate_init=lr, max_iter=epochs, tol=0.0, n_iter_no_change=10 ** 9,
                  alpha=0.0, random_state=0, early_stopping=bool(validation_split),
                  validation_fraction=validation_split or 0.1)
        return est.fit(X_train, y_train) if validation_split else est.fit(X_train[:n_fit], y_train[:n_fit])

    matmul_epoch = step_matmul_epoch(sizes, batch, n_fit)
    needed_matmul_epoch = step_matmul_epoch(sizes, batch, n_fit, input_gradient=False)
    (nn_seconds, model), (sk_seconds, est), (mm_epoch, _), (mm_needed_epoch, _) = best_of_interleaved(
        [train_neuronet, train_sklearn, matmul_epoch, needed_matmul_epoch], max(repeats, 3))
    if kind == "regression":
        nn_quality = float(np.mean(np.abs(model.predict(X_test).ravel() - y_test)))
        sk_quality = float(np.mean(np.abs(est.predict(X_test) - y_test)))
        quality = "test MAE"
    else:
        nn_quality = float(model.evaluate(X_test, y_test, verbose=0)[1])
        sk_quality = float(est.score(X_test, y_test))
        quality = "test acc"
    mm = mm_epoch * epochs
    return {"workload": name, "epochs": epochs, "samples": n_fit,
            "neuronet_s_per_epoch": nn_seconds / epochs, "sklearn_s_per_epoch": sk_seconds / epochs,
            "speedup_vs_sklearn": sk_seconds / nn_seconds,
            "samples_per_s": n_fit * epochs / nn_seconds,
            "gflops": 6 * n_weights(sizes) * n_fit * epochs / nn_seconds / 1e9,
            "matmul_only_fraction": mm / nn_seconds,
            "matmul_only_fraction_without_input_gradient": mm_needed_epoch * epochs / nn_seconds,
            "quality_metric": quality, "neuronet_quality": nn_quality, "sklearn_quality": sk_quality,
            "sklearn_dtype": str(est.coefs_[0].dtype), "validation_split": validation_split, "model": model}


def scaled_split(X, y, seed=0, stratify=True):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed,
                                                        stratify=y if stratify else None)
    scaler = StandardScaler().fit(X_train)
    return (scaler.transform(X_train).astype(np.float32), scaler.transform(X_test).astype(np.float32),
            y_train.astype(np.float32 if not stratify else np.int64), y_test)


def predict_latency(model, x_one, x_many, rounds=10, calls=200):
    """Median latency of predict on one row and on 10,000 rows. Each round takes the median of its
    calls; the least disturbed round is reported, as best_of does for training."""
    model.predict(x_one)
    one, many = float("inf"), float("inf")
    for _ in range(rounds):
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            model.predict(x_one)
            times.append(time.perf_counter() - start)
        one = min(one, float(np.median(times)))
        times = []
        for _ in range(5):
            start = time.perf_counter()
            model.predict(x_many)
            times.append(time.perf_counter() - start)
        many = min(many, float(np.median(times)))
    return one, many


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer epochs and a smaller W4")
    parser.add_argument("--only", nargs="*", default=None, help="workloads to run, e.g. W1 W5")
    parser.add_argument("--repeats", type=int, default=None, help="runs per measurement (best is kept)")
    parser.add_argument("--json", default=os.path.join(os.path.dirname(__file__), "results.json"))
    args = parser.parse_args(argv)
    quick = args.quick
    repeats = args.repeats or (1 if quick else 5)
    wanted = set(args.only or ["W1", "W2", "W3", "W4", "W5"])
    peak = matmul_peak()
    rows = []

    cancer = scaled_split(*load_breast_cancer(return_X_y=True))
    if wanted & {"W1", "W5"}:
        rows.append(run_workload("W1 cancer 30-64-32-1", cancer, [30, 64, 32, 1], "binary", 64, 1e-3,
                                 60 if quick else 300, repeats, validation_split=0.2))
    if "W2" in wanted:
        X, y = load_boston(return_X_y=True)
        rows.append(run_workload("W2 boston 13-128-64-64-32-1", scaled_split(X, y, stratify=False),
                                 [13, 128, 64, 64, 32, 1], "regression", 64, 1e-2, 60 if quick else 300, repeats))
    if "W3" in wanted:
        rows.append(run_workload("W3 wine 13-64-32-3", scaled_split(*load_wine(return_X_y=True)),
                                 [13, 64, 32, 3], "multiclass", 32, 1e-3, 60 if quick else 300, repeats))
    if "W4" in wanted:
        rng = np.random.default_rng(0)
        n = 10_000 if quick else 60_000
        X = rng.standard_normal((n + 1000, 784), dtype=np.float32)
        y = np.argmax(X[:, :10] + 0.5 * rng.standard_normal((n + 1000, 10), dtype=np.float32), axis=1)
        data = (X[:n], X[n:], y[:n], y[n:])
        rows.append(run_workload("W4 synthetic 784-512-256-10", data, [784, 512, 256, 10], "multiclass", 128,
                                 1e-3, 3, 3))

    print(f"neuronet {neuronet.__version__}, numpy {np.__version__}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; float32 matmul peak (2048^3): {peak:.1f} GFLOP/s")
    header = (f"{'workload':30} {'nn s/epoch':>11} {'sk s/epoch':>11} {'speed-up':>8} {'samples/s':>10} "
              f"{'GFLOP/s':>8} {'% peak':>7} {'matmul%':>8} {'(w/o dx0)':>9} {'quality (nn / sk)':>24}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['workload']:30} {r['neuronet_s_per_epoch']:11.5f} {r['sklearn_s_per_epoch']:11.5f} "
              f"{r['speedup_vs_sklearn']:7.2f}x {r['samples_per_s']:10.0f} {r['gflops']:8.2f} "
              f"{100 * r['gflops'] / peak:6.1f}% {100 * r['matmul_only_fraction']:7.1f}% "
              f"{100 * r['matmul_only_fraction_without_input_gradient']:8.1f}% "
              f"{r['quality_metric']:>9} {r['neuronet_quality']:.3f} / {r['sklearn_quality']:.3f}")
    if "W5" in wanted:
        model = rows[0]["model"]
        one, many = predict_latency(model, cancer[1][:1], np.resize(cancer[1], (10_000, 30)))
        rows.append({"workload": "W5 predict (W1 model)", "one_row_median_us": one * 1e6,
                     "10k_rows_median_ms": many * 1e3})
        print(f"W5 predict on the W1 model: 1 row {one * 1e6:.1f} us (median), 10,000 rows {many * 1e3:.2f} ms (median)")
    print("matmul% = share of neuronet's training time that the workload's matrix products alone take "
          "(x@W, x.T@dz and dz@W.T per layer: the issue's nine products for W4), same shapes; (w/o dx0): "
          "the same without the first layer's dz@W.T, which neuronet skips as no one needs the input's "
          "gradient. 100% would be all overhead removed.")
    for r in rows:
        r.pop("model", None)
    with open(args.json, "w") as fh:
        json.dump({"matmul_peak_gflops": peak, "rows": rows}, fh, indent=2)


if __name__ == "__main__":
    main()
