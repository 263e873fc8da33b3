"""Cross-entropy losses: the notes' examples, extremes, the from_logits path."""
import math

import numpy as np
import pytest

from neuronet import activations, losses
from neuronet.layers import Dense
from neuronet.models import Sequential


def test_cross_entropy_examples(float64):
    cce, bce = losses.get("categorical_crossentropy"), losses.get("binary_crossentropy")
    ce = cce.per_sample(np.array([[1.0, 0, 0]]), np.array([[0.6, 0.2, 0.2]]))[0]
    # The slide says -log 0.6 = 0.22 "with Napier's e": ln gives 0.5108; 0.22 is -log10(0.6).
    assert ce == pytest.approx(0.510825624, rel=1e-8)
    assert -math.log10(0.6) == pytest.approx(0.221848750, rel=1e-8)
    b = bce.per_sample(np.array([[1.0], [0.0], [1.0], [0.0]]), np.array([[0.92], [0.94], [0.09], [0.03]]))
    np.testing.assert_allclose(b, [0.0833816089, 2.81341072, 2.40794561, 0.0304592075], rtol=1e-7)
    # CCE in base 2 (002): -log2(0.775) = 0.3677. The slide's probabilities sum to 1.01; Keras and
    # neuronet rescale y_pred to sum 1, so in nats neuronet gives -ln(0.775 / 1.01).
    assert -math.log2(0.775) == pytest.approx(0.367731785, rel=1e-8)
    t = np.array([[1.0, 0, 0, 0]])
    assert cce.per_sample(t, np.array([[0.775, 0.126, 0.039, 0.070]]))[0] == pytest.approx(
        -math.log(0.775 / 1.01), rel=1e-8)
    nats = cce.per_sample(t, np.array([[0.775, 0.126, 0.039, 0.060]]))[0]   # sums to 1
    assert nats / math.log(2) == pytest.approx(0.367731785, rel=1e-8)


RNG = np.random.default_rng(0)


# ---- the notes' numbers -------------------------------------------------------------------------------
def test_notes_cross_entropy_of_0_6():
    # 000 notes: "-log 0.6 = 0.22". That is log base 10 (-log10 0.6 = 0.2218); Keras and neuronet use the
    # natural log, -ln 0.6 = 0.5108.
    value = losses.get("categorical_crossentropy")(np.array([[1.0, 0, 0]]), np.array([[0.6, 0.2, 0.2]]))
    assert value == pytest.approx(0.5108256, abs=1e-6)
    assert -np.log10(0.6) == pytest.approx(0.2218, abs=1e-4)


def test_notes_binary_crossentropy_examples():
    bce = losses.get("binary_crossentropy")
    assert bce(np.array([[1.0]]), np.array([[0.92]])) == pytest.approx(0.083381, abs=1e-6)   # -ln 0.92
    assert bce(np.array([[0.0]]), np.array([[0.94]])) == pytest.approx(2.813411, abs=1e-6)   # -ln(1 - 0.94)
    assert bce(np.array([[1.0]]), np.array([[0.09]])) == pytest.approx(2.41, abs=5e-3)
    assert bce(np.array([[0.0]]), np.array([[0.03]])) == pytest.approx(0.03, abs=5e-3)


def test_notes_categorical_crossentropy_in_bits():
    # 002 notes: -[1 log2(0.775) + 0 log2(0.126) + 0 log2(0.039) + 0 log2(0.070)] = -log2(0.775) = 0.3677.
    assert -np.log2(0.775) == pytest.approx(0.3677, abs=1e-4)
    # The notes' row sums to 1.01, and Keras (so neuronet) renormalises probabilities before the log:
    # the natural-log loss is ln(1.01 / 0.775) = 0.2648, i.e. 0.3821 bits. On a row summing to 1 with the
    # same first entry the loss is exactly the notes' 0.3677 bits.
    cce = losses.get("categorical_crossentropy")
    row = np.array([[0.775, 0.126, 0.039, 0.070]])
    target = np.array([[1.0, 0, 0, 0]])
    assert cce(target, row) / np.log(2) == pytest.approx(np.log2(1.01 / 0.775), abs=1e-9)
    assert cce(target, np.array([[0.775, 0.126, 0.039, 0.060]])) / np.log(2) == pytest.approx(0.3677, abs=1e-4)


def test_bce_from_logits_value_by_hand():
    # Keras and PyTorch: 666.8977 for logits [1000, -1000, 0], targets [0, 1, 1].
    loss = losses.BinaryCrossentropy(from_logits=True)
    assert loss(np.array([0.0, 1, 1]), np.array([1000.0, -1000, 0])) == pytest.approx(666.8977, abs=1e-4)
    value, grad = loss.value_and_gradient(np.array([[0.0, 1, 1]]), np.array([[1000.0, -1000, 0]], np.float32))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[1 / 3, -1 / 3, -1 / 6]], rtol=1e-6)


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy", "kl_divergence", "poisson",
                                  "mean_squared_logarithmic_error"])
def test_probabilities_exactly_zero_and_one_are_finite(name):
    y_true, y_pred = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.0, 1.0], [0.0, 1.0]])
    with np.errstate(all="raise"):
        value, grad = losses.get(name).value_and_gradient(y_true, y_pred)
    assert np.isfinite(value) and np.all(np.isfinite(grad))


# ---- Keras semantics ----------------------------------------------------------------------------------
@pytest.mark.parametrize("prob_name, act", [("binary_crossentropy", "sigmoid"),
                                            ("categorical_crossentropy", "softmax"),
                                            ("sparse_categorical_crossentropy", "softmax")])
def test_from_logits_equals_probability_path(prob_name, act):
    z = RNG.normal(size=(8, 4)) * 2
    if prob_name.startswith("sparse"):
        y = RNG.integers(0, 4, size=8)
    elif act == "softmax":
        y = np.eye(4)[RNG.integers(0, 4, size=8)]
    else:
        y = RNG.integers(0, 2, size=(8, 4)).astype(float)
    probs = activations.get(act)(z)
    from_probs = losses.get(prob_name)(y, probs)
    from_logits = type(losses.get(prob_name))(from_logits=True)(y, z)
    assert from_logits == pytest.approx(from_probs, rel=1e-6)


def test_from_logits_trains_without_output_activation():
    from neuronet.layers import Dense
    from neuronet.models import Sequential
    x = RNG.normal(size=(64, 2)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="adam", loss=losses.BinaryCrossentropy(from_logits=True))
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    before, after = (v[0] if isinstance(v, list) else v for v in (before, after))
    assert after < before
