"""Seeding: bit-identical runs across processes, NumPy's global generator left alone."""
import json
import subprocess
import sys
import textwrap

import numpy as np

import neuronet
from neuronet.layers import Dense
from neuronet.models import Sequential


def small_model(out=1, activation=None, loss="mse"):
    model = Sequential([Dense(8, activation="relu", input_shape=(3,)), Dense(out, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    return x, x @ np.array([1.0, -1.0, 0.5])


# ---- reproducibility ------------------------------------------------------------------------------------
SCRIPT = textwrap.dedent("""
    import json, numpy as np, neuronet
    from neuronet.models import Sequential
    from neuronet.layers import Dense, Dropout
    neuronet.set_random_seed(11)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 4)); y = (x[:, 0] > 0).astype(float)
    model = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dropout(0.3),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    h = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.2, verbose=0)
    print(json.dumps({"w": [w.tolist() for w in model.get_weights()], "h": h.history,
                      "p": model.predict(x).tolist()}))
""")


def test_same_seed_is_bit_identical_in_two_fresh_processes():
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
            for _ in range(2)]
    first, second = (json.loads(r.stdout) for r in runs)
    assert first == second


def test_explicit_seed_leaves_numpy_global_state_untouched():
    x, y = data()
    before = np.random.get_state()[1].copy()
    model = small_model()
    model.fit(x, y, epochs=2, seed=5, verbose=0)
    model.predict(x)
    assert np.array_equal(np.random.get_state()[1], before)
