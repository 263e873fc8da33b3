"""Weight constraints: Keras' formulas, names, errors and config round trips."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuronet import backend as K
from neuronet import constraints

RNG = np.random.default_rng(0)
EPS = 1e-7


def column_norms(w, axis=0):
    return np.sqrt((w ** 2).sum(axis=axis, keepdims=True))


def test_max_norm_rescales_only_the_columns_above_max_value():
    w = np.array([[3.0, 0.3], [4.0, 0.4]])                      # column norms 5 and 0.5
    out = constraints.MaxNorm(max_value=2)(w)
    np.testing.assert_allclose(out[:, 0], w[:, 0] * 2 / (EPS + 5))
    np.testing.assert_allclose(out[:, 1], w[:, 1] * 0.5 / (EPS + 0.5))   # below: unchanged up to eps
    np.testing.assert_allclose(column_norms(out), [[2, 0.5]], rtol=1e-6)


def test_max_norm_axis_1_constrains_rows():
    w = RNG.normal(size=(5, 3)) * 4
    out = constraints.MaxNorm(max_value=1.5, axis=1)(w)
    expected = w * np.clip(column_norms(w, 1), 0, 1.5) / (EPS + column_norms(w, 1))
    np.testing.assert_allclose(out, expected)
    assert (column_norms(out, 1) <= 1.5 + 1e-9).all()


def test_non_neg_zeroes_negative_weights():
    w = np.array([[-1.0, 0.0], [2.0, -0.5]], dtype=np.float32)
    out = constraints.NonNeg()(w)
    np.testing.assert_array_equal(out, [[0, 0], [2, 0]])
    assert out.dtype == np.float32


@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_unit_norm(axis):
    w = RNG.normal(size=(4, 3))
    out = constraints.UnitNorm(axis=axis)(w)
    ax = tuple(axis) if isinstance(axis, list) else axis
    np.testing.assert_allclose(out, w / (EPS + np.sqrt((w ** 2).sum(axis=ax, keepdims=True))))
    np.testing.assert_allclose(np.sqrt((out ** 2).sum(axis=ax)), 1.0, rtol=1e-6)


@pytest.mark.parametrize("rate", [1.0, 0.5, 0.0])
def test_min_max_norm_moves_norms_towards_the_interval_at_rate(rate):
    w = np.array([[0.1, 3.0, 0.6], [0.0, 4.0, 0.8]])             # norms 0.1, 5, 1
    c = constraints.MinMaxNorm(min_value=0.5, max_value=2.0, rate=rate)
    n = column_norms(w)
    desired = rate * np.clip(n, 0.5, 2.0) + (1 - rate) * n
    out = c(w)
    np.testing.assert_allclose(out, w * desired / (EPS + n))
    np.testing.assert_allclose(column_norms(out), desired, rtol=1e-6)


def test_min_max_norm_keras_defaults_give_unit_norm_at_most():
    c = constraints.MinMaxNorm()
    assert c.get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    w = np.array([[3.0, 0.3], [4.0, 0.4]])
    np.testing.assert_allclose(column_norms(c(w)), [[1.0, 0.5]], rtol=1e-6)


def test_epsilon_is_the_backend_setting():
    w = np.array([[3.0], [4.0]])
    K.set_epsilon(1.0)
    try:
        np.testing.assert_allclose(constraints.UnitNorm()(w), w / 6.0)
    finally:
        K.set_epsilon(1e-7)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, (3, 4), elements=st.floats(-1e4, 1e4, width=32)))
def test_constraints_stay_finite_in_float32_and_keep_the_dtype(w):
    with np.errstate(over="raise", invalid="raise", divide="raise"):    # underflow of tiny squares is exact 0
        for c in (constraints.MaxNorm(), constraints.NonNeg(), constraints.UnitNorm(), constraints.MinMaxNorm()):
            out = c(w)
            assert out.dtype == np.float32 and out.shape == w.shape and np.isfinite(out).all()
        assert (column_norms(constraints.MaxNorm(2.0)(w).astype(np.float64)) <= 2.0 + 1e-5).all()


def test_a_constraint_returns_a_new_array_and_leaves_the_input_alone():
    w = RNG.normal(size=(3, 3)) * 10
    before = w.copy()
    for c in (constraints.MaxNorm(), constraints.NonNeg(), constraints.UnitNorm(), constraints.MinMaxNorm()):
        c(w)
    np.testing.assert_array_equal(w, before)


@pytest.mark.parametrize("constraint", [constraints.MaxNorm(3, axis=1), constraints.NonNeg(),
                                        constraints.UnitNorm(axis=[0, 1]),
                                        constraints.MinMaxNorm(0.2, 1.5, rate=0.3, axis=0)])
def test_config_round_trips_through_serialize_and_get(constraint):
    cfg = constraints.serialize(constraint)
    assert cfg["class_name"] == type(constraint).__name__
    import json
    again = constraints.deserialize(json.loads(json.dumps(cfg)))
    assert type(again) is type(constraint) and again.get_config() == constraint.get_config()
    assert constraints.get(cfg).get_config() == constraint.get_config()
    w = RNG.normal(size=(4, 3)) * 3
    np.testing.assert_array_equal(again(w), constraint(w))


def test_names_and_keras_function_spellings():
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert constraints.get("MaxNorm").get_config() == {"max_value": 2.0, "axis": 0}
    assert isinstance(constraints.get("non_neg"), constraints.NonNeg)
    assert isinstance(constraints.get("unit_norm"), constraints.UnitNorm)
    assert isinstance(constraints.get("min_max_norm"), constraints.MinMaxNorm)
    assert isinstance(constraints.max_norm(2.0), constraints.MaxNorm)
    assert constraints.get(None) is None and constraints.serialize(None) is None
    c = constraints.NonNeg()
    assert constraints.get(c) is c
    assert isinstance(constraints.get(constraints.UnitNorm), constraints.UnitNorm)
    fn = lambda w: w * 0.5                                                  # noqa: E731
    assert constraints.get(fn) is fn


def test_errors_name_the_argument_and_value():
    with pytest.raises(ValueError, match="Did you mean 'max_norm'"):
        constraints.get("max_nrom")
    with pytest.raises(ValueError, match="max_value=-1"):
        constraints.MaxNorm(max_value=-1)
    with pytest.raises(ValueError, match="axis='0'"):
        constraints.UnitNorm(axis="0")
    with pytest.raises(ValueError, match="min_value=2"):
        constraints.MinMaxNorm(min_value=2, max_value=1)
    with pytest.raises(ValueError, match="get_config"):
        constraints.serialize(lambda w: w)


def test_subclassing_constraint_as_in_keras():
    class Clip(constraints.Constraint):
        def __init__(self, ref=1.0):
            self.ref = ref

        def __call__(self, w):
            return np.clip(w, -self.ref, self.ref)

        def get_config(self):
            return {"ref": self.ref}

    c = Clip(0.5)
    np.testing.assert_array_equal(c(np.array([-2.0, 0.2, 3.0])), [-0.5, 0.2, 0.5])
    assert Clip.from_config(c.get_config()).ref == 0.5 and repr(c) == "Clip(ref=0.5)"
    assert constraints.Constraint()(np.ones(2)).tolist() == [1.0, 1.0]
