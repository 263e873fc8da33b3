"""W1 (breast cancer, 30-64-32-1, Adam 1e-3, batch 64, validation_split=0.2) as a Sequential and as the
same network written with the functional API, Model(inputs, outputs), timed in alternating rounds.

    python bench/graph_vs_sequential.py                  # 5 rounds of 100 epochs each
    python bench/graph_vs_sequential.py --rounds 3 --epochs 50

Both models start from the same weights and train bit-identically (tests/models/test_functional.py), so
any difference is the graph's bookkeeping (the tape of layer calls) against the chain's plain loop. Each
round trains one then the other (the order alternates) and prints seconds per epoch; the summary gives
the best and the median of each and the ratio graph / Sequential. Quote ratios: machines are noisy.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import neuronet
from neuronet.layers import Dense, Input
from neuronet.models import Model, Sequential
from neuronet.optimizers import Adam


def data():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, random_state=0, stratify=y)
    return StandardScaler().fit_transform(X_train).astype(np.float32), y_train.astype(np.float32)


def sequential():
    return Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(32, activation="relu"),
                       Dense(1, activation="sigmoid")])


def functional():
    inputs = Input(shape=(30,))
    hidden = Dense(32, activation="relu")(Dense(64, activation="relu")(inputs))
    return Model(inputs, Dense(1, activation="sigmoid")(hidden))


def seconds_per_epoch(build, X, y, epochs):
    neuronet.set_random_seed(0)
    model = build()
    model.compile(optimizer=Adam(learning_rate=1e-3), loss="binary_crossentropy", metrics=["acc"])
    start = time.perf_counter()
    model.fit(X, y, batch_size=64, epochs=epochs, validation_split=0.2, verbose=0)
    return (time.perf_counter() - start) / epochs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args(argv)
    X, y = data()
    builds = {"Sequential": sequential, "Model(inputs, outputs)": functional}
    times = {name: [] for name in builds}
    seconds_per_epoch(sequential, X, y, 2)         # warm-up: imports, first allocations
    print(f"W1 30-64-32-1, {len(X)} training rows (80% fit, 20% validation), {args.epochs} epochs per run")
    for r in range(args.rounds):
        order = list(builds) if r % 2 == 0 else list(builds)[::-1]
        for name in order:
            times[name].append(seconds_per_epoch(builds[name], X, y, args.epochs))
        print(f"round {r + 1}: " + "  ".join(f"{n} {times[n][-1] * 1e3:.3f} ms/epoch" for n in builds))
    seq, graph = (np.array(times[n]) for n in builds)
    print(f"best:   Sequential {seq.min() * 1e3:.3f} ms/epoch, graph {graph.min() * 1e3:.3f} ms/epoch, "
          f"ratio {graph.min() / seq.min():.3f}")
    print(f"median: Sequential {np.median(seq) * 1e3:.3f} ms/epoch, graph {np.median(graph) * 1e3:.3f} ms/epoch, "
          f"ratio {np.median(graph) / np.median(seq):.3f}")


if __name__ == "__main__":
    main()
