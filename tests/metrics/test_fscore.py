"""F1Score and FBetaScore: Keras' example, scikit-learn's averages, per-class results."""
import numpy as np
import pytest
from sklearn import metrics as skm

from neuronet import metrics
from neuronet.metrics import METRICS


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


@pytest.fixture
def binary():
    y = RNG.integers(0, 2, size=N)
    p = np.clip(0.35 * y + RNG.uniform(0, 0.7, size=N), 0, 1)
    return y, p.reshape(-1, 1)


# ---- F-scores ---------------------------------------------------------------------------------------
def test_f1_score_keras_example_and_fbeta():
    y = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]])
    p = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    assert metrics.F1Score(threshold=0.5)(y, p) == pytest.approx([0.5, 0.8, 0.6666667], abs=1e-6)
    assert metrics.FBetaScore(beta=2.0, threshold=0.5)(y, p) == pytest.approx(
        [0.3846154, 0.90909094, 0.8333334], abs=1e-6)
    for bad in ({"average": "binary"}, {"beta": 0.0}, {"threshold": 0.0}, {"threshold": 1.5}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            metrics.FBetaScore(**bad)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_fscores_match_sklearn_every_average(average):
    """Multi-class (argmax, integer or one-hot targets) and multi-label (threshold), with sample weights."""
    labels = RNG.integers(0, 4, size=N)
    labels[:4] = np.arange(4)
    scores = RNG.dirichlet(np.ones(4), size=N) + 0.3 * np.eye(4)[labels]
    hard = scores.argmax(1)
    w = RNG.uniform(0.2, 3.0, size=N)
    kw = {"labels": np.arange(4), "average": average}
    for y in (labels, np.eye(4)[labels]):
        assert _streamed(metrics.F1Score(average), y, scores) == pytest.approx(skm.f1_score(labels, hard, **kw))
        assert _streamed(metrics.FBetaScore(average, beta=0.5), y, scores, w) == pytest.approx(
            skm.fbeta_score(labels, hard, beta=0.5, sample_weight=w, **kw))
    multi = RNG.integers(0, 2, size=(N, 3))
    p = np.clip(0.3 * multi + RNG.uniform(0, 0.75, size=multi.shape), 0, 1)
    expected = skm.fbeta_score(multi, (p > 0.4).astype(int), beta=2.0, average=average, sample_weight=w)
    assert _streamed(metrics.FBetaScore(average, beta=2.0, threshold=0.4), multi, p, w) == pytest.approx(expected)


def test_f1_per_class_result_is_an_array_and_round_trips():
    metric = metrics.F1Score()
    assert isinstance(metric(np.eye(3)[[0, 1, 2, 1]], np.eye(3)[[0, 1, 1, 1]]), np.ndarray)
    assert metric(np.eye(3)[[0, 1, 2, 1]], np.eye(3)[[0, 1, 1, 1]]) == pytest.approx([1.0, 0.8, 0.0])
    for m in (metrics.F1Score("weighted", 0.3, name="f1w"), metrics.FBetaScore(None, 2.0, None)):
        again = METRICS.get(metrics.serialize(m))
        assert type(again) is type(m) and again.get_config() == m.get_config()


def _fit(metric_ids, x, y, per_batch, loss="binary_crossentropy", units=1, act="sigmoid", **kw):
    from neuronet.callbacks import LambdaCallback
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    import neuronet
    neuronet.set_random_seed(7)
    model = Sequential([Dense(4, activation="tanh", input_shape=(x.shape[1],)), Dense(units, activation=act)])
    model.compile(optimizer="adam", loss=loss, metrics=metric_ids)
    cbs = [LambdaCallback(on_train_batch_end=lambda batch, logs: None)] if per_batch else []
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, validation_split=0.25, seed=3,
                        callbacks=cbs + kw.pop("callbacks", []), **kw)
    return model, history


def test_per_class_f1_in_fit_evaluate_and_callbacks(tmp_path):
    from neuronet.callbacks import CSVLogger, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
    from neuronet.callbacks.progbar import format_logs
    from neuronet.models import load_model
    x = RNG.normal(size=(120, 3)).astype("float32")
    labels = np.argmax(x @ RNG.normal(size=(3, 3)), axis=1)
    ids = ["sparse_categorical_crossentropy", metrics.F1Score(), metrics.F1Score("macro", name="f1_macro")]
    common = dict(loss="sparse_categorical_crossentropy", units=3, act="softmax")
    model, history = _fit(ids, x, labels, False, callbacks=[CSVLogger(tmp_path / "log.csv")], **common)
    _, per_batch = _fit(ids, x, labels, True, **common)
    assert history.history["val_f1_score"][1].shape == (3,)
    for key in ("f1_score", "val_f1_score", "f1_macro", "sparse_categorical_crossentropy"):
        assert np.asarray(history.history[key]) == pytest.approx(np.asarray(per_batch.history[key]), rel=1e-5)
    logs = model.evaluate(x, labels, verbose=0, return_dict=True)
    hard = model.predict(x, verbose=0).argmax(1)
    assert logs["f1_score"] == pytest.approx(skm.f1_score(labels, hard, average=None, labels=np.arange(3)))
    assert logs["f1_macro"] == pytest.approx(skm.f1_score(labels, hard, average="macro", labels=np.arange(3)))
    assert logs["sparse_categorical_crossentropy"] == pytest.approx(logs["loss"], rel=1e-5)
    line = format_logs(logs)
    assert "f1_score: [" in line and "f1_macro: " in line
    assert format_logs({"f1_score": np.arange(10) / 10}) == \
        "f1_score: [0.0000 0.1000 0.2000 ... 0.7000 0.8000 0.9000]"
    import csv
    import json
    with open(tmp_path / "log.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and np.asarray(json.loads(rows[1]["val_f1_score"])) == pytest.approx(
        history.history["val_f1_score"][1])
    # a per-class array cannot be monitored: a clear error naming the metric and the fix
    for cb in (EarlyStopping(monitor="val_f1_score"), ReduceLROnPlateau(monitor="val_f1_score"),
               ModelCheckpoint(str(tmp_path / "m.neuronet"), monitor="val_f1_score", save_best_only=True)):
        with pytest.raises(ValueError, match=r"`val_f1_score`.*average='macro'"):
            _fit(ids, x, labels, False, callbacks=[cb], **common)
    _fit(ids, x, labels, False, callbacks=[EarlyStopping(monitor="val_f1_macro", patience=5)], **common)
    # the compile configuration (metric objects with their arguments) survives save / load
    model.save(tmp_path / "model.neuronet")
    loaded = load_model(tmp_path / "model.neuronet")
    assert [m.get_config() for m in loaded.compiled_metrics] == [m.get_config() for m in model.compiled_metrics]
    again = loaded.evaluate(x, labels, verbose=0, return_dict=True)
    assert again["f1_score"] == pytest.approx(logs["f1_score"]) and again["f1_macro"] == pytest.approx(logs["f1_macro"])
