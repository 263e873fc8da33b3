"""The notes' "Model Performance" table: no regularization, L1, L2, dropout and early stopping on the
Boston housing data (13 features -> 128-64-64-32-1 ReLU network, Adam(lr=0.01), MSE, batch 64,
validation_split=0.2), train and test MAE per row.

    python examples/regularization_comparison.py             # the notes' 1000 epochs (a few minutes)
    python examples/regularization_comparison.py --epochs 50 # a quick look

The notes' table (Keras, one random split):   Train MAE  Test MAE
    No Regularization                             2.333     2.840
    L1 Regularization                             1.132     2.114
    L2 Regularization                             1.008     2.079
    Dropout                                       2.912     2.802
    Early Stopping                                2.912     2.054
Numbers differ with the split and the seed; the ordering of the ideas is what the table teaches.
"""
import argparse

from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import neuronet
from neuronet import regularizers
from neuronet.callbacks import EarlyStopping
from neuronet.datasets import load_boston
from neuronet.layers import Dense, Dropout
from neuronet.models import Sequential
from neuronet.optimizers import Adam


def build(kind):
    """The notes' network; ``kind`` adds an L1/L2 kernel penalty (0.01) or Dropout(0.5) after each hidden layer."""
    reg = {"l1": regularizers.l1(0.01), "l2": regularizers.l2(0.01)}.get(kind)
    model = Sequential()
    for i, units in enumerate((128, 64, 64, 32)):
        extra = {"input_shape": (13,)} if i == 0 else {}
        model.add(Dense(units, activation="relu", kernel_regularizer=reg, **extra))
        if kind == "dropout":
            model.add(Dropout(0.5))
    model.add(Dense(1))
    model.compile(loss="mse", optimizer=Adam(learning_rate=0.01), metrics=["mae"])
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1000, help="epochs per model (the notes: 1000)")
    parser.add_argument("--patience", type=int, default=30, help="EarlyStopping patience (the notes: 30)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    neuronet.set_random_seed(args.seed)
    X, y = load_boston(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=args.seed)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

    rows = [("No Regularization", "none", []), ("L1 Regularization", "l1", []),
            ("L2 Regularization", "l2", []), ("Dropout", "dropout", []),
            ("Early Stopping", "none", [EarlyStopping(monitor="val_loss", patience=args.patience)])]
    print(f"{'Model Performance':<20}{'Train MAE':>10}{'Test MAE':>10}")
    results = {}
    for label, kind, callbacks in rows:
        model = build(kind)
        model.fit(X_train, y_train, batch_size=64, epochs=args.epochs, validation_split=0.2, verbose=0,
                  callbacks=callbacks, seed=args.seed)
        train_mae = model.evaluate(X_train, y_train, verbose=0)[1]
        test_mae = model.evaluate(X_test, y_test, verbose=0)[1]
        results[label] = (train_mae, test_mae)
        print(f"{label:<20}{train_mae:>10.3f}{test_mae:>10.3f}", flush=True)
    return results


if __name__ == "__main__":
    main()
