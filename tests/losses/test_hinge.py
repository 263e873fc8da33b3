"""Hinge losses: label conversion and formulas."""
import numpy as np
import pytest

from neuronet import losses


RNG = np.random.default_rng(0)


def test_hinge_converts_zero_one_labels():
    p = RNG.normal(size=(5, 2))
    y01 = RNG.integers(0, 2, size=(5, 2)).astype(float)
    for name in ("hinge", "squared_hinge"):
        loss = losses.get(name)
        assert loss(y01, p) == pytest.approx(loss(2 * y01 - 1, p))
    expected = np.mean(np.maximum(1 - (2 * y01 - 1) * p, 0), axis=-1).mean()
    assert losses.get("hinge")(y01, p) == pytest.approx(expected)


def test_categorical_hinge_formula():
    y = np.array([[0.0, 1, 0], [1, 0, 0]])
    p = np.array([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1]])
    # max(neg - pos + 1, 0): row 1: 0.3 - 0.5 + 1 = 0.8; row 2: 0.8 - 0.1 + 1 = 1.7
    assert losses.get("categorical_hinge")(y, p) == pytest.approx((0.8 + 1.7) / 2)
