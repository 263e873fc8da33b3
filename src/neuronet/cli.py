"""The `neuronet` command line (placeholder until the CLI issue lands): `neuronet demo`."""
import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["demo"]:
        print("usage: neuronet demo", file=sys.stderr)
        return 2
    import numpy as np
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    from neuronet.utils import set_random_seed
    set_random_seed(0)
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    model = Sequential([Dense(64, activation="relu", input_shape=(30,)), Dense(32, activation="relu"),
                        Dense(1, activation="sigmoid")])
    model.summary()
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["acc"])
    model.fit(scaler.transform(X_train), y_train, batch_size=64, epochs=300, validation_split=0.2, verbose=2)
    loss, acc = model.evaluate(scaler.transform(X_test), y_test, verbose=0)
    print(f"test loss: {loss:.3f}\ntest acc: {acc:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
