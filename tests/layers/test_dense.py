"""Review of session 3's changes: regressions found, each pinned by a test."""
import ast
import pathlib
import re

import neuronet

SRC = pathlib.Path(neuronet.__file__).parent


def test_no_source_line_pasted_into_a_docstring():
    """An import pasted into a docstring (optimizers/base.py's module docstring got one, splitting its
    example) is dead text that reads as code: docstrings show code only after '>>>' or '...'."""
    pasted = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]:
            doc = ast.get_docstring(node, clean=False) or ""
            if re.search(r"^\s*(from neuronet\S* import |import neuronet)", doc, re.M):
                pasted.append(f"{path.relative_to(SRC)}:{getattr(node, 'name', '<module>')}")
    assert pasted == []


def test_dense_training_forward_keeps_memory_bounded_over_many_batch_sizes():
    """Dense's training forward copies x into a [x | 1] buffer; one kept per distinct batch size grows
    without bound (model(x, training=True) on inputs of many sizes, fit on sets of many sizes)."""
    import tracemalloc

    import numpy as np

    from neuronet.layers import Dense
    from neuronet.models import Sequential

    model = Sequential([Dense(4, activation="tanh", input_shape=(50,)), Dense(1)])
    x = np.ones((300, 50), dtype="float32")
    model(x[:300], training=True)                      # the largest batch first: its buffers may stay
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(1, 300):
            model(x[:n], training=True)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 200_000, f"{grown} bytes kept after forward passes of 299 batch sizes"


def _build_with_per_class_f1():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    model = Sequential([Dense(4, activation="relu", input_dim=3), Dense(2, activation="softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=["acc", "f1_score"])
    return model


def test_keras_classifier_history_keeps_a_per_class_metric():
    """'f1_score' is Keras' F1Score() now: one score per class. KerasClassifier.fit converted every
    logged value with float() and raised TypeError; history_ keeps one list of floats per epoch."""
    import numpy as np

    from neuronet.sklearn import KerasClassifier
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    est = KerasClassifier(_build_with_per_class_f1, loss="categorical_crossentropy", epochs=2,
                          validation_split=0.25, random_state=0).fit(X, y)
    per_class = est.model_.history.history["val_f1_score"]
    assert est.history_["val_f1_score"] == [list(map(float, v)) for v in per_class]
    assert all(len(v) == 2 and all(type(s) is float for s in v) for v in est.history_["f1_score"])
    assert all(type(v) is float for v in est.history_["loss"])


def test_copies_of_a_dense_with_a_layer_activation_use_their_own_activation():
    """Dense(activation=LeakyReLU()) kept closures over the activation layer: a deep copy's backward ran the
    original's activation layer (its cached input from the original's last batch: wrong gradients), and
    pickling failed ("Can't pickle local object")."""
    import copy
    import pickle

    import numpy as np

    from neuronet.layers import Dense, LeakyReLU
    from neuronet.models import Sequential

    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ rng.normal(size=(3, 1))).astype("float32")
    model = Sequential([Dense(5, activation=LeakyReLU(0.2), input_shape=(3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, seed=0)
    twins = [copy.deepcopy(model), pickle.loads(pickle.dumps(model))]
    model.fit(x[::-1], y[::-1], epochs=1, batch_size=8, verbose=0, shuffle=False)  # leaves other caches
    reference = copy.deepcopy(twins[0].get_weights())
    for twin in twins:
        twin.set_weights(reference)
    expected = None
    for twin in twins:
        twin.fit(x, y, epochs=2, batch_size=8, verbose=0, seed=1)
        weights = twin.get_weights()
        expected = expected or weights
        assert all(np.array_equal(a, b) for a, b in zip(weights, expected))
    fresh = Sequential([Dense(5, activation=LeakyReLU(0.2), input_shape=(3,)), Dense(1)])
    fresh.compile(optimizer="sgd", loss="mse")
    fresh.set_weights(reference)
    fresh.fit(x, y, epochs=2, batch_size=8, verbose=0, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(fresh.get_weights(), expected))


def test_freezing_a_layer_then_recompiling_stops_its_updates():
    """Keras: set layer.trainable, then compile() again for it to take effect. The model packed its
    trainable weights into the optimizer's buffer at build only, so a layer frozen afterwards kept
    training (and one unfrozen afterwards never trained)."""
    import numpy as np

    from neuronet.layers import Dense
    from neuronet.models import Sequential

    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ rng.normal(size=(3, 1))).astype("float32")
    model = Sequential([Dense(4, activation="tanh", input_shape=(3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    first, second = model.layers
    first.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    frozen, head = first.get_weights(), second.get_weights()
    model.fit(x, y, epochs=2, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(first.get_weights(), frozen))
    assert not np.array_equal(second.get_weights()[0], head[0])
    first.trainable = True
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    assert not np.array_equal(first.get_weights()[0], frozen[0])
