"""scikit-learn's MLP objective on neuronet: sample weights over the batch's weight sum, the L2 penalty
divided by it, half the squared error; float64 compute for float64 X; sparse X equal to dense."""
import threading

import numpy as np
import pytest
from scipy import sparse
from sklearn import neural_network
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from gradcheck import numeric_gradient
from neuronet.models import load_model
from neuronet.sklearn import MLPClassifier, MLPRegressor, custom_objects
from neuronet.sklearn._objective import BatchL2, BinaryLogLoss, LogLoss, SquaredErrorHalf

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _data(task, n=40, d=6, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d))
    if task == "binary":
        return X, (X[:, 0] + X[:, 1] > 0).astype(int)
    if task == "multiclass":
        return X, np.digitize(X[:, 0] + 0.5 * X[:, 2], [-0.5, 0.5])
    if task == "multilabel":
        return X, np.column_stack([X[:, 0] > 0, X[:, 1] + X[:, 2] > 0, X[:, 3] > 0.5]).astype(int)
    return X, X @ rng.normal(size=d) + 0.3 * rng.normal(size=n)


# ---- the losses and the penalty ------------------------------------------------------------------------
@pytest.mark.parametrize("loss, y, p", [
    (SquaredErrorHalf(), np.array([[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]]), np.array([[0.3, -1.0], [0.1, 2.0], [1.0, 0.5]])),
    (BinaryLogLoss(), np.array([[1.0], [0.0], [1.0]]), np.array([[0.7], [0.2], [0.4]])),
    (BinaryLogLoss(), np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), np.array([[0.7, 0.1], [0.2, 0.5], [0.4, 0.9]])),
    (LogLoss(), np.array([2, 0, 1]), np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.1, 0.8, 0.1]]))])
@pytest.mark.parametrize("weights", [None, np.array([2.0, 0.0, 1.0])])
def test_losses_weighted_mean_over_weight_sum_and_gradient(loss, y, p, weights):
    loss.reduction = "mean_with_sample_weight"
    per = np.array([loss(y[i:i + 1], p[i:i + 1]) for i in range(3)])
    value, grad = loss.value_and_gradient(y, p, sample_weight=weights)
    w = np.ones(3) if weights is None else weights
    assert value == pytest.approx(np.dot(w, per) / w.sum(), rel=1e-12)
    assert loss.batch_weight_sum == w.sum()
    p = p.copy()
    np.testing.assert_allclose(grad, numeric_gradient(lambda: loss(y, p, sample_weight=weights), p), rtol=1e-6,
                               atol=1e-9)


def test_squared_error_is_half_of_keras_mse():
    y, p = np.array([[0.0], [0.0]]), np.array([[1.0], [3.0]])
    assert SquaredErrorHalf()(y, p) == 0.5 * (1 + 9) / 2


def test_batch_l2_divides_by_the_weight_sum_of_the_last_batch():
    loss, reg, W = SquaredErrorHalf(reduction="mean_with_sample_weight"), BatchL2(alpha=0.3), np.array([[1.0, -2.0]])
    loss(np.zeros((3, 1)), np.ones((3, 1)), sample_weight=np.array([1.0, 4.0, 0.0]))
    assert reg(W) == pytest.approx(0.5 * 0.3 * 5.0 / 5.0)
    np.testing.assert_allclose(reg.gradient(W), 0.3 * W / 5.0)
    Wc = W.copy()
    np.testing.assert_allclose(reg.gradient(Wc), numeric_gradient(lambda: reg(Wc), Wc), rtol=1e-7)
    errors = []

    def without_a_loss():          # a thread where no loss of the module has run yet
        try:
            BatchL2(0.1)(W)
        except RuntimeError as exc:
            errors.append(str(exc))
    thread = threading.Thread(target=without_a_loss)
    thread.start()
    thread.join()
    assert len(errors) == 1 and "compile the model with one of them" in errors[0]


def test_saved_network_reloads_and_trains_on_like_the_estimator(tmp_path):
    """est.model_ saved and loaded with neuronet.sklearn.custom_objects predicts the same and trains on
    exactly as the estimator does (partial_fit: one more epoch, same batches)."""
    X, y = _data("binary")
    w = np.random.RandomState(2).randint(1, 4, size=len(X)).astype(float)
    est = MLPClassifier((6,), max_iter=5, alpha=0.5, shuffle=False, random_state=0).fit(X, y, sample_weight=w)
    est.model_.save(tmp_path / "mlp.h5")
    model = load_model(tmp_path / "mlp.h5", custom_objects=custom_objects)
    np.testing.assert_array_equal(model.predict(X)[:, 0], est.predict_proba(X)[:, 1])
    model.fit(X, y.astype(float), batch_size=len(X), epochs=1, shuffle=False, sample_weight=w, verbose=0)
    est.partial_fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(model.predict(X)[:, 0], est.predict_proba(X)[:, 1])


# ---- the estimators against scikit-learn's MLP, step for step ------------------------------------------
@pytest.mark.parametrize("task", ["binary", "multiclass", "multilabel", "regression"])
@pytest.mark.parametrize("batch_size", [7, 40])
def test_weighted_training_equals_scikit_learn_step_for_step(task, batch_size):
    """From the same weights, SGD without momentum and without shuffling: neuronet's loss_curve_ and
    weights equal scikit-learn's MLP with sample_weight and alpha, including a last batch smaller than
    the others (the penalty scaled by each batch's weight sum)."""
    X, y = _data(task)
    w = np.random.RandomState(1).randint(0, 4, size=len(X)).astype(float)
    kw = dict(hidden_layer_sizes=(5,), solver="sgd", momentum=0.0, learning_rate_init=0.05, alpha=0.3,
              batch_size=batch_size, shuffle=False, max_iter=1, warm_start=True, tol=0.0)
    sk_cls = neural_network.MLPRegressor if task == "regression" else neural_network.MLPClassifier
    nn_cls = MLPRegressor if task == "regression" else MLPClassifier
    sk, nn = sk_cls(**kw, random_state=0).fit(X, y), nn_cls(**kw, random_state=0).fit(X, y)
    nn.coefs_, nn.intercepts_ = sk.coefs_, sk.intercepts_
    sk.set_params(max_iter=4).fit(X, y, sample_weight=w)
    nn.set_params(max_iter=4).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(nn.loss_curve_[1:], sk.loss_curve_[1:], rtol=1e-10)
    for a, b in zip(nn.coefs_ + nn.intercepts_, sk.coefs_ + sk.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("est", [MLPClassifier((8,), max_iter=60, learning_rate_init=0.02, alpha=0.01),
                                 MLPRegressor((8,), max_iter=60, learning_rate_init=0.02, alpha=0.01),
                                 MLPClassifier((8,), solver="sgd", max_iter=60, random_state=3)],
                         ids=["classifier-adam", "regressor-adam", "classifier-sgd"])
def test_integer_weights_equal_repeated_rows(est):
    """As scikit-learn's check: weight k trains as the row given k times (0: the row left out)."""
    X, y = _data("regression" if isinstance(est, MLPRegressor) else "multiclass", n=30)
    w = np.random.RandomState(42).randint(0, 5, size=len(X))
    repeated = est.set_params(random_state=0).fit(X.repeat(w, axis=0), y.repeat(w))
    out_repeated = repeated.predict_proba(X) if hasattr(est, "predict_proba") else repeated.predict(X)
    curve = list(repeated.loss_curve_)
    weighted = est.fit(X, y, sample_weight=w)
    out_weighted = weighted.predict_proba(X) if hasattr(est, "predict_proba") else weighted.predict(X)
    np.testing.assert_allclose(out_weighted, out_repeated, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weighted.loss_curve_, curve, rtol=1e-9)


def test_unit_weights_change_nothing_and_uniform_weights_only_the_penalty():
    """Weights of 1 are no weights; weights of 3 are every row thrice: the same data term, a third of
    the penalty (scikit-learn divides it by the weight sum), so with alpha=0 nothing changes."""
    X, y = _data("binary")
    fit = lambda alpha, w=None: MLPClassifier((8,), max_iter=20, random_state=0, alpha=alpha).fit(  # noqa: E731
        X, y, sample_weight=w).predict_proba(X)
    np.testing.assert_allclose(fit(0.1, np.ones(len(X))), fit(0.1), rtol=1e-10)
    np.testing.assert_allclose(fit(0.0, np.full(len(X), 3.0)), fit(0.0), rtol=1e-10)
    assert not np.allclose(fit(1.0, np.full(len(X), 3.0)), fit(1.0), rtol=1e-6)


# ---- dtype ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_layers_compute_in_the_dtype_of_X(dtype):
    X, y = _data("regression")
    est = MLPRegressor((8,), max_iter=5, random_state=0).fit(X.astype(dtype), y)
    assert est.model_.dtype == dtype
    assert all(c.dtype == dtype for c in est.coefs_ + est.intercepts_)
    Xd = X.astype(dtype)
    hidden = np.maximum(Xd @ est.coefs_[0] + est.intercepts_[0], 0)
    expected = (hidden @ est.coefs_[1] + est.intercepts_[1])[:, 0]
    np.testing.assert_allclose(est.predict(Xd), expected, rtol=1e-12 if dtype == np.float64 else 1e-5)


def test_integer_X_trains_in_float64_as_scikit_learn():
    X, y = _data("binary")
    est = MLPClassifier((4,), max_iter=3, random_state=0).fit(np.round(X * 10).astype(np.int64), y)
    assert est.model_.dtype == np.float64


# ---- sparse X ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", [sparse.csr_matrix, sparse.csc_matrix, sparse.csr_array])
@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_sparse_X_trains_and_predicts_as_dense(fmt, cls):
    X, y = _data("regression" if cls is MLPRegressor else "multiclass", n=50)
    X[np.abs(X) < 0.8] = 0.0
    kw = dict(hidden_layer_sizes=(8,), max_iter=15, random_state=0, early_stopping=True, n_iter_no_change=50)
    dense, sp = cls(**kw).fit(X, y), cls(**kw).fit(fmt(X), y)
    assert sp.loss_curve_ == dense.loss_curve_ and sp.validation_scores_ == dense.validation_scores_
    method = "predict_proba" if cls is MLPClassifier else "predict"
    np.testing.assert_array_equal(getattr(sp, method)(fmt(X)), getattr(dense, method)(X))
    sp.partial_fit(fmt(X), y)
    dense.partial_fit(X, y)
    np.testing.assert_array_equal(getattr(sp, method)(X), getattr(dense, method)(X))


def test_one_hot_encoder_sparse_output_in_a_pipeline():
    rng = np.random.RandomState(0)
    cats = rng.choice(["a", "b", "c", "d"], size=(80, 2))
    y = ((cats[:, 0] == "a") | (cats[:, 1] == "b")).astype(int)
    pipe = make_pipeline(OneHotEncoder(), MLPClassifier((8,), max_iter=300, learning_rate_init=0.05, random_state=0))
    assert sparse.issparse(pipe[0].fit_transform(cats))
    assert pipe.fit(cats, y).score(cats, y) > 0.95
