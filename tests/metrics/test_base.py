"""Behaviour every metric shares: names, aliases, config, history keys, metric functions."""
import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from neuronet import losses, metrics
from neuronet.metrics import METRICS


RNG = np.random.default_rng(0)


def test_names_aliases_and_history_keys():
    for alias in ("f1", "fmeasure", "f1_score"):
        metric = metrics.get(alias)
        assert isinstance(metric, metrics.F1Score) and metric.name == alias
    assert (metrics.get("f1").average, metrics.get("f1").threshold) == ("micro", 0.5)      # one number
    assert (metrics.get("f1_score").average, metrics.get("f1_score").threshold) == (None, None)   # Keras
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert isinstance(metrics.get("r2"), metrics.R2Score)
    with pytest.raises(ValueError, match="Did you mean 'recall'"):
        metrics.get("recal")
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="DET")
    with pytest.raises(ValueError, match="threshold"):
        metrics.Precision(threshold=2)


@pytest.mark.parametrize("name", sorted({METRICS.canonical(n) for n in METRICS.names()}))
def test_config_round_trip_and_finite_on_extremes(name):
    metric = metrics.get(name)
    again = METRICS.get(metrics.serialize(metric))
    assert type(again) is type(metric) and again.get_config() == metric.get_config()
    sparse = "Sparse" in name
    for dtype in (np.float32, np.float64):
        for values in ([1e4, -1e4, 1e-30, 0.0], [1e4] * 4, [1e-30] * 4, [-1e4, 1e4, 1e4, -1e4]):
            y_pred = np.array([values, values[::-1]], dtype)
            y_true = np.array([0, 3]) if sparse else np.array([[1, 0, 0, 1], [0, 1, 1e4, 1e-30]], dtype)
            with warnings.catch_warnings(), np.errstate(all="raise"):
                warnings.simplefilter("error")
                metric.reset_state()
                metric.update_state(y_true, y_pred)
                metric.update_state(y_true, y_pred, np.array([1.0, 2.0]))
                assert np.all(np.isfinite(metric.result())), (name, values)


def test_misspelt_accuracy_suggests_accuracy_and_lists_the_aliases():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    from neuronet.registry import _edit_distance
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    with pytest.raises(ValueError, match="'accuarcy'. Did you mean 'accuracy'[ ?].*Known: acc, accuracy, auc"):
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuarcy"])
    with pytest.raises(ValueError, match="Did you mean 'binary_accuracy'[ ?]"):   # the fewest edits first
        metrics.get("binary_acuracy")
    with pytest.raises(ValueError, match="Known: acc, accuracy, auc"):
        metrics.get(5)
    assert (_edit_distance("accuarcy", "accuracy"), _edit_distance("kitten", "sitting"),
            _edit_distance("", "ab"), _edit_distance("accuarcy", "binary_accuracy")) == (1, 3, 2, 8)


def test_an_empty_registry_reports_the_unknown_name():
    from neuronet.registry import Registry
    with pytest.raises(ValueError, match=r"^Could not interpret plugin identifier: 'x'\. Known: \.$"):
        Registry("plugin").get("x")          # no name to suggest: not difflib's 'n must be > 0: 0'


def test_metrics_in_fit_history():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    x = RNG.normal(size=(64, 3)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(3,))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", "auc", "f1", "eer"])
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert {"accuracy", "auc", "f1", "eer"} <= set(history.history)
    result = model.evaluate(x, y, verbose=0)
    probs = model.predict(x, verbose=0)[:, 0]
    assert result[2] == pytest.approx(skm.roc_auc_score(y, probs), abs=1e-6)


def test_metric_functions_are_keras_objects_and_resolve_to_their_class():
    """keras.metrics re-exports the loss functions (the same objects); compile(metrics=[fn]) gives the metric
    class of the function's name, logged under it; a user's function of the same name stays the user's."""
    for name in ("mean_squared_error", "mean_absolute_error", "binary_crossentropy", "kl_divergence", "huber",
                 "log_cosh", "sparse_categorical_crossentropy"):
        assert getattr(metrics, name) is getattr(losses, name)
    assert not hasattr(metrics, "cosine_similarity")     # Keras 3 has no metric function of that name
    for fn, cls in [(metrics.mean_squared_error, metrics.MeanSquaredError), (metrics.mse, metrics.MeanSquaredError),
                    (metrics.binary_accuracy, metrics.BinaryAccuracy), (metrics.log_cosh, metrics.LogCoshError),
                    (metrics.top_k_categorical_accuracy, metrics.TopKCategoricalAccuracy),
                    (metrics.huber, metrics.FunctionMetric)]:
        metric = metrics.get(fn)
        assert type(metric) is cls and metric.name == fn.__name__

    def mean_squared_error(y_true, y_pred):          # a user's function: wrapped, not replaced
        return np.zeros(len(y_pred))
    assert type(metrics.get(mean_squared_error)) is metrics.FunctionMetric


def test_compile_with_metric_functions_logs_keras_names_and_the_string_values(tmp_path):
    from neuronet.layers import Dense
    from neuronet.models import Sequential, load_model
    import neuronet
    x = RNG.normal(size=(48, 3)).astype("float32")
    y = (x[:, :1] + x[:, 1:2] > 0).astype("float32")
    logs = {}
    for spelling in ("functions", "strings"):
        neuronet.set_random_seed(4)
        model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1, activation="sigmoid")])
        chosen = ([metrics.mean_squared_error, metrics.binary_accuracy, metrics.mean_absolute_error]
                  if spelling == "functions" else ["mean_squared_error", "binary_accuracy", "mean_absolute_error"])
        model.compile(optimizer="sgd", loss=losses.binary_crossentropy, metrics=chosen)
        logs[spelling] = model.fit(x, y, epochs=2, batch_size=16, verbose=0, seed=4).history
    assert logs["functions"] == logs["strings"]
    assert set(logs["functions"]) == {"loss", "mean_squared_error", "binary_accuracy", "mean_absolute_error"}
    p = model.predict(x, verbose=0)
    values = model.evaluate(x, y, verbose=0, return_dict=True)
    assert values["mean_squared_error"] == pytest.approx(np.mean(metrics.mean_squared_error(y, p)), rel=1e-5)
    assert values["binary_accuracy"] == pytest.approx(np.mean(metrics.binary_accuracy(y, p)))
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras").evaluate(x, y, verbose=0, return_dict=True)
    assert again == pytest.approx(values)
