"""Accuracy metrics: binary, categorical, top-k, the functions, and 'acc' resolution."""
import numpy as np
import pytest
from sklearn import metrics as skm

from neuronet import losses, metrics


def test_acc_is_chosen_from_the_loss_and_output_shape_for_every_loss():
    """Keras: one output unit -> binary accuracy; sparse labels -> sparse categorical; else categorical.
    binary_crossentropy over several sigmoid units stays binary (per-label accuracy)."""
    from neuronet import losses, metrics
    for name in sorted({losses.LOSSES.canonical(n) for n in losses.LOSSES.names()}):
        loss = losses.get(name)
        one, many = (type(metrics.get("acc", loss=loss, output_shape=s)) for s in ((1,), (3,)))
        if name == "SparseCategoricalCrossentropy":
            assert many is metrics.SparseCategoricalAccuracy, name
            continue
        assert one is metrics.BinaryAccuracy, name
        expected = metrics.BinaryAccuracy if name == "BinaryCrossentropy" else metrics.CategoricalAccuracy
        assert many is expected, name
    assert metrics.get("accuracy", loss=losses.get("mse"), output_shape=(3,)).name == "accuracy"


RNG = np.random.default_rng(0)


N = 200


def _streamed(metric, y_true, y_pred, weights=None, batch=37):
    """The metric accumulated over batches, as fit/evaluate use it."""
    metric.reset_state()
    for start in range(0, len(y_true), batch):
        stop = start + batch
        metric.update_state(y_true[start:stop], y_pred[start:stop],
                            None if weights is None else weights[start:stop])
    return metric.result()


def test_accuracy_for_multilabel_output_is_per_label():
    m = metrics.get("accuracy", loss=losses.get("binary_crossentropy"), output_shape=(3,))
    assert isinstance(m, metrics.BinaryAccuracy) and m.name == "accuracy"
    y = np.array([[1, 0, 1], [0, 0, 1]])
    p = np.array([[0.9, 0.8, 0.7], [0.1, 0.2, 0.3]])
    assert m(y, p) == pytest.approx(4 / 6)


def test_categorical_and_top_k_match_sklearn():
    labels = RNG.integers(0, 6, size=N)
    scores = RNG.dirichlet(np.ones(6), size=N)
    onehot = np.eye(6)[labels]
    assert _streamed(metrics.CategoricalAccuracy(), onehot, scores) == pytest.approx(
        skm.accuracy_score(labels, scores.argmax(1)))
    assert _streamed(metrics.SparseCategoricalAccuracy(), labels, scores) == pytest.approx(
        skm.accuracy_score(labels, scores.argmax(1)))
    for k in (1, 3, 5):
        expected = skm.top_k_accuracy_score(labels, scores, k=k, labels=np.arange(6))
        assert _streamed(metrics.TopKCategoricalAccuracy(k=k), onehot, scores) == pytest.approx(expected)
        assert _streamed(metrics.SparseTopKCategoricalAccuracy(k=k), labels, scores) == pytest.approx(expected)
    assert metrics.get("top_k_categorical_accuracy").k == 5


# ---- Keras' function spellings: one value per sample --------------------------------------------------
ACCURACY_FUNCTIONS = {"binary_accuracy": metrics.BinaryAccuracy, "categorical_accuracy": metrics.CategoricalAccuracy,
                      "sparse_categorical_accuracy": metrics.SparseCategoricalAccuracy,
                      "top_k_categorical_accuracy": metrics.TopKCategoricalAccuracy,
                      "sparse_top_k_categorical_accuracy": metrics.SparseTopKCategoricalAccuracy}


def test_metric_functions_match_keras_documented_examples():
    np.testing.assert_array_equal(metrics.binary_accuracy([[1], [1], [0], [0]], np.float32([[1], [1], [0], [0]])),
                                  np.ones(4, np.float32))
    assert metrics.binary_accuracy([[1], [1], [0], [0]], np.float32([[1], [1], [0], [0]])).dtype == np.float32
    p = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([2, 1], p, k=3), [1.0, 1.0])
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([2, 1], p, k=1), [0.0, 1.0])
    np.testing.assert_array_equal(metrics.top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], p, k=1), [0.0, 1.0])
    np.testing.assert_array_equal(metrics.sparse_categorical_accuracy([[2], [1]], p), [0.0, 1.0])
    np.testing.assert_array_equal(metrics.categorical_accuracy([[0, 0, 1], [0, 1, 0]], p), [0.0, 1.0])
    np.testing.assert_allclose(metrics.binary_accuracy([[1, 0], [1, 1]], [[0.7, 0.2], [0.4, 0.9]]), [1.0, 0.5])
    np.testing.assert_allclose(metrics.binary_accuracy([[0, 1]], [[0.7, 0.8]], threshold=0.75), [1.0])
    one = metrics.binary_accuracy([1, 0, 1], [0.9, 0.2, 0.3])          # a 1-D y_pred: one sample
    assert one.shape == () and float(one) == pytest.approx(2 / 3)


@pytest.mark.parametrize("name", sorted(ACCURACY_FUNCTIONS))
def test_accuracy_functions_per_sample_shapes_and_mean_is_the_metric(name):
    fn, metric = getattr(metrics, name), ACCURACY_FUNCTIONS[name]()
    for shape in ((50, 6), (5, 7, 6)):
        labels = RNG.integers(0, 6, size=shape[:-1])
        p = RNG.dirichlet(np.ones(6), size=shape[:-1]).astype(np.float32)
        y = (labels if name.startswith("sparse") else
             (p > 0.2).astype(int) if name == "binary_accuracy" else np.eye(6, dtype=int)[labels])
        values = fn(y, p) if "top_k" not in name else fn(y, p, k=2)
        assert values.shape == shape[:-1] and values.dtype == np.float32
        if len(shape) == 2:
            m = metric if "top_k" not in name else ACCURACY_FUNCTIONS[name](k=2)
            assert float(np.mean(values)) == pytest.approx(m(y, p))
