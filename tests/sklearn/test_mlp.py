"""The MLP estimators: scikit-learn checks, pipelines, targets, weights, early stopping, errors."""
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import Adam
from neuronet.sklearn import KerasClassifier, KerasRegressor, MLPClassifier, MLPRegressor
from neuronet.utils.random import global_generator, using_generator


pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return train_test_split(X, y, random_state=0, stratify=y)


# ---- scikit-learn's own estimator checks ---------------------------------------------------------------
@parametrize_with_checks([MLPClassifier(hidden_layer_sizes=(16,), max_iter=100, learning_rate_init=0.01),
                          MLPRegressor(hidden_layer_sizes=(16,), max_iter=100, learning_rate_init=0.01),
                          MLPClassifier(), MLPRegressor()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _build_any_classifier(meta):
    """Output layer from the data: 1 sigmoid unit for two classes, else K softmax units."""
    k = meta["n_classes_"]
    return Sequential([Dense(16, activation="relu"),
                       Dense(1, activation="sigmoid") if k == 2 else Dense(k, activation="softmax")])


def _build_any_regressor(meta):
    return Sequential([Dense(16, activation="relu"), Dense(meta["n_outputs_"])])


@pytest.mark.parametrize("make", [
    lambda: KerasRegressor(_build_any_regressor, optimizer="adam", epochs=20, random_state=0),
    lambda: KerasClassifier(_build_any_classifier, optimizer=Adam(0.01), epochs=20, random_state=0),
    lambda: MLPRegressor((16,), max_iter=100, learning_rate_init=0.01, random_state=0),
    lambda: MLPClassifier((16,), max_iter=100, learning_rate_init=0.01, random_state=0)])
def test_predict_is_subset_invariant_in_float32(make):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) if hasattr(make(), "predict_proba") else X @ rng.normal(size=5)
    est = make().fit(X, y)
    method = est.predict_proba if hasattr(est, "predict_proba") else est.predict
    whole = method(X)
    by_three = np.concatenate([method(X[i:i + 3]) for i in range(0, len(X), 3)])
    np.testing.assert_allclose(by_three, whole, rtol=1e-5, atol=1e-6)
    assert not np.array_equal(whole, np.zeros_like(whole))


# ---- the notes' usage ----------------------------------------------------------------------------------
def test_breast_cancer_accuracy(cancer):
    X_train, X_test, y_train, y_test = cancer
    clf = MLPClassifier(random_state=0).fit(X_train, y_train)      # the notes' MLPClassifier() defaults
    assert clf.score(X_test, y_test) >= 0.95                         # scikit-learn's MLP: 0.951 here
    assert clf.n_iter_ == len(clf.loss_curve_) and clf.loss_curve_[-1] < clf.loss_curve_[0]
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 2) and np.allclose(proba.sum(axis=1), 1.0)


def test_regressor_multi_output_and_r2():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    Y = np.column_stack([X @ [1.0, -2.0, 0.5], X[:, 0] - X[:, 2]])
    reg = MLPRegressor((16,), learning_rate_init=0.01, max_iter=150, random_state=0).fit(X, Y)
    assert reg.predict(X).shape == (300, 2) and reg.n_outputs_ == 2
    assert reg.score(X, Y) > 0.95
    single = MLPRegressor((8,), max_iter=5, random_state=0).fit(X, Y[:, 0])
    assert single.predict(X).shape == (300,)


def test_pipeline_with_column_transformer_on_dataframe():
    rng = np.random.default_rng(0)
    n = 120
    df = pd.DataFrame({"age": rng.normal(40, 10, n), "income": rng.normal(50, 15, n),
                       "city": rng.choice(["paris", "rome", "oslo"], n)})
    y = ((df["age"] > 40) ^ (df["city"] == "oslo")).astype(int).to_numpy()
    pre = ColumnTransformer([("num", StandardScaler(), ["age", "income"]),
                             ("cat", OneHotEncoder(handle_unknown="ignore"), ["city"])])
    pipe = Pipeline([("pre", pre), ("mlp", MLPClassifier((16,), learning_rate_init=0.01, max_iter=60,
                                                         random_state=0))])
    scores = cross_val_score(clone(pipe), df, y, cv=5)
    assert scores.shape == (5,) and scores.mean() > 0.7
    mlp = MLPClassifier(max_iter=2, random_state=0).fit(df[["age", "income"]], y)
    assert list(mlp.feature_names_in_) == ["age", "income"] and mlp.n_features_in_ == 2


# ---- targets, weights, incremental training ----------------------------------------------------------
def test_string_labels_round_trip(cancer):
    X, _, y, _ = cancer
    labels = np.array(["no", "yes"], dtype=object)[y]
    named = MLPClassifier((8,), max_iter=20, random_state=0).fit(X, labels)
    coded = MLPClassifier((8,), max_iter=20, random_state=0).fit(X, y)
    assert list(named.classes_) == ["no", "yes"]
    np.testing.assert_array_equal(named.predict_proba(X), coded.predict_proba(X))
    np.testing.assert_array_equal(named.predict(X), np.array(["no", "yes"])[coded.predict(X)])
    three = np.array(["a", "b", "c"])[np.arange(len(X)) % 3]
    assert MLPClassifier((4,), max_iter=2, random_state=0).fit(X, three).predict_proba(X).shape[1] == 3


def test_multilabel_indicator_targets(cancer):
    X, _, y, _ = cancer
    Y = np.column_stack([y, 1 - y, (X[:, 0] > 0).astype(int)])
    clf = MLPClassifier((16,), max_iter=40, learning_rate_init=0.01, random_state=0).fit(X, Y)
    assert clf.predict(X).shape == Y.shape and set(np.unique(clf.predict(X))) <= {0, 1}
    assert clf.predict_proba(X).shape == Y.shape and clf.score(X, Y) > 0.8


def test_partial_fit_requires_classes_then_learns(cancer):
    X, X_test, y, y_test = cancer
    clf = MLPClassifier((16,), random_state=0)
    with pytest.raises(ValueError, match="classes"):
        clf.partial_fit(X, y)
    for _ in range(15):
        clf.partial_fit(X, y, classes=[0, 1])
    assert clf.n_iter_ == 15 and clf.score(X_test, y_test) > 0.9
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X[:5], np.full(5, 7))


def test_warm_start_continues(cancer):
    X, _, y, _ = cancer
    clf = MLPClassifier((8,), max_iter=3, warm_start=True, random_state=0).fit(X, y)
    first = clf.model_
    clf.fit(X, y)
    assert clf.model_ is first and clf.n_iter_ == 6 and len(clf.loss_curve_) == 6


def test_class_weight_balanced_and_sample_weight(cancer):
    X, _, y, _ = cancer
    keep = np.flatnonzero(y == 1)[:40].tolist() + np.flatnonzero(y == 0).tolist()   # minority: class 1
    Xi, yi = X[keep], y[keep]
    plain = MLPClassifier((8,), max_iter=5, random_state=0).fit(Xi, yi)
    balanced = MLPClassifier((8,), max_iter=5, random_state=0, class_weight="balanced").fit(Xi, yi)
    assert balanced.predict_proba(Xi)[:, 1].mean() > plain.predict_proba(Xi)[:, 1].mean()
    w = np.where(yi == 1, len(yi) / (2 * 40), len(yi) / (2 * (len(yi) - 40)))
    weighted = MLPClassifier((8,), max_iter=5, random_state=0).fit(Xi, yi, sample_weight=w)
    np.testing.assert_allclose(weighted.predict_proba(Xi), balanced.predict_proba(Xi), rtol=1e-5)
    with pytest.raises(ValueError, match="class_weight"):
        MLPClassifier(class_weight="even").fit(Xi, yi)


def test_early_stopping_records_validation_curves(cancer):
    X, _, y, _ = cancer
    clf = MLPClassifier((8,), max_iter=200, early_stopping=True, n_iter_no_change=3, random_state=0)
    clf.fit(X, y)
    assert clf.n_iter_ < 200
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_) and clf.best_loss_ is None


# ---- seeding -------------------------------------------------------------------------------------------
def test_random_state_reproducible_and_leaves_global_state(cancer):
    X, _, y, _ = cancer
    np_state = np.random.get_state()[1].copy()
    nn_state = global_generator().bit_generator.state
    kw = dict(hidden_layer_sizes=(8,), max_iter=5, dropout=0.2, early_stopping=True, random_state=3)
    a = MLPClassifier(**kw).fit(X, y)
    b = MLPClassifier(**kw).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.loss_curve_ == b.loss_curve_
    assert (np.random.get_state()[1] == np_state).all()
    assert global_generator().bit_generator.state == nn_state
    c = MLPClassifier(**{**kw, "random_state": 4}).fit(X, y)
    assert not np.array_equal(a.predict_proba(X), c.predict_proba(X))


def test_using_generator_is_scoped_and_thread_local():
    import threading
    outer = global_generator()
    with using_generator(5) as rng:
        assert global_generator() is rng
        seen = []
        t = threading.Thread(target=lambda: seen.append(global_generator()))
        t.start(); t.join()
        assert seen[0] is outer
    assert global_generator() is outer


def test_parameter_errors_name_the_argument(cancer):
    X, _, y, _ = cancer
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        MLPClassifier(hidden_layer_sizes=(0,)).fit(X, y)
    with pytest.raises(ValueError, match="solver"):
        MLPClassifier(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="dropout"):
        MLPRegressor(dropout=1.5).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        with pytest.raises(ConvergenceWarning):
            MLPClassifier((4,), max_iter=1, random_state=0).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations") as record:
        MLPClassifier((4,), max_iter=1, random_state=0).fit(X, y)
    assert record[0].filename == __file__            # reported at the fit call, not inside neuronet


def test_dropout_batch_norm_and_named_optimizer(cancer):
    X, X_test, y, y_test = cancer
    clf = MLPClassifier((16,), dropout=0.2, batch_norm=True, optimizer="rmsprop", learning_rate_init=0.01,
                        max_iter=20, random_state=0).fit(X, y)
    kinds = [type(layer).__name__ for layer in clf.model_.layers]
    assert kinds == ["Dense", "BatchNormalization", "Dropout", "Dense"]
    assert type(clf.model_.optimizer).__name__ == "RMSprop" and clf.model_.optimizer.learning_rate == 0.01
    assert clf.score(X_test, y_test) > 0.9


@pytest.mark.parametrize("schedule", ["constant", "invscaling", "adaptive"])
def test_sgd_learning_rate_schedules_follow_scikit_learn(schedule):
    """learning_rate='invscaling' sets eta_0 / (t + 1)^power_t after each epoch (t = samples seen);
    'adaptive' divides the rate by 5 instead of stopping when n_iter_no_change epochs bring no
    improvement, until it falls below 1e-6. The same iteration count and final rate as scikit-learn."""
    import warnings
    from sklearn.datasets import load_iris
    from sklearn.neural_network import MLPClassifier as SkMLPClassifier
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    kwargs = dict(hidden_layer_sizes=(8,), solver="sgd", learning_rate=schedule, learning_rate_init=0.1,
                  power_t=0.4, max_iter=60, tol=1e9, n_iter_no_change=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = MLPClassifier(**kwargs).fit(X, y)
        theirs = SkMLPClassifier(**kwargs).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.model_.optimizer.learning_rate == pytest.approx(theirs._optimizer.learning_rate, rel=1e-9)
    assert ours.get_params()["learning_rate"] == schedule and ours.get_params()["power_t"] == 0.4


def test_unknown_learning_rate_schedule_is_a_clear_error():
    with pytest.raises(ValueError, match=r"`learning_rate`, expected 'constant', 'invscaling' or 'adaptive'"):
        MLPRegressor(learning_rate="cosine").fit(np.zeros((4, 2)), np.zeros(4))
