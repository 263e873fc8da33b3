"""Time a 12-configuration Talos-style sweep with n_jobs=1 and n_jobs=2 (joblib processes).

    python bench/search_parallel.py [--epochs 100] [--repeats 1]

Prints seconds per setting, the speed-up over n_jobs=1, and whether the tables are identical (they
must be: every configuration trains under its own seed with one BLAS thread). The loky worker pool is
started by a warm-up sweep first, so the figure measures the sweep, not process start-up.
"""
import argparse
import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from neuronet.search import grid_search

PARAMS = {"first_neuron": [16, 32, 64], "hidden_layers": [0, 1], "optimizer": ["adam", "sgd"],
          "batch_size": [32], "activation": ["relu"], "last_activation": ["sigmoid"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)     # the notes train for 100
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    params = {**PARAMS, "epochs": [args.epochs]}
    grid_search(X, y, {**params, "epochs": [1]}, n_jobs=2)        # warm-up: start the worker pool
    rows, tables = [], {}
    for n_jobs in (1, 2):
        best = np.inf
        for _ in range(args.repeats):
            start = time.perf_counter()
            result = grid_search(X, y, params, n_jobs=n_jobs)
            best = min(best, time.perf_counter() - start)
        tables[n_jobs] = result.table.drop(columns="fit_time")
        rows.append((n_jobs, best))
    base = rows[0][1]
    print(f"12-configuration sweep, breast cancer (569 x 30), {args.epochs} epochs each")
    print(f"{'n_jobs':>6} {'seconds':>9} {'speed-up':>9}")
    for n_jobs, seconds in rows:
        print(f"{n_jobs:>6} {seconds:>9.2f} {base / seconds:>8.2f}x")
    print("identical tables:", tables[1].equals(tables[2]))


if __name__ == "__main__":
    main()
