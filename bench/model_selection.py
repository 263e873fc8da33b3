"""Model selection: the notes' 72-configuration Talos dictionary at 100 epochs on breast cancer, the full
grid against hyperband_search, with 1 and 2 workers, for three seeds.

    python bench/model_selection.py [--epochs 100] [--seeds 0 1 2] [--jobs 1 2] [--repeats 3]

Both searches score a run by its best epoch (val_loss). Per seed and search: wall time (the fastest of
--repeats runs), epochs trained, the best configuration, its val_loss, and the rank of that
configuration in the full grid. Then hyperband's share of the grid's epochs and wall time (same n_jobs), how far its best val_loss is from
the grid's best, and each search's speed-up with 2 workers. The worker pool is started by a warm-up
sweep first, so the figures measure the searches, not process start-up.
"""
import argparse
import os
import platform
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from neuronet.activations import elu, relu
from neuronet.layers import Dense, Dropout
from neuronet.losses import binary_crossentropy
from neuronet.models import Sequential
from neuronet.optimizers import Adam, Nadam
from neuronet.search import fmeasure_acc, grid_search, hyperband_search, live

SHOWN = ("first_neuron", "hidden_layers", "kernel_initializer", "optimizer", "activation")


def Talos_Grid_Search_DLI(x_train, y_train, x_val, y_val, params):
    """The notes' Talos model function (fig. 8.1), as in examples/grid_search_cross_validation.py."""
    model = Sequential()
    model.add(Dense(params['first_neuron'], input_dim=x_train.shape[1], activation=params['activation'],
                    kernel_initializer=params['kernel_initializer']))
    model.add(Dropout(params['dropout']))
    model.add(Dense(1, activation=params['last_activation'], kernel_initializer=params['kernel_initializer']))
    model.compile(loss=params['losses'], optimizer=params['optimizer'](), metrics=['acc', fmeasure_acc])
    history = model.fit(x_train, y_train, validation_data=[x_val, y_val], batch_size=params['batch_size'],
                        callbacks=[live()], epochs=params['epochs'], verbose=0)
    return history, model


def params(epochs):
    return {'first_neuron': [9, 10, 11], 'hidden_layers': [0, 1, 2], 'batch_size': [30], 'epochs': [epochs],
            'dropout': [0], 'kernel_initializer': ['uniform', 'normal'], 'optimizer': [Nadam, Adam],
            'losses': [binary_crossentropy], 'activation': [relu, elu], 'last_activation': ['sigmoid']}


def run(search, data, p, seed, n_jobs):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")        # the notes' function never reads hidden_layers
        result = search(*data[:2], p, model_fn=Talos_Grid_Search_DLI, x_val=data[2], y_val=data[3],
                        random_state=seed, n_jobs=n_jobs, score="best")
    seconds = time.perf_counter() - start
    table = result.table
    epochs = int(table["epochs_trained"].sum() if "epochs_trained" in table else table["round_epochs"].sum())
    return seconds, epochs, table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3, help="runs per search and jobs; the fastest is kept")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1 (runs per search; the fastest is kept). Received: {args.repeats}")
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    x_train, x_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    data = (x_train, y_train, x_val, y_val)
    p = params(args.epochs)
    run(grid_search, data, params(1), 0, max(args.jobs))          # warm-up: start the worker pool
    print(f"Model selection: 72 configurations x {args.epochs} epochs, breast cancer ({len(x_train)} train / "
          f"{len(x_val)} validation), scored by best-epoch val_loss")
    print(f"{platform.machine()}, {os.cpu_count()} cores, load average before: "
          f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    header = f"{'seed':>4} {'search':<10} {'jobs':>4} {'seconds':>8} {'epochs':>7} {'val_loss':>9} {'rank':>5}  best configuration"
    print(header)
    print("-" * len(header))
    summary = []
    for seed in args.seeds:
        measured = {}
        for name, search in (("grid", grid_search), ("hyperband", hyperband_search)):
            for n_jobs in args.jobs:
                # The fastest of --repeats runs (a seeded search gives the same table every time): a
                # hyperband search takes under a second here, where a busy spell of the machine shows.
                runs = [run(search, data, p, seed, n_jobs) for _ in range(args.repeats)]
                measured[name, n_jobs] = min(runs, key=lambda r: r[0])
        grid = measured["grid", args.jobs[0]][2]
        ranks = {int(c): r + 1 for r, c in enumerate(grid["config"])}
        for (name, n_jobs), (seconds, epochs, table) in measured.items():
            best = table.iloc[0]
            shown = ", ".join(f"{k}={best[k]}" for k in SHOWN)
            print(f"{seed:>4} {name:<10} {n_jobs:>4} {seconds:>8.2f} {epochs:>7} {best['val_loss']:>9.4f} "
                  f"{ranks[int(best['config'])]:>5}  {shown}")
        for n_jobs in args.jobs:
            (gs, ge, gt), (hs, he, ht) = measured["grid", n_jobs], measured["hyperband", n_jobs]
            gap = ht["val_loss"].iloc[0] / gt["val_loss"].iloc[0] - 1
            summary.append((seed, n_jobs, he / ge, hs / gs, gap))
        if len(args.jobs) > 1:
            one, two = args.jobs[0], args.jobs[1]
            summary[-1] += (measured["grid", one][0] / measured["grid", two][0],
                            measured["hyperband", one][0] / measured["hyperband", two][0])
    print()
    print(f"{'seed':>4} {'jobs':>4} {'epochs %':>9} {'time %':>7} {'val_loss vs grid':>17} {'grid 2-job':>11} {'hb 2-job':>9}")
    for row in summary:
        seed, n_jobs, epochs, seconds, gap = row[:5]
        speed = f"{row[5]:>10.2f}x {row[6]:>8.2f}x" if len(row) > 5 else ""
        print(f"{seed:>4} {n_jobs:>4} {100 * epochs:>8.1f}% {100 * seconds:>6.1f}% {100 * gap:>+16.1f}% {speed}")
    print("epochs % / time %: hyperband's share of the grid's (same jobs); val_loss vs grid: hyperband's best "
          "against the grid's best; N-job: speed-up of the search with the second --jobs value over the first")


if __name__ == "__main__":
    main()
