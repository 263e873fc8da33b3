"""docs/errata.md: for each slip in the notes, the correct number computed with neuronet's public API
(and, where it helps, the number the slip would give, to show they differ)."""
import math

import numpy as np
import pytest

from neuronet import activations, initializers, losses, regularizers
from neuronet.callbacks import Callback
from neuronet.callbacks.monitor import Monitor
from neuronet.layers import Dense
from neuronet.models import Sequential
from neuronet.optimizers import SGD, Adam
from neuronet.perceptron import NAND, OR, Perceptron, nand_gate, or_gate, truth_table


def notes_001_network():
    """001's 2-2-2 sigmoid network; Keras kernels are (inputs, units)."""
    model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(2, activation="sigmoid")])
    model.set_weights([np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([0.35, 0.35]),
                       np.array([[0.40, 0.50], [0.45, 0.55]]), np.array([0.60, 0.60])])
    return model


def test_out_h1_is_0_5933_and_e_o1_is_0_274811083(float64):
    model = notes_001_network()
    hidden = Sequential([model.layers[0]])
    out_h1 = hidden.predict(np.array([[0.05, 0.10]]), verbose=0)[0, 0]
    assert out_h1 == pytest.approx(0.593269992, abs=1e-9)               # the notes: 0.612
    assert 1 / (1 + math.exp(-0.365)) == pytest.approx(0.590250, abs=1e-6)   # not 0.612 even from 0.365
    out_o1 = model.predict(np.array([[0.05, 0.10]]), verbose=0)[0, 0]
    assert out_o1 == pytest.approx(0.75136507, abs=1e-8)
    assert 0.5 * (0.01 - out_o1) ** 2 == pytest.approx(0.274811083, abs=1e-9)   # the notes: 0.24
    assert 0.5 * (0.01 - 0.612) ** 2 == pytest.approx(0.181202)          # not 0.24 from their own numbers


def test_he_normal_std_is_sqrt_2_over_n():
    n = 400
    w = initializers.get("he_normal")((n, n), dtype=np.float64, rng=np.random.default_rng(0))
    assert w.std() == pytest.approx(math.sqrt(2 / n), rel=0.01)        # 0.0707; the notes' 2/sqrt(n) = 0.1
    assert abs(w.std() - 2 / math.sqrt(n)) > 0.025


def test_std_1_over_sqrt_n_is_lecun_normal_and_xavier_uses_both_fans():
    n_in, n_out = 400, 100
    rng = np.random.default_rng(0)
    lecun = initializers.get("lecun_normal")((n_in, n_out), dtype=np.float64, rng=rng)
    glorot = initializers.get("glorot_normal")((n_in, n_out), dtype=np.float64, rng=rng)
    assert lecun.std() == pytest.approx(1 / math.sqrt(n_in), rel=0.02)           # 0.05
    assert glorot.std() == pytest.approx(math.sqrt(2 / (n_in + n_out)), rel=0.02)  # 0.0632, not 0.05


def test_the_separation_line_has_slope_minus_w1_over_w2():
    p = Perceptron([0.6, 0.4], theta=0.8)          # the notes' first AND choice (w1, w2, theta)
    slope, intercept = p.boundary()
    assert (slope, intercept) == pytest.approx((-1.5, 2.0))                # the notes' formula: +1.5
    x1 = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(0.6 * x1 + 0.4 * (slope * x1 + intercept), 0.8)    # on w1 x1 + w2 x2 = theta
    assert not np.allclose(0.6 * x1 + 0.4 * (1.5 * x1 + intercept), 0.8)


def test_nand_outputs_0_only_when_both_inputs_are_1():
    assert truth_table(nand_gate)["y"].tolist() == [1, 1, 1, 0]
    assert truth_table(or_gate)["y"].tolist() == [0, 1, 1, 1]             # the definition the notes repeat
    assert NAND.predict([[1, 1]]).tolist() == [0] and OR.predict([[1, 1]]).tolist() == [1]


def test_categorical_cross_entropy_is_one_log_the_printed_sum_is_multi_label():
    t = np.array([[0.0, 1.0, 0.0]])
    s = np.array([[0.219636, 0.659824, 0.120539]])       # softmax([2.1, 3.2, 1.5]), 002's example
    cce = float(losses.categorical_crossentropy(t, s)[0])
    assert cce == pytest.approx(-math.log(0.659824), rel=1e-5)             # 0.415782
    printed = -sum(ti * math.log(si) + (1 - ti) * math.log(1 - si) for ti, si in zip(t[0], s[0]))
    assert printed == pytest.approx(0.792223, abs=1e-5)                    # what the printed formula gives
    assert 3 * float(losses.binary_crossentropy(t, s)[0]) == pytest.approx(printed, rel=1e-5)


def test_l1_is_the_sum_of_absolute_values_and_l2_the_sum_of_squares():
    w = np.array([0.5, -2.0, 1.0])
    assert regularizers.l1(0.01)(w) == pytest.approx(0.01 * 3.5)           # 004 labels this one L2
    assert regularizers.l2(0.01)(w) == pytest.approx(0.01 * 5.25)          # and this one L1
    lam, m = 0.02, 4                       # 001's L1 term lambda/(2m) sum|w| is Keras' l1(lambda/(2m))
    assert regularizers.l1(lam / (2 * m))(w) == pytest.approx(lam / (2 * m) * np.abs(w).sum())
    np.testing.assert_allclose(regularizers.l1(lam / m).gradient(w), lam / m * np.sign(w))


def test_momentum_scales_the_gradient_by_the_learning_rate():
    w, g = np.array([1.0]), np.array([2.0])
    opt = SGD(learning_rate=0.1, momentum=0.9)
    for _ in range(2):
        opt.apply([w], [g.copy()])
    # v1 = -lr g = -0.2, v2 = 0.9 v1 - lr g = -0.38: w = 1 - 0.2 - 0.38 = 0.42
    assert w[0] == pytest.approx(0.42)
    # 001's v_t = gamma v_{t-1} + g; theta -= v_t (no learning rate) would give 1 - 2 - 3.8 = -4.8


def test_adam_bias_correction_uses_beta_to_the_power_t_and_updates_w():
    w0, g = 1.0, 0.5
    w = np.array([w0])
    opt = Adam(learning_rate=0.01)
    steps = []
    for _ in range(3):
        before = w[0]
        opt.apply([w], [np.array([g])])
        steps.append(before - w[0])
    # A constant gradient: m_hat = g and v_hat = g^2 at every t, so each step is lr * g / (|g| + eps) ~ lr,
    # taken from W (W <- W - lr m_hat / (sqrt(v_hat) + eps); 000 prints W <- -lr ...).
    np.testing.assert_allclose(steps, 0.01, rtol=1e-5)
    assert w[0] == pytest.approx(w0 - 0.03, rel=1e-5)
    b1, b2 = 0.9, 0.999                     # 002's m/(1 - beta1), v/(1 - beta2) at t = 2 would step 1.34 lr
    m2, v2 = (1 - b1 ** 2) * g, (1 - b2 ** 2) * g * g
    assert (m2 / (1 - b1)) / math.sqrt(v2 / (1 - b2)) == pytest.approx(1.3438, abs=1e-4)


def test_batch_size_is_the_samples_per_gradient_step():
    class Steps(Callback):
        def __init__(self):
            super().__init__()
            self.n = 0

        def on_train_batch_end(self, batch, logs=None):
            self.n += 1

    x, y = np.zeros((100, 2)), np.zeros(100)
    for batch_size, steps in ((32, 4), (100, 1)):        # ceil(100 / 32) = 4; the whole set: 1 step
        model = Sequential([Dense(1, input_shape=(2,))])
        model.compile("sgd", "mse")
        counter = Steps()
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, callbacks=[counter])
        assert counter.n == steps


def test_accuracy_auc_and_f1_are_maximised_eer_minimised():
    assert [Monitor(m).mode for m in ("val_acc", "val_auc", "val_f1_score", "val_eer", "val_loss")] == \
        ["max", "max", "max", "min", "min"]


def test_ln_0_is_minus_infinity_and_the_loss_of_a_sure_mistake_is_capped():
    with np.errstate(divide="ignore"):
        assert np.log(0.0) == -np.inf                                      # 002: "ln(0) = +inf"
    assert -np.log(1e-7) == pytest.approx(16.118096)                       # -ln p grows to +inf as p -> 0
    loss = float(losses.binary_crossentropy(np.array([[1.0]]), np.array([[0.0]]))[0])
    assert loss == pytest.approx(16.118096, rel=1e-6)                      # clipped at epsilon = 1e-7


def test_relu_derivative_at_zero_is_zero():
    x = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(activations.relu.backward(x, activations.relu(x), np.ones(3)), [0, 0, 1])


def test_a_penalty_never_lowers_the_training_error_of_a_linear_model(float64):
    """000's table puts the unregularized network's train MAE (2.333) above L1's and L2's, against its own
    printout (0.884) and the rule: a penalty trades training fit for smaller weights."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 5))
    y = x @ np.array([3.0, -2.0, 1.0, 0.5, 4.0]) + rng.normal(scale=0.1, size=64)
    ols = np.linalg.lstsq(np.c_[x, np.ones(64)], y, rcond=None)[0]
    best = np.mean((np.c_[x, np.ones(64)] @ ols - y) ** 2)           # the least train MSE any weights reach

    def train_mse(reg):
        model = Sequential([Dense(1, input_shape=(5,), kernel_regularizer=reg)])
        model.compile(SGD(0.1), "mse")
        model.fit(x, y, batch_size=64, epochs=300, verbose=0, shuffle=False)
        return float(np.mean((model.predict(x, verbose=0).ravel() - y) ** 2))

    plain, l1, l2 = train_mse(None), train_mse(regularizers.l1(0.1)), train_mse(regularizers.l2(0.1))
    assert plain == pytest.approx(best, rel=1e-6)
    assert l1 > plain * 1.5 and l2 > plain * 1.5
