"""TruePositives, FalsePositives, TrueNegatives, FalseNegatives against sklearn.metrics.confusion_matrix
and Keras' documented examples."""
import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from neuronet import metrics
from neuronet.layers import Dense
from neuronet.metrics import FalseNegatives, FalsePositives, TrueNegatives, TruePositives
from neuronet.models import Sequential

RNG = np.random.default_rng(0)
CELLS = {TrueNegatives: (0, 0), FalsePositives: (0, 1), FalseNegatives: (1, 0), TruePositives: (1, 1)}


@pytest.mark.parametrize("cls, y_true, y_pred, expected, weighted", [
    (TruePositives, [0, 1, 1, 1], [1, 0, 1, 1], 2.0, 1.0),
    (FalsePositives, [0, 1, 0, 0], [0, 0, 1, 1], 2.0, 1.0),
    (TrueNegatives, [0, 1, 0, 0], [1, 1, 0, 0], 2.0, 1.0),
    (FalseNegatives, [0, 1, 1, 1], [0, 1, 0, 0], 2.0, 1.0),
])
def test_keras_documented_examples(cls, y_true, y_pred, expected, weighted):
    m = cls()
    m.update_state(y_true, y_pred)
    assert m.result() == expected
    m.reset_state()
    m.update_state(y_true, y_pred, sample_weight=[0, 0, 1, 0])
    assert m.result() == weighted


@pytest.mark.parametrize("cls", list(CELLS))
@pytest.mark.parametrize("threshold", [0.5, 0.2, 0.0, 1.0])
def test_cells_match_sklearn_confusion_matrix_with_sample_weights(cls, threshold):
    y = RNG.integers(0, 2, 200)
    p = RNG.random(200)
    p[:10] = threshold                                   # ties: p > t is positive, p == t is not
    w = RNG.random(200)
    cm = confusion_matrix(y, p > threshold, labels=[0, 1], sample_weight=w)
    m = cls(thresholds=threshold)
    for part in np.array_split(np.arange(200), 3):       # accumulated over batches
        m.update_state(y[part], p[part].reshape(-1, 1), w[part])
    assert m.result() == pytest.approx(cm[CELLS[cls]])


@pytest.mark.parametrize("cls", list(CELLS))
def test_a_list_of_thresholds_gives_one_count_per_threshold(cls):
    y, p = RNG.integers(0, 2, 100), RNG.random(100)
    thresholds = [0.1, 0.5, 0.9]
    got = cls(thresholds=thresholds)(y, p)
    assert isinstance(got, np.ndarray) and got.shape == (3,)
    expected = [confusion_matrix(y, p > t, labels=[0, 1])[CELLS[cls]] for t in thresholds]
    np.testing.assert_array_equal(got, expected)


def test_multi_label_outputs_are_all_counted():
    y, p = RNG.integers(0, 2, (50, 3)), RNG.random((50, 3))
    cm = confusion_matrix(y.ravel(), p.ravel() > 0.5)
    for cls, cell in CELLS.items():
        assert cls()(y, p) == cm[cell]
    assert sum(cls()(y, p) for cls in CELLS) == y.size


def test_the_four_cells_through_compile_and_fit_under_keras_tutorial_names():
    # The TensorFlow "Classification on imbalanced data" tutorial's METRICS list.
    x = RNG.normal(size=(120, 4)).astype(np.float32)
    y = (x[:, 0] + 0.5 * RNG.normal(size=120) > 0.8).astype(np.float32).reshape(-1, 1)
    model = Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[TruePositives(name="tp"), FalsePositives(name="fp"), TrueNegatives(name="tn"),
                           FalseNegatives(name="fn"), metrics.Precision(name="precision")])
    history = model.fit(x, y, epochs=2, batch_size=32, validation_split=0.25, verbose=0)
    assert {"tp", "fp", "tn", "fn", "val_tp", "val_fn"} <= set(history.history)
    assert sum(history.history[k][-1] for k in ("tp", "fp", "tn", "fn")) == 90
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    cm = confusion_matrix(y.ravel(), model.predict(x).ravel() > 0.5, labels=[0, 1])
    assert (logs["tn"], logs["fp"], logs["fn"], logs["tp"]) == tuple(cm.ravel())


def test_names_strings_and_config_round_trip():
    assert TruePositives().name == "true_positives" and FalseNegatives().name == "false_negatives"
    assert isinstance(metrics.get("true_positives"), TruePositives)
    assert isinstance(metrics.get("FalsePositives"), FalsePositives)
    m = TrueNegatives(thresholds=[0.2, 0.7], name="tn")
    again = metrics.get({"class_name": "TrueNegatives", "config": m.get_config()})
    assert type(again) is TrueNegatives and again.get_config() == {"name": "tn", "thresholds": [0.2, 0.7]}
    assert TruePositives().get_config() == {"name": "true_positives", "thresholds": None}


@pytest.mark.parametrize("bad", [1.5, -0.1, [0.5, 2], [], "0.5", True])
def test_thresholds_outside_0_1_are_refused(bad):
    with pytest.raises(ValueError, match="thresholds"):
        TruePositives(thresholds=bad)
