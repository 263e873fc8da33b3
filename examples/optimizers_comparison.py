"""The notes' chapter 27, "Optimization & Batch Normalization with Keras", run with neuronet.

Boston house prices, standardized; the network 13-128-64-64-32-1 (ReLU) with a BatchNormalization
after each hidden Dense layer; loss 'mse', metric 'mae'; batch_size=64, validation_split=0.2. Each
optimizer the notes set (their settings, spelled as they spell them):

    Momentum  SGD(lr=0.001, momentum=0.9)
    Adagrad   Adagrad(lr=0.001, epsilon=10**-10)
    RMSprop   RMSprop(lr=0.001, rho=0.9)
    Adam      Adam(lr=0.001, beta_1=0.9, beta_2=0.9)

and prints a table of the final train/test loss and MAE per optimizer. The notes train 1000 epochs;
``--epochs`` picks fewer (the default, 300, already separates the optimizers: Adagrad with lr=0.001 is the
slow one, as its ever-growing accumulator shrinks its steps).

Run:  python examples/optimizers_comparison.py --epochs 50
"""
import argparse
import time

from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import neuronet
from neuronet.datasets import load_boston
from neuronet.layers import BatchNormalization, Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adagrad, Adam, RMSprop

OPTIMIZERS = {
    "Momentum": lambda: SGD(lr=0.001, momentum=0.9),
    "Adagrad": lambda: Adagrad(lr=0.001, epsilon=10**-10),
    "RMSprop": lambda: RMSprop(lr=0.001, rho=0.9),
    "Adam": lambda: Adam(lr=0.001, beta_1=0.9, beta_2=0.9),
}


def ann(optimizer, batch_norm=True):
    """The notes' ann(): Dense(128) BN Dense(64) BN Dense(64) BN Dense(32) BN Dense(1)."""
    model = Sequential()
    model.add(Dense(128, activation="relu", input_shape=(13,)))
    for units in (64, 64, 32):
        if batch_norm:
            model.add(BatchNormalization())
        model.add(Dense(units, activation="relu"))
    if batch_norm:
        model.add(BatchNormalization())
    model.add(Dense(1))
    model.compile(loss="mse", optimizer=optimizer, metrics=["mae"])
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300, help="training epochs per optimizer (notes: 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the split and the weights")
    parser.add_argument("--no-batchnorm", action="store_true", help="leave out the BatchNormalization layers")
    args = parser.parse_args(argv)

    X, y = load_boston(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=args.seed)
    scaler = StandardScaler()
    scaler.fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

    rows = []
    for name, make in OPTIMIZERS.items():
        neuronet.set_random_seed(args.seed)
        model = ann(make(), batch_norm=not args.no_batchnorm)
        start = time.perf_counter()
        model.fit(X_train, y_train, batch_size=64, epochs=args.epochs, validation_split=0.2, verbose=0,
                  seed=args.seed)
        seconds = time.perf_counter() - start
        train_loss, train_mae = model.evaluate(X_train, y_train, verbose=0)
        test_loss, test_mae = model.evaluate(X_test, y_test, verbose=0)
        rows.append((name, train_loss, test_loss, train_mae, test_mae, seconds))

    print(f"Boston house prices, {args.epochs} epochs, batch_size=64, "
          f"{'no ' if args.no_batchnorm else ''}BatchNormalization")
    print(f"{'optimizer':<10} {'train loss':>10} {'test loss':>10} {'train mae':>10} {'test mae':>10} {'seconds':>8}")
    for name, train_loss, test_loss, train_mae, test_mae, seconds in rows:
        print(f"{name:<10} {train_loss:>10.3f} {test_loss:>10.3f} {train_mae:>10.3f} {test_mae:>10.3f} "
              f"{seconds:>8.1f}")
    return rows


if __name__ == "__main__":
    main()
