"""Adam's bias correction, number by number."""
import math

import numpy as np
import pytest

from neuronet.optimizers import Adam


def test_adam_bias_correction(float64):
    # 002: after step 1, m = (1 - b1) g and v = (1 - b2) g^2: m_hat = g, v_hat = g^2.
    g, lr = 0.5, 0.1
    opt = Adam(learning_rate=lr)
    w = np.array([1.0])
    opt.apply([w], [np.array([g])])
    slots = opt.get_state()["slots"]["0"]
    assert slots["m"][0] == pytest.approx(0.1 * g, rel=1e-12)
    assert slots["v"][0] == pytest.approx(0.001 * g * g, rel=1e-12)
    assert slots["m"][0] / (1 - 0.9) == pytest.approx(g, rel=1e-12)
    assert slots["v"][0] / (1 - 0.999) == pytest.approx(g * g, rel=1e-12)
    eps_hat = opt.epsilon / math.sqrt(1 - opt.beta_2)   # Keras folds the corrections into lr_t
    assert w[0] == pytest.approx(1.0 - lr * g / (math.sqrt(g * g) + eps_hat), rel=1e-12)
