"""The functional API on California housing: a wide-and-deep regression with two inputs, then a model with
two outputs (a regression head for the price and a classification head for "above the median price").

    python examples/wide_and_deep.py [--epochs 20] [--plot wide_and_deep.png]

The wide path feeds 5 features straight into the output layer (it can learn simple rules); the deep path
sends 6 features through two hidden layers (it can learn complex patterns); 3 features go both ways, as
in the classic wide-and-deep example:

    wide_input (5) ------------------------------+
                                                 +-> Concatenate -> Dense(1) -> price
    deep_input (6) -> Dense(30) -> Dense(30) ----+

scikit-learn's California housing data (20,640 districts, 8 features, target in $100,000) is downloaded
by scikit-learn the first time. This script never downloads: it uses the data if scikit-learn has it
cached, and otherwise synthetic data of the same shape (it says so), so that it runs offline.
"""
import argparse

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import neuronet
from neuronet.layers import Concatenate, Dense, Input
from neuronet.models import Model

FEATURES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude"]


def load_housing(seed=0):
    """(X, y): California housing if cached by scikit-learn, else synthetic data of the same shape."""
    from sklearn.datasets import fetch_california_housing
    try:
        data = fetch_california_housing(download_if_missing=False)
        print("California housing: 20,640 districts from scikit-learn's cache")
        return data.data, data.target
    except OSError:
        print("NOTE: scikit-learn's California housing is not cached here and this script does not download "
              "it (run sklearn.datasets.fetch_california_housing() once online). Using synthetic data of the "
              "same shape: 20,640 rows, 8 features, a price in $100,000.")
    rng = np.random.default_rng(seed)
    n = 20640
    income = rng.lognormal(1.3, 0.45, n)
    age = rng.integers(1, 53, n).astype(float)
    rooms = rng.lognormal(1.6, 0.25, n)
    bedrooms = rooms * rng.uniform(0.17, 0.25, n)
    population = rng.lognormal(7.0, 0.75, n)
    occupancy = rng.lognormal(1.05, 0.3, n)
    lat, lon = rng.uniform(32.5, 42.0, n), rng.uniform(-124.3, -114.3, n)
    coast = np.exp(-((lon + 122.0) + 0.8 * (lat - 37.5)) ** 2 / 4)       # prices are higher near the coast
    price = 0.45 * income + 0.8 * coast * np.sqrt(income) + 0.004 * age - 0.1 * np.log(occupancy)
    y = np.clip(price + rng.normal(0, 0.35, n), 0.15, 5.0)
    return np.column_stack([income, age, rooms, bedrooms, population, occupancy, lat, lon]), y


def wide_and_deep():
    wide = Input(shape=(5,), name="wide_input")
    deep = Input(shape=(6,), name="deep_input")
    hidden1 = Dense(30, activation="relu", name="hidden1")(deep)
    hidden2 = Dense(30, activation="relu", name="hidden2")(hidden1)
    concat = Concatenate(name="concat")([wide, hidden2])
    return Model(inputs=[wide, deep], outputs=Dense(1, name="price")(concat), name="wide_and_deep")


def two_heads():
    """The same two inputs, and two outputs: the price (regression) and whether it is above the median
    (classification), trained together on L = 1.0 * mse(price) + 0.5 * binary_crossentropy(expensive)."""
    wide = Input(shape=(5,), name="wide_input")
    deep = Input(shape=(6,), name="deep_input")
    hidden2 = Dense(30, activation="relu")(Dense(30, activation="relu")(deep))
    concat = Concatenate()([wide, hidden2])
    price = Dense(1, name="price")(concat)
    expensive = Dense(1, activation="sigmoid", name="expensive")(hidden2)
    return Model(inputs=[wide, deep], outputs=[price, expensive], name="two_heads")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--plot", default=None, help="draw the wide-and-deep model to this PNG file")
    parser.add_argument("--verbose", type=int, default=2)
    args = parser.parse_args(argv)
    neuronet.set_random_seed(42)

    X, y = load_housing()
    X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, random_state=42)
    X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, random_state=42)
    scaler = StandardScaler().fit(X_train)
    X_train, X_valid, X_test = (scaler.transform(a).astype(np.float32) for a in (X_train, X_valid, X_test))

    def split(a):                    # wide: features 0-4, deep: features 2-7 (three go both ways)
        return {"wide_input": a[:, :5], "deep_input": a[:, 2:]}

    model = wide_and_deep()
    model.summary()
    if args.plot:
        from neuronet.utils import plot_model
        plot_model(model, to_file=args.plot, show_shapes=True)
        print(f"model drawn to {args.plot}")
    model.compile(loss="mse", optimizer=neuronet.optimizers.SGD(learning_rate=1e-3), metrics=["mae"])
    model.fit(split(X_train), y_train, epochs=args.epochs, validation_data=(split(X_valid), y_valid),
              verbose=args.verbose)
    mse, mae = model.evaluate(split(X_test), y_test, verbose=0)
    print(f"wide and deep: test mse: {mse:.4f}  test mae: {mae:.4f}")
    print("first 3 predictions:", model.predict(split(X_test[:3]), verbose=0).ravel().round(3),
          "true:", y_test[:3].round(3))

    median = np.median(y_train)
    targets = {name: {"price": t, "expensive": (t > median).astype(np.float32)}
               for name, t in (("train", y_train), ("valid", y_valid), ("test", y_test))}
    heads = two_heads()
    heads.compile(optimizer="adam", loss={"price": "mse", "expensive": "binary_crossentropy"},
                  loss_weights={"price": 1.0, "expensive": 0.5},
                  metrics={"price": ["mae"], "expensive": ["acc"]})
    history = heads.fit(split(X_train), targets["train"], epochs=args.epochs,
                        validation_data=(split(X_valid), targets["valid"]), verbose=args.verbose)
    print("two heads, History keys:", sorted(history.history))
    results = dict(zip(heads.metrics_names, heads.evaluate(split(X_test), targets["test"], verbose=0)))
    print("two heads: " + "  ".join(f"test {k}: {v:.4f}" for k, v in results.items()))
    return results


if __name__ == "__main__":
    main()
