"""Loss gradients against float64 finite differences under every reduction."""
import numpy as np
import pytest

from gradcheck import numeric_gradient
from neuronet import activations, losses
from neuronet.losses import LOSSES


RNG = np.random.default_rng(0)


def _distinct(names, registry):
    seen, out = set(), []
    for name in names:
        obj = registry.lookup(name)
        if id(obj) not in seen and name != "step":   # step has no gradient by design
            seen.add(id(obj))
            out.append(name)
    return out


def _loss_inputs(name, shape=(6, 3)):
    loss = losses.get(name)
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        return loss, RNG.integers(0, shape[1], size=shape[0]), RNG.dirichlet(np.ones(shape[1]), size=shape[0])
    if isinstance(loss, losses.CategoricalCrossentropy):
        y_true = np.eye(shape[1])[RNG.integers(0, shape[1], size=shape[0])]
        return loss, y_true, RNG.dirichlet(np.ones(shape[1]), size=shape[0])
    if getattr(loss, "fused_activation", None) == "sigmoid":
        return loss, RNG.integers(0, 2, size=shape).astype(float), RNG.uniform(0.05, 0.95, size=shape)
    if isinstance(loss, (losses.KLDivergence, losses.CategoricalHinge)):
        y_true = RNG.dirichlet(np.ones(shape[1]), size=shape[0])
        if isinstance(loss, losses.CategoricalHinge):
            y_true = np.eye(shape[1])[RNG.integers(0, shape[1], size=shape[0])]
        return loss, y_true, RNG.dirichlet(np.ones(shape[1]), size=shape[0]) * 0.98 + 0.005
    y_true = RNG.uniform(0.1, 2.0, size=shape)
    if "hinge" in name:
        y_true = RNG.choice([-1.0, 1.0], size=shape)
    return loss, y_true, RNG.uniform(0.2, 2.5, size=shape)


@pytest.mark.parametrize("name", _distinct(LOSSES.names(), LOSSES))
def test_loss_gradient_matches_finite_differences(name):
    loss, y_true, y_pred = _loss_inputs(name)
    weights = RNG.uniform(0.5, 2.0, size=len(y_pred))
    for w in (None, weights):
        _, analytic = loss.value_and_gradient(y_true, y_pred, w)
        numeric = numeric_gradient(lambda: loss(y_true, y_pred, w), y_pred)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("name", [n for n in _distinct(LOSSES.names(), LOSSES)
                                  if getattr(losses.get(n), "fused_activation", None)])
def test_fused_logits_gradient_matches_finite_differences(name):
    loss, y_true, _ = _loss_inputs(name)
    z = RNG.normal(size=(6, 3)) * 3
    _, analytic = loss.value_and_gradient(y_true, z, logits=z)
    numeric = numeric_gradient(lambda: loss.value_and_gradient(y_true, z, need_grad=False, logits=z)[0], z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", _distinct(LOSSES.names(), LOSSES))
def test_loss_gradient_under_every_reduction(name, reduction):
    """dL/dy_pred for each reduction; for 'none' (a vector of per-sample losses) the gradient of its sum."""
    loss, y_true, y_pred = _loss_inputs(name)
    loss = type(loss).from_config({**loss.get_config(), "reduction": reduction})
    weights = RNG.uniform(0.5, 2.0, size=len(y_pred))
    for w in (None, weights):
        _, analytic = loss.value_and_gradient(y_true, y_pred, w)
        numeric = numeric_gradient(lambda: float(np.sum(loss(y_true, y_pred, w))), y_pred)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("reduction", ["sum", "mean_with_sample_weight"])
@pytest.mark.parametrize("name", [n for n in _distinct(LOSSES.names(), LOSSES)
                                  if getattr(losses.get(n), "fused_activation", None)])
def test_fused_logits_gradient_under_reduction(name, reduction):
    loss, y_true, _ = _loss_inputs(name)
    loss = type(loss)(reduction=reduction)
    z = RNG.normal(size=(6, 3)) * 3
    w = RNG.uniform(0.5, 2.0, size=6)
    _, analytic = loss.value_and_gradient(y_true, z, w, logits=z)
    numeric = numeric_gradient(lambda: loss.value_and_gradient(y_true, z, w, need_grad=False, logits=z)[0], z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("axis, shape", [(-1, (5, 4)), (1, (5, 4)), (-1, (4, 3, 2)), (1, (4, 3, 2))])
def test_cosine_similarity_gradient_float64(axis, shape):
    """The explicit backward -(u - c v) / ||p|| against central differences, on any features axis; rows
    include a negative and a small one (norm 1e-3, still above the 1e-6 clamp)."""
    loss = losses.CosineSimilarity(axis=axis)
    y_true, y_pred = RNG.normal(size=shape), RNG.normal(size=shape)
    y_pred[1] *= 1e-3
    for w in (None, RNG.uniform(0.5, 2.0, size=shape[0])):
        _, analytic = loss.value_and_gradient(y_true, y_pred, w)
        numeric = numeric_gradient(lambda: loss(y_true, y_pred, w), y_pred, eps=1e-9)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def test_cosine_similarity_gradient_where_the_norm_is_clamped():
    """Below ||p|| = 1e-6, v = p / 1e-6 is linear in p: the gradient is -u / 1e-6."""
    loss = losses.CosineSimilarity(reduction="sum")
    y_true, y_pred = np.array([[3.0, 4.0]]), np.array([[1e-8, -2e-8]])
    _, analytic = loss.value_and_gradient(y_true, y_pred)
    np.testing.assert_allclose(analytic, -np.array([[0.6, 0.8]]) / 1e-6)
    numeric = numeric_gradient(lambda: loss(y_true, y_pred), y_pred, eps=1e-10)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("make", [lambda: losses.MeanSquaredError(), lambda: losses.BinaryCrossentropy(),
                                  lambda: losses.Huber(delta=0.5), lambda: losses.CosineSimilarity(axis=1)],
                         ids=["mse", "bce", "huber", "cosine_axis1"])
def test_loss_gradient_on_3d_predictions_under_every_reduction(make, reduction):
    """(n, T, K) predictions with sample weights: the gradient of the reduced value (of the sum for 'none')
    against central differences, and the training step's gradient equal to it (sample weights (n,))."""
    loss = make()
    loss.reduction = reduction
    y_true = RNG.integers(0, 2, size=(4, 3, 2)).astype(float)
    y_pred = RNG.uniform(0.1, 0.9, size=(4, 3, 2))
    for w in (None, RNG.uniform(0.5, 2.0, size=4)):
        _, analytic = loss.value_and_gradient(y_true, y_pred, w)
        numeric = numeric_gradient(lambda: float(np.sum(loss(y_true, y_pred, w))), y_pred)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
        if reduction not in ("none", None):
            trained = loss.training_gradient(y_true, y_pred.copy(), sample_weight=w, fused=False)
            np.testing.assert_allclose(trained, analytic, rtol=1e-12)


SMOOTHED = [lambda: losses.BinaryCrossentropy(label_smoothing=0.1),
            lambda: losses.BinaryCrossentropy(label_smoothing=0.35, reduction="sum"),
            lambda: losses.CategoricalCrossentropy(label_smoothing=0.1),
            lambda: losses.CategoricalCrossentropy(label_smoothing=0.35, reduction="sum")]


SMOOTHED_IDS = ["bce-0.1", "bce-0.35-sum", "cce-0.1", "cce-0.35-sum"]


def _smoothing_inputs(loss, shape=(6, 3)):
    """Raw targets (0/1 labels, one-hot rows for the categorical loss), probabilities, logits, weights."""
    if isinstance(loss, losses.CategoricalCrossentropy):
        y_true = np.eye(shape[1])[RNG.integers(0, shape[1], size=shape[0])]
        y_pred = RNG.dirichlet(np.ones(shape[1]), size=shape[0]) * 0.98 + 0.02 / shape[1]
    else:
        y_true = RNG.integers(0, 2, size=shape).astype(float)
        y_pred = RNG.uniform(0.05, 0.95, size=shape)
    return y_true, y_pred, RNG.normal(size=shape) * 3, RNG.uniform(0.5, 2.0, size=shape[0])


@pytest.mark.parametrize("make", SMOOTHED, ids=SMOOTHED_IDS)
def test_label_smoothing_gradient_matches_finite_differences(make, float64):
    """label_smoothing > 0 on the three paths, float64 central differences: probabilities (plain), the
    fused sigmoid/softmax form (dL/dz from the logits, and the training step's p - y' from p) and
    from_logits=True. Each gradient is that of the smoothed loss's value."""
    loss = make()
    y_true, y_pred, z, weights = _smoothing_inputs(loss)
    logits_loss = type(loss).from_config({**loss.get_config(), "from_logits": True})
    act = activations.get(loss.fused_activation)
    for w in (None, weights):
        _, plain = loss.value_and_gradient(y_true, y_pred, w)
        numeric = numeric_gradient(lambda: loss(y_true, y_pred, w), y_pred)
        np.testing.assert_allclose(plain, numeric, rtol=1e-5, atol=1e-8)

        _, fused = loss.value_and_gradient(y_true, z, w, logits=z)
        numeric_z = numeric_gradient(lambda: loss.value_and_gradient(y_true, z, w, need_grad=False, logits=z)[0], z)
        np.testing.assert_allclose(fused, numeric_z, rtol=1e-5, atol=1e-8)
        stepped = loss.training_gradient(y_true, act(z), sample_weight=w, fused=True)      # fit's fused gradient from p
        np.testing.assert_allclose(stepped, numeric_z, rtol=1e-5, atol=1e-8)
        # the value of the logits form is the value on p = act(z): the same loss
        assert loss.value_and_gradient(y_true, z, w, need_grad=False, logits=z)[0] == \
            pytest.approx(loss(y_true, act(z), w), rel=1e-6)

        _, from_logits = logits_loss.value_and_gradient(y_true, z, w)
        numeric_fl = numeric_gradient(lambda: logits_loss(y_true, z, w), z)
        np.testing.assert_allclose(from_logits, numeric_fl, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(logits_loss.training_gradient(y_true, z.copy(), sample_weight=w, fused=False), numeric_fl,
                                   rtol=1e-5, atol=1e-8)
        # smoothing changed the gradient: it is not the raw targets' one
        raw = type(loss)(reduction=loss.reduction)
        assert not np.allclose(raw.value_and_gradient(y_true, z, w, logits=z)[1], fused)
