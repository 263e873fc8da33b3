"""Losses as metrics: Keras' documented values, crossentropy against scikit-learn."""
import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from neuronet import losses, metrics


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


# ---- losses as metrics (Keras' probabilistic, hinge and regression metrics) ---------------------------
Y2, P2 = np.array([[0, 1], [0, 0]]), np.array([[0.6, 0.4], [0.4, 0.6]])


Y_COS, P_COS = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])


P3 = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])


@pytest.mark.parametrize("metric, y, p, w, plain, weighted", [
    # the examples of Keras' documentation (float32 there, hence 1e-6)
    (metrics.BinaryCrossentropy(), Y2, P2, [1, 0], 0.81492424, 0.9162905),
    (metrics.CategoricalCrossentropy(), np.eye(3)[[1, 2]], P3, [0.3, 0.7], 1.1769392, 1.6271976),
    (metrics.SparseCategoricalCrossentropy(), np.array([1, 2]), P3, [0.3, 0.7], 1.1769392, 1.6271976),
    (metrics.KLDivergence(), Y2, P2, [1, 0], 0.45814306, 0.9162892),
    (metrics.Poisson(), Y2, np.array([[1, 1], [0, 0]]), [1, 0], 0.49999997, 0.99999994),
    (metrics.Hinge(), Y2, P2, [1, 0], 1.3, 1.1),
    (metrics.SquaredHinge(), Y2, P2, [1, 0], 1.86, 1.46),
    (metrics.CategoricalHinge(), Y2, P2, [1, 0], 1.4000001, 1.2),
    (metrics.LogCoshError(), Y2, np.array([[1, 1], [0, 0]]), [1, 0], 0.10844523, 0.21689045),
    (metrics.CosineSimilarity(), Y_COS, P_COS, [0.3, 0.7], 0.49999997, 0.6999999),
])
def test_loss_metrics_match_keras_documented_values(metric, y, p, w, plain, weighted):
    assert metric(y, p) == pytest.approx(plain, abs=1e-6)
    assert metric(y, p, np.array(w)) == pytest.approx(weighted, abs=1e-6)


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy", "kl_divergence", "kld", "poisson", "hinge",
                                  "squared_hinge", "categorical_hinge", "log_cosh", "logcosh", "msle",
                                  "mean_squared_logarithmic_error"])
def test_loss_names_are_metrics_equal_to_the_loss(name):
    """Streamed over uneven batches, the metric is the loss's mean (weighted: sum w l / sum w)."""
    labels = RNG.integers(0, 4, size=N)
    probs = RNG.dirichlet(np.ones(4), size=N)
    y = labels if name.startswith("sparse") else np.eye(4)[labels]
    metric, loss = metrics.get(name), losses.get(name)
    assert metric.name == name
    if hasattr(losses, name):          # the Keras function spelling, e.g. metrics=[losses.kld]
        assert type(metrics.get(getattr(losses, name))) is type(metric)
    assert _streamed(metric, y, probs) == pytest.approx(loss(y, probs), rel=1e-9)
    w = RNG.uniform(0.1, 2.0, size=N)
    per = loss.per_sample(loss.prepare_target(y, probs), probs)
    assert _streamed(metric, y, probs, w) == pytest.approx(np.average(per, weights=w), rel=1e-9)


def test_crossentropy_metrics_match_sklearn_log_loss_and_options():
    y = RNG.integers(0, 2, size=N)
    p = RNG.uniform(0.02, 0.98, size=N)
    assert _streamed(metrics.BinaryCrossentropy(), y, p[:, None]) == pytest.approx(skm.log_loss(y, p), rel=1e-9)
    labels = RNG.integers(0, 5, size=N)
    probs = RNG.dirichlet(np.ones(5), size=N)
    expected = skm.log_loss(labels, probs, labels=np.arange(5))
    assert _streamed(metrics.SparseCategoricalCrossentropy(), labels, probs) == pytest.approx(expected, rel=1e-9)
    assert _streamed(metrics.CategoricalCrossentropy(), np.eye(5)[labels], probs) == pytest.approx(expected, rel=1e-9)
    # from_logits: the same value from the logits, and finite (no warning) at +-1000
    z = np.log(probs)
    assert metrics.CategoricalCrossentropy(from_logits=True)(np.eye(5)[labels], z) == pytest.approx(expected, rel=1e-9)
    logit = np.log(p / (1 - p))
    assert metrics.BinaryCrossentropy(from_logits=True)(y, logit) == pytest.approx(skm.log_loss(y, p), rel=1e-9)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        value = metrics.BinaryCrossentropy(from_logits=True)(np.array([0.0, 1, 1]), np.array([1000.0, -1000, 0]))
    assert value == pytest.approx((1000 + 1000 + np.log(2)) / 3, rel=1e-12)
    # label smoothing s: targets y (1 - s) + s / 2 (binary), y (1 - s) + s / K (categorical)
    smooth = metrics.BinaryCrossentropy(label_smoothing=0.2)(np.array([1.0, 0.0]), np.array([0.7, 0.3]))
    assert smooth == pytest.approx(-(0.9 * np.log(0.7) + 0.1 * np.log(0.3)), rel=1e-12)
    smooth = metrics.CategoricalCrossentropy(label_smoothing=0.3)(np.eye(5)[labels], probs)
    assert smooth == pytest.approx(np.mean(-np.sum((0.7 * np.eye(5)[labels] + 0.06) * np.log(probs), axis=1)))
    with pytest.raises(ValueError, match="label_smoothing"):
        metrics.BinaryCrossentropy(label_smoothing=1.5)


# ---- in fit: history keys, both metric paths, callbacks, saving ---------------------------------------
def _binary_problem():
    x = RNG.normal(size=(96, 3)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("float32")
    return x, y


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


def test_loss_metrics_in_fit_deferred_and_per_batch_paths_agree():
    x, y = _binary_problem()
    ids = ["binary_crossentropy", "hinge", "poisson", "f1_score", "kld",
           metrics.BinaryCrossentropy(name="bce_smooth", label_smoothing=0.1), metrics.AUC(curve="PR", name="pr")]
    runs = [_fit(ids, x, y, per_batch)[1].history for per_batch in (False, True)]
    for key in ("binary_crossentropy", "val_binary_crossentropy", "hinge", "val_poisson", "kld", "bce_smooth",
                "pr", "f1_score", "val_f1_score"):
        assert key in runs[0] and len(runs[0][key]) == 2, key
        assert np.asarray(runs[0][key]) == pytest.approx(np.asarray(runs[1][key]), rel=1e-5), key
    # the metric named like the loss reports the loss (clipped probabilities vs fused logits: equal here)
    assert runs[0]["binary_crossentropy"] == pytest.approx(runs[0]["loss"], rel=1e-5)
    assert runs[0]["val_binary_crossentropy"] == pytest.approx(runs[0]["val_loss"], rel=1e-5)
    assert runs[0]["f1_score"][0].shape == (1,)


def test_loss_function_cosine_similarity_as_a_metric_logs_the_loss_value(tmp_path):
    """metrics=[losses.cosine_similarity] logs the loss (-cos), as Keras wraps the loss function, not the
    CosineSimilarity metric (+cos) of the same name; the sign survives save/load."""
    from neuronet import losses
    from neuronet.layers import Dense
    from neuronet.models import Sequential, load_model
    y, p = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]])
    metric = metrics.get(losses.cosine_similarity)
    assert metric.name == "cosine_similarity"
    assert metric(y, p) == pytest.approx(np.mean(losses.cosine_similarity(y, p))) == pytest.approx(-0.5)
    assert metrics.get("cosine_similarity")(y, p) == pytest.approx(0.5)      # the metric keeps +cos
    x = np.random.default_rng(0).normal(size=(16, 3))
    target = x[:, :2] * 2.0
    model = Sequential([Dense(2, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse", metrics=[losses.cosine_similarity])
    logged = model.fit(x, target, epochs=1, verbose=0).history["cosine_similarity"][0]
    cos = np.sum(x[:, :2] * model.predict(x), axis=1) / np.linalg.norm(x[:, :2], axis=1) / \
        np.linalg.norm(model.predict(x), axis=1)
    value = model.evaluate(x, target, verbose=0, return_dict=True)["cosine_similarity"]
    assert value == pytest.approx(-cos.mean(), rel=1e-5) and np.isfinite(logged)
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras").evaluate(x, target, verbose=0, return_dict=True)
    assert again["cosine_similarity"] == pytest.approx(value)
