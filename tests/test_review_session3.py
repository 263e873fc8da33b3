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
