"""Where a workload's fit spends its time: cProfile of neuronet's fit on W1, W2 or W3 (bench/run.py's
data, network and settings), the top functions by their own time.

    python bench/profile_fit.py            # W1, the issue's profile: 300 epochs, validation_split 0.2
    python bench/profile_fit.py W3 --top 25

cProfile adds its own cost to every call (the profiled fit runs about 1.5x slower), so read the shares,
not the seconds.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys

from sklearn.datasets import load_breast_cancer, load_wine

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import neuronet_model, scaled_split  # noqa: E402  (also puts ../src first on sys.path)

import neuronet  # noqa: E402
from neuronet.datasets import load_boston  # noqa: E402
from neuronet.optimizers import Adam  # noqa: E402

# name: (data, layer sizes, output activation, loss, metric, batch, learning rate, validation_split)
WORKLOADS = {
    "W1": (lambda: scaled_split(*load_breast_cancer(return_X_y=True)), [30, 64, 32, 1], "sigmoid",
           "binary_crossentropy", "acc", 64, 1e-3, 0.2),
    "W2": (lambda: scaled_split(*load_boston(return_X_y=True), stratify=False), [13, 128, 64, 64, 32, 1],
           None, "mse", "mae", 64, 1e-2, 0.0),
    "W3": (lambda: scaled_split(*load_wine(return_X_y=True)), [13, 64, 32, 3], "softmax",
           "sparse_categorical_crossentropy", "acc", 32, 1e-3, 0.0),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", nargs="?", default="W1", choices=sorted(WORKLOADS))
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--top", type=int, default=15, help="how many functions to list")
    args = parser.parse_args(argv)
    data, sizes, out, loss, metric, batch, lr, split = WORKLOADS[args.workload]
    x_train, _, y_train, _ = data()
    neuronet.set_random_seed(0)
    model = neuronet_model(sizes, out=out)
    model.compile(optimizer=Adam(learning_rate=lr), loss=loss, metrics=[metric])
    model.fit(x_train, y_train, batch_size=batch, epochs=5, validation_split=split, verbose=0)  # warm up
    profiler = cProfile.Profile()
    profiler.runcall(model.fit, x_train, y_train, batch_size=batch, epochs=args.epochs,
                     validation_split=split, verbose=0)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"{args.workload}: fit for {args.epochs} epochs, {stats.total_tt * 1e3:.0f} ms under cProfile")
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
